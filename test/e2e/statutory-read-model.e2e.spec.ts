import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { setTimeout as delay } from 'node:timers/promises';
import { projectFromView } from '../../apps/api/src/projects/project.mapper.js';
import { toShanghaiDate, WorkingDayCalendar } from '../../libs/calendar/index.js';
import { latestTrackDefinition, ProjectState, promiseStatus, toProjectView, type Actor, type ClockDeadline, type GovernmentTime, type ProjectView } from '../../libs/domain/index.js';
import { ProjectReadModelRepository } from '../../libs/persistence/index.js';
import { detailQuery, projectWorkflowId } from '../../libs/temporal/project.contract.js';
import { API, ApiClient, officer, projectCode, SUPERVISOR, withCaller } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { plannedDeadline } from '../support/deadlines.js';

/*
 * Issue 7 over HTTP: what a supervisor sees of the statutory tier (法定时限) and of government time
 * (政府审批用时) in GET /supervision/stuck, GET /supervision/summary and GET /projects/{code}. Most rows are
 * written as the workflow's activity writes them (ProjectState → toProjectView → applyProject) with the
 * statutory flags set as the workflow sets them; one project goes through the real workflow with a back-dated
 * acceptance. Working days are counted to AS_OF 2026-11-20 (a Friday) on the official 2026 calendar:
 * (6 Nov, 20 Nov] holds 10 working days, (9 Oct, 20 Nov] 31, (30 Sep, 20 Nov] 33.
 */

const AS_OF = '2026-11-20';
const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const OFFICER: Actor = { id: 'officer-1', department: null };
const STATUTORY = projectCode(971);
const RED = projectCode(972);
const QUIET = projectCode(973);
const REAL = projectCode(979);

/** A planned deadline whose alerts, the statutory one included, have fired. */
const deadline = (dueOn: string, statutoryDueOn: string): ClockDeadline => plannedDeadline(dueOn, statutoryDueOn, ['yellow', 'red', 'statutory']);

/** Government time of `workingDays` on every step given, measured against the standard track's promises. */
function governmentTime(workingDays: number, perStep: Record<string, number>): GovernmentTime {
  return {
    asOf: AS_OF,
    workingDays,
    stepWorkingDaysTotal: Object.values(perStep).reduce((a, b) => a + b, 0),
    perStep,
    promises: (latestTrackDefinition('standard').governmentTimePromises ?? []).map((p) => promiseStatus(p, workingDays)),
  };
}

interface Seed {
  code: string;
  accept: string[];
  steps?: Record<string, { deadline: ClockDeadline; statutoryOverdue: boolean }>;
  governmentTime?: GovernmentTime;
  lastProgressAt: string;
}

async function seed(repo: ProjectReadModelRepository, s: Seed): Promise<void> {
  const { state, entries } = ProjectState.register(
    latestTrackDefinition('standard'),
    { code: s.code, name: `法定时限项目 ${s.code.slice(-3)}`, track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2026-09-01' },
    { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
  );
  for (const key of s.accept) entries.push(...state.applyStepAction(key, { action: 'accept' }, { at: '2026-09-02T02:00:00.000Z', actor: OFFICER }));
  if (s.governmentTime) state.applyGovernmentTime(s.governmentTime);
  const view: ProjectView = toProjectView(state);
  const steps = Object.entries(s.steps ?? {});
  for (const [key, set] of steps) Object.assign(view.steps.find((x) => x.key === key)!, { ...set, light: 'red' });
  Object.assign(view, {
    light: steps.length > 0 ? 'red' : 'green',
    overdueSteps: steps.length,
    statutoryOverdueSteps: steps.filter(([, set]) => set.statutoryOverdue).length,
    lastProgressAt: new Date(s.lastProgressAt).toISOString(),
    version: 50,
  });
  await repo.applyProject(view, entries);
}

interface StuckItem {
  code: string;
  statutoryOverdueSteps: Array<Record<string, unknown>>;
  reasons: Array<{ kind: string; step: string | null; department: string | null; workingDays: number | null; detail: string }>;
}

describe('statutory read model (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  const stuck = (query: Record<string, unknown>) => withCaller(request(stack.baseUrl).get(`${API}/supervision/stuck`), SUPERVISOR).query(query);
  const summary = (query: Record<string, unknown>) => withCaller(request(stack.baseUrl).get(`${API}/supervision/summary`), SUPERVISOR).query(query);

  beforeAll(async () => {
    stack = await startTestStack('e2e_statutory_read_model', { env: { CATCH_UP_HOLD_MS: '1000' } });
    api = new ApiClient(stack.baseUrl);
    const repo = new ProjectReadModelRepository(stack.dataSource);
    await seed(repo, {
      code: STATUTORY,
      accept: ['project_filing', 'land_prereview'],
      steps: { land_prereview: { deadline: deadline('2026-10-09', '2026-11-06'), statutoryOverdue: true } },
      governmentTime: governmentTime(55, { project_filing: 55, land_prereview: 55 }),
      lastProgressAt: '2026-11-19T10:00:00+08:00',
    });
    await seed(repo, {
      code: RED,
      accept: ['project_filing'],
      steps: { project_filing: { deadline: deadline('2026-09-30', '2026-12-15'), statutoryOverdue: false } },
      governmentTime: governmentTime(101, { project_filing: 101 }),
      lastProgressAt: '2026-11-19T10:00:00+08:00',
    });
    await seed(repo, { code: QUIET, accept: [], lastProgressAt: '2026-11-19T10:00:00+08:00' });
  }, 120_000);
  afterAll(async () => stack?.close());

  it('lists a project past a statutory limit before an older red one, its statutory steps apart and the graver reason first', async () => {
    const res = await stuck({ asOf: AS_OF });
    expect(res.status).toBe(200);
    const items = (res.body as { items: StuckItem[] }).items;
    expect(items.map((p) => p.code)).toEqual([STATUTORY, RED]);
    expect(items[0]!.statutoryOverdueSteps).toEqual([
      {
        step: 'land_prereview',
        name: 'Land pre-review and site selection',
        department: 'natural_resources',
        state: 'in_review',
        statutoryDueOn: '2026-11-06',
        statutoryDueAt: '2026-11-07T00:00:00.000+08:00',
      },
    ]);
    expect(items[0]!.reasons).toEqual([
      {
        kind: 'statutory_overdue',
        step: 'land_prereview',
        department: 'natural_resources',
        workingDays: 10,
        detail: 'Land pre-review and site selection: statutory limit (法定时限) ended 2026-11-06, 10 working days over',
      },
      { kind: 'overdue', step: 'land_prereview', department: 'natural_resources', workingDays: 31, detail: expect.stringContaining('due 2026-10-09') },
    ]);
    expect(items[1]!.statutoryOverdueSteps).toEqual([]);
    expect(items[1]!.reasons.map((r) => [r.kind, r.step, r.workingDays])).toEqual([['overdue', 'project_filing', 33]]);
  });

  it('filters the stuck list by kind=statutory_overdue', async () => {
    const res = await stuck({ asOf: AS_OF, kind: 'statutory_overdue' });
    expect(res.status).toBe(200);
    expect((res.body as { items: StuckItem[]; total: number }).items.map((p) => p.code)).toEqual([STATUTORY]);
  });

  it('counts the statutory overdue apart in the summary and sums government time with the promises exceeded', async () => {
    const res = await summary({ asOf: AS_OF, district: '越城区' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      projects: 3,
      stuck: { total: 2, statutoryOverdue: 1, overdue: 2, idle: 0, atRisk: 0 },
      statutoryOverdue: { projects: 1, steps: 1, byDepartment: [{ department: 'natural_resources', steps: 1, projects: 1 }] },
      governmentTime: {
        projects: 2,
        workingDaysTotal: 156,
        workingDaysAverage: 78,
        byPromise: [
          { key: 'pre_groundbreaking', nameZh: '开工前审批最多100天', projects: 2, exceeded: 1 },
          { key: 'whole_process', nameZh: '全流程审批最多90天', projects: 2, exceeded: 1 },
        ],
      },
    });
  });

  it('shows the statutory tier and government time on the project read from the read model', async () => {
    const body = (await api.projectOk(STATUTORY)) as unknown as Record<string, unknown> & { steps: Array<Record<string, unknown>> };
    expect(body).toMatchObject({ statutoryOverdueSteps: 1, approvalRoute: 'filing', expiries: [], facts: [], governmentTime: { workingDays: 55 } });
    expect(body.steps.find((s) => s.key === 'land_prereview')).toMatchObject({
      statutoryOverdue: true,
      statutoryDueOn: '2026-11-06',
      statutoryDueAt: '2026-11-07T00:00:00.000+08:00',
      statutoryLimit: { value: 20, unit: 'working_days' },
      extensionCap: { value: 10 },
      governmentWorkingDays: 55,
      deemedAccepted: false,
    });
  });

  it('documents the new fields in the OpenAPI document', async () => {
    const doc = (await request(stack.baseUrl).get('/docs/openapi.json')).body as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const props = (name: string) => Object.keys(doc.components.schemas[name]?.properties ?? {});
    expect(props('StepDto')).toEqual(
      expect.arrayContaining(['statutoryLimit', 'limitUnitAsWritten', 'statutoryDueOn', 'statutoryOverdue', 'jointGroup', 'extensionCap', 'extension', 'receivedAt', 'deemedAccepted', 'certificate', 'governmentWorkingDays']),
    );
    expect(props('ProjectDto')).toEqual(expect.arrayContaining(['statutoryOverdueSteps', 'approvalRoute', 'expiries', 'facts', 'governmentTime']));
    expect(props('StuckProjectDto')).toContain('statutoryOverdueSteps');
    expect(props('SupervisionSummaryDto')).toEqual(expect.arrayContaining(['statutoryOverdue', 'governmentTime']));
    expect(props('GovernmentTimeSummaryDto')).toEqual(['projects', 'workingDaysTotal', 'workingDaysAverage', 'byPromise']);
  });

  it('carries a real statutory overdue from the workflow to the read model and the stuck list (back-dated acceptance, after the catch-up hold of 1 s)', async () => {
    await api.registerOk(REAL, { signedAt: '2022-04-01', occurredAt: '2022-04-06T09:00:00+08:00' });
    const accepted = await api.act(REAL, 'land_prereview', 'accept', officer('nr-1', 'natural_resources'), { occurredAt: '2022-04-20T10:00:00+08:00' });
    expect(accepted.step).toMatchObject({ state: 'in_review', acceptedAt: '2022-04-20T10:00:00.000+08:00' });
    const deadlineAt = Date.now() + 15_000;
    let project = await api.projectOk(REAL);
    const landPrereview = () => (project.steps as unknown as Array<Record<string, unknown>>).find((s) => s.key === 'land_prereview')!;
    while (landPrereview().statutoryOverdue !== true && Date.now() < deadlineAt) {
      await delay(200);
      project = await api.projectOk(REAL);
    }
    expect(landPrereview()).toMatchObject({ statutoryOverdue: true, light: 'red', statutoryDueOn: expect.stringMatching(/^2022-05-/) });
    expect((project as unknown as { statutoryOverdueSteps: number }).statutoryOverdueSteps).toBe(1);

    // The read model answers what the workflow holds, once it has caught up with the workflow's version.
    const view = await stack.env.client.workflow.getHandle(projectWorkflowId(REAL)).query(detailQuery);
    while (project.version < view.version && Date.now() < deadlineAt) {
      await delay(200);
      project = await api.projectOk(REAL);
    }
    const today = toShanghaiDate(Date.now());
    expect(JSON.parse(JSON.stringify(projectFromView(view, { calendar: WorkingDayCalendar.official(), today })))).toEqual(project);

    // Its statutory deadline (May 2022) is earlier than the seeded one (November 2026): it comes first.
    const listed = ((await stuck({ kind: 'statutory_overdue' })).body as { items: StuckItem[] }).items;
    expect(listed.map((p) => p.code)).toEqual([REAL, STATUTORY]);
    const real = listed.find((p) => p.code === REAL)!;
    expect(real.reasons[0]).toMatchObject({ kind: 'statutory_overdue', step: 'land_prereview', department: 'natural_resources' });
    expect(real.reasons[0]!.workingDays).toBe(WorkingDayCalendar.official().workingDaysBetween(real.statutoryOverdueSteps[0]!.statutoryDueOn as string, today));
  }, 30_000);
});
