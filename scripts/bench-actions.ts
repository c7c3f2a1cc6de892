/*
 * `npm run bench:actions`: latency of officer actions through the whole API (HTTP → NestJS → Temporal
 * Update with validator → read-model write → answer) beside plain Temporal Updates on a no-op workflow,
 * on the same dev server, in the same run (each write with an Idempotency-Key, as the workbench sends it). Prints
 * median, p99, mean and max in milliseconds.
 * BENCH_N sets the number of each (default 100). Then a traced pass (the API tracing into memory, the worker timing
 * its activities) of BENCH_N more actions prints where an action's time goes, hop by hop (median and p99 of each):
 * authentication, the authorization's read-model lookup, the idempotency record, the Update (and within it each local
 * activity, timed by the worker, and the rest: Temporal's round trips and workflow tasks), the answer's mapping, and
 * the remainder (NestJS, validation, JSON); the API's spans cost a little, so the untraced pass gives the totals. Last,
 * registrations: BENCH_REGISTRATIONS projects (default 400) registered through `POST /projects` by 16 concurrent
 * clients (each answer waits until the read model holds the project), on an API and worker started again without
 * tracing, beside as many bare starts of the no-op workflow by 16 concurrent clients on the same server, and prints
 * both rates and their ratio. Starts its
 * own dev server, embedded PostgreSQL (temp folder), worker and API; leaves nothing behind.
 */
import 'reflect-metadata';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { createProjectWorker, productionActivities, webpackConfigHook } from '../apps/worker/worker.js';
import { DEVELOPMENT_JWT_SECRET } from '../libs/auth/index.js';
import { DEPARTMENT_KEYS, latestTrackDefinition } from '../libs/domain/index.js';
import { openDatabase } from '../libs/persistence/index.js';
import { temporalCliPath } from '../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTES } from '../libs/temporal/project.contract.js';
import { noopUpdate } from './bench/noop.workflow.js';
import { demoToken } from './demo-users.js';
import { startEmbeddedPostgres } from './embedded-services.js';
import { hopBreakdown, type ActivityRun } from './bench/hops.js';
import { startTracing } from '../libs/observability/tracing.js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';

const N = Number(process.env.BENCH_N ?? 100);
const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 400);
/** Concurrent clients of the registration comparison. */
const CLIENTS = 16;

/** Runs `count` calls of `call(i)` with {@link CLIENTS} in flight; returns the calls per second. */
async function rate(count: number, call: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return count / ((performance.now() - t) / 1000);
}
const here = path.dirname(fileURLToPath(import.meta.url));

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `n=${s.length}  median ${q(0.5).toFixed(1)} ms  p99 ${q(0.99).toFixed(1)} ms  mean ${mean.toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-'));
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: Object.values(SEARCH_ATTRIBUTES), extraArgs: ['--log-level', 'error'] },
  });
  const ds = await openDatabase(pgServer.url);
  const projectWorker = await createProjectWorker({ connection: env.nativeConnection, namespace: 'default', activities: productionActivities({ dataSource: ds }) });
  const noopWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'bench-noop',
    workflowsPath: path.join(here, 'bench', `noop.workflow${path.extname(fileURLToPath(import.meta.url))}`),
    bundlerOptions: { webpackConfigHook },
  });
  const projectRunning = projectWorker.run();
  const noopRunning = noopWorker.run();

  Object.assign(process.env, { TEMPORAL_ADDRESS: env.connection.options.address, DATABASE_URL: pgServer.url, LOG_LEVEL: 'error', PORT: '0' });
  process.env.JWT_SECRET ||= DEVELOPMENT_JWT_SECRET;
  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  // Each write carries the token of an officer of the step's department (the project office registers).
  const departmentOf = new Map(latestTrackDefinition('standard').steps.map((s) => [s.key, s.department] as const));
  const tokenOf = new Map<string, string>();
  for (const d of DEPARTMENT_KEYS) tokenOf.set(d, await demoToken({ sub: `bench-${d}`, name: 'bench', roles: ['officer'], department: d }, '2h'));
  const post = async (url: string, body: unknown): Promise<void> => {
    const step = /\/steps\/([^/]+)\//.exec(url)?.[1];
    const department = step ? departmentOf.get(step)! : 'project_office';
    // Each write carries an Idempotency-Key, as the workbench sends it: its record is on the path being measured.
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokenOf.get(department)!}`, 'idempotency-key': randomUUID() };
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };

  const systemToken = await demoToken({ sub: 'bench-system', name: 'bench', roles: ['system'], department: 'project_office' }, '2h');
  /** Runs N + 10 officer actions (accept then approve each step, project after project, from code serial `from`) on
   * the API at `at`; returns the times of all but the first 10 (warm-up), in ms. */
  const officerActions = async (at: string, from: number): Promise<number[]> => {
    const steps = latestTrackDefinition('standard').steps.map((s) => s.key);
    const actions: Array<[string, string, string]> = [];
    for (let p = 0; actions.length < N + 10; p++) {
      const code = `2022-330602-39-03-${String(from + p).padStart(6, '0')}`;
      for (const step of steps) for (const action of ['accept', 'approve']) actions.push([code, step, action]);
    }
    const codes = [...new Set(actions.slice(0, N + 10).map((a) => a[0]))];
    for (const code of codes) await post(`${at}/projects`, { code, name: `bench ${code}`, district: '越城区', signedAt: '2022-03-05' });
    const ms: number[] = [];
    for (const [i, [code, step, action]] of actions.slice(0, N + 10).entries()) {
      if (action === 'accept' && latestTrackDefinition('standard').steps.find((s) => s.key === step)?.requiresFacts?.includes('land_price_paid')) {
        // The land title waits for the land price paid (standard@3): reported by a system caller, not timed.
        const res = await fetch(`${at}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${systemToken}` },
          body: JSON.stringify({ projectCode: code, kind: 'land_price_paid', occurredAt: new Date().toISOString(), reference: `bench-${code}` }),
        });
        if (!res.ok) throw new Error(`POST /events: ${res.status} ${await res.text()}`);
      }
      const t = performance.now();
      await post(`${at}/projects/${code}/steps/${step}/actions`, { action });
      if (i >= 10) ms.push(performance.now() - t);
    }
    return ms;
  };
  const apiMs = await officerActions(base, 900000);

  const handle = await env.client.workflow.start('noopWorkflow', { taskQueue: 'bench-noop', workflowId: `bench-noop-${Date.now()}` });
  const plainMs: number[] = [];
  for (let i = 0; i < N + 10; i++) {
    const t = performance.now();
    await handle.executeUpdate(noopUpdate, { args: [1] });
    if (i >= 10) plainMs.push(performance.now() - t);
  }
  await handle.cancel();

  process.stdout.write(`officer actions via HTTP API (accept/approve, read model written before answering): ${stats(apiMs)}\n`);
  process.stdout.write(`plain Temporal Updates on a no-op workflow (same dev server):                  ${stats(plainMs)}\n`);

  // The traced pass: a new API that traces into memory and a worker that times its activities, the others stopped first.
  await app.close();
  projectWorker.shutdown();
  await projectRunning;
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName: 'approvals-api', exporter, batch: false });
  const activityRuns: ActivityRun[] = [];
  const timed = Object.fromEntries(
    Object.entries(productionActivities({ dataSource: ds })).map(([name, run]) => [
      name,
      async (...args: unknown[]) => {
        const startMs = performance.timeOrigin + performance.now();
        try {
          return await (run as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          activityRuns.push({ name, startMs, endMs: performance.timeOrigin + performance.now() });
        }
      },
    ]),
  ) as unknown as ReturnType<typeof productionActivities>;
  const tracedWorker = await createProjectWorker({ connection: env.nativeConnection, namespace: 'default', activities: timed });
  const tracedRunning = tracedWorker.run();
  const traced = await createApiApp();
  await traced.listen(0, '127.0.0.1');
  const tracedBase = `http://127.0.0.1:${(traced.getHttpServer().address() as AddressInfo).port}/api/v1`;
  exporter.reset();
  await officerActions(tracedBase, 700000);
  await new Promise((r) => setTimeout(r, 500)); // the last spans of the worker reach the exporter
  process.stdout.write(`\nwhere an officer action's time goes (the API traced, the worker timing its activities; ${N} actions after 10 warm-up):\n`);
  for (const line of hopBreakdown(exporter.getFinishedSpans(), 10, activityRuns)) process.stdout.write(`${line}\n`);

  await traced.close();
  tracedWorker.shutdown();
  await tracedRunning;
  await tracing.shutdown();

  // Registrations on an API and worker that neither trace nor time, started again after the traced pass.
  const plainWorker = await createProjectWorker({ connection: env.nativeConnection, namespace: 'default', activities: productionActivities({ dataSource: ds }) });
  const plainRunning = plainWorker.run();
  const plain = await createApiApp();
  await plain.listen(0, '127.0.0.1');
  const plainBase = `http://127.0.0.1:${(plain.getHttpServer().address() as AddressInfo).port}/api/v1`;
  // Registrations through the API against bare workflow starts, 16 clients each, one after the other on the same server.
  const apiRate = await rate(REGISTRATIONS, (i) =>
    post(`${plainBase}/projects`, { code: `2022-330602-39-03-${String(800000 + i).padStart(6, '0')}`, name: `bench registration ${i}`, district: '越城区', signedAt: '2022-03-05' }),
  );
  const stamp = Date.now();
  const bareRate = await rate(REGISTRATIONS, async (i) => {
    await env.client.workflow.start('noopWorkflow', { taskQueue: 'bench-noop', workflowId: `bench-noop-start-${stamp}-${i}` });
  });
  process.stdout.write(`registrations via HTTP API (${CLIENTS} clients, ${REGISTRATIONS}, answered once the read model holds them): ${apiRate.toFixed(1)} per second\n`);
  process.stdout.write(`bare workflow starts of the no-op workflow (${CLIENTS} clients, ${REGISTRATIONS}, same dev server):          ${bareRate.toFixed(1)} per second\n`);
  process.stdout.write(`ratio API / bare: ${(apiRate / bareRate).toFixed(2)}\n`);

  await plain.close();
  plainWorker.shutdown();
  noopWorker.shutdown();
  await Promise.all([plainRunning, noopRunning]);
  await ds.destroy();
  await env.teardown();
  await pgServer.stop();
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
