import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeStackPorts, startProdStack, type ProdStack } from '../../scripts/prod-stack/stack.js';
import { temporalServerBuild, TemporalServerMissingError } from '../../scripts/prod-stack/temporal-server.js';
import { TEST_JWT_SECRET } from './tokens.js';

/**
 * Why the production-shaped stack cannot run here, or null when it can: the Temporal server built from its Go module
 * (scripts/prod-stack/build-temporal.sh) must be in .tools/temporal-server/ (or TEMPORAL_SERVER_DIR). Tests use it as
 * `const skip = prodStackUnavailable(); (skip ? describe.skip : describe)(…)` and print `skip` so the reader knows
 * how to build it.
 */
export function prodStackUnavailable(): string | null {
  try {
    temporalServerBuild();
    return null;
  } catch (err) {
    if (err instanceof TemporalServerMissingError) return err.message;
    throw err;
  }
}

/** A production-shaped stack started for a test, with the test's token secret; see {@link startTestProdStack}. */
export interface TestProdStack extends ProdStack {
  /** The stack's folder (PostgreSQL data, Temporal config, logs); removed by stop() unless `keep` was set. */
  dataDir: string;
  /** `kill -9` of one process of the stack (`worker-1`, `api`, `temporal`, `postgres`…); the supervisor restarts it. */
  kill(name: string, signal?: NodeJS.Signals): number;
}

/** Options of {@link startTestProdStack}. */
export interface TestProdStackOptions {
  /** Worker processes (default 2). */
  workers?: number;
  /** Restart crashed processes (default true, as in production). */
  restart?: boolean;
  /** More environment for the API and workers. */
  env?: Record<string, string>;
  /** Keep the data folder after stop() (to read the logs). */
  keep?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/**
 * Starts the production-shaped stack (PostgreSQL, the Temporal server on it, the API and workers as processes from
 * dist/, see scripts/prod-stack/stack.ts) on free loopback ports, in a fresh folder under the OS temp folder (folders
 * of killed runs are removed), with a fresh `default` namespace; the API verifies tokens with TEST_JWT_SECRET (so
 * tokenFor() works). Takes about 20–40 s; give the test's beforeAll a timeout of 180 s. Needs `dist/` built.
 * @throws TemporalServerMissingError (with the build command) when the server is not built
 */
export async function startTestProdStack(name: string, options: TestProdStackOptions = {}): Promise<TestProdStack> {
  const base = path.join(os.tmpdir(), 'approvals-prod-stack');
  mkdirSync(base, { recursive: true });
  chmodSync(base, 0o755);
  for (const entry of readdirSync(base)) {
    const pid = Number(/^(\d+)-/.exec(entry)?.[1]);
    if (!alive(pid)) rmSync(path.join(base, entry), { recursive: true, force: true });
  }
  const dataDir = path.join(base, `${process.pid}-${name.replace(/[^a-z0-9-]/gi, '_')}-${Date.now()}`);
  const { apiPort, pgPort, temporalPort } = await freeStackPorts();
  const stack = await startProdStack({
    dataDir,
    apiPort,
    pgPort,
    temporalPort,
    namespace: 'default',
    workers: options.workers ?? 2,
    jwtSecret: TEST_JWT_SECRET,
    logLevel: 'warn',
    restart: options.restart ?? true,
    env: options.env,
    log: options.log ?? (() => undefined),
  });
  return {
    ...stack,
    dataDir,
    kill: (process: string, signal: NodeJS.Signals = 'SIGKILL') => {
      const pid = stack.pids()[process];
      if (pid === undefined) throw new Error(`no running process '${process}' in the stack (${Object.keys(stack.pids()).join(', ')})`);
      globalThis.process.kill(pid, signal);
      return pid;
    },
    stop: async () => {
      await stack.stop();
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
