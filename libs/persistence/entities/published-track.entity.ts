import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A track version published at run time (`POST /api/v1/tracks`, migration PublishedTracks1765210000000): the
 * definition as the track loader checked it, the SHA-256 of its canonical JSON, who published it and when. The row is
 * the publication's audit record; it is written once by PublishedTracksRepository.insert and never changed (a trigger
 * refuses updates and deletes).
 */
@Entity({ name: 'published_tracks' })
@Check('ck_published_tracks_version', `"version" >= 1`)
export class PublishedTrackEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  track!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  /** The definition (a JSON document in the format of GET /api/v1/tracks/schema). */
  @Column({ type: 'jsonb' })
  definition!: unknown;

  /** SHA-256 (hex) of the definition's canonical JSON (keys sorted, no white space). */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  /** Who published it: the token's subject and department. */
  @Column({ name: 'published_by', type: 'jsonb' })
  publishedBy!: { id: string; department: string };

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
