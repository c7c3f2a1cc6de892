import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines and lights of step clocks and project deadlines in the read model, so lists and lights need no Query. */
export class StepClocks1764700000000 implements MigrationInterface {
  name = 'StepClocks1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "project_steps"
      ADD COLUMN "due_on" date,
      ADD COLUMN "due_at" timestamptz,
      ADD COLUMN "light" varchar(8),
      ADD COLUMN "provisional" boolean NOT NULL DEFAULT false,
      ADD COLUMN "deadline" jsonb`);
    await q.query(`ALTER TABLE "projects"
      ADD COLUMN "light" varchar(8) NOT NULL DEFAULT 'green',
      ADD COLUMN "next_deadline" timestamptz,
      ADD COLUMN "project_clocks" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`CREATE INDEX "ix_projects_light" ON "projects" ("light")`);
    await q.query(`CREATE INDEX "ix_project_steps_due_at" ON "project_steps" ("due_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_due_at"`);
    await q.query(`DROP INDEX "ix_projects_light"`);
    await q.query(`ALTER TABLE "projects" DROP COLUMN "project_clocks", DROP COLUMN "next_deadline", DROP COLUMN "light"`);
    await q.query(`ALTER TABLE "project_steps" DROP COLUMN "deadline", DROP COLUMN "provisional", DROP COLUMN "light", DROP COLUMN "due_at", DROP COLUMN "due_on"`);
  }
}
