import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The due-range filters' probe per project ("has a step whose clock runs, due in the range": projectDueInRangeSql):
 * a partial index on the steps that can fall due (in review, waiting for a supplement) by project and due day, so the
 * stuck list walking its urgency index asks each project in one index lookup instead of scanning the range.
 */
export class DueRangeIndex1765160000000 implements MigrationInterface {
  name = 'DueRangeIndex1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_project_steps_due_by_project" ON "project_steps" ("project_code", "due_on", "department")
      WHERE "state" IN ('in_review', 'supplement_requested')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_due_by_project"`);
  }
}
