/*
 * `npm run bench:events`: how fast events from other government systems are applied (POST /api/v1/events). Starts its
 * own Temporal dev server, embedded PostgreSQL (temp folder, a free port), worker and API in this process (like
 * bench:live; nothing else needs to run, nothing is left behind) with three signing sources in EVENT_SOURCES (the
 * investment-project platform, the ecology department's system, the land-supply system), registers BENCH_PROJECTS
 * projects (default 100, back-dated to 2022) with their land pre-review and auction done by an officer, then sends each
 * project's six events — 项目备案 (project_filed: the filing approved), 出让合同签订 (land_contract_signed), 土地出让价款缴清
 * (land_price_paid: a fact), 不动产权登记 (land_title_registered: the title delivered), 用地规划许可 (planning_permit_issued)
 * and 环评批复 (eia_approved), each applied through the officers' step actions back-dated to its occurredAt — signed (HMAC-SHA256 over timestamp.body, X-Signature and X-Timestamp) with
 * the system's token, BENCH_CONCURRENCY projects at once (default 8; a project's own events in order), then sends
 * every tenth event again (a repeat must answer the first answer and change nothing). Prints events applied per
 * second, p50/p99/max latency of a POST, the statuses, the machine's load, and a check: every event applied, and each
 * applied event's own timeline entries (its actor is its source) on its project's timeline exactly once, after the
 * repeats too. Exits 1 when the check fails. A script, not a test: the figures depend on the machine.
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
import { signEventBody } from '../libs/inbound-events/signature.js';
import { openDatabase } from '../libs/persistence/index.js';
import { temporalCliPath } from '../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTES } from '../libs/temporal/project.contract.js';
import { demoToken } from './demo-users.js';
import { startEmbeddedPostgres } from './embedded-services.js';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Every n-th event is sent a second time, unchanged. */
const REPEAT_EVERY = 10;

/** The sources that sign events, with the department whose steps each reports on. */
const SOURCES = {
  platform: { secret: 'bench-platform-secret-0123456789', department: 'development_reform' },
  eco: { secret: 'bench-ecology-secret-0123456789', department: 'ecology_environment' },
  'land-supply': { secret: 'bench-land-supply-secret-0123456789', department: 'natural_resources' },
} as const;
type SourceName = keyof typeof SOURCES;

/** Registration of every project (back-dated), and the first event an hour after 2022-04-01 10:00 Asia/Shanghai. */
const REGISTERED_AT = '2022-03-10T09:00:00+08:00';
const at = (hours: number): string => new Date(Date.parse('2022-04-01T10:00:00+08:00') + hours * 3_600_000).toISOString();

/** An event as sent: the body and the source that signs it. */
interface BenchEvent {
  source: SourceName;
  body: { id: string; source: SourceName; type: string; projectCode: string; occurredAt: string; data: Record<string, unknown> };
}

/** An event's answer as the API gives it (the fields this bench reads). */
interface EventAnswer {
  status: string;
  reason: string | null;
  entries: Array<{ type: string; step: string | null; actor: string | null; at: string }>;
}

/** What officers record on each project before the events: land pre-review and auction done (the contract's predecessors). */
const OFFICER_ACTIONS: ReadonlyArray<readonly [step: string, action: string, occurredAt: string]> = [
  ['land_prereview', 'accept', '2022-03-14T10:00:00+08:00'],
  ['land_prereview', 'approve', '2022-03-18T10:00:00+08:00'],
  ['land_auction', 'accept', '2022-03-21T10:00:00+08:00'],
  ['land_auction', 'approve', '2022-03-25T10:00:00+08:00'],
];

/** The events of project `i`, in the order its systems send them (each type's step waits for the ones before). */
function eventsOf(i: number, code: string): BenchEvent[] {
  const ev = (source: SourceName, type: string, hours: number, data: Record<string, unknown> = {}): BenchEvent => ({
    source,
    body: { id: `${source.toUpperCase()}-${type}-${i}`, source, type, projectCode: code, occurredAt: at(hours), data },
  });
  return [
    ev('platform', 'project_filed', 1),
    ev('land-supply', 'land_contract_signed', 2, { contractTerms: { preparationMonths: 6, buildMonths: 24 } }),
    ev('land-supply', 'land_price_paid', 3, { reference: `缴款书 330600-2022-${String(i).padStart(6, '0')}`, amountYuan: `${36_500_000 + i * 1000}.00` }),
    ev('land-supply', 'land_title_registered', 4),
    ev('land-supply', 'planning_permit_issued', 5),
    ev('eco', 'eia_approved', 6),
  ];
}

/** Median, p99 and max (nearest rank) of the timings, ms. */
function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return `p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms (n=${s.length})`;
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-events-'));
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: Object.values(SEARCH_ATTRIBUTES), extraArgs: ['--log-level', 'error'] },
  });
  const ds = await openDatabase(pgServer.url);
  const worker = await createProjectWorker({ connection: env.nativeConnection, namespace: 'default', activities: productionActivities({ dataSource: ds }) });
  const running = worker.run();
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: env.connection.options.address,
    DATABASE_URL: pgServer.url,
    LOG_LEVEL: 'error',
    PORT: '0',
    EVENT_SOURCES: JSON.stringify(SOURCES),
  });
  process.env.JWT_SECRET ||= DEVELOPMENT_JWT_SECRET;
  process.env.RATE_LIMIT_LIMIT ??= '100000'; // the systems send more than a person would
  const app = await createApiApp();
  let failed: boolean;
  try {
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    const officer = await demoToken({ sub: 'bench-po', name: 'bench', roles: ['officer'], department: 'project_office' }, '2h');
    const landOfficer = await demoToken({ sub: 'bench-nr', name: 'bench', roles: ['officer'], department: 'natural_resources' }, '2h');
    const system = await demoToken({ sub: 'svc-exchange', name: 'data exchange', roles: ['system'], department: 'project_office' }, '2h');
    const call = async <T>(method: string, url: string, token: string, body?: string, headers: Record<string, string> = {}): Promise<T> => {
      const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    /** `n` tasks, `CONCURRENCY` at once. */
    const pool = async (n: number, task: (i: number) => Promise<void>): Promise<void> => {
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
        while (next < n) await task(next++);
      }));
    };

    const codes = Array.from({ length: PROJECTS }, (_, i) => `2022-330602-39-03-${String(700000 + i).padStart(6, '0')}`);
    let t = performance.now();
    await pool(PROJECTS, async (i) => {
      const body = { code: codes[i], name: `事件压测项目 ${i + 1}`, district: '越城区', signedAt: '2022-03-05', investmentYuan: '100000000', occurredAt: REGISTERED_AT };
      await call('POST', `${base}/projects`, officer, JSON.stringify(body));
      for (const [step, action, occurredAt] of OFFICER_ACTIONS) {
        await call('POST', `${base}/projects/${codes[i]}/steps/${step}/actions`, landOfficer, JSON.stringify({ action, occurredAt }));
      }
    });
    const registerMs = performance.now() - t;

    const sendEvent = async (e: BenchEvent): Promise<{ answer: EventAnswer; ms: number }> => {
      const text = JSON.stringify(e.body);
      const ts = String(Math.floor(Date.now() / 1000));
      const sent = performance.now();
      const answer = await call<EventAnswer>('POST', `${base}/events`, system, text, { 'x-timestamp': ts, 'x-signature': signEventBody(SOURCES[e.source].secret, ts, text) });
      return { answer, ms: performance.now() - sent };
    };
    const events = codes.map((code, i) => eventsOf(i, code));
    const answers = new Map<string, EventAnswer>();
    const latencies: number[] = [];
    t = performance.now();
    await pool(PROJECTS, async (i) => {
      for (const e of events[i]!) {
        const { answer, ms } = await sendEvent(e);
        answers.set(e.body.id, answer);
        latencies.push(ms);
      }
    });
    const sendMs = performance.now() - t;
    const all = events.flat();
    const applied = all.filter((e) => answers.get(e.body.id)?.status === 'applied');

    // Repeats: the first answer again, nothing new on the timeline.
    const repeats = all.filter((_, k) => k % REPEAT_EVERY === 0);
    const repeatLatencies: number[] = [];
    const repeatStatuses = new Map<string, number>();
    await pool(repeats.length, async (k) => {
      const { answer, ms } = await sendEvent(repeats[k]!);
      repeatLatencies.push(ms);
      repeatStatuses.set(answer.status, (repeatStatuses.get(answer.status) ?? 0) + 1);
    });

    // The check: each applied event's own entries (actor: its source) once on its project's timeline.
    const problems: string[] = [];
    for (const [i, code] of codes.entries()) {
      const page = await call<{ items: Array<{ type: string; step: string | null; actor: string | null; at: string }> }>('GET', `${base}/projects/${code}/timeline?pageSize=200`, officer);
      for (const e of events[i]!) {
        const answer = answers.get(e.body.id);
        if (answer?.status !== 'applied') {
          problems.push(`${e.body.id} on ${code}: ${answer?.status ?? 'no answer'}${answer?.reason ? ` (${answer.reason})` : ''}`);
          continue;
        }
        const own = answer.entries.filter((x) => x.actor === e.source);
        if (own.length === 0) problems.push(`${e.body.id} on ${code}: applied with no entry of its source`);
        for (const x of own) {
          const n = page.items.filter((y) => y.type === x.type && y.step === x.step && y.actor === x.actor && Date.parse(y.at) === Date.parse(x.at)).length;
          if (n !== 1) problems.push(`${e.body.id} on ${code}: ${x.type}${x.step ? ` ${x.step}` : ''} ${n} times on the timeline`);
        }
      }
    }
    const statuses = new Map<string, number>();
    for (const a of answers.values()) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);

    say(`inbound events: ${PROJECTS} projects (registered and land auction done in ${(registerMs / 1000).toFixed(1)} s), ${all.length} signed events of 6 types (project_filed, land_contract_signed, land_price_paid, land_title_registered, planning_permit_issued, eia_approved), ${CONCURRENCY} projects at once`);
    say(`applied:  ${applied.length} in ${(sendMs / 1000).toFixed(1)} s → ${(applied.length / (sendMs / 1000)).toFixed(1)} events applied per second`);
    say(`latency of POST /events: ${stats(latencies)}`);
    say(`repeats:  ${repeats.length} sent again: ${JSON.stringify(Object.fromEntries(repeatStatuses))}, ${stats(repeatLatencies)}`);
    say(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    say(`load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
    const ok = applied.length === all.length && problems.length === 0;
    say(`check: every event applied (${applied.length}/${all.length}); each applied event's entries once on its project's timeline, repeats included: ${problems.length === 0 ? 'yes' : 'NO'} → ${ok ? 'OK' : 'FAILED'}`);
    for (const p of problems.slice(0, 10)) say(`  ${p}`);
    failed = !ok;
  } finally {
    await app.close();
    worker.shutdown();
    await running;
    await ds.destroy();
    await env.teardown();
    await pgServer.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failed) process.exit(1);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
