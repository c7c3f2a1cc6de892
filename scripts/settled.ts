/*
 * When is the seeded district settled? When every seeded project's read-model row holds the state its workflow holds:
 * the version the workflow answers to a Query is the version PostgreSQL stores. Back-dated records are facts in the
 * answers that recorded them (lights, overdue and statutory-overdue flags, deemed acceptances), so this holds as soon
 * as the seed's last answers are written; only the catch-up notices come later, and they are not state a reader
 * would miss. `npm start` waits for it before it says it is ready.
 */
import { Connection } from '@temporalio/client';
import { openDatabase, ProjectReadModelRepository } from '../libs/persistence/index.js';
import { createTemporalClient } from '../libs/temporal/connection.js';
import { detailQuery, projectWorkflowId } from '../libs/temporal/project.contract.js';

/** A seeded project that is not settled yet: its code, the workflow's version and the read model's (null: no row). */
export interface UnsettledProject {
  code: string;
  live: number;
  stored: number | null;
}

/**
 * Waits until every project in `codes` is settled: its read-model row is at the version its workflow holds (read
 * with the detail Query, which adds nothing to the history). Polls every 200 ms; no fixed sleep.
 * @param options.temporalAddress host:port of the Temporal frontend
 * @param options.namespace the Temporal namespace of the project workflows
 * @param options.databaseUrl the read model's PostgreSQL URL
 * @param options.codes the projects to wait for (the seed's)
 * @param options.timeoutMs give up after this long (milliseconds, default 60 000)
 * @returns how long it waited, milliseconds
 * @throws Error naming the projects still unsettled (live and stored versions) when the timeout passes
 */
export async function waitForSettledDistrict(options: { temporalAddress: string; namespace: string; databaseUrl: string; codes: readonly string[]; timeoutMs?: number }): Promise<number> {
  const began = Date.now();
  const deadline = began + (options.timeoutMs ?? 60_000);
  const connection = await Connection.connect({ address: options.temporalAddress });
  const ds = await openDatabase(options.databaseUrl);
  try {
    const client = createTemporalClient(connection, options.namespace);
    const readModel = new ProjectReadModelRepository(ds);
    let pending = [...options.codes];
    for (;;) {
      const unsettled: UnsettledProject[] = [];
      for (const code of pending) {
        const live = (await client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery)).version;
        const stored = (await readModel.findProject(code))?.version ?? null;
        if (stored !== live) unsettled.push({ code, live, stored });
      }
      if (unsettled.length === 0) return Date.now() - began;
      if (Date.now() >= deadline) {
        throw new Error(`the seeded district did not settle within ${options.timeoutMs ?? 60_000} ms: ${unsettled.map((u) => `${u.code} (workflow v${u.live}, read model v${u.stored ?? '—'})`).join(', ')}`);
      }
      pending = unsettled.map((u) => u.code);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await ds.destroy();
    await connection.close();
  }
}
