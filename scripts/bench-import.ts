/*
 * `npm run bench:import`: how fast a district's ledger (重大项目台账) is imported. Starts its own Temporal dev server,
 * embedded PostgreSQL (temp folder, a free port), the API in this process and the worker in a process of its own
 * (`node dist/apps/worker/main.js`, as `npm start` and the production stack run it; nothing else needs to run, nothing
 * is left behind), builds a realistic ledger workbook of BENCH_ROWS projects (default 1,000) with the
 * export's own columns and writer (sheets 台账 and 事项明细): varied positions on the standard track — just signed,
 * filing under review, land stage (pre-review, auction, contract), planning and environment permits, drawing review,
 * with some steps returned for supplement (补正), waived (容缺), rejected (不予许可) or delivered (送达) — then
 * POSTs the dry run, then the commit (dryRun=false), polls GET /imports/{id} once a second (as a progress page would;
 * the answer holds the whole report, so polling faster measures the polling) and prints rows, dry-run time, commit time
 * (POST to status done; ±1 s), rows per second, the machine's load, and a check: projects registered = rows,
 * every row `registered` with the actions its position needs, and a sample of projects whose steps (state, acceptance
 * and decision days) equal the file's. Exits 1 when the check fails. A script, not a test: the figures depend on
 * the machine.
 */
import 'reflect-metadata';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { xlsxStream } from '../apps/api/src/exports/table-writers.js';
import { DEVELOPMENT_JWT_SECRET } from '../libs/auth/index.js';
import { shanghaiDateOf } from '../libs/calendar/index.js';
import { latestTrackDefinition } from '../libs/domain/index.js';
import { LEDGER_COLUMNS, LEDGER_SHEETS, LEDGER_STEP_COLUMNS, labelOf, type TableRow } from '../libs/ledger/ledger-columns.js';
import { openDatabase } from '../libs/persistence/index.js';
import { temporalCliPath } from '../libs/temporal/binaries.js';
import { projectRoot } from '../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTES, projectWorkflowId } from '../libs/temporal/project.contract.js';
import { waitForPollers } from './prod-stack/stack.js';
import { demoToken } from './demo-users.js';
import { startEmbeddedPostgres } from './embedded-services.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
/** Projects whose steps are compared with the file, spread over the positions. */
const SAMPLE = 20;
const POLL_MS = 1000;
const TIMEOUT_MS = 15 * 60_000;

/** A step of a generated project: its state and days (YYYY-MM-DD), as the steps sheet gives them. */
interface GeneratedStep {
  step: string;
  state: 'in_review' | 'supplement_requested' | 'approved' | 'delivered' | 'waived' | 'rejected';
  acceptedOn: string | null;
  decidedOn: string | null;
}

/** A generated ledger row: the registration's columns and the steps with a position. */
interface GeneratedProject {
  code: string;
  name: string;
  investor: string;
  investmentYuan: string;
  signedAt: string;
  approvalRoute: 'filing' | 'approval';
  steps: GeneratedStep[];
}

/**
 * The positions, by step of the standard track in an order that lists a step after its dependencies (none needs a fact
 * from another system, so a ledger can place a project on it): each profile is the steps done (`d`), and the one running
 * (`r`: in review; `s`: returned for supplement), waived (`w`), rejected (`x`) or delivered (`v`: a certificate handed over).
 */
const ORDER = ['project_filing', 'land_prereview', 'land_auction', 'land_contract', 'land_use_planning_permit', 'eia_approval', 'energy_review', 'construction_planning_permit', 'drawing_review'];
const PROFILES: string[] = [
  '', // just signed
  '', // just signed
  'r', // filing under review
  'v r', // filing done and its certificate delivered, land pre-review under review
  'd s', // land pre-review returned for supplement
  'd d d r', // land stage: the contract under review
  'd d d d r w', // the planning permit under review, the environmental approval waived (容缺)
  'd d d d d d d r', // permits: the construction planning permit under review
  'd d d d d d d d s', // drawing review returned for supplement
  'v d d d d d x d d', // energy review rejected (不予许可), drawings approved
];

const INVESTORS = ['浙江越城新材料有限公司', '绍兴精密机械股份有限公司', '浙江智造电子科技有限公司', '绍兴纺织印染集团有限公司', '浙江绿能装备有限公司'];
const KINDS = ['年产10万吨功能性纤维', '高端装备制造基地', '集成电路封测', '新能源电池材料', '智能纺织产业园'];

/** Day `n` days after `day` (YYYY-MM-DD), moved to the next Monday when it falls on a weekend. */
function workdayAfter(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The i-th project of the ledger: signed in 2024 or 2025, its steps one after the other, a week or so each. */
function generate(i: number): GeneratedProject {
  const signedAt = workdayAfter('2024-01-02', (i * 7) % 540);
  const code = `${signedAt.slice(0, 4)}-330602-39-03-${String(100000 + i).padStart(6, '0')}`;
  const marks = PROFILES[i % PROFILES.length]!.split(' ').filter(Boolean);
  const steps: GeneratedStep[] = [];
  let day = workdayAfter(signedAt, 2 + (i % 5));
  marks.forEach((mark, k) => {
    const acceptedOn = day;
    const decidedOn = workdayAfter(day, 4 + ((i + k) % 6));
    const step = ORDER[k]!;
    switch (mark) {
      case 'r':
        steps.push({ step, state: 'in_review', acceptedOn, decidedOn: null });
        break;
      case 's':
        steps.push({ step, state: 'supplement_requested', acceptedOn, decidedOn: null });
        break;
      case 'w':
        steps.push({ step, state: 'waived', acceptedOn: null, decidedOn: acceptedOn });
        break;
      default:
        steps.push({ step, state: mark === 'x' ? 'rejected' : mark === 'v' ? 'delivered' : 'approved', acceptedOn, decidedOn });
    }
    day = workdayAfter(decidedOn, 1);
  });
  return {
    code,
    name: `${KINDS[i % KINDS.length]}项目（${String(i + 1).padStart(4, '0')}）`,
    investor: INVESTORS[i % INVESTORS.length]!,
    investmentYuan: String(5_000_000 + ((i * 7919) % 300) * 1_000_000 + (i % 4) * 2500),
    signedAt,
    approvalRoute: i % 7 === 0 ? 'approval' : 'filing',
    steps,
  };
}

/** The ledger as the export writes it: 台账 (one row per project) and 事项明细 (one row per step with a position). */
async function ledgerWorkbook(projects: GeneratedProject[]): Promise<Buffer> {
  const def = latestTrackDefinition('standard');
  const stepDef = new Map(def.steps.map((s) => [s.key, s]));
  async function* ledgerRows(): AsyncGenerator<TableRow> {
    for (const p of projects) {
      yield { code: p.code, name: p.name, track: labelOf('track', 'standard', 'zh'), district: '越城区', investor: p.investor, investmentWan: p.investmentYuan, signedAt: p.signedAt, approvalRoute: labelOf('approvalRoute', p.approvalRoute, 'zh'), status: labelOf('status', 'active', 'zh') };
    }
  }
  async function* stepRows(): AsyncGenerator<TableRow> {
    for (const p of projects) {
      for (const s of p.steps) {
        const d = stepDef.get(s.step)!;
        yield { code: p.code, step: s.step, stepName: d.nameZh, department: labelOf('department', d.department, 'zh'), state: labelOf('state', s.state, 'zh'), acceptedOn: s.acceptedOn, decidedOn: s.decidedOn };
      }
    }
  }
  const stream = xlsxStream(
    [
      { name: LEDGER_SHEETS.ledger.zh, columns: LEDGER_COLUMNS, rows: ledgerRows() },
      { name: LEDGER_SHEETS.steps.zh, columns: LEDGER_STEP_COLUMNS, rows: stepRows() },
    ],
    'zh',
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The actions the import needs for a step's position (accept, then the decision; a delivery after its approval). */
function actionsOf(s: GeneratedStep): number {
  return { in_review: 1, supplement_requested: 2, approved: 2, delivered: 3, waived: 1, rejected: 2 }[s.state];
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

interface Job {
  id: string;
  status: string;
  progress: { rowsTotal: number; rowsDone: number };
  results: { row: number; code: string | null; result: string; actions: number; problem: string | null }[];
  error: string | null;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-import-'));
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: Object.values(SEARCH_ATTRIBUTES), extraArgs: ['--log-level', 'error'] },
  });
  const ds = await openDatabase(pgServer.url);
  Object.assign(process.env, { TEMPORAL_ADDRESS: env.connection.options.address, DATABASE_URL: pgServer.url, LOG_LEVEL: 'error', PORT: '0' });
  process.env.JWT_SECRET ||= DEVELOPMENT_JWT_SECRET;
  process.env.RATE_LIMIT_LIMIT ??= '100000'; // the poll loop sends more than a person would
  const app = await createApiApp(); // applies the migrations before the worker reads the calendar
  // BENCH_CPU_PROF=<folder>: the worker writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const worker = spawn(process.execPath, [...profile, path.join(projectRoot(), 'dist', 'apps', 'worker', 'main.js')], {
    env: { ...process.env, TEMPORAL_NAMESPACE: 'default', WORKER_METRICS_PORT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let failed: boolean;
  try {
    await waitForPollers(env.connection.options.address, 'default', [worker.pid], 90_000);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    const token = await demoToken({ sub: 'bench-po', name: 'bench', roles: ['officer'], department: 'project_office' }, '2h');
    const auth = { authorization: `Bearer ${token}` };

    const projects = Array.from({ length: ROWS }, (_, i) => generate(i));
    const file = await ledgerWorkbook(projects);
    const post = async (dryRun: boolean): Promise<{ status: number; body: Record<string, unknown> }> => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), '重大项目台账.xlsx');
      const res = await fetch(`${base}/imports?dryRun=${String(dryRun)}`, { method: 'POST', headers: auth, body: form });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`POST /imports?dryRun=${String(dryRun)}: ${res.status} ${JSON.stringify(body)}`);
      return { status: res.status, body };
    };

    let t = performance.now();
    const report = (await post(true)).body as { counts: Record<string, number> };
    const dryRunMs = performance.now() - t;

    t = performance.now();
    const { body: created } = await post(false);
    let progress = created as unknown as Pick<Job, 'id' | 'status' | 'progress'>;
    let lastShown = 0;
    // As a client shows a progress bar: the job's progress polled, the whole job (report, results) read once at the end.
    while (progress.status !== 'done' && progress.status !== 'failed') {
      if (performance.now() - t > TIMEOUT_MS) throw new Error(`the import did not finish in ${TIMEOUT_MS / 60_000} minutes (${progress.progress.rowsDone} rows done)`);
      await new Promise((r) => setTimeout(r, POLL_MS));
      const res = await fetch(`${base}/imports/${progress.id}/progress`, { headers: auth });
      progress = (await res.json()) as typeof progress;
      if (performance.now() - lastShown > 10_000) {
        lastShown = performance.now();
        say(`  … ${progress.progress.rowsDone}/${progress.progress.rowsTotal} rows after ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
    }
    const commitMs = performance.now() - t;
    const job = (await (await fetch(`${base}/imports/${progress.id}`, { headers: auth })).json()) as Job;

    // The check: every row registered with its actions, the projects in the read model, a sample equal to the file.
    const [{ n: registered }] = (await ds.query(`SELECT count(*)::int AS n FROM projects`)) as [{ n: number }];
    const byResult = new Map<string, number>();
    for (const r of job.results) byResult.set(r.result, (byResult.get(r.result) ?? 0) + 1);
    const wrongActions = job.results.filter((r, i) => r.actions !== projects[i]!.steps.reduce((n, s) => n + actionsOf(s), 0));
    const mismatches: string[] = [];
    for (let k = 0; k < Math.min(SAMPLE, ROWS); k++) {
      const p = projects[(k * 97 + 3) % ROWS]!; // every profile, across the file
      const res = await fetch(`${base}/projects/${p.code}`, { headers: auth });
      const got = (await res.json()) as { signedAt: string; steps: { key: string; state: string; acceptedAt: string | null; decidedAt?: string | null }[] };
      if (got.signedAt !== p.signedAt) mismatches.push(`${p.code}: signed ${got.signedAt}, file ${p.signedAt}`);
      for (const s of p.steps) {
        const g = got.steps.find((x) => x.key === s.step);
        const day = (v: string | null | undefined) => (v ? shanghaiDateOf(v) : null);
        const have = [g?.state, day(g?.acceptedAt), day(g?.decidedAt)];
        const want = [s.state, s.acceptedOn, s.decidedOn];
        if (JSON.stringify(have) !== JSON.stringify(want)) mismatches.push(`${p.code} ${s.step}: ${JSON.stringify(have)}, file ${JSON.stringify(want)}`);
      }
    }
    const actions = job.results.reduce((n, r) => n + r.actions, 0);
    say(`ledger import: ${ROWS} rows (${projects.reduce((n, p) => n + p.steps.length, 0)} step rows, ${actions} back-dated actions), workbook ${(file.length / 1024).toFixed(0)} KiB`);
    say('layout: the API (with the import job) in this process, the worker in its own (as npm start runs them)');
    say(`dry run:  ${(dryRunMs / 1000).toFixed(1).padStart(7)} s   (${JSON.stringify(report.counts)})`);
    say(`commit:   ${(commitMs / 1000).toFixed(1).padStart(7)} s   ${(ROWS / (commitMs / 1000)).toFixed(1)} rows/s   status ${job.status}${job.error ? ` (${job.error})` : ''}   goal < 60 s for 1,000 rows`);
    say(`load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
    const ok = registered === ROWS && byResult.get('registered') === ROWS && wrongActions.length === 0 && mismatches.length === 0;
    say(`check: projects registered ${registered}/${ROWS}; results ${JSON.stringify(Object.fromEntries(byResult))}; rows with other actions than their position needs ${wrongActions.length}; sample of ${Math.min(SAMPLE, ROWS)} projects equal to the file: ${mismatches.length === 0 ? 'yes' : 'NO'} → ${ok ? 'OK' : 'FAILED'}`);
    // What an imported project costs Temporal: its history after the import, averaged over the sample.
    const kinds = new Map<string, number>();
    let events = 0;
    let bytes = 0;
    for (let k = 0; k < Math.min(SAMPLE, ROWS); k++) {
      const history = await env.client.workflow.getHandle(projectWorkflowId(projects[(k * 97 + 3) % ROWS]!.code)).fetchHistory();
      const json = historyToJSON(history);
      const list = (JSON.parse(json) as { events: { eventType: string }[] }).events;
      events += list.length;
      bytes += Buffer.byteLength(json);
      for (const e of list) {
        const kind = e.eventType.replace(/^EVENT_TYPE_/, '');
        if (/WORKFLOW_TASK_COMPLETED|MARKER_RECORDED|ACTIVITY_TASK_SCHEDULED|TIMER_STARTED|UPDATE_ACCEPTED|UPSERT/.test(kind)) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    const n = Math.min(SAMPLE, ROWS);
    const per = [...kinds].map(([k, v]) => `${k.toLowerCase()} ${(v / n).toFixed(1)}`).join(', ');
    say(`history of an imported project (mean of ${n}): ${(events / n).toFixed(1)} events, ${(bytes / n / 1024).toFixed(1)} KiB as JSON; ${per}`);
    for (const r of wrongActions.slice(0, 5)) say(`  row ${r.row} ${r.code}: ${r.result}, ${r.actions} actions${r.problem ? `: ${r.problem}` : ''}`);
    for (const m of mismatches.slice(0, 10)) say(`  ${m}`);
    failed = !ok;
  } finally {
    await app.close();
    worker.kill('SIGTERM');
    await exited;
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
