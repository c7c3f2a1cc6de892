import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The summary's counters as they stood at the end of each day (a daily snapshot, SupervisionRepository.snapshotDay):
 * `supervision_days` holds one row per day snapshotted, with the idle instant its idle counts used;
 * `supervision_day_counts` the counter rows of `supervision_counts` copied as they were, plus the `idle` facet (the
 * running projects idle on that day, by the same keys and desks). A summary as of a past day with a snapshot sums
 * these rows instead of scanning the projects and their steps. Snapshots are history the workflows do not keep: a
 * rebuild of the read model leaves them alone, and a day without one is counted on the rows.
 */
export class SupervisionDays1765290000000 implements MigrationInterface {
  name = 'SupervisionDays1765290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "supervision_days" (
      "day" date PRIMARY KEY,
      "taken_at" timestamptz NOT NULL DEFAULT now(),
      "idle_before" timestamptz NOT NULL,
      "idle_working_days" int NOT NULL
    )`);
    await q.query(`CREATE TABLE "supervision_day_counts" (
      "day" date NOT NULL REFERENCES "supervision_days" ("day") ON DELETE CASCADE,
      "facet" varchar(16) NOT NULL,
      "key" varchar(64) NOT NULL,
      "desk" varchar(64) NOT NULL,
      "district" varchar(64) NOT NULL,
      "stage" varchar(64) NOT NULL,
      "track" varchar(32) NOT NULL,
      "status" varchar(16) NOT NULL,
      "light" varchar(8) NOT NULL,
      "statutory" boolean NOT NULL,
      "overdue" boolean NOT NULL,
      "at_risk" boolean NOT NULL,
      "name" text,
      "name_zh" text,
      "projects" int NOT NULL DEFAULT 0,
      "government_projects" int NOT NULL DEFAULT 0,
      "government_working_days" bigint NOT NULL DEFAULT 0,
      "open_steps" int NOT NULL DEFAULT 0,
      "green" int NOT NULL DEFAULT 0,
      "yellow" int NOT NULL DEFAULT 0,
      "red" int NOT NULL DEFAULT 0,
      "no_clock" int NOT NULL DEFAULT 0,
      "statutory_steps" int NOT NULL DEFAULT 0,
      "statutory_projects" int NOT NULL DEFAULT 0,
      "exceeded" int NOT NULL DEFAULT 0,
      CONSTRAINT "PK_supervision_day_counts" PRIMARY KEY ("day", "facet", "key", "desk", "district", "stage", "track", "status", "light", "statutory", "overdue", "at_risk")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "supervision_day_counts"`);
    await q.query(`DROP TABLE "supervision_days"`);
  }
}
