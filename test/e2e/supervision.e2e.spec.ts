import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startOfShanghaiDay, toShanghaiDate, WorkingDayCalendar, type IsoDate } from '../../libs/calendar/index.js';
import { idleWindowStart, latestTrackDefinition, ProjectState, toProjectView, type ClockDeadline, type Light, type ProjectForecast, type Supervision } from '../../libs/domain/index.js';
import { CalendarRepository, loadCalendar, ProjectReadModelRepository, SupervisionRepository } from '../../libs/persistence/index.js';
import { API, expectProblem, projectCode, SUPERVISOR, withCaller } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * The supervisors' views over a seeded read model with known answers. Rows are written as the workflow's
 * activity writes them (ProjectState → toProjectView → applyProject), with lights, forecast and supervision
 * set as the workflow would. Working days are counted to asOf 2026-11-20 (a Friday) on the official 2026
 * calendar: National Day 1–7 October are rest days and Saturday 10 October a make-up working day, so
 * (30 Sep, 20 Nov] holds 18 + 15 = 33 working days, (9 Oct, 20 Nov] 31, (30 Oct, 20 Nov] 15,
 * (6 Nov, 20 Nov] 10, (9 Nov, 20 Nov] 9, (13 Nov, 20 Nov] 5.
 */

interface Seed {
  n: number;
  district?: string;
  status?: 'active' | 'suspended' | 'completed';
  approve?: string[];
  accept?: string[];
  red?: Array<{ step: string; dueOn: string }>;
  light?: Light;
  lastProgressAt: string;
  atRisk?: { slack: number; reason: string; finishOn: string };
  supervision?: Supervision;
  /** Default 2026-09-01T02:00:00.000Z. */
  registeredAt?: string;
}

const OFFICER = { id: 'officer-1', department: null };

function deadline(dueOn: string): ClockDeadline {
  const dueAt = new Date(Date.parse(`${dueOn}T00:00:00+08:00`) + 86_400_000).toISOString();
  return { inputKey: 'seed', dueOn, dueAt, provisional: false, stopped: false, yellowAt: null, escalateAt: null, repeatAts: [], repeatsBefore: 0, fired: [], plannedAt: '2026-09-02T02:00:00.000Z' };
}

async function seed(repo: ProjectReadModelRepository, s: Seed): Promise<void> {
  const def = latestTrackDefinition('standard');
  const code = projectCode(s.n);
  const { state, entries } = ProjectState.register(
    def,
    { code, name: `督办测试项目 ${s.n}`, track: 'standard', district: s.district ?? '越城区', investor: null, investmentYuan: null, signedAt: '2026-09-01' },
    { at: s.registeredAt ?? '2026-09-01T02:00:00.000Z', actor: { id: 'po-chen', department: 'project_office' } },
  );
  const ctx = { at: '2026-09-02T02:00:00.000Z', actor: OFFICER };
  for (const key of [...(s.approve ?? []), ...(s.accept ?? [])]) entries.push(...state.applyStepAction(key, { action: 'accept' }, ctx));
  for (const key of s.approve ?? []) entries.push(...state.applyStepAction(key, { action: 'approve' }, { ...ctx, at: '2026-09-03T02:00:00.000Z' }));
  const view = toProjectView(state);
  for (const r of s.red ?? []) {
    const step = view.steps.find((x) => x.key === r.step)!;
    Object.assign(step, { deadline: deadline(r.dueOn), light: 'red' });
  }
  const forecast: ProjectForecast | null = s.atRisk
    ? { computedAt: '2026-11-18T02:00:00.000Z', finishOn: s.atRisk.finishOn, atRisk: true, reason: s.atRisk.reason, slackWorkingDays: s.atRisk.slack, deadlines: [] }
    : null;
  Object.assign(view, {
    status: s.status ?? 'active',
    closedAt: s.status === 'completed' ? '2026-09-10T02:00:00.000Z' : null,
    suspendedAt: s.status === 'suspended' ? '2026-09-30T02:00:00.000Z' : null,
    light: s.light ?? 'green',
    lastProgressAt: new Date(s.lastProgressAt).toISOString(),
    overdueSteps: s.red?.length ?? 0,
    forecast,
    supervision: s.supervision ?? null,
    version: 50,
  });
  await repo.applyProject(view, entries);
}

const AS_OF = '2026-11-20';
const A = projectCode(901);
const B = projectCode(902);
const C = projectCode(903);
const D = projectCode(904);
const E = projectCode(905);
const F = projectCode(906);
const I = projectCode(909);

interface StuckBody {
  items: Array<{ code: string; reasons: Array<Record<string, unknown>>; underSupervision: boolean; supervision: Record<string, unknown> | null } & Record<string, unknown>>;
  total: number;
  page: number;
  pageSize: number;
  asOf: string;
  idleWorkingDays: number;
}

describe('supervision API (e2e)', () => {
  let stack: TestStack;
  const stuck = (query: Record<string, unknown>) => withCaller(request(stack.baseUrl).get(`${API}/supervision/stuck`), SUPERVISOR).query(query);
  const summary = (query: Record<string, unknown>) => withCaller(request(stack.baseUrl).get(`${API}/supervision/summary`), SUPERVISOR).query(query);
  const codes = (res: request.Response) => (res.body as StuckBody).items.map((p) => p.code);

  beforeAll(async () => {
    stack = await startTestStack('e2e_supervision');
    const repo = new ProjectReadModelRepository(stack.dataSource);
    const seeds: Seed[] = [
      { n: 901, accept: ['project_filing', 'land_prereview'], red: [{ step: 'project_filing', dueOn: '2026-11-13' }, { step: 'land_prereview', dueOn: '2026-11-06' }], light: 'red', lastProgressAt: '2026-11-19T10:00:00+08:00' },
      {
        n: 902,
        accept: ['project_filing'],
        red: [{ step: 'project_filing', dueOn: '2026-09-30' }],
        light: 'red',
        lastProgressAt: '2026-10-09T15:00:00+08:00',
        atRisk: { slack: -7, reason: 'groundbreaking promise: forecast 2027-01-15 after 2026-12-31', finishOn: '2027-01-15' },
        supervision: { step: 'project_filing', department: 'development_reform', since: '2026-11-10T01:00:00.000Z', by: 'po-chen', comment: '请发改局三日内办结' },
      },
      { n: 903, approve: ['land_prereview'], light: 'yellow', lastProgressAt: '2026-11-18T10:00:00+08:00', atRisk: { slack: -12, reason: 'joint acceptance cannot fit before 2026-12-31', finishOn: '2027-01-20' } },
      { n: 904, approve: ['project_filing', 'land_prereview'], lastProgressAt: '2026-11-17T10:00:00+08:00', atRisk: { slack: -3, reason: 'groundbreaking promise: 3 working days short', finishOn: '2027-01-06' } },
      { n: 905, lastProgressAt: '2026-10-30T10:00:00+08:00' },
      { n: 906, lastProgressAt: '2026-11-06T17:30:00+08:00' },
      { n: 907, lastProgressAt: '2026-11-09T09:00:00+08:00' },
      { n: 908, status: 'completed', lastProgressAt: '2026-09-10T10:00:00+08:00', red: [{ step: 'project_filing', dueOn: '2026-09-05' }] },
      { n: 909, district: '上虞区', status: 'suspended', lastProgressAt: '2026-09-30T10:00:00+08:00' },
      { n: 910, district: '上虞区', lastProgressAt: '2026-11-20T09:00:00+08:00' },
    ];
    for (const s of seeds) await seed(repo, s);
  }, 120_000);
  afterAll(async () => stack?.close());

  describe('GET /supervision/stuck', () => {
    it('lists the stuck projects most urgent first: red steps by earliest deadline, then at risk by least slack, then idle by oldest progress', async () => {
      const res = await stuck({ asOf: AS_OF });
      expect(res.status).toBe(200);
      const body = res.body as StuckBody;
      expect(codes(res)).toEqual([B, A, C, D, I, E, F]);
      expect({ total: body.total, page: body.page, pageSize: body.pageSize, asOf: body.asOf, idleWorkingDays: body.idleWorkingDays }).toEqual({
        total: 7,
        page: 1,
        pageSize: 20,
        asOf: AS_OF,
        idleWorkingDays: 10,
      });
    });

    it('gives each reason with its step, department and working days counted on the 2026 calendar', async () => {
      const body = (await stuck({ asOf: AS_OF })).body as StuckBody;
      const byCode = new Map(body.items.map((p) => [p.code, p]));
      expect(byCode.get(B)).toMatchObject({
        name: '督办测试项目 902',
        track: 'standard',
        district: '越城区',
        stage: 'initiation',
        status: 'active',
        light: 'red',
        lastProgressAt: '2026-10-09T15:00:00.000+08:00',
        forecastFinishOn: '2027-01-15',
        slackWorkingDays: -7,
        underSupervision: true,
        supervision: { step: 'project_filing', department: 'development_reform', since: '2026-11-10T09:00:00.000+08:00', by: 'po-chen', comment: '请发改局三日内办结' },
      });
      expect(byCode.get(B)!.reasons).toEqual([
        { kind: 'overdue', step: 'project_filing', department: 'development_reform', workingDays: 33, detail: expect.stringContaining('due 2026-09-30, 33 working days over') },
        { kind: 'at_risk', step: null, department: null, workingDays: 7, detail: 'groundbreaking promise: forecast 2027-01-15 after 2026-12-31' },
        { kind: 'idle', step: null, department: null, workingDays: 31, detail: 'no progress since 2026-10-09 (31 working days)' },
      ]);
      expect(byCode.get(A)!.reasons).toEqual([
        { kind: 'overdue', step: 'land_prereview', department: 'natural_resources', workingDays: 10, detail: expect.stringContaining('due 2026-11-06') },
        { kind: 'overdue', step: 'project_filing', department: 'development_reform', workingDays: 5, detail: expect.stringContaining('due 2026-11-13') },
      ]);
      expect(byCode.get(A)).toMatchObject({ underSupervision: false, supervision: null });
      expect(byCode.get(C)!.reasons).toEqual([{ kind: 'at_risk', step: null, department: null, workingDays: 12, detail: 'joint acceptance cannot fit before 2026-12-31' }]);
      expect(byCode.get(D)!.reasons).toEqual([{ kind: 'at_risk', step: null, department: null, workingDays: 3, detail: 'groundbreaking promise: 3 working days short' }]);
      expect(byCode.get(E)!.reasons).toEqual([{ kind: 'idle', step: null, department: null, workingDays: 15, detail: 'no progress since 2026-10-30 (15 working days)' }]);
      // Exactly the threshold: 10 working days since 6 November counts; 9 since 9 November (project 907) does not.
      expect(byCode.get(F)!.reasons).toEqual([{ kind: 'idle', step: null, department: null, workingDays: 10, detail: 'no progress since 2026-11-06 (10 working days)' }]);
      expect(byCode.get(I)).toMatchObject({ status: 'suspended', district: '上虞区', reasons: [{ kind: 'idle', step: null, department: null, workingDays: 33, detail: 'no progress since 2026-09-30 (33 working days)' }] });
    });

    it('takes the idle threshold from idleWorkingDays', async () => {
      const res = await stuck({ asOf: AS_OF, idleWorkingDays: 20 });
      expect(codes(res)).toEqual([B, A, C, D, I]);
      expect((res.body as StuckBody).idleWorkingDays).toBe(20);
      const nine = await stuck({ asOf: AS_OF, idleWorkingDays: 9, kind: 'idle' });
      expect(codes(nine)).toEqual([B, I, E, F, projectCode(907)]);
    });

    it.each([
      [{ kind: 'overdue' }, [B, A]],
      [{ kind: 'at_risk' }, [B, C, D]],
      [{ kind: 'idle' }, [B, I, E, F]],
      [{ district: '上虞区' }, [I]],
      [{ status: 'suspended' }, [I]],
      [{ light: 'red' }, [B, A]],
      [{ light: 'yellow' }, [C]],
      [{ stage: 'land_supply' }, [D]],
      [{ department: 'ecology_environment' }, [D]],
      [{ department: 'natural_resources', kind: 'at_risk' }, [B, C, D]],
      [{ track: 'bonded_zone' }, []],
    ])('filters by %j', async (filter, expected) => {
      const res = await stuck({ asOf: AS_OF, ...filter });
      expect(res.status).toBe(200);
      expect(codes(res)).toEqual(expected);
      expect((res.body as StuckBody).total).toBe(expected.length);
    });

    it('pages in the same order and keeps the total past the last page', async () => {
      const second = await stuck({ asOf: AS_OF, page: 2, pageSize: 2 });
      expect({ codes: codes(second), total: (second.body as StuckBody).total, page: (second.body as StuckBody).page }).toEqual({ codes: [C, D], total: 7, page: 2 });
      expect(codes(await stuck({ asOf: AS_OF, page: 4, pageSize: 2 }))).toEqual([F]);
      const past = await stuck({ asOf: AS_OF, page: 5, pageSize: 2 });
      expect({ items: (past.body as StuckBody).items, total: (past.body as StuckBody).total }).toEqual({ items: [], total: 7 });
    });

    it('pages by keyset cursor in the same order, the last page without a next cursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const res = await stuck({ asOf: AS_OF, pageSize: 3, ...(cursor ? { cursor } : {}) });
        const body = res.body as StuckBody & { nextCursor: string | null };
        seen.push(...codes(res));
        expect(body.total).toBe(7);
        if (body.nextCursor === null) break;
        cursor = body.nextCursor;
      }
      expect(seen).toEqual(codes(await stuck({ asOf: AS_OF, pageSize: 50 })));
      expect(seen).toHaveLength(7);
      expectProblem(await stuck({ asOf: AS_OF, cursor: 'bm90LWEtY3Vyc29y' }), 422, 'REQUEST.UNPROCESSABLE');
    });

    it('counts to today when asOf is left out', async () => {
      const res = await stuck({ kind: 'overdue' });
      const today = toShanghaiDate(Date.now());
      const body = res.body as StuckBody;
      expect(body.asOf).toBe(today);
      expect(codes(res)).toEqual([B, A]);
      expect(body.items[0]!.reasons[0]).toMatchObject({ step: 'project_filing', workingDays: WorkingDayCalendar.official().workingDaysBetween('2026-09-30', today) });
    });

    it.each([
      [{ kind: 'stalled' }, 'kind'],
      [{ idleWorkingDays: 0 }, 'idleWorkingDays'],
      [{ idleWorkingDays: 2.5 }, 'idleWorkingDays'],
      [{ idleWorkingDays: 'ten' }, 'idleWorkingDays'],
      [{ status: 'completed' }, 'status'],
      [{ asOf: '2026-02-30' }, 'asOf'],
      [{ light: 'purple' }, 'light'],
      [{ pageSize: 201 }, 'pageSize'],
      [{ department: 'police' }, 'department'],
    ])('refuses %j with 400', async (query, field) => {
      const res = await stuck(query);
      const problem = expectProblem(res, 400, 'REQUEST.INVALID');
      expect(problem.detail).toContain(field);
    });

    // A well-formed day the document accepts, refused by a rule (it is in the future): 422, not 400.
    it('refuses an asOf in the future with 422', async () => {
      const problem = expectProblem(await stuck({ asOf: '2999-01-01' }), 422, 'REQUEST.UNPROCESSABLE');
      expect(problem.detail).toContain('asOf');
    });
  });

  it('publishes both views in the OpenAPI document with their query parameters', async () => {
    const doc = (await request(stack.baseUrl).get('/docs/openapi.json')).body as { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> };
    const names = (path: string) => (doc.paths[path]?.get?.parameters ?? []).map((p) => p.name).sort();
    expect(names(`${API}/supervision/stuck`)).toEqual(
      ['asOf', 'cursor', 'department', 'district', 'dueFrom', 'dueTo', 'idleWorkingDays', 'kind', 'light', 'page', 'pageSize', 'stage', 'status', 'track'].sort(),
    );
    expect(names(`${API}/supervision/summary`)).toEqual(['asOf', 'department', 'district', 'dueFrom', 'dueTo', 'idleWorkingDays', 'kind', 'light', 'stage', 'status', 'track'].sort());
  });

  describe('GET /supervision/summary', () => {
    it('counts running projects by stage × light, open steps by department, projects by district, and the stuck by kind', async () => {
      const res = await summary({ asOf: AS_OF });
      expect(res.status).toBe(200);
      const body = res.body as Record<string, unknown> & { byDistrict: Array<{ district: string }> };
      expect(body).toMatchObject({
        projects: 9,
        asOf: AS_OF,
        idleWorkingDays: 10,
        byLightStage: [
          { stage: 'initiation', light: 'green', projects: 5 },
          { stage: 'initiation', light: 'red', projects: 2 },
          { stage: 'initiation', light: 'yellow', projects: 1 },
          { stage: 'land_supply', light: 'green', projects: 1 },
        ],
        byDepartment: [
          { department: 'development_reform', openSteps: 9, projects: 9, green: 0, yellow: 0, red: 2, noClock: 7 },
          { department: 'ecology_environment', openSteps: 1, projects: 1, green: 0, yellow: 0, red: 0, noClock: 1 },
          { department: 'natural_resources', openSteps: 9, projects: 9, green: 0, yellow: 0, red: 1, noClock: 8 },
        ],
        stuck: { total: 7, overdue: 2, idle: 4, atRisk: 3 },
      });
      expect([...body.byDistrict].sort((a, b) => a.district.localeCompare(b.district))).toEqual(
        [
          { district: '越城区', projects: 7, green: 4, yellow: 1, red: 2, stuck: 6 },
          { district: '上虞区', projects: 2, green: 2, yellow: 0, red: 0, stuck: 1 },
        ].sort((a, b) => a.district.localeCompare(b.district)),
      );
    });

    it('applies the same filters', async () => {
      const res = await summary({ asOf: AS_OF, district: '上虞区' });
      expect(res.body).toMatchObject({ projects: 2, stuck: { total: 1, overdue: 0, idle: 1, atRisk: 0 }, byLightStage: [{ stage: 'initiation', light: 'green', projects: 2 }] });
      const atRisk = await summary({ asOf: AS_OF, kind: 'at_risk' });
      expect(atRisk.body).toMatchObject({ projects: 3, stuck: { total: 3, overdue: 1, idle: 1, atRisk: 3 } });
      const idle20 = await summary({ asOf: AS_OF, idleWorkingDays: 20 });
      expect(idle20.body).toMatchObject({ stuck: { total: 5, overdue: 2, idle: 2, atRisk: 3 } });
    });

    it('refuses a bad filter with 400, and a day the calendar cannot serve with 422 naming asOf', async () => {
      expectProblem(await summary({ kind: 'late' }), 400, 'REQUEST.INVALID');
      // A day before the years the calendar provides: refused naming the parameter that asked for it.
      for (const res of [await summary({ asOf: '1999-01-01' }), await stuck({ asOf: '1999-01-01' })]) {
        expectProblem(res, 422, 'CALENDAR.YEAR_NOT_SUPPORTED');
        expect((res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['asOf']);
      }
      expectProblem(await summary({ idleWorkingDays: 251 }), 400, 'REQUEST.INVALID');
    });
  });

  // Last: these add projects registered after AS_OF, and steps due after it, which the tests above do not count.
  describe('as of a past day', () => {
    const LATER = projectCode(911); // registered 2026-11-23, after AS_OF; red today
    const ON_THE_DAY = projectCode(912); // registered on AS_OF, in the afternoon; red today, due after AS_OF
    const TWO_RED = projectCode(913); // red today for two steps: one due before AS_OF, one after
    beforeAll(async () => {
      const repo = new ProjectReadModelRepository(stack.dataSource);
      const dueLater = [{ step: 'project_filing', dueOn: '2026-11-30' }];
      await seed(repo, { n: 911, registeredAt: '2026-11-23T02:00:00.000Z', red: dueLater, light: 'red', lastProgressAt: '2026-11-23T10:00:00+08:00' });
      await seed(repo, { n: 912, registeredAt: '2026-11-20T07:00:00.000Z', red: dueLater, light: 'red', lastProgressAt: '2026-11-20T15:00:00+08:00' });
      await seed(repo, {
        n: 913,
        accept: ['project_filing', 'land_prereview'],
        red: [...dueLater, { step: 'land_prereview', dueOn: '2026-11-10' }],
        light: 'red',
        lastProgressAt: '2026-11-19T10:00:00+08:00',
      });
    });

    it('leaves out the projects registered after that day, and the lateness of steps due after it; today counts both', async () => {
      const past = (await stuck({ asOf: AS_OF, pageSize: 50 })).body as StuckBody;
      expect(past.items.map((p) => p.code)).not.toContain(LATER);
      expect(past.items.map((p) => p.code)).not.toContain(ON_THE_DAY); // its step was not late yet
      expect(past.total).toBe(past.items.length);
      // 10 November's deadline had ended by AS_OF; 30 November's had not.
      const twoRed = past.items.find((p) => p.code === TWO_RED)!;
      expect(twoRed.reasons.map((r) => [r.kind, r.step])).toEqual([['overdue', 'land_prereview']]);
      const overdue = (await stuck({ asOf: AS_OF, kind: 'overdue' })).body as StuckBody;
      expect(overdue.items.map((p) => p.code)).toEqual([B, A, TWO_RED]);
      expect(overdue.total).toBe(3);

      const today = (await stuck({ pageSize: 50 })).body as StuckBody;
      expect(today.items.map((p) => p.code)).toEqual(expect.arrayContaining([LATER, ON_THE_DAY, TWO_RED]));
      expect(today.total).toBe(today.items.length);
      expect(today.items.find((p) => p.code === TWO_RED)!.reasons.filter((r) => r.kind === 'overdue').map((r) => r.step)).toEqual(['land_prereview', 'project_filing']);

      const summaryThen = (await summary({ asOf: AS_OF })).body as { projects: number; stuck: { overdue: number }; byDistrict: Array<{ district: string; projects: number }> };
      const summaryNow = (await summary({})).body as { projects: number; stuck: { overdue: number } };
      expect(summaryThen.projects).toBe(11); // the 9 running projects above, the one registered that day, and 913
      expect(summaryThen.stuck.overdue).toBe(3);
      expect(summaryThen.byDistrict.find((d) => d.district === '越城区')!.projects).toBe(9);
      expect(summaryNow.projects).toBe(12);
      expect(summaryNow.stuck.overdue).toBe(5);
    });

    it("answers a summary as of a day with a snapshot from that day's counters, and only for the idle window it counted", async () => {
      const day = '2026-11-25';
      type Summary = { projects: number; stuck: { overdue: number; idle: number }; byDistrict: unknown[]; byDepartment: unknown[] };
      // Without a snapshot, counted on the rows: the steps due 30 November were not late yet on the 25th.
      const scanned = (await summary({ asOf: day })).body as Summary;
      expect(scanned.stuck.overdue).toBe(3);

      // The daily snapshot of that day (as the schedule takes it at 23:50), with the API's default idle window.
      const calendar = await loadCalendar(new CalendarRepository(stack.dataSource));
      const idleBefore = new Date(startOfShanghaiDay(idleWindowStart(calendar, day as IsoDate, 10)));
      expect((await new SupervisionRepository(stack.dataSource).snapshotDay(day, idleBefore, 10)).outcome).toBe('taken');
      const now = (await summary({})).body as Summary;
      const fromSnapshot = (await summary({ asOf: day })).body as Summary & { asOf: string };
      expect(fromSnapshot.asOf).toBe(day);
      // The counts are today's counters as the snapshot copied them, but for idle, which is counted as of its day.
      const lights = (s: Summary) => (s.byDistrict as Array<Record<string, unknown>>).map(({ stuck: _idleIncluded, ...rest }) => rest);
      expect([fromSnapshot.projects, fromSnapshot.stuck.overdue, lights(fromSnapshot), fromSnapshot.byDepartment]).toEqual([now.projects, 5, lights(now), now.byDepartment]);
      // Another idle window than the snapshot's is counted on the rows again.
      expect(((await summary({ asOf: day, idleWorkingDays: 20 })).body as Summary).stuck.overdue).toBe(3);
    });
  });
});
