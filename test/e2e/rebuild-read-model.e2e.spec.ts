import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TimelineEntry } from '../../libs/domain/index.js';
import { ProjectReadModelRepository } from '../../libs/persistence/project-read-model.repository.js';
import { readModelReconciliation } from '../../libs/projection/reconciliation.js';
import { listProjectWorkflows, rebuildReadModel, type RebuildDeps } from '../../libs/projection/read-model-rebuild.js';
import { auditTrailQuery, detailQuery, projectWorkflowId, TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { ApiClient, projectCode, SUPERVISOR } from '../support/api-client.js';
import { driveStep } from '../support/project-builder.js';
import { startExtraApi, startTestStack, type TestStack } from '../support/stack.js';
import { newProjectInput } from '../support/temporal.js';

/** Everything a reader sees of the projects: the list, each detail, each whole timeline and the supervisors' summary. */
async function readEverything(api: ApiClient, codes: string[]): Promise<Record<string, unknown>> {
  const list = await api.projects({ pageSize: 200 });
  expect(list.status).toBe(200);
  const out: Record<string, unknown> = { list: list.body, summary: (await api.get('/api/v1/supervision/summary')).body };
  for (const code of codes) {
    out[`detail ${code}`] = (await api.project(code)).body;
    const pages: unknown[] = [];
    for (let page = 1; ; page++) {
      const res = await api.timeline(code, { page, pageSize: 200 });
      expect(res.status).toBe(200);
      const body = res.body as { items: unknown[]; total: number };
      pages.push(...body.items);
      if (pages.length >= body.total || body.items.length === 0) break;
    }
    out[`timeline ${code}`] = pages;
  }
  return out;
}

/**
 * Waits until each project's read-model row is at the version its workflow answers and the versions stay still for
 * 1.5 s (alerts held by the 1 s catch-up hold have fired): bounded at 20 s, polled.
 */
async function settle(stack: TestStack, codes: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = '';
  let stillSince = Date.now();
  for (;;) {
    const versions: number[] = [];
    let synced = true;
    for (const code of codes) {
      const live = await stack.env.client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery);
      const [row] = (await stack.dataSource.query('SELECT version FROM projects WHERE code = $1', [code])) as Array<{ version: number }>;
      if (!row || Number(row.version) < live.version) synced = false;
      versions.push(live.version);
    }
    const now = JSON.stringify(versions);
    if (now !== last) {
      last = now;
      stillSince = Date.now();
    }
    if (synced && Date.now() - stillSince >= 1500) return;
    if (Date.now() > deadline) throw new Error(`not settled: ${codes.join(', ')} at ${now}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The read model is lost (its tables emptied) while projects run in Temporal; the rebuild brings back every list,
// detail and timeline exactly as it was, from the workflows' state and audit trails.
describe('read model rebuilt from the workflows', () => {
  let stack: TestStack;
  let api: ApiClient;
  let deps: RebuildDeps;
  const acted = projectCode(910001);
  const backDated = projectCode(910002);
  const continued = projectCode(910003);
  const cancelled = projectCode(910004);
  const codes = [acted, backDated, continued, cancelled];

  beforeAll(async () => {
    stack = await startTestStack('rebuild_read_model', { env: { CATCH_UP_HOLD_MS: '1000' } });
    api = new ApiClient(stack.baseUrl);
    deps = { client: stack.env.client, dataSource: stack.dataSource, readModel: new ProjectReadModelRepository(stack.dataSource) };

    await api.registerOk(acted);
    await driveStep(api, acted, 'project_filing', 'approved');
    await driveStep(api, acted, 'land_prereview', 'supplement_requested');

    await api.registerOk(backDated, { occurredAt: '2022-03-07T09:00:00+08:00' });
    await driveStep(api, backDated, 'project_filing', 'approved', { occurredAt: '2022-03-09T10:00:00+08:00' });

    // Continued-as-new after a few actions (the input's continueAsNewAfterEvents), then acted on again.
    const input = newProjectInput(continued, { continueAsNewAfterEvents: 25 });
    await stack.env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(continued), args: [input] });
    await settle(stack, [continued]);
    await driveStep(api, continued, 'project_filing', 'approved');
    await driveStep(api, continued, 'land_prereview', 'approved');
    await driveStep(api, continued, 'planning_permit', 'in_review').catch(() => undefined);

    await api.registerOk(cancelled);
    await driveStep(api, cancelled, 'project_filing', 'in_review');
    const cancel = await api.projectAction(cancelled, { action: 'cancel', comment: '投资方撤回（测试）' }, SUPERVISOR);
    expect(cancel.status).toBe(200);
    await stack.env.client.workflow.getHandle(projectWorkflowId(cancelled)).result();
    await settle(stack, [acted, backDated, continued]);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('brings back every list, detail and timeline entry for entry, and a second run writes nothing', async () => {
    // The continued project really runs in a later run, and its trail still starts at the registration.
    const listed = await listProjectWorkflows(stack.env.client);
    const chain = listed.find((p) => p.code === continued);
    expect(chain?.earlierRunIds.length).toBeGreaterThan(0);
    const page = await stack.env.client.workflow.getHandle(projectWorkflowId(continued)).query(auditTrailQuery, {});
    expect(page.firstKnownSeq).toBe(1);
    expect(page.entries[0]?.type).toBe('project.registered');
    // Every officer action carries its idempotency key in the trail.
    const actions = page.entries.filter((e: TimelineEntry) => e.actor !== null && e.actor.includes('officer'));
    expect(actions.length).toBeGreaterThan(0);
    expect(page.requests.length).toBeGreaterThanOrEqual(4);

    const before = await readEverything(api, codes);
    expect((before.list as { total: number }).total).toBe(4);
    for (const code of codes) expect((before[`timeline ${code}`] as unknown[]).length).toBeGreaterThan(3);
    await stack.dataSource.query('TRUNCATE projects, project_steps, timeline_entries CASCADE');
    expect((await api.project(acted)).status).toBe(404);

    const progress: number[] = [];
    const report = await rebuildReadModel(deps, { batchSize: 2, concurrency: 2, onProgress: (p) => progress.push(p.done) });
    expect(report).toMatchObject({ inTemporal: 4, inReadModelBefore: 0, inReadModelAfter: 4, lacking: 4, written: 4, failed: [], gaps: [], stopped: false });
    expect(progress).toEqual([2, 4]);
    const after = await readEverything(api, codes);
    expect(after).toEqual(before);

    const again = await rebuildReadModel(deps);
    expect(again).toMatchObject({ inTemporal: 4, inReadModelAfter: 4, lacking: 0, written: 0, entriesInserted: 0 });
  }, 120_000);

  it('stops after the batch in progress and resumes where it stopped', async () => {
    await stack.dataSource.query('TRUNCATE projects, project_steps, timeline_entries CASCADE');
    const stop = new AbortController();
    const first = await rebuildReadModel(deps, { batchSize: 1, concurrency: 1, onProgress: () => stop.abort(), signal: stop.signal });
    expect(first).toMatchObject({ stopped: true, written: 1, inReadModelAfter: 1 });
    const rest = await rebuildReadModel(deps, { scope: 'missing' });
    expect(rest).toMatchObject({ stopped: false, lacking: 3, written: 3, inReadModelAfter: 4 });
    // A read model held behind (a row at an older version, its last entries missing) is brought forward.
    const whole = (await api.timeline(acted)).body as unknown;
    await stack.dataSource.query(`UPDATE projects SET version = version - 1 WHERE code = $1`, [acted]);
    await stack.dataSource.query(`DELETE FROM timeline_entries WHERE project_code = $1 AND seq > 3`, [acted]);
    const behind = await rebuildReadModel(deps);
    expect(behind.written).toBe(1);
    expect(behind.entriesInserted).toBeGreaterThan(0);
    expect((await api.timeline(acted)).body).toEqual(whole);
  }, 120_000);

  it('an API started on a read model that lacks projects rebuilds them at start; readiness names it until done', async () => {
    const whole = await readEverything(api, codes);
    await stack.dataSource.query('TRUNCATE projects, project_steps, timeline_entries CASCADE');
    const phases: string[] = [];
    const extra = await startExtraApi({});
    try {
      const deadline = Date.now() + 20_000;
      let ready = await fetch(`${extra.base}/api/v1/health/ready`);
      while (ready.status !== 200 && Date.now() < deadline) {
        const body = (await ready.json()) as { checks?: { readModel?: { message?: string } } };
        if (body.checks?.readModel?.message) phases.push(body.checks.readModel.message);
        await new Promise((r) => setTimeout(r, 50));
        ready = await fetch(`${extra.base}/api/v1/health/ready`);
      }
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { info: { readModel: Record<string, unknown> } };
      expect(body.info.readModel).toMatchObject({ status: 'up', phase: 'done', inTemporal: 4, inReadModel: 4, message: 'read model holds the 4 project workflow(s)' });
      // Never ready before the comparison with Temporal: first "comparing", then "lacks 4; rebuilding".
      for (const m of phases) expect(m).toMatch(/^(comparing the read model with the project workflows in Temporal|read model lacks 4 project\(s\); rebuilding)/);
      expect(await readEverything(api, codes)).toEqual(whole);
      expect(readModelReconciliation.state().phase).toBe('done');
    } finally {
      await extra.app.close();
    }
  }, 120_000);
});
