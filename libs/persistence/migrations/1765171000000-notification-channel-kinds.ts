import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification channels where officials read: outbox rows may go to a DingTalk (浙政钉) robot, a WeCom (企业微信) robot
 * or e-mail, beside the log and the generic webhook; such a row's target is its channel key (never a URL with a token).
 */
export class NotificationChannelKinds1765171000000 implements MigrationInterface {
  name = 'NotificationChannelKinds1765171000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_channel"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_channel" CHECK ("channel" IN ('log', 'webhook', 'dingtalk', 'wecom', 'email'))`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_webhook_target"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_webhook_target" CHECK ("channel" = 'log' OR "target" IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "channel" IN ('dingtalk', 'wecom', 'email')`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_webhook_target"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_webhook_target" CHECK ("channel" <> 'webhook' OR "target" IS NOT NULL)`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_channel"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_channel" CHECK ("channel" IN ('log', 'webhook'))`);
  }
}
