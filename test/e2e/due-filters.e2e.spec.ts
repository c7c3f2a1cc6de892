import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type request from 'supertest';
import { API, ApiClient, expectProblem, officer, projectCode, stepOf, SYSTEM, type ActionBody, type Caller, type StepBody } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { eventually } from '../support/webhook-receiver.js';

/*
 * "What falls due before the end of the month": dueFrom/dueTo on a step's published deadline (承诺时限) over HTTP on
 * /projects, /tasks, /supervision/stuck and /supervision/summary, with deadlines the workflow planned from
 * back-dated acceptances (occurredAt) on the official calendar; and why a step is held back (blockedBy, waitsFor)
 * before and after the land price paid is reported through POST /events.
 *
 * Projects (signed 2022-03-05):
 *   P1 project filing (发改) accepted 2022-04-06                       → in review, due X1
 *   P2 land pre-review (自然资源) accepted 2022-05-10                   → in review, due X2 (> X1)
 *   P3 project filing accepted now                                      → in review, due Y (in the future)
 *   P4 project filing accepted 2022-04-06 and approved 2022-04-08       → decided: its old due day no longer counts
 *   P5 project filing accepted 2022-04-06, returned for a supplement    → clock stopped: no due day
 * P1, P2 (and P4, P5) have made no progress since 2022: stuck (idle); P3 progressed today: not stuck.
 */

const DRC = officer('drc-li', 'development_reform');
const NR = officer('nrp-li', 'natural_resources');
const P1 = projectCode(8101);
const P2 = projectCode(8102);
const P3 = projectCode(8103);
const P4 = projectCode(8104);
const P5 = projectCode(8105);
const LAND = projectCode(8106);

interface ListBody<T> {
  items: T[];
  total: number;
}
interface TaskBody {
  projectCode: string;
  step: StepBody;
}

const codes = (res: request.Response): string[] => (res.body as ListBody<{ code: string }>).items.map((p) => p.code).sort();
const taskKeys = (res: request.Response): string[] => (res.body as ListBody<TaskBody>).items.map((t) => `${t.projectCode}:${t.step.key}`).sort();
const nextDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('due-day range filters and step holds (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  /** The published due days the workflow planned. */
  let X1: string;
  let X2: string;
  let Y: string;

  const get = (path: string, query: Record<string, string>, caller?: Caller): request.Test => api.get(`${API}${path}`, caller).query(query);
  const dueOn = async (code: string, key: string): Promise<string> =>
    eventually(`${code} ${key} planned`, async () => ((await api.projectOk(code)).steps.find((s) => s.key === key)!.dueOn as string | null) ?? undefined, 30_000, 100);

  beforeAll(async () => {
    stack = await startTestStack('e2e_due_filters');
    api = new ApiClient(stack.baseUrl);
    const registered = { signedAt: '2022-03-05', occurredAt: '2022-03-07T09:00:00+08:00' };
    for (const code of [P1, P2, P3, P4, P5]) await api.registerOk(code, registered);
    await api.act(P1, 'project_filing', 'accept', DRC, { occurredAt: '2022-04-06T10:00:00+08:00' });
    await api.act(P2, 'land_prereview', 'accept', NR, { occurredAt: '2022-05-10T10:00:00+08:00' });
    await api.act(P3, 'project_filing', 'accept', DRC);
    await api.act(P4, 'project_filing', 'accept', DRC, { occurredAt: '2022-04-06T10:00:00+08:00' });
    await api.act(P4, 'project_filing', 'approve', DRC, { occurredAt: '2022-04-08T15:00:00+08:00' });
    await api.act(P5, 'project_filing', 'accept', DRC, { occurredAt: '2022-04-06T10:00:00+08:00' });
    await api.act(P5, 'project_filing', 'return', DRC, { occurredAt: '2022-04-07T10:00:00+08:00', comment: '请补正可行性研究报告' });
    [X1, X2, Y] = await Promise.all([dueOn(P1, 'project_filing'), dueOn(P2, 'land_prereview'), dueOn(P3, 'project_filing')]);
    expect([X1 < X2, X2 < Y, Y >= new Date().toISOString().slice(0, 10)]).toEqual([true, true, true]);
    // P4 kept the due day it had when decided, P5's stopped clock has none.
    expect(stepOf(await api.projectOk(P4), 'project_filing')).toMatchObject({ state: 'approved', dueOn: X1 });
    expect(stepOf(await api.projectOk(P5), 'project_filing')).toMatchObject({ state: 'supplement_requested', dueOn: null });
  }, 180_000);
  afterAll(async () => stack?.close());

  describe('GET /projects', () => {
    it('lists the projects with an open step due in the range (both ends inclusive)', async () => {
      expect(codes(await get('/projects', { dueFrom: X1, dueTo: X1 }))).toEqual([P1]);
      expect(codes(await get('/projects', { dueTo: X2 }))).toEqual([P1, P2]);
      expect(codes(await get('/projects', { dueFrom: nextDay(X1) }))).toEqual([P2, P3]);
      expect(codes(await get('/projects', { dueFrom: X1, dueTo: Y }))).toEqual([P1, P2, P3]);
      expect(codes(await get('/projects', {}))).toEqual([P1, P2, P3, P4, P5]);
    });

    it('with a department, asks about that department’s step', async () => {
      expect(codes(await get('/projects', { dueTo: X2, department: 'natural_resources' }))).toEqual([P2]);
      expect(codes(await get('/projects', { dueTo: X2, department: 'development_reform' }))).toEqual([P1]);
    });

    it('answers view=basic with the same projects and fields but without their steps', async () => {
      const full = await get('/projects', { dueTo: Y });
      const basic = await get('/projects', { dueTo: Y, view: 'basic' });
      expect(basic.status).toBe(200);
      const items = basic.body.items as Array<Record<string, unknown>>;
      expect(items.map((p) => p.code)).toEqual([P1, P2, P3]);
      expect(items.every((p) => !('steps' in p) && !('stepGroups' in p))).toBe(true);
      const withoutSteps = (full.body.items as Array<Record<string, unknown>>).map(({ steps: _s, stepGroups: _g, ...rest }) => rest);
      expect(items).toEqual(withoutSteps);
      expect(basic.body.total).toBe(full.body.total);
      expect(JSON.stringify(basic.body).length * 5).toBeLessThan(JSON.stringify(full.body).length);
    });

    it('refuses a view it does not know with 400 naming the field', async () => {
      expect(expectProblem(await get('/projects', { view: 'everything' }), 400, 'REQUEST.INVALID').errors).toEqual([{ field: 'view', message: 'view must be one of: full, basic' }]);
    });
  });

  describe('GET /tasks', () => {
    it('keeps the queue’s steps whose own due day is in the range', async () => {
      expect(taskKeys(await get('/tasks', { dueTo: Y }, DRC))).toEqual([`${P1}:project_filing`, `${P3}:project_filing`]);
      expect(taskKeys(await get('/tasks', { dueFrom: nextDay(X1) }, DRC))).toEqual([`${P3}:project_filing`]);
      expect(taskKeys(await get('/tasks', { dueFrom: X2, dueTo: X2, department: 'natural_resources' }))).toEqual([`${P2}:land_prereview`]);
      // Without a range the queue also holds the ready steps and P5's stopped clock.
      const all = taskKeys(await get('/tasks', {}, DRC));
      expect(all).toEqual(expect.arrayContaining([`${P1}:project_filing`, `${P2}:project_filing`, `${P5}:project_filing`]));
    });
  });

  describe('GET /supervision/stuck and /supervision/summary', () => {
    it('lists the stuck projects with an open step due in the range', async () => {
      expect(codes(await get('/supervision/stuck', {}))).toEqual([P1, P2, P4, P5]);
      expect(codes(await get('/supervision/stuck', { dueTo: X2 }))).toEqual([P1, P2]);
      expect(codes(await get('/supervision/stuck', { dueFrom: X2 }))).toEqual([P2]);
      const res = await get('/supervision/stuck', { dueFrom: X1, dueTo: X1, pageSize: '1' });
      expect((res.body as ListBody<unknown>).total).toBe(1);
    });

    it('counts in the summary only the projects with a step due in the range', async () => {
      const res = await get('/supervision/summary', { dueFrom: X1, dueTo: Y });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ projects: 3, stuck: { total: 2 } });
    });
  });

  describe('invalid ranges', () => {
    const paths = ['/projects', '/tasks', '/supervision/stuck', '/supervision/summary'];

    it.each(paths)('%s refuses a day that is not a date with 400 naming the field', async (path) => {
      const res = await get(path, { dueFrom: '2026-02-30', dueTo: '2026-11-31' });
      expect(expectProblem(res, 400, 'REQUEST.INVALID').errors).toEqual([
        { field: 'dueFrom', message: "dueFrom '2026-02-30' is not a real date: February 2026 has 28 days" },
        { field: 'dueTo', message: "dueTo '2026-11-31' is not a real date: November 2026 has 30 days" },
      ]);
    });

    // Two well-formed days the document accepts, refused by a rule: 422.
    it.each(paths)('%s refuses dueFrom after dueTo with 422 saying the range would be empty', async (path) => {
      const res = await get(path, { dueFrom: '2026-12-01', dueTo: '2026-11-30' });
      expect(expectProblem(res, 422, 'REQUEST.UNPROCESSABLE').errors).toEqual([
        { field: 'dueTo', message: 'dueTo (2026-11-30) is before dueFrom (2026-12-01); the range would be empty' },
      ]);
    });
  });

  describe('why a step is held back: its dependencies and the land price paid', () => {
    beforeAll(async () => {
      await api.registerOk(LAND);
      for (const step of ['land_prereview', 'land_auction', 'land_contract']) {
        await api.act(LAND, step, 'accept', NR);
        await api.act(LAND, step, 'approve', NR, step === 'land_contract' ? { contractTerms: { preparationMonths: 6, buildMonths: 24 } } : {});
      }
    }, 120_000);

    it('names the open dependencies of a blocked step', async () => {
      const project = await api.projectOk(LAND);
      expect(stepOf(project, 'construction_permit')).toMatchObject({ state: 'blocked', blockedBy: ['drawing_review', 'land_title'], waitsFor: [] });
      expect(stepOf(project, 'land_use_planning_permit')).toMatchObject({ state: 'blocked', blockedBy: ['project_filing'] });
      expect(stepOf(project, 'land_contract')).toMatchObject({ state: 'approved', blockedBy: [], waitsFor: [] });
    });

    it('shows the land title waiting for the land price alone, then the fact satisfied with its day once reported', async () => {
      expect(stepOf(await api.projectOk(LAND), 'land_title')).toMatchObject({
        state: 'blocked',
        blockedBy: [],
        waitsFor: [{ kind: 'land_price_paid', name: 'land price paid in full', nameZh: '土地出让价款缴清', satisfied: false, at: null }],
      });

      const paidAt = new Date(Date.now() - 60_000).toISOString();
      const res = await api.postEvent({ projectCode: LAND, kind: 'land_price_paid', occurredAt: paidAt, reference: `缴款书 ${LAND}` }, SYSTEM);
      expect(res.status).toBe(200);
      const answered = stepOf((res.body as ActionBody).project, 'land_title');
      expect(answered).toMatchObject({ state: 'ready', blockedBy: [], waitsFor: [{ kind: 'land_price_paid', satisfied: true, at: expect.any(String) }] });
      expect(Date.parse((answered.waitsFor as Array<{ at: string }>)[0]!.at)).toBe(Date.parse(paidAt));

      // The read model (project detail and the work queue) says the same.
      expect(stepOf(await api.projectOk(LAND), 'land_title')).toMatchObject({ state: 'ready', waitsFor: answered.waitsFor });
      const queue = (await get('/tasks', {}, NR)).body as ListBody<TaskBody>;
      expect(queue.items.find((t) => t.projectCode === LAND && t.step.key === 'land_title')?.step).toMatchObject({ blockedBy: [], waitsFor: answered.waitsFor });
    });
  });
});
