import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statutory fidelity in the read model (the statutory tier beside the promised limits): per project the approval
 * route (备案 / 核准), the steps past their statutory limit (法定时限), the expiry clocks, the facts recorded from outside and the government time
 * (政府审批用时, working days; its project-level figure also as a plain column for sums); per step the receipt
 * (收件), deemed acceptance (Art. 32), the statutory-overdue flag with the statutory deadline (partial index on
 * the flagged rows for the supervisors' views), the certificate's delivery (送达, Art. 44), the step's
 * government working days, the published clock's input (start day, limit, extension; the ledger counts it),
 * and a `statutory` document with the statutory limit, the unit as written, the joint
 * group, the extension cap, the extension granted and the certificate. Rows written before stay valid: flags
 * default to false, lists to `[]`, and a null `statutory` is read from the pinned definition.
 */
export class StatutoryFidelity1764900000000 implements MigrationInterface {
  name = 'StatutoryFidelity1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "projects"
      ADD COLUMN "approval_route" varchar(16) NOT NULL DEFAULT 'filing',
      ADD COLUMN "government_time" jsonb,
      ADD COLUMN "government_working_days" int,
      ADD COLUMN "statutory_overdue_steps" int NOT NULL DEFAULT 0,
      ADD COLUMN "expiries" jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN "facts" jsonb NOT NULL DEFAULT '[]',
      ADD CONSTRAINT "ck_projects_approval_route" CHECK ("approval_route" IN ('filing', 'approval'))`);
    await q.query(`ALTER TABLE "project_steps"
      ADD COLUMN "received_at" timestamptz,
      ADD COLUMN "deemed_accepted" boolean NOT NULL DEFAULT false,
      ADD COLUMN "statutory_overdue" boolean NOT NULL DEFAULT false,
      ADD COLUMN "statutory_due_on" date,
      ADD COLUMN "statutory_due_at" timestamptz,
      ADD COLUMN "delivered_at" timestamptz,
      ADD COLUMN "government_working_days" int,
      ADD COLUMN "clock_input" jsonb,
      ADD COLUMN "statutory" jsonb`);
    // The supervisors' views look only at the (few) steps past the statutory limit.
    await q.query(`CREATE INDEX "ix_project_steps_statutory_overdue" ON "project_steps" ("project_code", "statutory_due_at") WHERE "statutory_overdue"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_project_steps_statutory_overdue"`);
    await q.query(`ALTER TABLE "project_steps" DROP COLUMN "statutory", DROP COLUMN "clock_input", DROP COLUMN "government_working_days", DROP COLUMN "delivered_at",
      DROP COLUMN "statutory_due_at", DROP COLUMN "statutory_due_on", DROP COLUMN "statutory_overdue", DROP COLUMN "deemed_accepted", DROP COLUMN "received_at"`);
    await q.query(`ALTER TABLE "projects" DROP CONSTRAINT "ck_projects_approval_route", DROP COLUMN "facts", DROP COLUMN "expiries",
      DROP COLUMN "statutory_overdue_steps", DROP COLUMN "government_working_days", DROP COLUMN "government_time", DROP COLUMN "approval_route"`);
  }
}
