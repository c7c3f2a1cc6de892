import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The running projects stuck only by being idle (the idle tier, 3: no statutory, red or at-risk reason) by their last
 * progress, carrying the desks and due days the stuck list's total filters on. The total counts these on every read
 * (idle depends on the day asked); ix_projects_stuck_idle holds every running project with ten included columns, so a
 * count walked about seven times the pages this narrow index needs.
 */
export class IdleCountIndex1765280000000 implements MigrationInterface {
  name = 'IdleCountIndex1765280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_projects_idle_count" ON "projects" ("last_progress_at") INCLUDE ("open_departments", "open_due_days")
      WHERE "status" IN ('active', 'suspended') AND "stuck_tier" = 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_projects_idle_count"`);
  }
}
