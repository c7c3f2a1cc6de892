import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs of a demo seed: when one began, how far it got and when it completed, so a start resumes a seed that stopped part-way. */
export class SeedRuns1765050000000 implements MigrationInterface {
  name = 'SeedRuns1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "seed_runs" (
      "name" text PRIMARY KEY,
      "started_at" timestamptz NOT NULL,
      "projects_done" int NOT NULL DEFAULT 0,
      "projects_total" int NOT NULL,
      "completed_at" timestamptz
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "seed_runs"`);
  }
}
