import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger imports (POST /imports with dryRun=false): the file, its content hash, who sent it, the dry run's report, and
 * the job's status and progress, so that a job an API restart interrupted resumes at the next start.
 */
export class Imports1765200000000 implements MigrationInterface {
  name = 'Imports1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "imports" (
      "id" uuid PRIMARY KEY,
      "status" varchar(16) NOT NULL,
      "file_name" text NOT NULL,
      "file_sha256" char(64) NOT NULL,
      "file" bytea NOT NULL,
      "created_by" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "rows_total" int NOT NULL,
      "rows_done" int NOT NULL DEFAULT 0,
      "report" jsonb NOT NULL,
      "results" jsonb NOT NULL DEFAULT '[]'::jsonb,
      "error" text
    )`);
    await q.query(`CREATE INDEX "imports_status_idx" ON "imports" ("status")`);
    await q.query(`CREATE INDEX "imports_file_sha256_idx" ON "imports" ("file_sha256")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "imports"`);
  }
}
