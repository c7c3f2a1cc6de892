import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import { NotificationDispatcher, type DispatcherLogger, type NotificationDispatcherOptions } from '../../apps/worker/notification-dispatcher.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../../libs/notifications/index.js';
import { NotificationOutboxRepository, type NotificationEntity } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';
import { notice as baseNotice } from '../support/notices.js';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/* The dispatcher against the real outbox (embedded PostgreSQL) and a local HTTP receiver; back-off in tens of ms. */

const SECRET = 'dispatcher-test-secret-0123';
const BACKOFF = { baseMs: 40, maxMs: 400 };

/** A red notice about an overdue construction permit, to the officers and the head (test/support/notices.ts). */
function notice(dedupeKey: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return baseNotice(dedupeKey, {
    projectCode: '2022-330602-39-03-000401',
    projectName: '钠离子电池正极材料项目',
    step: 'construction_permit',
    stepName: 'Construction permit',
    kind: 'red',
    recipients: [
      { role: 'officers', department: 'housing_construction' },
      { role: 'head', department: 'housing_construction' },
    ],
    department: 'housing_construction',
    firedAt: '2025-10-13T16:00:00.000Z',
    message: '施工许可已逾期 / The construction permit is overdue',
    ...overrides,
  });
}

/** A logger that keeps its lines. */
function memoryLogger(): DispatcherLogger & { lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> } {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

describe(NotificationDispatcher.name, () => {
  let ds: DataSource;
  let outbox: NotificationOutboxRepository;
  let receiver: WebhookReceiver | undefined;
  const dispatchers: NotificationDispatcher[] = [];

  beforeAll(async () => {
    ({ dataSource: ds } = await createTestDatabase('dispatcher'));
    outbox = new NotificationOutboxRepository(ds);
  }, 60_000);
  afterAll(async () => ds?.destroy());
  beforeEach(async () => {
    await ds.query('DELETE FROM notifications');
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await receiver?.close();
    receiver = undefined;
  });

  const dispatcher = (extra: Partial<NotificationDispatcherOptions> = {}): NotificationDispatcher => {
    const d = new NotificationDispatcher({ outbox, logger: memoryLogger(), webhookSecret: SECRET, backoff: BACKOFF, pollIntervalMs: 10, maxAttempts: 5, ...extra });
    dispatchers.push(d);
    return d;
  };
  const settled = (key: string): Promise<NotificationEntity> =>
    eventually(`${key} to be delivered or dead`, async () => {
      const row = await outbox.findByDedupeKey(key);
      return row && row.state !== 'pending' ? row : undefined;
    });

  it('delivers to a receiver that fails twice exactly once, signed, after backing off 40 then 80 ms', async () => {
    receiver = await startWebhookReceiver((n) => (n <= 2 ? 500 : 200));
    const request = notice('flaky-1');
    await outbox.enqueue(request, { channel: 'webhook', target: receiver.url });
    dispatcher().start();

    const row = await settled('flaky-1');

    expect(row).toMatchObject({ state: 'delivered', attempts: 3, lastError: 'HTTP 500 Internal Server Error: receiver says 500' });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    expect(receiver.calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(receiver.calls.filter((c) => c.status === 200)).toHaveLength(1);
    for (const [i, call] of receiver.calls.entries()) {
      expect(verifyWebhookSignature(call.body, call.headers[SIGNATURE_HEADER.toLowerCase()] as string, SECRET)).toBe(true);
      expect(JSON.parse(call.body)).toEqual(request);
      expect(call.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'x-notification-id': row.id,
        'x-dedupe-key': 'flaky-1',
        'x-notification-attempt': String(i + 1),
      });
    }
    const [a, b, c] = receiver.calls.map((call) => call.at);
    expect(b! - a!).toBeGreaterThanOrEqual(BACKOFF.baseMs - 2);
    expect(c! - b!).toBeGreaterThanOrEqual(2 * BACKOFF.baseMs - 2);
  }, 20_000);

  it('gives up after the last attempt: dead, with the last error, and never sent again', async () => {
    receiver = await startWebhookReceiver(() => 503);
    await outbox.enqueue(notice('down-1'), { channel: 'webhook', target: receiver.url });
    const d = dispatcher({ maxAttempts: 3 });
    d.start();

    const row = await settled('down-1');
    await d.stop();

    expect(row).toMatchObject({ state: 'dead', attempts: 3, deliveredAt: null, lastError: 'HTTP 503 Service Unavailable: receiver says 503' });
    expect(receiver.calls).toHaveLength(3);
    expect(await dispatcher({ maxAttempts: 3 }).dispatchOnce()).toBe(0);
    expect(receiver.calls).toHaveLength(3);
  }, 20_000);

  it('records a timeout and a refused connection as failures', async () => {
    const gone = await startWebhookReceiver(() => 200);
    await gone.close(); // a port nobody listens on any more
    receiver = await startWebhookReceiver(() => ({ status: 200, delayMs: 1_000 }));
    await outbox.enqueue(notice('slow-1'), { channel: 'webhook', target: receiver.url });
    await outbox.enqueue(notice('nobody-1'), { channel: 'webhook', target: gone.url });

    expect(await dispatcher({ webhookTimeoutMs: 100, maxAttempts: 1 }).dispatchOnce()).toBe(2);

    expect(await outbox.findByDedupeKey('slow-1')).toMatchObject({ state: 'dead', lastError: 'timed out after 100 ms' });
    expect((await outbox.findByDedupeKey('nobody-1'))!.lastError).toMatch(/fetch failed \(ECONNREFUSED\)/);
  }, 20_000);

  it('fails webhook rows it cannot sign, instead of sending them unsigned', async () => {
    receiver = await startWebhookReceiver(() => 200);
    await outbox.enqueue(notice('unsigned-1'), { channel: 'webhook', target: receiver.url });

    await dispatcher({ webhookSecret: undefined, maxAttempts: 1 }).dispatchOnce();

    expect(await outbox.findByDedupeKey('unsigned-1')).toMatchObject({ state: 'dead', lastError: expect.stringContaining('NOTIFICATION_WEBHOOK_SECRET') });
    expect(receiver.calls).toHaveLength(0);
  });

  it('gives a row up without sending when crashed claims used up its attempts (lease expired each time)', async () => {
    receiver = await startWebhookReceiver(() => 200);
    const t0 = new Date(Date.now() - 1_000);
    await outbox.enqueue(notice('crashy-1'), { channel: 'webhook', target: receiver.url }, t0);
    for (let i = 0; i < 2; i += 1) await outbox.claimDue(1, new Date(t0.getTime() + i * 2_000), 1_000); // claimed, never finished
    const later = new Date(t0.getTime() + 10_000);

    expect(await dispatcher({ maxAttempts: 2, clock: () => later }).dispatchOnce()).toBe(1);

    expect(await outbox.findByDedupeKey('crashy-1')).toMatchObject({ state: 'dead', attempts: 3, lastError: 'gave up after 2 attempts without an outcome recorded' });
    expect(receiver.calls).toHaveLength(0);
  });

  it('refuses a lease not longer than the webhook timeout', () => {
    expect(() => new NotificationDispatcher({ outbox, logger: memoryLogger(), leaseMs: 10_000, webhookTimeoutMs: 10_000 })).toThrow(RangeError);
  });

  it('delivers the log channel as one structured line', async () => {
    const logger = memoryLogger();
    await outbox.enqueue(notice('log-1'), { channel: 'log', target: null });

    expect(await dispatcher({ logger }).dispatchOnce()).toBe(1);

    expect(await outbox.findByDedupeKey('log-1')).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        msg: notice('log-1').message,
        obj: expect.objectContaining({
          channel: 'log',
          dedupeKey: 'log-1',
          kind: 'red',
          projectCode: '2022-330602-39-03-000401',
          step: 'construction_permit',
          department: 'housing_construction',
          recipients: notice('log-1').recipients,
        }),
      },
    ]);
  });

  it('on stop, finishes the delivery in flight and records it before resolving', async () => {
    receiver = await startWebhookReceiver(() => ({ status: 204, delayMs: 300 }));
    await outbox.enqueue(notice('inflight-1'), { channel: 'webhook', target: receiver.url });
    const d = dispatcher();
    d.start();
    await eventually('the receiver to get the call', async () => (receiver!.calls.length > 0 ? true : undefined));

    await d.stop();

    expect(await outbox.findByDedupeKey('inflight-1')).toMatchObject({ state: 'delivered', attempts: 1 });
    await outbox.enqueue(notice('after-stop-1'), { channel: 'log', target: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(await outbox.findByDedupeKey('after-stop-1')).toMatchObject({ state: 'pending', attempts: 0 });
  }, 20_000);

  it('with two dispatchers on one outbox, each notice reaches the receiver exactly once', async () => {
    receiver = await startWebhookReceiver((n) => (n % 5 === 0 ? 500 : 200)); // some failures, to exercise retries too
    const keys = Array.from({ length: 60 }, (_, i) => `pair-${i}`);
    for (const key of keys) await outbox.enqueue(notice(key), { channel: 'webhook', target: receiver.url });
    dispatcher({ batchSize: 4 }).start();
    dispatcher({ batchSize: 4 }).start();

    await eventually('every notice delivered', async () => {
      const rows: Array<{ n: string }> = await ds.query(`SELECT count(*) AS n FROM notifications WHERE state = 'delivered'`);
      return rows[0]!.n === String(keys.length) ? true : undefined;
    });

    const ok = receiver.calls.filter((c) => c.status === 200).map((c) => c.headers['x-dedupe-key']);
    expect(ok.sort()).toEqual([...keys].sort());
  }, 30_000);
});
