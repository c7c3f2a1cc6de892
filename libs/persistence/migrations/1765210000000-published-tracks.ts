import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Track versions published at run time (`POST /api/v1/tracks`): the definition as checked, the SHA-256 of its
 * canonical JSON, who published it and when. A row is the audit record of the publication and is never updated or
 * deleted (a released version is immutable: the trigger refuses both).
 */
export class PublishedTracks1765210000000 implements MigrationInterface {
  name = 'PublishedTracks1765210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "published_tracks" (
      "track" varchar(32) NOT NULL,
      "version" int NOT NULL,
      "definition" jsonb NOT NULL,
      "sha256" char(64) NOT NULL,
      "published_by" jsonb NOT NULL,
      "published_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_published_tracks" PRIMARY KEY ("track", "version"),
      CONSTRAINT "ck_published_tracks_version" CHECK ("version" >= 1)
    )`);
    await q.query(`CREATE FUNCTION "published_tracks_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'a published track version is immutable'; END $$`);
    await q.query(`CREATE TRIGGER "published_tracks_immutable" BEFORE UPDATE OR DELETE ON "published_tracks"
      FOR EACH ROW EXECUTE FUNCTION "published_tracks_immutable"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "published_tracks"`);
    await q.query(`DROP FUNCTION "published_tracks_immutable"()`);
  }
}
