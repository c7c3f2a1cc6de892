import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { registerSearchAttributes } from '../embedded-services.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../libs/temporal/project.contract.js';

/** The Temporal release built by scripts/prod-stack/build-temporal.sh (pinned in scripts/prod-stack/temporal-server/go.mod). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** Where the built server, its SQL tool, schemas and base config are. */
export interface TemporalServerBuild {
  dir: string;
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the module: `temporal/versioned` and `visibility/versioned` under it. */
  schemaDir: string;
}

/** Thrown when the server has not been built; the message says how to build it. */
export class TemporalServerMissingError extends Error {
  constructor(dir: string) {
    super(
      `the Temporal server ${TEMPORAL_SERVER_VERSION} is not built in ${dir}. Build it once (about 4 minutes on 2 cores, needs Go >= 1.25): ` +
        '`bash scripts/prod-stack/build-temporal.sh` (or `npm run stack:prod -- build`); TEMPORAL_SERVER_DIR points at another folder.',
    );
    this.name = 'TemporalServerMissingError';
  }
}

/**
 * Locates the server built by build-temporal.sh: `TEMPORAL_SERVER_DIR`, else `.tools/temporal-server/`.
 * @throws TemporalServerMissingError when the binaries or schemas are not there
 */
export function temporalServerBuild(): TemporalServerBuild {
  const dir = process.env.TEMPORAL_SERVER_DIR ? path.resolve(process.env.TEMPORAL_SERVER_DIR) : path.join(projectRoot(), '.tools', 'temporal-server');
  const build = {
    dir,
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    schemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
  };
  if (!existsSync(build.server) || !existsSync(build.sqlTool) || !existsSync(build.schemaDir)) throw new TemporalServerMissingError(dir);
  return build;
}

/** The PostgreSQL server Temporal persists to (one superuser for both of its databases). */
export interface TemporalDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The databases Temporal's SQL tool creates and migrates: name and schema folder under schema/postgresql/v12. */
const TEMPORAL_DATABASES = [
  { db: 'temporal', schema: 'temporal' },
  { db: 'temporal_visibility', schema: 'visibility' },
] as const;

/**
 * Creates Temporal's two databases (`temporal`, `temporal_visibility`) when missing and brings their schemas to the
 * build's version with `temporal-sql-tool` (create-database, setup-schema -v 0.0, update-schema -d <versioned>),
 * as Temporal documents for SQL persistence. Safe on every start: update-schema applies only versions not yet applied.
 * @param existing names of the databases that already exist on the server
 * @throws Error with the tool's output when a step fails
 */
export function migrateTemporalDatabases(build: TemporalServerBuild, pg: TemporalDatabase, existing: ReadonlySet<string>, log: (line: string) => void): void {
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--pw', pg.password];
  const run = (args: string[]): void => {
    const r = spawnSync(build.sqlTool, [...base, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`temporal-sql-tool ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  };
  for (const { db, schema } of TEMPORAL_DATABASES) {
    if (!existing.has(db)) {
      run(['--db', db, 'create-database']);
      run(['--db', db, 'setup-schema', '-v', '0.0']);
      log(`created database ${db}`);
    }
    run(['--db', db, 'update-schema', '-d', path.join(build.schemaDir, schema, 'versioned')]);
  }
}

/** Loopback ports of one Temporal server: the frontend's gRPC port and the ones derived from it. */
export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** Membership (ringpop) ports of frontend, history, matching, worker. */
  membership: [number, number, number, number];
  /** The server's Prometheus endpoint (tally), http://127.0.0.1:<port>/metrics. */
  metrics: number;
}

/**
 * The ports of a server whose frontend listens on `frontend`: history +1, matching +2, worker +3, HTTP API +4,
 * membership +5…+8, metrics +9 (the pprof endpoint is off).
 */
export function temporalPorts(frontend: number): TemporalPorts {
  return {
    frontend,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 3,
    frontendHttp: frontend + 4,
    membership: [frontend + 5, frontend + 6, frontend + 7, frontend + 8],
    metrics: frontend + 9,
  };
}

/** Every port of {@link temporalPorts}, for a free-port check. */
export function allTemporalPorts(p: TemporalPorts): number[] {
  return [p.frontend, p.history, p.matching, p.worker, p.frontendHttp, ...p.membership, p.metrics];
}

/**
 * The server's static configuration: Temporal's config/development-postgres12.yaml (of the pinned module) with the
 * stack's loopback ports, its PostgreSQL, 4 history shards (as docker-compose.yml; fixed for the life of the database),
 * archival off, and the dynamic config of deploy/temporal/dynamicconfig/development.yaml — the file the compose
 * stack mounts, which turns Workflow Updates on.
 */
export function temporalConfigYaml(pg: TemporalDatabase, ports: TemporalPorts, dynamicConfigFile: string, logLevel: string): string {
  const store = (db: string, maxConns: number): string => `      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "${pg.host}:${pg.port}"
        connectProtocol: "tcp"
        user: "${pg.user}"
        password: "${pg.password}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: string, grpc: number, membership: number, extra = ''): string => `  ${name}:
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  return `# Written by scripts/prod-stack at each start; base: go.temporal.io/server@${TEMPORAL_SERVER_VERSION}/config/development-postgres12.yaml
log:
  stdout: true
  level: ${logLevel}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${store('temporal', 10)}
    postgres-visibility:
${store('temporal_visibility', 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${ports.metrics}"

services:
${service('frontend', ports.frontend, ports.membership[0], `\n      httpPort: ${ports.frontendHttp}`)}
${service('history', ports.history, ports.membership[1])}
${service('matching', ports.matching, ports.membership[2])}
${service('worker', ports.worker, ports.membership[3])}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "${dynamicConfigFile}"
  pollInterval: "10s"
`;
}

/**
 * Writes the server's config into `<dir>/config/production.yaml` and returns a function that starts one run of the
 * server from `dir` (its log appended to `logFile`).
 */
export function prepareTemporalServer(
  build: TemporalServerBuild,
  dir: string,
  pg: TemporalDatabase,
  ports: TemporalPorts,
  logFile: string,
  logLevel = 'warn',
): () => ChildProcess {
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  const dynamicConfig = path.join(projectRoot(), 'deploy', 'temporal', 'dynamicconfig', 'development.yaml');
  writeFileSync(path.join(dir, 'config', 'production.yaml'), temporalConfigYaml(pg, ports, dynamicConfig, logLevel));
  return () => {
    const out = openSync(logFile, 'a');
    return spawn(build.server, ['--root', dir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'], {
      cwd: dir,
      stdio: ['ignore', out, out],
    });
  };
}

/**
 * Waits until the frontend at `address` answers, then makes `namespace` exist (retention `retentionDays`) and hold
 * the project workflow's custom search attributes, and waits until the namespace serves visibility queries (a new
 * namespace reaches the frontend's cache within about 10 s).
 * @returns the names of the search attributes it registered
 * @throws Error when the server does not answer within `waitMs`
 */
export async function prepareNamespace(address: string, namespace: string, retentionDays: number, waitMs: number, log: (line: string) => void): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  const retry = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        return await fn();
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error(`Temporal at ${address}: ${what} did not succeed within ${waitMs / 1000} s: ${String(last)}`);
  };
  const connection = await retry('connect', async () => {
    const c = await Connection.connect({ address, connectTimeout: '2 seconds' });
    await c.workflowService.getSystemInfo({});
    return c;
  });
  try {
    const exists = await connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await retry('register the namespace', () =>
        connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) }),
      );
      log(`registered namespace '${namespace}' (retention ${retentionDays} days)`);
    }
    const registered = await retry('register the search attributes', () => registerSearchAttributes(connection, namespace));
    for (const name of registered) log(`registered search attribute ${name} (${SEARCH_ATTRIBUTE_REGISTRATIONS.find((a) => a.name === name)?.type})`);
    await retry('list workflows in the namespace', () => connection.workflowService.countWorkflowExecutions({ namespace, query: '' }));
    return registered;
  } finally {
    await connection.close();
  }
}
