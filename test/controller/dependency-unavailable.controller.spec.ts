import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { TerminusModule } from '@nestjs/terminus';
import { Client, Connection } from '@temporalio/client';
import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import { DependencyProbe } from '../../apps/api/src/health/dependency-probe.js';
import { HealthController } from '../../apps/api/src/health/health.controller.js';
import { ProjectsController } from '../../apps/api/src/projects/projects.controller.js';
import { ProjectsService } from '../../apps/api/src/projects/projects.service.js';
import { TEMPORAL_CLIENT } from '../../apps/api/src/temporal/temporal.module.js';
import { API, ApiClient, expectRefusal, officer, projectCode, registration } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * Honest answers while a dependency is down: the API's real guards, interceptors (the request's time budget around the
 * Idempotency-Key interceptor) and problem filter, with PostgreSQL and Temporal replaced by stand-ins that refuse
 * (ECONNREFUSED, a Temporal client on a closed port) or freeze (a promise that never settles). A short budget
 * (REQUEST_TIMEOUT_MS=400) keeps every wait under two seconds.
 */
const NR = officer('nr-zhao', 'natural_resources');
const BUDGET_MS = 400;

/** An error as node-postgres raises it when nothing listens on the port. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
}

/** A promise that never settles: a dependency frozen (e.g. PostgreSQL under SIGSTOP). */
function frozen<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once `check` holds (polled every 50 ms), or fails after `ms`. */
async function eventually(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('answers while a dependency is down', () => {
  let server: ControllerApp;
  let api: ApiClient;
  let temporal: Client;
  const database = { query: jest.fn(async (): Promise<unknown> => [{ '?column?': 1 }]) };
  const service = {
    register: jest.fn(async (): Promise<unknown> => ({})),
    list: jest.fn(async (): Promise<unknown> => ({ items: [], total: 0, page: 1, pageSize: 20 })),
    detail: jest.fn(async (): Promise<unknown> => ({})),
    timeline: jest.fn(async (): Promise<unknown> => ({ items: [], total: 0, page: 1, pageSize: 20 })),
    stepAction: jest.fn(async (): Promise<unknown> => ({})),
    projectAction: jest.fn(async (): Promise<unknown> => ({})),
  };

  beforeAll(async () => {
    // The real Temporal client, pointed at a port nothing listens on.
    temporal = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, connectTimeout: '1 second' }), namespace: 'default' });
    server = await startControllerApp({
      controllers: [ProjectsController, HealthController],
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [
        { provide: ProjectsService, useValue: service },
        { provide: TEMPORAL_CLIENT, useValue: temporal },
        { provide: DependencyProbe, useFactory: () => new DependencyProbe(database as never, temporal) },
      ],
      env: { REQUEST_TIMEOUT_MS: String(BUDGET_MS) },
    });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    // The client's retries of calls to the closed port run on timers until each call's deadline (at most 2 s); closing the
    // channel under a pending retry would throw from that timer.
    await new Promise((r) => setTimeout(r, 2_000));
    await temporal?.connection.close().catch(() => undefined);
  });
  beforeEach(() => {
    Object.values(service).forEach((f) => f.mockReset());
    database.query.mockReset();
    database.query.mockResolvedValue([{ '?column?': 1 }]);
  });

  describe('GET /health/live and /health/ready', () => {
    it('live answers 200 while PostgreSQL and Temporal are both down: the process itself answers', async () => {
      database.query.mockRejectedValue(connectionRefused());
      const res = await request(server.baseUrl).get(`${API}/health/live`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    });

    it('ready answers 503 with Retry-After, naming PostgreSQL refused and Temporal unreachable, with each state under checks', async () => {
      database.query.mockRejectedValue(connectionRefused());
      const res = await request(server.baseUrl).get(`${API}/health/ready`);
      const problem = expectRefusal(res, 503, 'DEPENDENCY.UNAVAILABLE', [/PostgreSQL \(the read model\) is down \(connection refused \(ECONNREFUSED\)\)/, /Temporal \(the workflow engine\) is down/]);
      expect(res.headers['retry-after']).toBe('5');
      expect(problem).toMatchObject({
        checks: { database: { status: 'down', message: 'connection refused (ECONNREFUSED)' }, temporal: { status: 'down', message: expect.any(String) } },
      });
    });

    it('the older GET /health answers as ready does, and names a frozen database with the time it waited', async () => {
      database.query.mockImplementation(() => frozen());
      const started = Date.now();
      const res = await request(server.baseUrl).get(`${API}/health`);
      expect(Date.now() - started).toBeLessThan(3_000);
      const problem = expectRefusal(res, 503, 'DEPENDENCY.UNAVAILABLE', /PostgreSQL \(the read model\) is down \(no answer within 200 ms\)/);
      expect(problem).toMatchObject({ checks: { database: { status: 'down' } } });
      expect(res.headers['retry-after']).toBe('5');
    });
  });

  describe('a request whose dependency refuses', () => {
    it('answers a registration that meets a refused PostgreSQL connection with 503 naming PostgreSQL and Retry-After, at once', async () => {
      service.register.mockRejectedValueOnce(connectionRefused());
      const started = Date.now();
      const res = await api.register(registration(projectCode(701)));
      expect(Date.now() - started).toBeLessThan(BUDGET_MS);
      const problem = expectRefusal(res, 503, 'DEPENDENCY.UNAVAILABLE', [/^PostgreSQL \(the read model\) is unreachable \(connection refused \(ECONNREFUSED\)\); retry in 5 s$/]);
      expect(problem.dependency).toBe('database');
      expect(res.headers['retry-after']).toBe('5');
    });

    it('answers an action whose call to the real Temporal client on a closed port fails with 503 naming Temporal, never 500', async () => {
      // The client retries an unavailable frontend until the call's deadline, then fails (DEADLINE_EXCEEDED).
      service.stepAction.mockImplementationOnce(() => temporal.connection.withDeadline(Date.now() + 200, () => temporal.workflowService.getSystemInfo({})));
      const res = await api.stepAction(projectCode(702), 'land_prereview', { action: 'accept' }, NR);
      // Connecting takes up to the connection's connectTimeout, so the budget may answer first: either way Temporal is named.
      const problem = expectRefusal(res, 503, 'DEPENDENCY.UNAVAILABLE', /^Temporal \(the workflow engine\) is (unreachable|not answering)/);
      expect(problem.dependency).toBe('temporal');
      expect(res.headers['retry-after']).toBe('5');
    });
  });

  describe('the time budget', () => {
    it('answers a read waiting on a frozen PostgreSQL with 503 naming it once the budget is spent, not a hang', async () => {
      service.detail.mockImplementationOnce(() => frozen());
      database.query.mockImplementation(() => frozen());
      const started = Date.now();
      const res = await api.project(projectCode(703));
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(BUDGET_MS - 20);
      expect(took).toBeLessThan(BUDGET_MS + 1_500);
      const problem = expectRefusal(res, 503, 'DEPENDENCY.UNAVAILABLE', [/PostgreSQL \(the read model\) is not answering \(no answer within 1000 ms\)/, /budget of 400 ms/]);
      expect(problem.dependency).toBe('database');
      expect(res.headers['retry-after']).toBe('5');
    });

    it('answers an action past its budget with 503, then replays its eventual answer to a retry with the same Idempotency-Key, acting once', async () => {
      const code = projectCode(704);
      let finish!: (v: unknown) => void;
      service.stepAction.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
      const caller = { ...NR, idempotencyKey: 'budget-key-1' };

      const first = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
      const problem = expectRefusal(first, 503, 'DEPENDENCY.UNAVAILABLE', /retry in 5 s with the same Idempotency-Key/);
      expect(first.headers['retry-after']).toBe('5');
      // Temporal answers its probe here neither: the answer names it (a frozen worker with both up would name the worker).
      expect(problem.dependency).toBe('temporal');

      const whileRunning = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
      expectRefusal(whileRunning, 409, 'IDEMPOTENCY.IN_PROGRESS');

      const eventual = { project: { code }, step: { key: 'land_prereview', state: 'accepted' }, entries: [] };
      finish(eventual);
      await eventually(() => [...server.idempotency.records.values()].some((r) => r.done !== undefined));

      const retry = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
      expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([200, 'true']);
      expect(retry.body).toEqual(eventual);
      expect(service.stepAction).toHaveBeenCalledTimes(1);
    });

    it('stores the action\'s own 200 when its Idempotency-Key claim waited on a frozen PostgreSQL past the budget, so a retry replays 200, not the 503', async () => {
      const code = projectCode(706);
      let thaw!: () => void;
      const claimed = new Promise<void>((resolve) => (thaw = resolve));
      const begin = server.idempotency.begin.bind(server.idempotency);
      const claim = jest.spyOn(server.idempotency, 'begin').mockImplementationOnce(async (key, fingerprint) => {
        await claimed; // PostgreSQL frozen while the key is claimed
        return begin(key, fingerprint);
      });
      try {
        const eventual = { project: { code }, step: { key: 'land_prereview', state: 'in_review' }, entries: [] };
        service.stepAction.mockResolvedValueOnce(eventual);
        const caller = { ...NR, idempotencyKey: 'budget-key-frozen-claim' };

        const first = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
        expectRefusal(first, 503, 'DEPENDENCY.UNAVAILABLE');
        expect(first.headers['retry-after']).toBe('5');
        thaw();
        await eventually(() => [...server.idempotency.records.values()].some((r) => r.done !== undefined));

        const retry = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
        expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([200, 'true']);
        expect(retry.body).toEqual(eventual);
        expect(service.stepAction).toHaveBeenCalledTimes(1);
      } finally {
        claim.mockRestore();
      }
    });

    it('names the workflow worker when PostgreSQL and Temporal both answer and a write still does not finish', async () => {
      const answering = jest.spyOn(temporal.workflowService, 'getSystemInfo').mockImplementation(async () => ({}) as never);
      try {
        service.projectAction.mockImplementationOnce(() => frozen());
        const res = await api.projectAction(projectCode(705), { action: 'suspend', comment: '等待规划调整' });
        const problem = expectRefusal(res, 503, 'DEPENDENCY.UNAVAILABLE', [/^the workflow worker did not complete the request/, /look before repeating it/]);
        expect(problem.dependency).toBe('worker');
      } finally {
        answering.mockRestore();
      }
    });
  });
});
