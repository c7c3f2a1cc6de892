import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';
import { ProjectsController } from '../../apps/api/src/projects/projects.controller.js';
import { ProjectsService } from '../../apps/api/src/projects/projects.service.js';
import { ApiClient, expectRefusal, officer, projectCode } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * A retry of a write whose Idempotency-Key is still claimed — by a request still running, or by one whose API process
 * was killed (its claim holds for 30 s) — answers 409 IDEMPOTENCY.IN_PROGRESS with `Retry-After`: the whole seconds
 * until the claim can be taken over, at least 1, also said in the detail. Once the claim is stale, the retry runs.
 */
const NR = officer('nr-zhao', 'natural_resources');
const STALE_AFTER_MS = 30_000;

describe('409 IDEMPOTENCY.IN_PROGRESS (mocked service)', () => {
  let server: ControllerApp;
  let api: ApiClient;
  const service = { stepAction: jest.fn(async (): Promise<unknown> => ({})) };

  beforeAll(async () => {
    server = await startControllerApp({ controllers: [ProjectsController], providers: [{ provide: ProjectsService, useValue: service }] });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => server?.close());
  beforeEach(() => {
    service.stepAction.mockClear();
  });

  /** Starts an action that does not finish until `finish` is called, and waits until it holds its key. */
  async function startHanging(code: string, key: string): Promise<{ finish: (v: unknown) => void; answer: Promise<Response> }> {
    let finish!: (v: unknown) => void;
    service.stepAction.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const before = server.idempotency.records.size;
    const answer = api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: key }).then((r) => r);
    for (let i = 0; i < 200 && (server.idempotency.records.size === before || finish === undefined); i++) await new Promise((r) => setTimeout(r, 10));
    expect(finish).toBeDefined();
    return { finish: (v) => finish(v), answer };
  }

  /** The claim the key's first request holds (the newest record). */
  const newestClaim = () => [...server.idempotency.records.values()].at(-1)!;

  it('answers a retry while the first request runs with Retry-After of the claim (30 s) and says when in the detail', async () => {
    const code = projectCode(901);
    const first = await startHanging(code, 'in-progress-1');
    const retry = await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: 'in-progress-1' });
    const problem = expectRefusal(retry, 409, 'IDEMPOTENCY.IN_PROGRESS', /still running/);
    const seconds = Number(retry.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(29);
    expect(seconds).toBeLessThanOrEqual(30);
    expect(problem.detail).toContain(`retry in ${seconds} s with the same key`);

    first.finish({ project: { code }, entries: [] });
    expect((await first.answer).status).toBe(200);
    const replay = await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: 'in-progress-1' });
    expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect(service.stepAction).toHaveBeenCalledTimes(1);
  });

  it('counts down for a claim left by a killed API (3 s left of 30), then lets the retry take it over and run', async () => {
    const code = projectCode(902);
    const first = await startHanging(code, 'in-progress-2');
    // The API that took the key 27.5 s ago is gone: its claim stays until it is 30 s old.
    newestClaim().claimedAt = Date.now() - (STALE_AFTER_MS - 2_500);
    const retry = await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: 'in-progress-2' });
    const problem = expectRefusal(retry, 409, 'IDEMPOTENCY.IN_PROGRESS');
    expect(retry.headers['retry-after']).toBe('3');
    expect(problem.detail).toContain('retry in 3 s');

    // Almost stale: still at least 1 s, never 0.
    newestClaim().claimedAt = Date.now() - (STALE_AFTER_MS - 50);
    const late = await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: 'in-progress-2' });
    expectRefusal(late, 409, 'IDEMPOTENCY.IN_PROGRESS');
    expect(late.headers['retry-after']).toBe('1');

    newestClaim().claimedAt = Date.now() - STALE_AFTER_MS - 1;
    service.stepAction.mockResolvedValueOnce({ project: { code }, entries: [] });
    const takenOver = await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: 'in-progress-2' });
    expect([takenOver.status, takenOver.headers['retry-after']]).toEqual([200, undefined]);
    expect(service.stepAction).toHaveBeenCalledTimes(2);

    first.finish({ project: { code }, entries: [] });
    await first.answer;
  });
});
