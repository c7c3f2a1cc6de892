import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stored response is kept as the text it was sent (`json`), not as `jsonb`: jsonb reorders an object's keys
 * (shorter keys first), so a repeat with the same Idempotency-Key answered the same values in another order
 * than the first answer. Responses stored before this keep jsonb's order; later ones are answered with the same keys in the same order.
 */
export class IdempotentReplayAsSent1765230000000 implements MigrationInterface {
  name = 'IdempotentReplayAsSent1765230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "idempotency_records" ALTER COLUMN "response_body" TYPE json USING "response_body"::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "idempotency_records" ALTER COLUMN "response_body" TYPE jsonb USING "response_body"::jsonb`);
  }
}
