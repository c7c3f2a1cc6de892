/*
 * `npm run bench:live`: how fast an officer's action reaches the open pages. Starts its own Temporal dev server,
 * embedded PostgreSQL (temp folder), worker and API in this process (like the e2e tests; nothing else needs to
 * run, and nothing is left behind), opens BENCH_LISTENERS live streams (`GET /api/v1/live`, default 50) and performs
 * BENCH_N officer actions (default 60, accept/approve through the standard track, one at a time), then prints
 * median and p99 in ms of:
 *   - action sent → answer (the HTTP action itself, for scale);
 *   - action sent → event received, over every listener (what another person's open page waits for);
 *   - action answer → event received, over every listener (negative: the event beat the answer, since the
 *     read model is written and committed before the API answers);
 *   - action answer → read model visible (a GET /projects/{code} issued at the answer shows the new version);
 *   - action answer → page refreshed: one listener's event plus its refetch of GET /projects/{code}, what a
 *     person looking at the project page waits for.
 * Listeners run in the same process as the API, so the figures include their share of the one event loop.
 */
import 'reflect-metadata';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { createProjectWorker, productionActivities } from '../apps/worker/worker.js';
import { DEVELOPMENT_JWT_SECRET } from '../libs/auth/index.js';
import { DEPARTMENT_KEYS, latestTrackDefinition } from '../libs/domain/index.js';
import { openDatabase } from '../libs/persistence/index.js';
import { temporalCliPath } from '../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTES } from '../libs/temporal/project.contract.js';
import { openSse, type SseConnection } from './bench/sse-reader.js';
import { demoToken } from './demo-users.js';
import { startEmbeddedPostgres } from './embedded-services.js';

const N = Number(process.env.BENCH_N ?? 60);
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 50);
const WARM_UP = 5;
const EVENT_TIMEOUT_MS = 10_000;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return `n=${String(s.length).padStart(5)}  median ${q(0.5).toFixed(1).padStart(7)} ms  p99 ${q(0.99).toFixed(1).padStart(7)} ms  min ${s[0]!.toFixed(1).padStart(7)} ms  max ${s.at(-1)!.toFixed(1).padStart(7)} ms`;
}

interface ChangeData {
  code: string;
  version: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-live-'));
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: Object.values(SEARCH_ATTRIBUTES), extraArgs: ['--log-level', 'error'] },
  });
  const ds = await openDatabase(pgServer.url);
  const worker = await createProjectWorker({ connection: env.nativeConnection, namespace: 'default', activities: productionActivities({ dataSource: ds }) });
  const running = worker.run();

  Object.assign(process.env, { TEMPORAL_ADDRESS: env.connection.options.address, DATABASE_URL: pgServer.url, LOG_LEVEL: 'error', PORT: '0' });
  process.env.JWT_SECRET ||= DEVELOPMENT_JWT_SECRET;
  process.env.RATE_LIMIT_LIMIT ??= '100000'; // one bench caller sends more than a person would
  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;

  const def = latestTrackDefinition('standard');
  const departmentOf = new Map(def.steps.map((s) => [s.key, s.department] as const));
  const tokenOf = new Map<string, string>();
  for (const d of DEPARTMENT_KEYS) tokenOf.set(d, await demoToken({ sub: `bench-${d}`, name: 'bench', roles: ['officer'], department: d }, '2h'));
  const systemToken = await demoToken({ sub: 'bench-system', name: 'bench', roles: ['system'], department: 'project_office' }, '2h');
  const reader = tokenOf.get('natural_resources')!;
  const call = async (method: string, url: string, token: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const versionNow = async (code: string): Promise<number> => Number((await call('GET', `${base}/projects/${code}`, reader)).version);

  const actions: Array<[string, string, string]> = [];
  for (let p = 0; actions.length < N + WARM_UP; p++) {
    const code = `2022-330602-39-03-${String(950000 + p).padStart(6, '0')}`;
    for (const s of def.steps) for (const action of ['accept', 'approve']) actions.push([code, s.key, action]);
  }
  const todo = actions.slice(0, N + WARM_UP);
  for (const code of new Set(todo.map((a) => a[0]))) {
    await call('POST', `${base}/projects`, tokenOf.get('project_office')!, { code, name: `bench ${code}`, district: '越城区', signedAt: '2022-03-05' });
  }

  // Distinct subjects (one person's tabs are capped per process): a district's officers and supervisors.
  const listeners: SseConnection[] = [];
  for (let i = 0; i < LISTENERS; i++) {
    const token = await demoToken({ sub: `bench-viewer-${i}`, name: 'bench', roles: ['officer'], department: DEPARTMENT_KEYS[i % DEPARTMENT_KEYS.length]! }, '2h');
    const s = await openSse(`${base}/live`, token);
    if (s.status !== 200) throw new Error(`GET /live answered ${s.status}`);
    await s.waitFor((e) => e.event === 'ready', 5_000);
    listeners.push(s);
  }

  const sendToAnswer: number[] = [];
  const sendToEvent: number[] = [];
  const answerToEvent: number[] = [];
  const answerToVisible: number[] = [];
  const answerToRefreshed: number[] = [];
  let eventBeforeAnswer = 0;
  for (const [i, [code, step, action]] of todo.entries()) {
    const needsFact = action === 'accept' && def.steps.find((s) => s.key === step)?.requiresFacts?.includes('land_price_paid');
    if (needsFact) {
      await call('POST', `${base}/events`, systemToken, { projectCode: code, kind: 'land_price_paid', occurredAt: new Date().toISOString(), reference: `bench-${code}` });
    }
    const before = await versionNow(code);
    const isMine = (e: { event: string; data: string }): boolean => {
      if (e.event !== 'project') return false;
      const c = JSON.parse(e.data) as ChangeData;
      return c.code === code && c.version > before;
    };
    const arrivals = listeners.map((s) => s.waitFor(isMine, EVENT_TIMEOUT_MS));
    const refreshed = arrivals[0]!.then(async () => {
      await call('GET', `${base}/projects/${code}`, reader);
      return performance.now();
    });

    const sent = performance.now();
    const answer = await call('POST', `${base}/projects/${code}/steps/${step}/actions`, tokenOf.get(departmentOf.get(step)!)!, { action });
    const answered = performance.now();
    const expected = Number((answer.project as { version?: number } | undefined)?.version ?? before + 1);
    let visibleAt = 0;
    while (visibleAt === 0) if ((await versionNow(code)) >= expected) visibleAt = performance.now();
    const events = await Promise.all(arrivals);
    const refreshedAt = await refreshed;

    if (i < WARM_UP) continue;
    sendToAnswer.push(answered - sent);
    answerToVisible.push(visibleAt - answered);
    answerToRefreshed.push(refreshedAt - answered);
    for (const e of events) {
      sendToEvent.push(e.receivedAt - sent);
      answerToEvent.push(e.receivedAt - answered);
      if (e.receivedAt < answered) eventBeforeAnswer += 1;
    }
  }

  process.stdout.write(`live stream: ${LISTENERS} listeners, ${N} officer actions (after ${WARM_UP} warm-up), one at a time\n`);
  process.stdout.write(`action sent → answer:                          ${stats(sendToAnswer)}\n`);
  process.stdout.write(`action sent → event received (all listeners):   ${stats(sendToEvent)}\n`);
  process.stdout.write(`action answer → event received (all listeners): ${stats(answerToEvent)}  (${eventBeforeAnswer} of ${answerToEvent.length} before the answer)\n`);
  process.stdout.write(`action answer → read model visible (GET):       ${stats(answerToVisible)}\n`);
  process.stdout.write(`action answer → page refreshed (event + GET):   ${stats(answerToRefreshed)}\n`);

  for (const s of listeners) s.close();
  await app.close();
  worker.shutdown();
  await running;
  await ds.destroy();
  await env.teardown();
  await pgServer.stop();
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
