import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The due days of a project's running clocks on its row (`open_due_days`, a datemultirange written with the row:
 * project-read-model.rows.ts openDueDaysOf), filled here from the step rows already stored, as dueInRangeSql reads
 * them (in review or waiting for a supplement, with a due day). The due-range filters ask the row with `&&`:
 * - `ix_projects_stuck_order` is rebuilt with the column included, so the stuck list with a due range stays a walk
 *   of that one index (index-only) instead of probing every project's steps on the way;
 * - `ix_projects_open_due_days` (GiST) serves the range alone: counts and `GET /projects?dueFrom=…`.
 */
export class OpenDueDays1765240000000 implements MigrationInterface {
  name = 'OpenDueDays1765240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "projects" ADD COLUMN "open_due_days" datemultirange NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE "projects" p SET "open_due_days" = d.days
      FROM (SELECT project_code, range_agg(daterange(due_on, due_on, '[]')) AS days FROM "project_steps"
             WHERE state IN ('in_review', 'supplement_requested') AND due_on IS NOT NULL GROUP BY project_code) d
     WHERE d.project_code = p.code`);
    await q.query(`DROP INDEX "ix_projects_stuck_order"`);
    await q.query(`CREATE INDEX "ix_projects_stuck_order" ON "projects"
      ("stuck_tier", "urgency_statutory_at", "urgency_red_at", "urgency_slack", "last_progress_at", "code")
      INCLUDE ("district", "stage", "track", "status", "light", "at_risk", "overdue_steps", "statutory_overdue_steps", "open_departments", "open_due_days")
      WHERE "status" IN ('active', 'suspended')`);
    await q.query(`CREATE INDEX "ix_projects_open_due_days" ON "projects" USING gist ("open_due_days")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_projects_open_due_days"`);
    await q.query(`DROP INDEX "ix_projects_stuck_order"`);
    await q.query(`CREATE INDEX "ix_projects_stuck_order" ON "projects"
      ("stuck_tier", "urgency_statutory_at", "urgency_red_at", "urgency_slack", "last_progress_at", "code")
      INCLUDE ("district", "stage", "track", "status", "light", "at_risk", "overdue_steps", "statutory_overdue_steps", "open_departments")
      WHERE "status" IN ('active', 'suspended')`);
    await q.query(`ALTER TABLE "projects" DROP COLUMN "open_due_days"`);
  }
}
