import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification outbox (reminders and escalations): one row per notice and channel, unique by dedupe key so a retried or
 * replayed activity never enqueues twice; the dispatcher claims due `pending` rows and records delivery.
 */
export class Notifications1764500000000 implements MigrationInterface {
  name = 'Notifications1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "notifications" (
        "id" bigserial NOT NULL,
        "dedupe_key" text NOT NULL,
        "project_code" varchar(24) NOT NULL,
        "step_key" varchar(64),
        "kind" varchar(32) NOT NULL,
        "department" varchar(32) NOT NULL,
        "channel" varchar(16) NOT NULL,
        "target" text,
        "recipients" jsonb NOT NULL,
        "payload" jsonb NOT NULL,
        "state" varchar(16) NOT NULL DEFAULT 'pending',
        "attempts" int NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL,
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "delivered_at" timestamptz,
        CONSTRAINT "PK_notifications" PRIMARY KEY ("id"),
        CONSTRAINT "uq_notifications_dedupe_key" UNIQUE ("dedupe_key"),
        CONSTRAINT "ck_notifications_channel" CHECK ("channel" IN ('log', 'webhook')),
        CONSTRAINT "ck_notifications_state" CHECK ("state" IN ('pending', 'delivered', 'dead')),
        CONSTRAINT "ck_notifications_webhook_target" CHECK ("channel" <> 'webhook' OR "target" IS NOT NULL)
      )`);
    // The dispatcher's claim scans only pending rows by due time; delivered and dead rows pile up outside it.
    await q.query(`CREATE INDEX "ix_notifications_due" ON "notifications" ("next_attempt_at") WHERE "state" = 'pending'`);
    await q.query(`CREATE INDEX "ix_notifications_project_created" ON "notifications" ("project_code", "created_at")`);
    await q.query(`CREATE INDEX "ix_notifications_created" ON "notifications" ("created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notifications"`);
  }
}
