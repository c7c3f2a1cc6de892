import { latestTrackDefinition } from '../../libs/domain/index.js';
import { toShanghaiDate, WorkingDayCalendar } from '../../libs/calendar/index.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as delay } from 'node:timers/promises';
import { projectFromView } from '../../apps/api/src/projects/project.mapper.js';
import type { ProjectView, TimelineEntry } from '../../libs/domain/index.js';
import { ProjectReadModelRepository } from '../../libs/persistence/index.js';
import { detailQuery, projectWorkflowId } from '../../libs/temporal/project.contract.js';
import { ApiClient, expectRefusal, officer, projectCode, standardStepOrder, stepOf, type Caller, type ProjectBody } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * What must survive failures: a worker killed half-way through a project, and read-model writes that are
 * retried or arrive late.
 */

/** Polls `check` every 50 ms until it holds (at most `timeoutMs`). */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(50);
  }
}

describe('resilience (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack('e2e_resilience');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  const workflowView = (code: string): Promise<ProjectView> => stack.env.client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery);

  it('loses nothing when the worker is killed and restarted half-way', async () => {
    const code = projectCode(801);
    await api.registerOk(code, { name: '钠离子电池项目' });
    const order = standardStepOrder();
    const half = Math.floor(order.length / 2);
    const sent: Array<{ step: string; type: string; actor: string }> = [];
    const act = async (step: string, action: 'accept' | 'approve', caller: Caller) => {
      // The land title waits for the land price paid in full, reported once the land contract is signed (standard@3).
      if (action === 'accept' && order.find((d) => d.key === step)!.requiresFacts?.includes('land_price_paid')) await api.landPricePaid(code);
      await api.act(code, step, action, caller);
      sent.push({ step, type: action === 'accept' ? 'step.accepted' : 'step.approved', actor: caller.actor! });
    };

    for (const def of order.slice(0, half)) {
      await act(def.key, 'accept', officer(`${def.department}-1`, def.department));
      await act(def.key, 'approve', officer(`${def.department}-1`, def.department));
    }
    const beforeCrash = await api.projectOk(code);

    await stack.stopWorker();
    // Reads come from PostgreSQL and keep working while no worker runs.
    expect(await api.projectOk(code)).toEqual(beforeCrash);

    const next = order[half]!;
    expect(stepOf(beforeCrash, next.key).state).toBe('ready');
    const caller = officer(`${next.department}-2`, next.department, `restart-accept-${code}`);
    const inFlight = api.stepAction(code, next.key, { action: 'accept' }, caller).then((r) => r); // starts the request now
    await delay(1000); // the documented pause: the action waits in Temporal while no worker runs
    expect((await api.projectOk(code)).version).toBe(beforeCrash.version); // not applied without a worker
    await stack.startWorker();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.step).toMatchObject({ key: next.key, state: 'in_review', actor: caller.actor });
    expect(answered.body.project.version).toBeGreaterThan(beforeCrash.version);
    sent.push({ step: next.key, type: 'step.accepted', actor: caller.actor! });

    const replay = await api.stepAction(code, next.key, { action: 'accept' }, caller);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(answered.body);

    await act(next.key, 'approve', officer(`${next.department}-2`, next.department));
    for (const def of order.slice(half + 1)) {
      await act(def.key, 'accept', officer(`${def.department}-3`, def.department));
      await act(def.key, 'approve', officer(`${def.department}-3`, def.department));
    }

    const done = await api.projectOk(code);
    expect(done).toMatchObject({ status: 'completed', stage: latestTrackDefinition('standard').stages.at(-1)!.key });
    // every action once: registration + the actions sent, each raising the version at least once
    expect(done.version).toBeGreaterThanOrEqual(1 + sent.length);

    const timeline = await api.timelineOk(code);
    expect(timeline.map((e) => e.seq)).toEqual(Array.from({ length: timeline.length }, (_, k) => k + 1));
    const actions = timeline.filter((e) => e.type === 'step.accepted' || e.type === 'step.approved');
    expect(actions.map((e) => ({ step: e.step, type: e.type, actor: e.actor }))).toEqual(sent);
    expect(timeline.filter((e) => e.type === 'project.completed')).toHaveLength(1);

    // The read model holds exactly what the workflow holds.
    const ctx = { calendar: WorkingDayCalendar.official(), today: toShanghaiDate(Date.now()) };
    const live = projectFromView(await workflowView(code), ctx) as unknown as ProjectBody;
    expect(done).toEqual(live);
  }, 60_000);

  it('tells a client retrying with the same key while the first request still waits that it is running, and applies it once', async () => {
    const code = projectCode(803);
    await api.registerOk(code);
    const caller = officer('drc-7', 'development_reform', `in-progress-${code}`);
    await stack.stopWorker();
    let restarted = false;
    try {
      const first = api.stepAction(code, 'project_filing', { action: 'accept' }, caller).then((r) => r);
      await until(async () => {
        const rows: Array<{ n: string }> = await stack.dataSource.query(`SELECT count(*) AS n FROM idempotency_records WHERE state = 'in_progress'`);
        return Number(rows[0]!.n) > 0;
      });
      const retry = api.stepAction(code, 'project_filing', { action: 'accept' }, caller).then((r) => r);
      // The retry should answer at once; give it at most ~1 s before bringing the worker back.
      await Promise.race([retry, delay(1000)]);
      await stack.startWorker();
      restarted = true;
      const [a, b] = await Promise.all([first, retry]);
      expect(a.status).toBe(200);
      expectRefusal(b, 409, 'IDEMPOTENCY.IN_PROGRESS', 'still running');
      expect((await api.projectOk(code)).version).toBe(a.body.project.version);
      expect((await api.timelineOk(code)).filter((e) => e.type === 'step.accepted')).toHaveLength(1);
    } finally {
      if (!restarted) await stack.startWorker();
    }
  }, 30_000);

  it('never rolls back nor duplicates timeline rows when a read-model write is retried or arrives late', async () => {
    const code = projectCode(802);
    const drc = officer('drc-1', 'development_reform');
    await api.registerOk(code);
    await api.act(code, 'project_filing', 'accept', drc);
    const olderView = await workflowView(code);
    expect(olderView.version).toBeGreaterThan(1);
    const repo = new ProjectReadModelRepository(stack.dataSource);
    const olderEntries: TimelineEntry[] = (await repo.timeline(code, { page: 1, pageSize: 200 })).items.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      type: e.type,
      step: e.stepKey,
      actor: e.actor,
      actorDepartment: e.actorDepartment,
      comment: e.comment,
      data: e.data,
    }));

    await api.act(code, 'project_filing', 'approve', drc);
    const newerView = await workflowView(code);
    const project = await api.projectOk(code);
    const timeline = await api.timelineOk(code);
    expect(project.version).toBe(newerView.version);
    expect(stepOf(project, 'project_filing').state).toBe('approved');

    // The older version's write arrives after the newer one was stored: nothing changes, nothing is appended.
    expect(await repo.applyProject(olderView, olderEntries)).toEqual({ applied: false, timelineInserted: 0 });
    // The write of the current version is retried: the same.
    expect(await repo.applyProject(newerView, olderEntries)).toEqual({ applied: false, timelineInserted: 0 });
    // A stored seq is never rewritten, even with other content.
    const altered = olderEntries.map((e) => ({ ...e, type: 'project.altered', comment: 'late write' }));
    expect(await repo.applyProject(olderView, altered)).toEqual({ applied: false, timelineInserted: 0 });

    expect(await api.projectOk(code)).toEqual(project);
    expect(await api.timelineOk(code)).toEqual(timeline);
    const rows: Array<{ n: string }> = await stack.dataSource.query('SELECT count(*) AS n FROM timeline_entries WHERE project_code = $1', [code]);
    expect(Number(rows[0]!.n)).toBe(timeline.length);
  });
});
