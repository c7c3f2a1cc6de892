import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stuck list as of a past day (a dated report) leaves out the projects registered after that day: its total counts
 * on `ix_projects_stuck_order` (the tiers stuck for a write-time reason) and `ix_projects_idle_count` (the idle ones)
 * with `registered_at` as a condition. Both indexes now include `registered_at`, so those counts read the indexes alone
 * (index-only) instead of fetching every counted project's row from the table.
 */
export class DatedStuckIndex1765300000000 implements MigrationInterface {
  name = 'DatedStuckIndex1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await recreate(q, 'registered_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await recreate(q, null);
  }
}

/** Both indexes as the migrations before this one made them, with `extra` included too when given. */
async function recreate(q: QueryRunner, extra: string | null): Promise<void> {
  const plus = extra === null ? '' : `, "${extra}"`;
  await q.query(`DROP INDEX "ix_projects_stuck_order"`);
  await q.query(`CREATE INDEX "ix_projects_stuck_order" ON "projects"
    ("stuck_tier", "urgency_statutory_at", "urgency_red_at", "urgency_slack", "last_progress_at", "code")
    INCLUDE ("district", "stage", "track", "status", "light", "at_risk", "overdue_steps", "statutory_overdue_steps", "open_departments", "open_due_days"${plus})
    WHERE "status" IN ('active', 'suspended')`);
  await q.query(`DROP INDEX "ix_projects_idle_count"`);
  await q.query(`CREATE INDEX "ix_projects_idle_count" ON "projects" ("last_progress_at") INCLUDE ("open_departments", "open_due_days"${plus})
    WHERE "status" IN ('active', 'suspended') AND "stuck_tier" = 3`);
}
