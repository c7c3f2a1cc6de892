import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stuck keys on the project row (libs/domain supervision.ts stuckKeysOf), written with the row from now on and
 * filled here from the steps already stored; and the indexes the supervisors' lists walk:
 * - `ix_projects_stuck_order`: the stuck list's urgency order over running projects, with the filters' columns
 *   included, so a page (by number or by keyset) and its count are an index(-only) scan;
 * - `ix_projects_stuck_idle`: running projects by last progress, for the idle ones of tier 3;
 * - `ix_projects_open_departments`: the department filter (a step on the department's desk);
 * - `ix_project_steps_red_by_project`: a page's red steps, per project.
 * Sentinels: '9999-12-31' and the largest int4 stand for "no such key", sorting last as NULLS LAST did.
 */
export class StuckKeys1765130000000 implements MigrationInterface {
  name = 'StuckKeys1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "projects"
      ADD COLUMN "stuck_tier" smallint NOT NULL DEFAULT 3,
      ADD COLUMN "urgency_statutory_at" timestamptz NOT NULL DEFAULT '9999-12-31T00:00:00Z',
      ADD COLUMN "urgency_red_at" timestamptz NOT NULL DEFAULT '9999-12-31T00:00:00Z',
      ADD COLUMN "urgency_slack" int NOT NULL DEFAULT 2147483647,
      ADD COLUMN "open_departments" text[] NOT NULL DEFAULT '{}'`);
    // The keys of the rows already stored, as stuckKeysOf decides them.
    await q.query(`UPDATE "projects" p SET
        "stuck_tier" = CASE WHEN k.statutory THEN 0 WHEN k.red THEN 1 WHEN p.at_risk THEN 2 ELSE 3 END,
        "urgency_statutory_at" = coalesce(k.statutory_at, '9999-12-31T00:00:00Z'),
        "urgency_red_at" = coalesce(k.red_at, '9999-12-31T00:00:00Z'),
        "urgency_slack" = CASE WHEN NOT k.red AND p.at_risk THEN coalesce(p.slack_working_days, 2147483647) ELSE 2147483647 END,
        "open_departments" = k.departments
      FROM (SELECT s.project_code,
                   bool_or(s.statutory_overdue AND s.state IN ('in_review', 'supplement_requested')) AS statutory,
                   min(s.statutory_due_at) FILTER (WHERE s.statutory_overdue AND s.state IN ('in_review', 'supplement_requested')) AS statutory_at,
                   bool_or(s.light = 'red') AS red,
                   min(s.due_at) FILTER (WHERE s.light = 'red') AS red_at,
                   coalesce(array_agg(DISTINCT s.department::text ORDER BY s.department::text)
                     FILTER (WHERE s.state IN ('ready', 'received', 'in_review', 'supplement_requested')), '{}') AS departments
              FROM "project_steps" s GROUP BY s.project_code) k
     WHERE k.project_code = p.code`);
    await q.query(`CREATE INDEX "ix_projects_stuck_order" ON "projects"
      ("stuck_tier", "urgency_statutory_at", "urgency_red_at", "urgency_slack", "last_progress_at", "code")
      INCLUDE ("district", "stage", "track", "status", "light", "at_risk", "overdue_steps", "statutory_overdue_steps", "open_departments")
      WHERE "status" IN ('active', 'suspended')`);
    await q.query(`CREATE INDEX "ix_projects_stuck_idle" ON "projects" ("last_progress_at", "code")
      INCLUDE ("stuck_tier", "district", "stage", "track", "status", "light", "at_risk", "overdue_steps", "statutory_overdue_steps", "open_departments")
      WHERE "status" IN ('active', 'suspended')`);
    await q.query(`CREATE INDEX "ix_projects_open_departments" ON "projects" USING gin ("open_departments")`);
    await q.query(`CREATE INDEX "ix_project_steps_red_by_project" ON "project_steps" ("project_code", "due_at") WHERE "light" = 'red'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_red_by_project"`);
    await q.query(`DROP INDEX "ix_projects_open_departments"`);
    await q.query(`DROP INDEX "ix_projects_stuck_idle"`);
    await q.query(`DROP INDEX "ix_projects_stuck_order"`);
    await q.query(`ALTER TABLE "projects" DROP COLUMN "open_departments", DROP COLUMN "urgency_slack", DROP COLUMN "urgency_red_at",
      DROP COLUMN "urgency_statutory_at", DROP COLUMN "stuck_tier"`);
  }
}
