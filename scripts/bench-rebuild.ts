/*
 * `npm run bench:rebuild`: the rate of `npm run rebuild-read-model`. Starts its own embedded PostgreSQL in a temp folder
 * and a project worker in this process, and a Temporal server: by default its own dev server, keeping its state in
 * a SQLite file in the temp folder (the dev server's in-memory store crashed with SIGSEGV at about 59,000 project
 * workflows here); with BENCH_TEMPORAL_ADDRESS, an existing server instead (for example the production-shaped stack
 * on PostgreSQL, `npm run stack:prod`, at 127.0.0.1:7333), where it registers a namespace of its own with the six
 * search attributes and deletes it at the end. Starts BENCH_PROJECTS project workflows (default 1000; every other
 * one with its first step accepted, so trails differ), waits until the read model holds them all, empties the read
 * model's tables (as after its loss) — before that it prints the memory the running projects take: the worker's
 * resident memory and the read model's bytes per project — then runs the real command (dist/scripts/rebuild-read-model.js, its own
 * process, BENCH_CONCURRENCY queries at once, default 8) and prints its output, the projects per second and its
 * peak resident memory, and checks the counts and the timeline entries against those before the loss. Leaves
 * nothing behind. A script, not a test: the figures depend on the machine. 10,000 and 100,000 projects:
 * `BENCH_PROJECTS=10000 npm run bench:rebuild`, `BENCH_PROJECTS=100000 npm run bench:rebuild`.
 *
 * Starting 100,000 project workflows takes about two hours here, so the two halves can run apart on a state kept in
 * a folder (the dev server's SQLite file and the read model's cluster): `BENCH_STATE_DIR=<folder> BENCH_PHASE=start`
 * starts the projects (stopped with Ctrl-C or SIGTERM, run again it resumes, redoing what the read model does not
 * show done) and prints the memory; `BENCH_STATE_DIR=<folder> BENCH_PHASE=rebuild` then waits until the worker has caught up
 * (the day's roll-over, if the day changed in between, wakes every project) and times the loss and the rebuild.
 * The folder is kept; remove it by hand. `BENCH_PHASE=all` (the default) does both, as above.
 */
import 'reflect-metadata';
import { Connection, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProjectWorker, productionActivities } from '../apps/worker/worker.js';
import { latestTrackDefinition } from '../libs/domain/index.js';
import { openDatabase } from '../libs/persistence/index.js';
import { PROJECT_WORKFLOWS_QUERY } from '../libs/projection/read-model-rebuild.js';
import { temporalCliPath } from '../libs/temporal/binaries.js';
import { createTemporalClient } from '../libs/temporal/connection.js';
import { prepareNamespace } from './prod-stack/temporal-server.js';
import { projectWorkflowId, SEARCH_ATTRIBUTES, stepActionUpdate, TASK_QUEUE, type NewProjectInput } from '../libs/temporal/project.contract.js';
import { startEmbeddedPostgres } from './embedded-services.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** A folder to keep the servers' state in across runs (see the file's comment); absent: a temp folder, removed. */
const STATE_DIR = process.env.BENCH_STATE_DIR;
const PHASES = ['all', 'start', 'rebuild'] as const;
type Phase = (typeof PHASES)[number];
const PHASE = (process.env.BENCH_PHASE ?? 'all') as Phase;

/** A setting the bench cannot run with: printed as its reason alone, exit code 2. */
class BenchSettingsError extends Error {}

/** Set by SIGINT or SIGTERM: no more projects are started, and the run lets go of its servers in order. */
let stopping = false;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Runs `fn` for 0..n-1 with at most `limit` at once. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function counts(ds: import('typeorm').DataSource): Promise<{ projects: number; entries: number }> {
  const [r] = (await ds.query('SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM timeline_entries)::int AS entries')) as Array<{ projects: number; entries: number }>;
  return r!;
}

/** The Temporal server the bench runs on: its address, the namespace, a client, a worker connection and how to let go of it. */
interface BenchTemporal {
  address: string;
  namespace: string;
  client: Client;
  workerConnection: NativeConnection;
  teardown: () => Promise<void>;
}

/** A dev server of the bench's own, its state in a SQLite file under `tmp`. */
async function ownDevServer(tmp: string): Promise<BenchTemporal> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      dbFilename: path.join(tmp, 'temporal.sqlite'),
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      extraArgs: ['--log-level', 'error'],
    },
  });
  return { address: env.connection.options.address, namespace: 'default', client: env.client, workerConnection: env.nativeConnection, teardown: () => env.teardown() };
}

/**
 * A fresh namespace on the server at `address` (one day's retention), with the project contract's search attributes,
 * prepared as the production-shaped stack prepares its own (prepareNamespace: registered, then waited for until the
 * server serves it); the namespace is deleted at teardown, or at once when preparing it fails.
 */
async function existingServer(address: string): Promise<BenchTemporal> {
  const namespace = `bench-rebuild-${Date.now()}`;
  const connection = await Connection.connect({ address });
  const letGo = async (): Promise<void> => {
    await connection.operatorService.deleteNamespace({ namespace }).catch((err: unknown) => say(`namespace ${namespace} left behind: ${String(err)}`));
    await connection.close();
  };
  try {
    await prepareNamespace(address, namespace, 1, 120_000, (line) => say(`  ${line}`));
  } catch (err) {
    await letGo();
    throw err;
  }
  say(`namespace ${namespace} registered on ${address}`);
  const workerConnection = await NativeConnection.connect({ address });
  return {
    address,
    namespace,
    client: createTemporalClient(connection, namespace),
    workerConnection,
    teardown: async () => {
      await workerConnection.close();
      await letGo();
    },
  };
}

/** Waits until the read model holds `n` projects; throws when its count has not grown for `stallMs` (a worker that stopped writing). */
async function untilReadModelHolds(ds: import('typeorm').DataSource, n: number, stallMs = 120_000): Promise<void> {
  let last = -1;
  let grewAt = Date.now();
  for (;;) {
    const { projects } = await counts(ds);
    if (projects >= n) return;
    if (projects > last) [last, grewAt] = [projects, Date.now()];
    if (Date.now() - grewAt > stallMs) throw new Error(`the read model holds ${projects} of ${n} projects and has not grown for ${stallMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Prints what the running projects cost in memory: the resident memory of this process, which hosts the project worker
 * (with its workflow cache) and the bench's client, and the read model's bytes per project (its four tables with their
 * indexes and TOAST, in PostgreSQL), beside Flowable's 6.4 KiB per process instance (the figure of the province-scale
 * goals, measured with only Flowable's own indexes).
 */
async function printMemory(ds: import('typeorm').DataSource, worker: Worker, projects: number): Promise<void> {
  const { rss, heapUsed } = process.memoryUsage();
  const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
  say(`memory with ${projects} running projects: the worker's process resident ${mib(rss)} (JS heap used ${mib(heapUsed)}; workflow cache up to ${worker.options.maxCachedWorkflows} runs)`);
  const tables = (await ds.query(
    `SELECT t::text AS name, pg_total_relation_size(t)::bigint AS bytes, pg_indexes_size(t)::bigint AS indexes
       FROM unnest(ARRAY['projects', 'project_steps', 'timeline_entries', 'supervision_counts']::regclass[]) t`,
  )) as Array<{ name: string; bytes: string; indexes: string }>;
  const bytes = tables.reduce((sum, t) => sum + Number(t.bytes), 0);
  const perProject = (b: number): string => `${(b / projects / 1024).toFixed(1)} KiB`;
  say(`read model: ${mib(bytes)} for ${projects} projects = ${perProject(bytes)} per project (tables, indexes and TOAST; Flowable: 6.4 KiB per instance)`);
  for (const t of tables) say(`  ${t.name}: ${perProject(Number(t.bytes))} per project, of which indexes ${perProject(Number(t.indexes))}`);
}

/** The project code of the bench's i-th project. */
const benchCode = (i: number): string => `2022-330602-39-03-${String(100000 + i).padStart(6, '0')}`;

/**
 * Starts projects 0..PROJECTS-1 (every other one with its first step accepted, so trails differ), 32 at once, then
 * waits until the read model holds them all and prints their memory. Resumes a stopped run: it goes on from a little
 * below the count of project workflows in Temporal, and first redoes each earlier project the read model does not
 * show done (no row, or its accept not there: a run stopped with its servers, as by a terminal's Ctrl-C, loses the
 * Updates in flight, which may be any of the 32 slots'). A project already started is not started again; its accept is
 * sent again with the same requestId, which the workflow applies once. A start or an Update that fails (a server busy
 * or restarting) is tried again, up to 5 times. Stops starting when `stopping` is set.
 */
async function startProjects(temporal: BenchTemporal, ds: import('typeorm').DataSource, worker: Worker): Promise<void> {
  const definition = latestTrackDefinition('standard');
  const first = definition.steps.find((s) => s.dependsOn.length === 0)!;
  const began = Date.now();
  const inTemporal = (await temporal.client.workflow.count(PROJECT_WORKFLOWS_QUERY)).count;
  const from = Math.max(0, inTemporal - 64);
  const redo = from > 0 ? await unfinishedBefore(ds, from, first.key) : [];
  if (from > 0) say(`resuming: ${inTemporal} project workflows in Temporal; going on from project ${from}, and first redoing ${redo.length} earlier one(s) the read model does not show done`);
  const indices = [...redo, ...Array.from({ length: Math.max(0, PROJECTS - from) }, (_, k) => from + k)];
  const retried = async (what: () => Promise<unknown>): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await what();
        return;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError || attempt === 5 || stopping) throw err;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  };
  await pool(indices.length, 32, async (k) => {
    if (stopping) return;
    const i = indices[k]!;
    const code = benchCode(i);
    const input: NewProjectInput = {
      kind: 'new',
      registration: { code, name: `bench ${i}`, track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-05' },
      definitionVersion: definition.version,
      registeredBy: { id: 'bench', department: 'project_office' },
      requestId: null,
    };
    try {
      await retried(() => temporal.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] }));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Started by the stopped run, whose Update may have been lost with it (a terminal's Ctrl-C kills the servers
      // too): sent again below, with the same requestId, which the workflow answers once.
    }
    if (i % 2 === 0) {
      const action = { step: first.key, action: 'accept' as const, actor: { id: 'bench-officer', department: first.department }, requestId: `bench-${i}` };
      await retried(() => temporal.client.workflow.getHandle(projectWorkflowId(code)).executeUpdate(stepActionUpdate, { args: [action] }));
    }
    if ((i + 1) % 500 === 0) say(`  ${i + 1}/${PROJECTS} projects started (${((Date.now() - began) / 1000).toFixed(0)} s)`);
  });
  if (stopping) {
    say(`stopped after ${((Date.now() - began) / 1000).toFixed(0)} s; run the same command again to resume`);
    return;
  }
  // The read model holds every project once each workflow's first write is done.
  await untilReadModelHolds(ds, PROJECTS);
  await new Promise((r) => setTimeout(r, 3000)); // let the last forecasts and lights land
  const held = await counts(ds);
  say(`${held.projects} projects, ${held.entries} timeline entries in the read model (${((Date.now() - began) / 1000).toFixed(0)} s to start them${from > 0 ? ', this run' : ''})`);
  await printMemory(ds, worker, held.projects);
}

/**
 * The bench's projects before `below` that the read model does not show done: no project row (its first workflow task
 * may not have run), or, for an even one, its first step `firstStep` not accepted.
 */
async function unfinishedBefore(ds: import('typeorm').DataSource, below: number, firstStep: string): Promise<number[]> {
  const rows = (await ds.query(
    `SELECT p.code, s.accepted_at IS NOT NULL AS accepted FROM projects p LEFT JOIN project_steps s ON s.project_code = p.code AND s.step_key = $1`,
    [firstStep],
  )) as Array<{ code: string; accepted: boolean }>;
  const accepted = new Map(rows.map((r) => [r.code, r.accepted]));
  return Array.from({ length: below }, (_, i) => i).filter((i) => {
    const done = accepted.get(benchCode(i));
    return done === undefined || (i % 2 === 0 && !done);
  });
}

/**
 * Waits until the worker has caught up: no project row has been written for `quietMs` (a sum of the rows' versions,
 * polled every 2 s). After a pause across a day's roll-over every project wakes for its lights, and the rebuild should
 * not be timed against that backlog.
 */
async function untilCaughtUp(ds: import('typeorm').DataSource, quietMs = 15_000): Promise<void> {
  const began = Date.now();
  let last = '';
  let sameSince = Date.now();
  for (;;) {
    const [{ versions }] = (await ds.query('SELECT coalesce(sum(version), 0)::text AS versions FROM projects')) as [{ versions: string }];
    if (versions !== last) [last, sameSince] = [versions, Date.now()];
    else if (Date.now() - sameSince >= quietMs) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  say(`the worker has caught up (${((Date.now() - began) / 1000).toFixed(0)} s, no project written for ${quietMs / 1000} s)`);
}

/**
 * Empties the read model, runs the rebuild and prints its figures and check; sets exit code 1 when the check fails.
 * `inTemporal` is the number of project workflows in Temporal. The check compares with the read model before the loss;
 * when that held fewer projects (a rebuild of an earlier run stopped part-way), only with `inTemporal`, and says so.
 */
async function rebuildAndCheck(temporal: BenchTemporal, ds: import('typeorm').DataSource, databaseUrl: string, inTemporal: number): Promise<void> {
  const before = await counts(ds);
  const complete = before.projects === inTemporal;
  say(`before the loss: ${before.projects} projects, ${before.entries} timeline entries in the read model; ${inTemporal} project workflows in Temporal`);
  if (!complete) say(`  the read model held ${before.projects} of the ${inTemporal} projects in Temporal: the check compares the projects with Temporal's count only, not the timeline entries`);
  await ds.query('TRUNCATE projects, project_steps, timeline_entries CASCADE');
  say('read model emptied; running npm run rebuild-read-model');

  const cli = path.join(here, 'rebuild-read-model.js');
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, `--concurrency=${CONCURRENCY}`, '--batch=500'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (b: Buffer) => process.stdout.write(b.toString().split('\n').filter(Boolean).map((l) => `  | ${l}\n`).join('')));
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const seconds = (Date.now() - started) / 1000;
  const after = await counts(ds);
  say(`rebuild of ${inTemporal} projects: exit ${code}, ${seconds.toFixed(1)} s wall (process start included), ${(inTemporal / seconds).toFixed(1)} projects/s`);
  say(`read model after: ${after.projects} projects (before the loss ${before.projects}), ${after.entries} timeline entries (before ${before.entries})`);
  const whole = code === 0 && after.projects === inTemporal && (!complete || after.entries === before.entries);
  const what = complete ? 'every project and timeline entry' : `all ${inTemporal} projects`;
  say(`check: the rebuild exited 0 and brought back ${what}: ${whole ? 'yes → OK' : 'NO'}`);
  if (!whole) process.exitCode = 1;
}

/**
 * Runs the phase asked for (BENCH_PHASE) on the servers given. The rebuild phase rebuilds the projects its folder holds
 * (counted in Temporal; BENCH_PROJECTS is the start's).
 * @throws BenchSettingsError when the rebuild phase finds no project workflow (its folder's start phase never ran)
 */
async function measure(temporal: BenchTemporal, ds: import('typeorm').DataSource, databaseUrl: string, worker: Worker): Promise<void> {
  if (PHASE !== 'rebuild') await startProjects(temporal, ds, worker);
  if (PHASE === 'rebuild') await untilCaughtUp(ds);
  if (PHASE !== 'start' && !stopping) {
    // The one run knows what it started; a rebuild phase counts what its folder holds.
    const inTemporal = PHASE === 'all' ? PROJECTS : (await temporal.client.workflow.count(PROJECT_WORKFLOWS_QUERY)).count;
    if (inTemporal === 0) throw new BenchSettingsError(`${STATE_DIR} holds no project workflow: run BENCH_PHASE=start with it first`);
    await rebuildAndCheck(temporal, ds, databaseUrl, inTemporal);
  }
  say(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

async function main(): Promise<void> {
  if (!(PHASES as readonly string[]).includes(PHASE)) throw new BenchSettingsError(`BENCH_PHASE=${PHASE}: expected one of ${PHASES.join(', ')}`);
  if (PHASE !== 'all' && STATE_DIR === undefined) throw new BenchSettingsError(`BENCH_PHASE=${PHASE} needs BENCH_STATE_DIR, the folder the phases share`);
  if (STATE_DIR !== undefined && process.env.BENCH_TEMPORAL_ADDRESS) throw new BenchSettingsError('BENCH_STATE_DIR keeps the state of the bench\'s own dev server; unset BENCH_TEMPORAL_ADDRESS');
  if (PHASE === 'rebuild' && !existsSync(path.join(STATE_DIR!, 'temporal.sqlite'))) throw new BenchSettingsError(`${STATE_DIR} holds no started projects (no temporal.sqlite): run BENCH_PHASE=start with it first`);
  // The signals are the bench's own: the worker keeps running until the starts in flight (and their Updates) are done.
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      say(`${signal}: stopping (again to quit at once)`);
    });
  }
  const tmp = STATE_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'approvals-bench-rebuild-'));
  mkdirSync(tmp, { recursive: true });
  chmodSync(tmp, 0o755);
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'bench');
  try {
    const existing = process.env.BENCH_TEMPORAL_ADDRESS;
    const temporal = existing ? await existingServer(existing) : await ownDevServer(tmp);
    try {
      const ds = await openDatabase(pgServer.url);
      try {
        const worker = await createProjectWorker({ connection: temporal.workerConnection, namespace: temporal.namespace, activities: productionActivities({ dataSource: ds }) });
        const running = worker.run();
        try {
          await measure(temporal, ds, pgServer.url, worker);
        } finally {
          worker.shutdown();
          await running;
        }
      } finally {
        await ds.destroy();
      }
    } finally {
      await temporal.teardown();
    }
  } finally {
    await pgServer.stop();
    if (STATE_DIR === undefined) rmSync(tmp, { recursive: true, force: true });
    else say(`state kept in ${STATE_DIR}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof BenchSettingsError) {
    process.stderr.write(`bench:rebuild refused: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
