import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A department's steps whose clock runs (in review or waiting for a supplement, of running projects) by their
 * published due day, carrying the work queue's order (desk tier, since, project, position). `GET /tasks` with
 * `dueFrom`/`dueTo` finds and counts the steps due in the range on this index alone (index-only), and picks the page's
 * keys from it before it reads the 20 rows it answers.
 */
export class DueDeskIndex1765260000000 implements MigrationInterface {
  name = 'DueDeskIndex1765260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_project_steps_due_desk" ON "project_steps" ("department", "due_on")
      INCLUDE ("desk_tier", "desk_since", "project_code", "position")
      WHERE "state" IN ('in_review', 'supplement_requested') AND "project_running"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_due_desk"`);
  }
}
