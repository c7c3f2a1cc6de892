import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource, NotificationOutboxRepository } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';
import { notice } from '../support/notices.js';

/* "Medium" tests of the outbox repository against the run's embedded PostgreSQL, migrations applied. */

const CODE = notice('').projectCode;

describe('NotificationOutboxRepository (PostgreSQL)', () => {
  let ds: DataSource;
  let url: string;
  let outbox: NotificationOutboxRepository;
  beforeAll(async () => {
    ({ dataSource: ds, url } = await createTestDatabase('outbox'));
    outbox = new NotificationOutboxRepository(ds);
  }, 60_000);
  afterAll(async () => ds?.destroy());
  beforeEach(async () => {
    await ds.query('DELETE FROM notifications'); // claims take every due row: each test starts empty
  });

  it('matches its entity: the migrated schema needs no further change for the notifications table', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query).filter((q) => q.includes('notifications'))).toEqual([]);
  });

  it('stores a notice once per dedupe key, however often it is enqueued', async () => {
    const key = `${CODE}:land_pre_review:yellow:2025-10-13`;
    const first = await outbox.enqueue(notice(key), { channel: 'log', target: null });
    const again = await Promise.all([1, 2, 3].map(() => outbox.enqueue(notice(key, { message: 'a retry' }), { channel: 'log', target: null })));

    expect(first).toBe(true);
    expect(again).toEqual([false, false, false]);
    const rows: Array<{ n: string }> = await ds.query(`SELECT count(*) AS n FROM notifications WHERE dedupe_key = $1`, [key]);
    expect(rows[0]!.n).toBe('1');
    const row = await outbox.findByDedupeKey(key);
    expect(row).toMatchObject({
      projectCode: CODE,
      stepKey: 'land_pre_review',
      kind: 'yellow',
      department: 'natural_resources',
      channel: 'log',
      target: null,
      state: 'pending',
      attempts: 0,
      lastError: null,
      deliveredAt: null,
      recipients: [{ role: 'officers', department: 'natural_resources' }],
      payload: expect.objectContaining({ message: notice(key).message }),
    });
  });

  it('refuses a webhook row without a URL and an unknown channel or state (table constraints)', async () => {
    await expect(outbox.enqueue(notice('ck-1'), { channel: 'webhook', target: null as unknown as string })).rejects.toThrow(/ck_notifications_webhook_target/);
    await expect(outbox.enqueue(notice('ck-2'), { channel: 'sms', target: null } as never)).rejects.toThrow(/ck_notifications_channel/);
  });

  it('claims due rows under a lease, counts the attempt, and fences outcomes by attempt', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    await outbox.enqueue(notice('lease-1', { projectCode: '2022-330602-39-03-000302' }), { channel: 'log', target: null }, t0);

    expect(await outbox.claimDue(10, new Date(t0.getTime() - 1))).toEqual([]); // not yet due
    const [claim] = await outbox.claimDue(10, t0, 5_000);
    expect(claim).toMatchObject({ dedupeKey: 'lease-1', attempts: 1, nextAttemptAt: new Date(t0.getTime() + 5_000) });
    expect(await outbox.claimDue(10, new Date(t0.getTime() + 4_999))).toEqual([]); // leased

    const [takeover] = await outbox.claimDue(10, new Date(t0.getTime() + 5_000), 5_000); // the lease ran out
    expect(takeover).toMatchObject({ dedupeKey: 'lease-1', attempts: 2 });
    expect(await outbox.markDelivered(claim!.id, 1, new Date())).toBe(false); // the first claim is stale
    expect(await outbox.markFailed(claim!.id, 1, 'late', null)).toBe(false);

    expect(await outbox.markFailed(takeover!.id, 2, 'HTTP 503', new Date(t0.getTime() + 60_000))).toBe(true);
    expect(await outbox.findByDedupeKey('lease-1')).toMatchObject({ state: 'pending', attempts: 2, lastError: 'HTTP 503' });
    const [third] = await outbox.claimDue(10, new Date(t0.getTime() + 60_000));
    expect(await outbox.markDelivered(third!.id, 3, new Date(t0.getTime() + 60_001))).toBe(true);
    expect(await outbox.findByDedupeKey('lease-1')).toMatchObject({ state: 'delivered', attempts: 3, deliveredAt: new Date(t0.getTime() + 60_001) });
    expect(await outbox.claimDue(10, new Date(t0.getTime() + 3_600_000))).toEqual([]); // delivered rows are never claimed again
  });

  it('turns a row dead when the last failure has no next attempt', async () => {
    const t0 = new Date('2031-01-01T00:00:00Z');
    await outbox.enqueue(notice('dead-1', { projectCode: '2022-330602-39-03-000303' }), { channel: 'webhook', target: 'https://example.org/hook' }, t0);
    const [claim] = await outbox.claimDue(1, t0);
    await outbox.markFailed(claim!.id, claim!.attempts, 'x'.repeat(5000), null);
    const row = await outbox.findByDedupeKey('dead-1');
    expect(row).toMatchObject({ state: 'dead', attempts: 1 });
    expect(row!.lastError).toHaveLength(2000);
    expect(await outbox.claimDue(10, new Date('2099-01-01T00:00:00Z'))).toEqual([]);
  });

  it('never hands the same row to two dispatchers claiming at once (FOR UPDATE SKIP LOCKED)', async () => {
    const t0 = new Date('2032-01-01T00:00:00Z');
    const keys = Array.from({ length: 300 }, (_, i) => `race-${i}`);
    for (const key of keys) await outbox.enqueue(notice(key, { projectCode: '2022-330602-39-03-000304' }), { channel: 'log', target: null }, t0);

    // Two dispatchers, each with its own connection pool, claim small batches as fast as they can.
    const pools = [createDataSource(url), createDataSource(url)];
    await Promise.all(pools.map((p) => p.initialize()));
    try {
      const drain = async (repo: NotificationOutboxRepository): Promise<string[]> => {
        const mine: string[] = [];
        const lanes = Array.from({ length: 4 }, async () => {
          for (;;) {
            const batch = await repo.claimDue(7, t0, 600_000);
            if (batch.length === 0) return;
            mine.push(...batch.map((r) => r.dedupeKey));
          }
        });
        await Promise.all(lanes);
        return mine;
      };
      const [a, b] = await Promise.all(pools.map((p) => drain(new NotificationOutboxRepository(p))));

      expect(a!.length).toBeGreaterThan(0);
      expect(b!.length).toBeGreaterThan(0);
      expect(a!.filter((k) => b!.includes(k))).toEqual([]);
      expect([...a!, ...b!].sort()).toEqual([...keys].sort());
      const attempts: Array<{ attempts: number; n: string }> = await ds.query(
        `SELECT attempts, count(*) AS n FROM notifications WHERE dedupe_key LIKE 'race-%' GROUP BY attempts`,
      );
      expect(attempts).toEqual([{ attempts: 1, n: '300' }]);
    } finally {
      await Promise.all(pools.map((p) => p.destroy()));
    }
  }, 60_000);

  it('lists newest first with filters and a total', async () => {
    const code = '2022-330602-39-03-000305';
    await outbox.enqueue(notice('list-1', { projectCode: code, kind: 'yellow' }), { channel: 'log', target: null });
    await outbox.enqueue(notice('list-2', { projectCode: code, kind: 'red', department: 'customs' }), { channel: 'log', target: null });
    await outbox.enqueue(notice('list-3', { projectCode: code, kind: 'red' }), { channel: 'log', target: null });

    const all = await outbox.list({ projectCode: code }, { page: 1, pageSize: 2 });
    expect(all.total).toBe(3);
    expect(all.items.map((r) => r.dedupeKey)).toEqual(['list-3', 'list-2']);
    const red = await outbox.list({ projectCode: code, kind: 'red', department: 'natural_resources', state: 'pending' }, { page: 1, pageSize: 20 });
    expect(red.items.map((r) => r.dedupeKey)).toEqual(['list-3']);
    expect((await outbox.list({ projectCode: code, state: 'dead' }, { page: 1, pageSize: 20 })).total).toBe(0);
  });
});
