import type { DataSource } from 'typeorm';

/** A published track version as stored in `published_tracks` ({@link PublishedTracksRepository}). */
export interface PublishedTrackRecord {
  track: string;
  version: number;
  /** The definition as checked when published (JSON). */
  definition: unknown;
  /** SHA-256 (hex) of the definition's canonical JSON. */
  sha256: string;
  publishedBy: { id: string; department: string };
  publishedAt: Date;
}

interface Row {
  track: string;
  version: number;
  definition: unknown;
  sha256: string;
  published_by: { id: string; department: string };
  published_at: Date;
}

/** What {@link PublishedTracksRepository.insert} did: stored, or found the version already taken. */
export type PublishOutcome = { stored: true; record: PublishedTrackRecord } | { stored: false };

const recordOf = (r: Row): PublishedTrackRecord => ({
  track: r.track,
  version: r.version,
  definition: r.definition,
  sha256: r.sha256.trim(),
  publishedBy: r.published_by,
  publishedAt: r.published_at,
});

/**
 * Track versions published at run time, in `published_tracks` (migration PublishedTracks1765210000000). Rows are only
 * inserted: a version, once published, never changes.
 */
export class PublishedTracksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every published version, by track then version. */
  async all(): Promise<PublishedTrackRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT "track", "version", "definition", "sha256", "published_by", "published_at" FROM "published_tracks" ORDER BY "track", "version"`,
    )) as Row[];
    return rows.map(recordOf);
  }

  /** The published versions of one track, oldest first. */
  async ofTrack(track: string): Promise<PublishedTrackRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT "track", "version", "definition", "sha256", "published_by", "published_at" FROM "published_tracks" WHERE "track" = $1 ORDER BY "version"`,
      [track],
    )) as Row[];
    return rows.map(recordOf);
  }

  /**
   * Stores a new version unless `track@version` is already published (by another request meanwhile): the primary key
   * decides, so two publications of one version never both succeed.
   */
  async insert(r: { track: string; version: number; definition: unknown; sha256: string; publishedBy: { id: string; department: string } }): Promise<PublishOutcome> {
    const rows = (await this.dataSource.query(
      `INSERT INTO "published_tracks" ("track", "version", "definition", "sha256", "published_by") VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ("track", "version") DO NOTHING
       RETURNING "track", "version", "definition", "sha256", "published_by", "published_at"`,
      [r.track, r.version, JSON.stringify(r.definition), r.sha256, JSON.stringify(r.publishedBy)],
    )) as Row[];
    return rows[0] ? { stored: true, record: recordOf(rows[0]) } : { stored: false };
  }
}
