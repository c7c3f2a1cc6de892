import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events from other systems (POST /events), one row per (source, event id): what came, what became of it (applied,
 * parked until the project registers, needs a person's attention, duplicate of one applied; `received` while it is
 * being applied), the reason, and the answer a repeat gets again.
 */
export class InboundEvents1765190000000 implements MigrationInterface {
  name = 'InboundEvents1765190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "inbound_events" (
      "source" varchar(64) NOT NULL,
      "event_id" varchar(200) NOT NULL,
      "type" varchar(64) NOT NULL,
      "project_code" varchar(24) NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "body_sha256" char(64) NOT NULL,
      "received_by" text NOT NULL,
      "status" varchar(16) NOT NULL CHECK ("status" IN ('received', 'applied', 'parked', 'needs_attention', 'duplicate')),
      "reason" text,
      "retryable" boolean NOT NULL DEFAULT false,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "applied_at" timestamptz,
      "result" jsonb,
      PRIMARY KEY ("source", "event_id")
    )`);
    await q.query(`CREATE INDEX "inbound_events_status_idx" ON "inbound_events" ("status", "received_at")`);
    await q.query(`CREATE INDEX "inbound_events_project_idx" ON "inbound_events" ("project_code", "occurred_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "inbound_events"`);
  }
}
