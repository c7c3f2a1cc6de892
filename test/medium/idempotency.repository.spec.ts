import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { IdempotencyRepository } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';

describe(IdempotencyRepository.name, () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = (await createTestDatabase('idem')).dataSource;
  }, 60_000);
  afterAll(async () => ds?.destroy());

  it('matches its entity: the migrated schema needs no further change for the idempotency table', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query).filter((q) => q.includes('idempotency_records'))).toEqual([]);
  });

  it('lets only the first request with a key run while it is in progress', async () => {
    const repo = new IdempotencyRepository(ds);
    expect(await repo.begin('k1', 'f')).toEqual({ kind: 'started' });
    expect(await repo.begin('k1', 'f')).toEqual({ kind: 'in_progress', retryAfterMs: expect.any(Number) });
  });

  it('says how long a claim still holds: the stale time from its start, counting down, never below 0', async () => {
    const repo = new IdempotencyRepository(ds);
    await repo.begin('k4', 'f');
    const fresh = await repo.begin('k4', 'f');
    expect(fresh.kind === 'in_progress' && fresh.retryAfterMs).toBeGreaterThan(29_000);
    expect(fresh.kind === 'in_progress' && fresh.retryAfterMs).toBeLessThanOrEqual(30_000);
    // The API that claimed it was killed 27.5 s ago.
    await ds.query(`UPDATE idempotency_records SET updated_at = now() - interval '27.5 seconds' WHERE key = 'k4'`);
    const older = await repo.begin('k4', 'f');
    expect(older.kind === 'in_progress' && older.retryAfterMs).toBeGreaterThan(2_000);
    expect(older.kind === 'in_progress' && older.retryAfterMs).toBeLessThanOrEqual(2_500);
  });

  it('answers the stored response to a repeat and refuses the key for another request', async () => {
    const repo = new IdempotencyRepository(ds);
    await repo.begin('k2', 'f');
    await repo.complete('k2', 201, { code: 'x' });
    expect(await repo.begin('k2', 'f')).toEqual({ kind: 'completed', status: 201, body: { code: 'x' } });
    expect(await repo.begin('k2', 'other')).toEqual({ kind: 'mismatch' });
  });

  it('answers a repeat with the keys in the order of the first answer', async () => {
    const repo = new IdempotencyRepository(ds);
    const first = { name: '甲项目', code: '2026-330602-39-03-000101', stages: [{ stage: 'initiation', light: 'green' }], zeta: 1, b: 2 };
    await repo.begin('k5', 'f');
    await repo.complete('k5', 201, first);
    const again = await repo.begin('k5', 'f');
    expect(again.kind === 'completed' && JSON.stringify(again.body)).toBe(JSON.stringify(first));
  });

  it('lets a retry take over a claim left by a crashed request once it is stale', async () => {
    const repo = new IdempotencyRepository(ds, 50);
    await repo.begin('k3', 'f');
    await new Promise((r) => setTimeout(r, 120));
    expect(await repo.begin('k3', 'f')).toEqual({ kind: 'started' });
    expect(await repo.begin('k3', 'f')).toEqual({ kind: 'in_progress', retryAfterMs: expect.any(Number) });
  });
});
