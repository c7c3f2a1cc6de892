/*
 * `npm run faults`: officers' actions under faults on the production-shaped stack (scripts/prod-stack/stack.ts: a real
 * Temporal server on PostgreSQL, the API, two workers, each supervised), and a table of what clients saw against what
 * the timelines hold.
 * Load: FAULT_CLIENTS concurrent clients (16) act on FAULT_PROJECTS projects (1000): accept the project filing step,
 * then return it for supplements (补正) and take the resubmission, again and again; each action carries its own
 * Idempotency-Key and the key as its comment. A client retries an action with the same key after a 503 (waiting its
 * Retry-After), a 409 IDEMPOTENCY.IN_PROGRESS or a dropped connection, for at most FAULT_GIVE_UP_S (120) seconds.
 * Scenarios, each FAULT_LOAD_S (40) seconds of load with the fault a third of the way in: none; kill -9 of a worker;
 * kill -9 of the API; kill -9 of the Temporal server; PostgreSQL frozen (SIGSTOP of the postmaster and its backends)
 * for FAULT_PG_STOP_S (60) seconds; PostgreSQL stopped in order (fast shutdown: SIGINT to the postmaster, as an
 * operator stopping it for maintenance; its supervisor does not restart it meanwhile) for FAULT_PG_DOWN_S (30) seconds
 * and started again. FAULT_SCENARIOS (comma-separated words, e.g. `stopped` or `worker,API`) runs only the scenarios
 * whose names contain one of them.
 * Checks after each: every action a client saw succeed is on its project's timeline exactly once (by its comment), no
 * action is there twice, the read model's steps equal the workflow's (Query `detail`) once the stack is quiet, and the
 * clients saw only 2xx, 4xx or 503 with Retry-After. FAULTS_SHORT=1 (CI): 100 projects, 15 s of load, PostgreSQL
 * frozen 10 s and stopped 10 s. Exit code 1 when a check fails.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoToken } from '../../libs/auth/demo-users.js';
import { detailQuery, projectWorkflowId } from '../../libs/temporal/project.contract.js';
import { freeStackPorts, startProdStack, type ProdStack } from './stack.js';

const short = process.env.FAULTS_SHORT === '1';
const num = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const PROJECTS = num('FAULT_PROJECTS', short ? 100 : 1000);
const CLIENTS = num('FAULT_CLIENTS', 16);
const LOAD_S = num('FAULT_LOAD_S', short ? 15 : 40);
const PG_STOP_S = num('FAULT_PG_STOP_S', short ? 10 : 60);
const PG_DOWN_S = num('FAULT_PG_DOWN_S', short ? 10 : 30);
const ONLY = (process.env.FAULT_SCENARIOS ?? '')
  .split(',')
  .map((w) => w.trim().toLowerCase())
  .filter((w) => w !== '');
const GIVE_UP_S = num('FAULT_GIVE_UP_S', 120);
const STEP = 'project_filing';

const say = (line: string): void => void process.stdout.write(`[faults] ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One action as a client saw it. */
interface Sent {
  code: string;
  key: string;
  /** 2xx seen (the client believes it happened). */
  succeeded: boolean;
  /** The client gave up (no 2xx or 4xx within GIVE_UP_S): it may or may not have happened. */
  gaveUp: boolean;
}

/** What one scenario's clients saw. */
interface Tally {
  sent: Sent[];
  statuses: Map<number, number>;
  /** 5xx answers other than a 503 with Retry-After (a 503 without it counts here too). */
  bad5xx: number;
  /** Longest single answer, milliseconds (a dropped connection counts until it dropped). */
  longestMs: number;
  /** 4xx answers by status and problem code, e.g. `409 IDEMPOTENCY.KEY_IN_PROGRESS`. */
  refusals: Map<string, number>;
  /** The first few bad 5xx answers (status, headers, body), printed to say where they came from. */
  badSamples: string[];
}

/** One row of the table. */
interface Row {
  scenario: string;
  sent: number;
  succeeded: number;
  onTimeline: number;
  doubled: number;
  lost: number;
  bad5xx: number;
  longestS: number;
  readModelBehind: number;
}

/** A server error a client must not see: any 5xx but a 503 that says when to retry (`Retry-After`). */
function isBad5xx(status: number, retryAfter: string | null): boolean {
  return status >= 500 && !(status === 503 && retryAfter !== null);
}

/** Next action of a project in the accept → (return → resubmit)* cycle, from the step's state. */
function nextAction(state: string): 'accept' | 'return' | 'resubmit' | null {
  if (state === 'ready' || state === 'received') return 'accept';
  if (state === 'in_review') return 'return';
  if (state === 'supplement_requested') return 'resubmit';
  return null;
}

class Load {
  private stopping = false;
  /** Projects whose step state this load knows (after a give-up it reads the state again). */
  private readonly states = new Map<string, string>();

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    private readonly codes: string[],
    private readonly tally: Tally,
    private readonly scenario: string,
  ) {}

  /** Runs CLIENTS clients until stop(); each owns every CLIENTS-th project, round robin. */
  async run(): Promise<void> {
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => this.client(this.codes.filter((_, i) => i % CLIENTS === c))));
  }

  stop(): void {
    this.stopping = true;
  }

  private async client(mine: string[]): Promise<void> {
    let n = 0;
    while (!this.stopping && mine.length > 0) {
      const code = mine[n++ % mine.length]!;
      const state = this.states.get(code) ?? (await this.readState(code));
      if (state === null) continue;
      const action = nextAction(state);
      if (action === null) continue;
      const key = `${this.scenario}-${code}-${n}-${randomBytes(3).toString('hex')}`;
      const sent: Sent = { code, key, succeeded: false, gaveUp: false };
      this.tally.sent.push(sent);
      const outcome = await this.send(code, action, key);
      if (outcome === 'ok') {
        sent.succeeded = true;
        this.states.set(code, action === 'accept' || action === 'resubmit' ? 'in_review' : 'supplement_requested');
      } else {
        sent.gaveUp = outcome === 'gave-up';
        this.states.delete(code); // read it again before the next action
      }
    }
  }

  private async readState(code: string): Promise<string | null> {
    for (let i = 0; i < 240 && !this.stopping; i++) {
      try {
        const res = await fetch(`${this.apiUrl}/api/v1/projects/${code}`, { headers: { Authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(15_000) });
        if (res.ok) {
          const body = (await res.json()) as { steps: { key: string; state: string }[] };
          const state = body.steps.find((s) => s.key === STEP)?.state ?? null;
          if (state !== null) this.states.set(code, state);
          return state;
        }
      } catch {
        /* down: try again */
      }
      await sleep(500);
    }
    return null;
  }

  /** One action with retries on 503 and dropped connections, the same key each time. */
  private async send(code: string, action: string, key: string): Promise<'ok' | 'refused' | 'gave-up'> {
    const giveUpAt = Date.now() + GIVE_UP_S * 1000;
    while (Date.now() < giveUpAt) {
      const began = Date.now();
      let status: number;
      let retryAfter: string | null = null;
      let inProgress = false;
      try {
        const res = await fetch(`${this.apiUrl}/api/v1/projects/${code}/steps/${STEP}/actions`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify({ action, comment: key }),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        const text = await res.text();
        if (isBad5xx(status, retryAfter) && this.tally.badSamples.length < 3) {
          this.tally.badSamples.push(`${status} ${JSON.stringify(Object.fromEntries(res.headers))} ${text.slice(0, 400)}`);
        }
        if (status >= 400 && status < 500) {
          const problem = (JSON.parse(text || '{}') as { code?: string }).code ?? '?';
          inProgress = problem === 'IDEMPOTENCY.IN_PROGRESS';
          const code = `${status} ${problem}`;
          this.tally.refusals.set(code, (this.tally.refusals.get(code) ?? 0) + 1);
        }
      } catch {
        status = 0; // connection refused, reset or timed out on our side
      }
      this.tally.longestMs = Math.max(this.tally.longestMs, Date.now() - began);
      this.tally.statuses.set(status, (this.tally.statuses.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) return 'ok';
      // 409 IDEMPOTENCY.IN_PROGRESS: the first attempt still runs (or its API died and the claim has not yet gone
      // stale): the answer is still to come, so a client asks again with the same key.
      if (status === 409 && inProgress) {
        await sleep(Math.min(10, Number(retryAfter) || 2) * 1000);
        continue;
      }
      if (status >= 400 && status < 500) return 'refused';
      if (isBad5xx(status, retryAfter)) this.tally.bad5xx += 1;
      const wait = status === 503 && retryAfter !== null ? Math.min(10, Number(retryAfter) || 1) * 1000 : 1000;
      await sleep(wait);
    }
    return 'gave-up';
  }
}

/** Process ids of `pid` and its children (PostgreSQL's postmaster and its backends). */
function withChildren(pid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return [pid, ...r.stdout.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0)];
}

/** The faults: each gets the stack and returns once the fault is over (a killed process is restarted by its supervisor). */
const SCENARIOS: { name: string; fault: (stack: ProdStack) => Promise<void> }[] = [
  { name: 'no fault', fault: async () => undefined },
  { name: 'kill -9 worker-1', fault: async (s) => void process.kill(s.pids()['worker-1']!, 'SIGKILL') },
  { name: 'kill -9 API', fault: async (s) => void process.kill(s.pids().api!, 'SIGKILL') },
  { name: 'kill -9 Temporal server', fault: async (s) => void process.kill(s.pids().temporal!, 'SIGKILL') },
  {
    name: `PostgreSQL frozen ${PG_STOP_S} s`,
    fault: async (s) => {
      const signal = (pids: number[], sig: NodeJS.Signals): void => {
        for (const p of pids) {
          try {
            process.kill(p, sig);
          } catch {
            /* a backend that ended meanwhile */
          }
        }
      };
      const pids = withChildren(s.pids().postgres!);
      signal(pids, 'SIGSTOP');
      await sleep(PG_STOP_S * 1000);
      signal([...pids, ...withChildren(s.pids().postgres!)], 'SIGCONT');
    },
  },
  {
    name: `PostgreSQL stopped ${PG_DOWN_S} s`,
    fault: async (s) => {
      const began = Date.now();
      await s.stopPostgres();
      say(`  PostgreSQL stopped (fast shutdown) in ${((Date.now() - began) / 1000).toFixed(1)} s; starting it again in ${PG_DOWN_S} s`);
      await sleep(PG_DOWN_S * 1000);
      await s.startPostgresAgain();
      say(`  PostgreSQL started again (pid ${s.pids().postgres})`);
    },
  },
];

/** The scenarios to run: all, or those whose names contain a word of FAULT_SCENARIOS. */
function chosenScenarios(): typeof SCENARIOS {
  if (ONLY.length === 0) return SCENARIOS;
  const chosen = SCENARIOS.filter((sc) => ONLY.some((w) => sc.name.toLowerCase().includes(w)));
  if (chosen.length === 0) throw new Error(`FAULT_SCENARIOS=${process.env.FAULT_SCENARIOS} names none of: ${SCENARIOS.map((sc) => sc.name).join('; ')}`);
  return chosen;
}

async function registerAll(apiUrl: string, token: string, codes: string[]): Promise<void> {
  let next = 0;
  let done = 0;
  const began = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < codes.length) {
        const code = codes[next++]!;
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${apiUrl}/api/v1/projects`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `faults-reg-${code}` },
            body: JSON.stringify({ code, name: `故障演练项目 ${code.slice(-4)}`, district: '越城区', signedAt: '2022-06-06', investmentYuan: '200000000' }),
          });
          if (res.status === 201 || res.status === 200) break;
          if (attempt > 20) throw new Error(`registering ${code}: HTTP ${res.status} ${await res.text()}`);
          await sleep(500);
        }
        if (++done % 200 === 0) say(`  registered ${done} of ${codes.length}`);
      }
    }),
  );
  say(`registered ${codes.length} projects in ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

/**
 * Counts, for the actions of one scenario, how often each key is on its project's timeline, and how many projects'
 * read-model step states differ from the workflow's once the stack is quiet (waits up to 60 s for them to agree).
 */
async function verify(stack: ProdStack, token: string, tally: Tally): Promise<Pick<Row, 'onTimeline' | 'doubled' | 'lost' | 'readModelBehind'>> {
  const byProject = new Map<string, Sent[]>();
  for (const s of tally.sent) byProject.set(s.code, [...(byProject.get(s.code) ?? []), s]);
  const get = async (url: string): Promise<unknown> => {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
        if (res.ok) return await res.json();
      } catch {
        /* retry */
      }
      if (i > 60) throw new Error(`GET ${url} kept failing`);
      await sleep(1000);
    }
  };
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.namespace });
  let behind: string[] = [...byProject.keys()];
  const deadline = Date.now() + 60_000;
  try {
    while (behind.length > 0 && Date.now() < deadline) {
      const still: string[] = [];
      for (const code of behind) {
        const view = await client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery);
        const wf = Object.fromEntries(view.steps.map((s) => [s.key, s.state]));
        const rm = (await get(`${stack.apiUrl}/api/v1/projects/${code}`)) as { steps: { key: string; state: string }[] };
        const same = rm.steps.every((s) => wf[s.key] === s.state) && rm.steps.length === view.steps.length;
        if (!same) still.push(code);
      }
      behind = still;
      if (behind.length > 0) await sleep(2000);
    }
  } finally {
    await connection.close();
  }
  let onTimeline = 0;
  let doubled = 0;
  let lost = 0;
  for (const [code, sent] of byProject) {
    const counts = new Map<string, number>();
    for (let page = 1; ; page++) {
      const timeline = (await get(`${stack.apiUrl}/api/v1/projects/${code}/timeline?pageSize=200&page=${page}`)) as { items: { comment: string | null }[] };
      for (const e of timeline.items) if (e.comment) counts.set(e.comment, (counts.get(e.comment) ?? 0) + 1);
      if (timeline.items.length < 200) break;
    }
    for (const s of sent) {
      const n = counts.get(s.key) ?? 0;
      if (n >= 1) onTimeline += 1;
      if (n > 1) doubled += 1;
      if (s.succeeded && n === 0) lost += 1;
    }
  }
  return { onTimeline, doubled, lost, readModelBehind: behind.length };
}

function printTable(rows: Row[]): void {
  const head = ['scenario', 'actions sent', 'seen succeeded', 'on the timeline', 'doubled', 'lost', '5xx other than 503', 'longest answer', 'read model ≠ workflow'];
  const cells = rows.map((r) => [r.scenario, r.sent, r.succeeded, r.onTimeline, r.doubled, r.lost, r.bad5xx, `${r.longestS.toFixed(1)} s`, r.readModelBehind].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${cells.map(line).join('\n')}\n\n`);
}

async function main(): Promise<void> {
  const dataDir = path.join(os.tmpdir(), 'approvals-prod-stack', `${process.pid}-faults`);
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  const ports = await freeStackPorts();
  const scenarios = chosenScenarios();
  say(`${PROJECTS} projects, ${CLIENTS} clients, ${LOAD_S} s of load per scenario, PostgreSQL frozen ${PG_STOP_S} s and stopped ${PG_DOWN_S} s${short ? ' (short form)' : ''}`);
  say(`scenarios: ${scenarios.map((sc) => sc.name).join('; ')}`);
  const stack = await startProdStack({ dataDir, ...ports, namespace: 'default', workers: 2, jwtSecret: secret, logLevel: 'warn', log: say }).catch((err: unknown) => {
    say(`the stack did not start; its logs are kept in ${path.join(dataDir, 'logs')}`);
    throw err;
  });
  const stopStack = async (): Promise<void> => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopStack().then(() => process.exit(130)));
  const env = { ...process.env, JWT_SECRET: secret };
  const po = await demoToken({ sub: 'po-faults', name: '故障演练', roles: ['officer'], department: 'project_office' }, '6h', env);
  const drc = await demoToken({ sub: 'drc-faults', name: '故障演练', roles: ['officer'], department: 'development_reform' }, '6h', env);
  const rows: Row[] = [];
  try {
    const codes = Array.from({ length: PROJECTS }, (_, i) => `2022-330602-39-03-${String(100_000 + i).padStart(6, '0')}`);
    await registerAll(stack.apiUrl, po, codes);
    for (const scenario of scenarios) {
      say(`scenario: ${scenario.name}`);
      const tally: Tally = { sent: [], statuses: new Map(), bad5xx: 0, longestMs: 0, refusals: new Map(), badSamples: [] };
      const load = new Load(stack.apiUrl, drc, codes, tally, scenario.name.replace(/[^a-z0-9]+/gi, '-'));
      const running = load.run();
      await sleep((LOAD_S * 1000) / 3);
      await scenario.fault(stack);
      await sleep((LOAD_S * 2000) / 3);
      load.stop();
      await running;
      const checked = await verify(stack, drc, tally);
      const row: Row = {
        scenario: scenario.name,
        sent: tally.sent.length,
        succeeded: tally.sent.filter((s) => s.succeeded).length,
        ...checked,
        bad5xx: tally.bad5xx,
        longestS: tally.longestMs / 1000,
      };
      rows.push(row);
      say(`  ${JSON.stringify(row)}; answers by status ${JSON.stringify(Object.fromEntries(tally.statuses))} (0: no answer); refusals ${JSON.stringify(Object.fromEntries(tally.refusals))}; gave up ${tally.sent.filter((s) => s.gaveUp).length}`);
      for (const sample of tally.badSamples) say(`  a 5xx other than 503 with Retry-After: ${sample}`);
    }
  } finally {
    printTable(rows);
    await stopStack();
  }
  const failed = rows.filter((r) => r.doubled > 0 || r.lost > 0 || r.bad5xx > 0 || r.readModelBehind > 0);
  if (failed.length > 0) {
    say(`FAILED: ${failed.map((r) => r.scenario).join(', ')}`);
    // Exit at once with the failure: a handle left open by a client library must not end the run with 0.
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[faults] failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
