/*
 * `npm run rebuild-read-model`: rebuilds the read model (PostgreSQL) from the project workflows (Temporal) — every
 * project the read model lacks or holds behind gets its row, steps, deadlines, facts and whole timeline back, as the
 * workflow knows them. Reads DATABASE_URL, TEMPORAL_ADDRESS (default localhost:7233) and TEMPORAL_NAMESPACE (default
 * `default`); a worker must poll the project task queue (the Queries are answered by it), e.g. the one `npm start`
 * runs. Options: `--scope=missing` (only projects the read model lacks, or holds as running while their workflow
 * closed) or `--scope=all` (default: every running workflow's version too), `--batch=200`, `--concurrency=8`.
 * Ctrl-C stops after the batch in progress; running it again resumes (what was written is skipped as up to date).
 * Exit code: 0 when the read model holds every project workflow, 1 otherwise (stopped, failed or still behind).
 */
import { Connection } from '@temporalio/client';
import { openDatabase } from '../libs/persistence/data-source.js';
import { ProjectReadModelRepository } from '../libs/persistence/project-read-model.repository.js';
import { describeRebuild, rebuildReadModel } from '../libs/projection/read-model-rebuild.js';
import { createTemporalClient } from '../libs/temporal/connection.js';

/** `--name=value` from the command line, or undefined. */
function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

/** A positive integer option, or the default; exits with a message when malformed. */
function intFlag(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got ${raw}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set (postgres://user:pass@host:port/db of the read model)');
    process.exit(2);
  }
  const scopeRaw = flag('scope') ?? 'all';
  if (scopeRaw !== 'all' && scopeRaw !== 'missing') {
    console.error(`--scope must be all or missing, got ${scopeRaw}`);
    process.exit(2);
  }
  const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('stopping after the batch in progress (Ctrl-C again to quit at once)');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  const ds = await openDatabase(databaseUrl);
  const connection = await Connection.connect({ address });
  try {
    const client = createTemporalClient(connection, namespace);
    console.log(`rebuilding the read model from the project workflows of ${address}/${namespace}`);
    const report = await rebuildReadModel(
      { client, dataSource: ds, readModel: new ProjectReadModelRepository(ds) },
      {
        scope: scopeRaw,
        batchSize: intFlag('batch', 200),
        concurrency: intFlag('concurrency', 8),
        signal: stop.signal,
        onPlan: (p) =>
          console.log(
            `projects in Temporal: ${p.inTemporal}; in the read model: ${p.inReadModel}` +
              `${p.lacking > 0 ? ` — read model lacks ${p.lacking} project(s)` : ''}; ${p.candidates} to check`,
          ),
        onProgress: (p) =>
          console.log(`  ${p.done}/${p.total} checked, ${p.written} written, ${p.entriesInserted} entries, ${p.failed} failed, ${(p.elapsedMs / 1000).toFixed(1)} s`),
        onWarning: (m) => console.warn(`  warning: ${m}`),
      },
    );
    for (const line of describeRebuild(report)) console.log(line);
    console.log(`peak resident memory: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    const whole = !report.stopped && report.failed.length === 0 && report.inReadModelAfter >= report.inTemporal;
    process.exitCode = whole ? 0 : 1;
  } finally {
    await connection.close();
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
