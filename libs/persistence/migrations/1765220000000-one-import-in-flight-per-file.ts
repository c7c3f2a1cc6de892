import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * At most one import job in flight (queued or running) per file content: two commits of the same file sent at once
 * get the same job. A file already imported (done) is answered its job by the API's lookup. Jobs in flight that an
 * earlier race doubled are kept once (the oldest); the others fail, naming it, before the index is built.
 */
export class OneImportInFlightPerFile1765220000000 implements MigrationInterface {
  name = 'OneImportInFlightPerFile1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "imports" i SET "status" = 'failed', "error" = 'another job of the same file was started first: ' || f."id"
      FROM (SELECT DISTINCT ON ("file_sha256") "id", "file_sha256" FROM "imports" WHERE "status" IN ('queued', 'running') ORDER BY "file_sha256", "created_at", "id") f
      WHERE i."file_sha256" = f."file_sha256" AND i."status" IN ('queued', 'running') AND i."id" <> f."id"`);
    await q.query(`CREATE UNIQUE INDEX "imports_one_in_flight_per_file" ON "imports" ("file_sha256") WHERE "status" IN ('queued', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "imports_one_in_flight_per_file"`);
  }
}
