import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Forecast, at-risk flag, supervision (督办) and overdue counts of projects, for supervisors' views (stuck, at risk, summary). */
export class Supervision1764800000000 implements MigrationInterface {
  name = 'Supervision1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "projects"
      ADD COLUMN "at_risk" boolean NOT NULL DEFAULT false,
      ADD COLUMN "at_risk_reason" text,
      ADD COLUMN "forecast_finish_on" date,
      ADD COLUMN "slack_working_days" int,
      ADD COLUMN "forecast" jsonb,
      ADD COLUMN "under_supervision" boolean NOT NULL DEFAULT false,
      ADD COLUMN "supervision" jsonb,
      ADD COLUMN "overdue_steps" int NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX "ix_projects_at_risk" ON "projects" ("at_risk") WHERE "at_risk"`);
    await q.query(`CREATE INDEX "ix_projects_last_progress_at" ON "projects" ("last_progress_at")`);
    await q.query(`CREATE INDEX "ix_project_steps_light" ON "project_steps" ("light", "due_at") WHERE "light" = 'red'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_light"`);
    await q.query(`DROP INDEX "ix_projects_last_progress_at"`);
    await q.query(`DROP INDEX "ix_projects_at_risk"`);
    await q.query(`ALTER TABLE "projects" DROP COLUMN "overdue_steps", DROP COLUMN "supervision", DROP COLUMN "under_supervision",
      DROP COLUMN "forecast", DROP COLUMN "slack_working_days", DROP COLUMN "forecast_finish_on", DROP COLUMN "at_risk_reason", DROP COLUMN "at_risk"`);
  }
}
