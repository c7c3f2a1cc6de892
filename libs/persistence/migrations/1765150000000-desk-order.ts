import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work queue's order on the step row (written with it from now on, filled here for stored rows): the tier of its
 * state (the domain's DESK_TIERS: in review and received 0, ready 1, supplement requested 2; 3 off the desk), since
 * when it waits (acceptance, else receipt, else readiness), and whether its project runs; and the index a
 * department's queue walks in that order, partial on the desk's states of running projects.
 */
export class DeskOrder1765150000000 implements MigrationInterface {
  name = 'DeskOrder1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "project_steps"
      ADD COLUMN "desk_tier" smallint NOT NULL DEFAULT 3,
      ADD COLUMN "desk_since" timestamptz,
      ADD COLUMN "project_running" boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE "project_steps" s SET
        "desk_tier" = CASE s.state WHEN 'in_review' THEN 0 WHEN 'received' THEN 0 WHEN 'ready' THEN 1 WHEN 'supplement_requested' THEN 2 ELSE 3 END,
        "desk_since" = coalesce(s.accepted_at, s.received_at, s.ready_at),
        "project_running" = p.status IN ('active', 'suspended')
      FROM "projects" p WHERE p.code = s.project_code`);
    await q.query(`CREATE INDEX "ix_project_steps_desk" ON "project_steps" ("department", "desk_tier", "desk_since", "project_code", "position")
      INCLUDE ("state", "due_on")
      WHERE "state" IN ('ready', 'received', 'in_review', 'supplement_requested') AND "project_running"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_desk"`);
    await q.query(`ALTER TABLE "project_steps" DROP COLUMN "project_running", DROP COLUMN "desk_since", DROP COLUMN "desk_tier"`);
  }
}
