import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { InboundEventsRepository, type NewInboundEvent } from '../../libs/persistence/inbound-events.repository.js';
import { createTestDatabase } from '../support/database.js';

const CODE = '2022-330602-39-03-000101';
const event = (eventId: string, over: Partial<NewInboundEvent> = {}): NewInboundEvent => ({
  source: 'land-supply',
  eventId,
  type: 'land_price_paid',
  projectCode: CODE,
  occurredAt: '2022-07-01T02:00:00.000Z',
  data: { reference: '缴款书 001' },
  bodySha256: 'a'.repeat(64),
  receivedBy: 'svc-land',
  ...over,
});

describe(InboundEventsRepository.name, () => {
  let ds: DataSource;
  let repo: InboundEventsRepository;
  beforeAll(async () => {
    ds = (await createTestDatabase('inbound_events')).dataSource;
    repo = new InboundEventsRepository(ds);
  }, 60_000);
  afterAll(async () => ds?.destroy());

  it('is idempotent by (source, id): a repeat finds the first answer, another body under the pair is a mismatch', async () => {
    expect(await repo.claim(event('e-1'))).toEqual({ kind: 'new' });
    expect(await repo.claim(event('e-1'))).toMatchObject({ kind: 'repeat', row: { status: 'received' } });
    await repo.settle('land-supply', 'e-1', { status: 'applied', reason: null, result: { status: 'applied', entries: 2 } });
    const repeat = await repo.claim(event('e-1'));
    expect(repeat).toMatchObject({ kind: 'repeat', row: { status: 'applied', result: { status: 'applied', entries: 2 }, occurredAt: '2022-07-01T02:00:00.000Z' } });
    expect(repeat.kind === 'repeat' && repeat.row.appliedAt).toEqual(expect.any(String));
    expect(await repo.claim(event('e-1', { bodySha256: 'b'.repeat(64) }))).toMatchObject({ kind: 'mismatch' });
    // The same id from another source is another event.
    expect(await repo.claim(event('e-1', { source: 'registry' }))).toEqual({ kind: 'new' });
    expect(await repo.appliedTwin({ ...event('e-1', { source: 'registry' }) })).toMatchObject({ source: 'land-supply', eventId: 'e-1' });
  });

  it('lets a repeat take over a claim a crash left received, once stale; a released claim is new again', async () => {
    await repo.claim(event('e-2'));
    await ds.query(`UPDATE inbound_events SET updated_at = now() - interval '31 seconds' WHERE event_id = 'e-2'`);
    expect(await repo.claim(event('e-2'))).toEqual({ kind: 'new' });
    await repo.release('land-supply', 'e-2');
    expect(await repo.find('land-supply', 'e-2')).toBeNull();
  });

  it("lists a project's parked and retryable events in occurredAt order, and the last applied", async () => {
    const other = '2022-330602-39-03-000102';
    await repo.claim(event('p-late', { projectCode: other, occurredAt: '2022-08-01T02:00:00.000Z' }));
    await repo.claim(event('p-early', { projectCode: other, occurredAt: '2022-06-01T02:00:00.000Z' }));
    await repo.claim(event('p-stuck', { projectCode: other, occurredAt: '2022-07-01T02:00:00.000Z' }));
    await repo.claim(event('p-final', { projectCode: other, occurredAt: '2022-07-15T02:00:00.000Z' }));
    await repo.claim(event('p-done', { projectCode: other, occurredAt: '2022-05-01T02:00:00.000Z' }));
    await repo.settle('land-supply', 'p-late', { status: 'parked', reason: 'not registered', result: {} });
    await repo.settle('land-supply', 'p-early', { status: 'parked', reason: 'not registered', result: {} });
    await repo.settle('land-supply', 'p-stuck', { status: 'needs_attention', reason: 'blocked', retryable: true, result: {} });
    await repo.settle('land-supply', 'p-final', { status: 'needs_attention', reason: 'already approved', retryable: false, result: {} });
    await repo.settle('land-supply', 'p-done', { status: 'applied', reason: null, result: {} });
    expect((await repo.waitingFor(other)).map((r) => r.eventId)).toEqual(['p-early', 'p-stuck', 'p-late']);
    expect((await repo.lastApplied(other))?.eventId).toBe('p-done');
  });

  it('lists events needing attention, newest first, paged, with the reason and the total', async () => {
    const page1 = await repo.list('needs_attention', { page: 1, pageSize: 1 });
    expect(page1.total).toBe(2);
    expect(page1.items).toEqual([expect.objectContaining({ eventId: 'p-final', reason: 'already approved', retryable: false })]);
    const page2 = await repo.list('needs_attention', { page: 2, pageSize: 1 });
    expect(page2.items.map((r) => r.eventId)).toEqual(['p-stuck']);
  });
});
