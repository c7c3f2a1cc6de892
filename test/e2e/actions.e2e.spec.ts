import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  API,
  ApiClient,
  expectProblem,
  expectRefusal,
  head,
  officer,
  problemFields,
  projectCode,
  PROJECT_OFFICE,
  registration,
  stepOf,
  type ActionBody,
  type ProblemBody,
  type ProjectBody,
  type TimelineEntryBody,
} from '../support/api-client.js';
import { driveStep } from '../support/project-builder.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Officers' actions over HTTP against the whole stack: what the workflow refuses and why (and that a refusal has no
 * effect), Idempotency-Key, clock stops of supplements and suspensions, and the departments' work queues. What is
 * refused before the workflow is asked (each invalid body field, malformed JSON, token claims, a malformed
 * Idempotency-Key) is checked in test/controller/projects.controller.spec.ts; one of each kind stays here.
 */
const DRC = officer('drc-wang', 'development_reform');
const NR = officer('nr-zhao', 'natural_resources');
const ECO = officer('eco-sun', 'ecology_environment');

describe('step and project actions API (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack('e2e_actions');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  describe('refused actions and their reasons', () => {
    const code = projectCode(401);
    let before: { version: number; timeline: TimelineEntryBody[] };

    beforeAll(async () => {
      await api.registerOk(code);
      before = { version: (await api.projectOk(code)).version, timeline: await api.timelineOk(code) };
    }, 30_000);

    it('refuses approving a blocked step and names what blocks it', async () => {
      const res = await api.stepAction(code, 'land_title', { action: 'approve' }, NR);
      const problem = expectProblem(res, 409, 'STEP.INVALID_STATE');
      expect(problem.detail).toContain("cannot approve step 'land_title'");
      expect(problem.detail).toMatch(/blocked until land_contract \(\S*出让合同\) is approved or waived/);
      expect(problem.instance).toBe(`${API}/projects/${code}/steps/land_title/actions`);
    });

    it('refuses approving a step several steps block and names each of them', async () => {
      const res = await api.stepAction(code, 'groundbreaking', { action: 'accept' }, PROJECT_OFFICE);
      const problem = expectProblem(res, 409, 'STEP.INVALID_STATE');
      expect(problem.detail).toMatch(/blocked until construction_permit .*, eia_approval .*, energy_review .* are approved or waived/);
    });

    it('refuses approving a ready step and says to accept it first', async () => {
      const res = await api.stepAction(code, 'project_filing', { action: 'approve' }, DRC);
      const problem = expectProblem(res, 409, 'STEP.INVALID_STATE');
      expect(problem.detail).toContain("cannot approve step 'project_filing'");
      expect(problem.detail).toContain('accept it first');
      expect(problem.detail).toMatch(/allowed now: receive, accept, waive, reassign/);
    });

    it('refuses resubmitting a step that was never returned', async () => {
      const res = await api.stepAction(code, 'land_prereview', { action: 'resubmit' }, NR);
      expectRefusal(res, 409, 'STEP.INVALID_STATE', "cannot resubmit step 'land_prereview'");
    });

    it('answers 404 STEP.NOT_FOUND for an unknown step and lists the steps there are', async () => {
      const res = await api.stepAction(code, 'fire_inspection', { action: 'accept' }, DRC);
      const problem = expectProblem(res, 404, 'STEP.NOT_FOUND');
      expect(problem.detail).toContain("no step 'fire_inspection'");
      expect(problem.detail).toContain('project_filing');
      expect(problem.detail).toContain('groundbreaking');
    });

    it('answers 404 PROJECT.NOT_FOUND for a step action on a project never registered', async () => {
      const missing = projectCode(999_002);
      const res = await api.stepAction(missing, 'project_filing', { action: 'accept' }, DRC);
      expectRefusal(res, 404, 'PROJECT.NOT_FOUND', missing);
      const project = await api.projectAction(missing, { action: 'resume' });
      expectProblem(project, 404, 'PROJECT.NOT_FOUND');
      expectProblem(await api.project(missing), 404, 'PROJECT.NOT_FOUND');
    });

    it('answers 400 PROJECT.INVALID_CODE for a malformed project code in the path', async () => {
      const res = await api.stepAction('2022-330602-39', 'project_filing', { action: 'accept' }, DRC);
      const problem = expectProblem(res, 400, 'PROJECT.INVALID_CODE');
      expect(problem.detail).toContain('YYYY-RRRRRR-XX-XX-NNNNNN');
      expectProblem(await api.projectAction('PRJ-1', { action: 'resume' }), 400, 'PROJECT.INVALID_CODE');
      expectProblem(await api.project('PRJ-1'), 400, 'PROJECT.INVALID_CODE');
    });

    it('refuses a return without a comment with 400 REQUEST.INVALID naming the field', async () => {
      const problem = expectRefusal(await api.stepAction(code, 'land_prereview', { action: 'return' }, NR), 400, 'REQUEST.INVALID', /return, waive and reject need one/);
      expect(problemFields(problem)).toEqual(['comment']);
    });

    it('refuses an action without a bearer token with 401 AUTH.UNAUTHENTICATED', async () => {
      const res = await api.stepAction(code, 'land_prereview', { action: 'accept' }, officer(null, 'natural_resources'));
      expectRefusal(res, 401, 'AUTH.UNAUTHENTICATED', 'Bearer');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('refuses resuming a project that is not suspended with 409 PROJECT.INVALID_STATE', async () => {
      expectRefusal(await api.projectAction(code, { action: 'resume' }), 409, 'PROJECT.INVALID_STATE', 'is not suspended');
    });

    it('leaves no timeline entry and the same version after every refusal', async () => {
      const p = await api.projectOk(code);
      expect(p.version).toBe(before.version);
      expect(p.steps.filter((s) => s.state !== 'blocked').map((s) => [s.key, s.state])).toEqual([
        ['project_filing', 'ready'],
        ['land_prereview', 'ready'],
      ]);
      expect(await api.timelineOk(code)).toEqual(before.timeline);
    });

    it('refuses step actions on a suspended project with 409 PROJECT.SUSPENDED until it is resumed', async () => {
      const suspendCode = projectCode(402);
      await api.registerOk(suspendCode);
      const s = await api.projectAction(suspendCode, { action: 'suspend', comment: '听证程序 (hearing)' });
      expect(s.status).toBe(200);
      const version = (s.body as ActionBody).project.version;

      const refused = await api.stepAction(suspendCode, 'project_filing', { action: 'accept' }, DRC);
      expectRefusal(refused, 409, 'PROJECT.SUSPENDED', ['is suspended', 'resume it']);
      const again = await api.projectAction(suspendCode, { action: 'suspend', comment: 'twice' });
      expectRefusal(again, 409, 'PROJECT.INVALID_STATE', 'already suspended');
      expect((await api.projectOk(suspendCode)).version).toBe(version);

      expect((await api.projectAction(suspendCode, { action: 'resume' })).status).toBe(200);
      const accepted = await api.act(suspendCode, 'project_filing', 'accept', DRC);
      expect(accepted.step!.state).toBe('in_review');
    });
  });

  describe('the other officer actions', () => {
    it('waives a step (容缺) with a due date for the missing material and unblocks what depends on it', async () => {
      const code = projectCode(451);
      await api.registerOk(code);
      const waived = await api.act(code, 'land_prereview', 'waive', NR, { comment: '容缺：压覆矿产调查报告后补', waiverDueOn: '2022-06-30' });
      expect(waived.step).toMatchObject({ state: 'waived', waiverDueOn: '2022-06-30', comment: '容缺：压覆矿产调查报告后补', actor: 'nr-zhao' });
      expect(waived.entries.map((e) => [e.type, e.step])).toEqual(expect.arrayContaining([['step.waived', 'land_prereview'], ['step.ready', 'land_auction']]));
      const p = await api.projectOk(code);
      expect(stepOf(p, 'land_prereview')).toMatchObject({ state: 'waived', waiverDueOn: '2022-06-30' });
      expect(stepOf(p, 'land_auction').state).toBe('ready');
    });

    it('rejects a step with its reasons and reopens it when a new application is accepted', async () => {
      const code = projectCode(452);
      await api.registerOk(code);
      await api.act(code, 'land_prereview', 'accept', NR);
      const rejected = await api.act(code, 'land_prereview', 'reject', NR, { comment: '不符合国土空间规划' });
      expect(rejected.step).toMatchObject({ state: 'rejected', comment: '不符合国土空间规划', availableActions: expect.arrayContaining(['accept']) });
      const refused = await api.stepAction(code, 'land_prereview', { action: 'approve' }, NR);
      expectRefusal(refused, 409, 'STEP.INVALID_STATE', 'accept a new application');
      const reopened = await api.act(code, 'land_prereview', 'accept', NR);
      expect(reopened.step).toMatchObject({ state: 'in_review', clockStops: [] });
      expect(stepOf(await api.projectOk(code), 'land_auction').state).toBe('blocked');
    });

    it('reassigns a step to another officer and refuses reassigning it to the same one', async () => {
      const code = projectCode(453);
      await api.registerOk(code);
      const DRC_HEAD = head('drc-head', 'development_reform');
      const moved = await api.act(code, 'project_filing', 'reassign', DRC_HEAD, { assignee: 'drc-li' });
      expect(moved.step).toMatchObject({ state: 'ready', assignee: 'drc-li' });
      expect(moved.entries[0]).toMatchObject({ type: 'step.reassigned', data: { assignee: 'drc-li', previousAssignee: null } });
      const again = await api.stepAction(code, 'project_filing', { action: 'reassign', assignee: 'drc-li' }, DRC_HEAD);
      expectRefusal(again, 409, 'ACTION.INVALID', 'already assigned to drc-li');
      expect(stepOf(await api.projectOk(code), 'project_filing').assignee).toBe('drc-li');
    });

    it('cancels a project with a reason; afterwards every action is refused as closed and its steps leave the queues', async () => {
      const code = projectCode(454);
      await api.registerOk(code, { district: '取消测试区' });
      const cancelled = await api.projectAction(code, { action: 'cancel', comment: '投资方撤回 (investor withdrew)' });
      expect(cancelled.status).toBe(200);
      expect((cancelled.body as ActionBody).project).toMatchObject({ status: 'cancelled', closedAt: expect.stringMatching(/\+08:00$/) });

      const refused = await api.stepAction(code, 'project_filing', { action: 'accept' }, DRC);
      expectRefusal(refused, 409, 'PROJECT.CLOSED', /cancelled/);
      const listed = await api.projects({ status: 'cancelled', district: '取消测试区' });
      expect((listed.body.items as ProjectBody[]).map((p) => p.code)).toEqual([code]);
      const queue = await api.tasks({ department: 'development_reform', pageSize: 200 });
      expect((queue.body.items as Array<{ projectCode: string }>).some((t) => t.projectCode === code)).toBe(false);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated step action with the first response, marked replayed, and applies it once', async () => {
      const code = projectCode(501);
      await api.registerOk(code);
      const caller = { ...DRC, idempotencyKey: 'accept-filing-501' };
      const first = await api.stepAction(code, 'project_filing', { action: 'accept' }, caller);
      const second = await api.stepAction(code, 'project_filing', { action: 'accept' }, caller);
      expect(first.status).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.status).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.headers['content-type']).toMatch(/^application\/json/);
      expect(second.body).toEqual(first.body);

      const p = await api.projectOk(code);
      expect(p.version).toBe(first.body.project.version); // the repeat changed nothing
      const timeline = await api.timelineOk(code);
      expect(timeline.filter((e) => e.type === 'step.accepted')).toHaveLength(1);
      expect(timeline.filter((e) => e.type === 'deadline.set')).toHaveLength(1);
    });

    it('answers a repeated registration with 201, the same body and the same Location, not 409', async () => {
      const code = projectCode(502);
      const caller = { ...PROJECT_OFFICE, idempotencyKey: 'register-502' };
      const first = await api.register(registration(code), caller);
      const second = await api.register(registration(code), caller);
      expect(first.status).toBe(201);
      expect(first.headers.location).toBe(`/api/v1/projects/${code}`);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.headers.location).toBe(`/api/v1/projects/${code}`);
      expect(second.body).toEqual(first.body);
      const timeline = await api.timelineOk(code);
      expect(timeline.filter((e) => e.type === 'project.registered')).toHaveLength(1);
    });

    it('refuses the same key on a different request with 422 IDEMPOTENCY.KEY_REUSED and no effect', async () => {
      const code = projectCode(503);
      await api.registerOk(code);
      const caller = { ...NR, idempotencyKey: 'prereview-503' };
      expect((await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller)).status).toBe(200);
      const other = await api.stepAction(code, 'land_prereview', { action: 'approve' }, caller);
      expectRefusal(other, 422, 'IDEMPOTENCY.KEY_REUSED', 'different request');
      expect(stepOf(await api.projectOk(code), 'land_prereview').state).toBe('in_review');

      const otherRegistration = await api.register(registration(projectCode(504)), { ...PROJECT_OFFICE, idempotencyKey: 'register-502' });
      expectProblem(otherRegistration, 422, 'IDEMPOTENCY.KEY_REUSED');
      expectProblem(await api.project(projectCode(504)), 404, 'PROJECT.NOT_FOUND');
    });

    it('answers a repeated refused action with the same 409 problem again', async () => {
      const code = projectCode(505);
      const registered = await api.registerOk(code);
      const caller = { ...NR, idempotencyKey: 'approve-title-505' };
      const first = await api.stepAction(code, 'land_title', { action: 'approve' }, caller);
      const second = await api.stepAction(code, 'land_title', { action: 'approve' }, caller);
      const p1 = expectProblem(first, 409, 'STEP.INVALID_STATE');
      const p2 = expectProblem(second, 409, 'STEP.INVALID_STATE');
      expect(second.headers['idempotent-replayed']).toBe('true');
      const stable = ({ correlationId: _c, ...rest }: ProblemBody) => rest;
      expect(stable(p2)).toEqual(stable(p1));
      expect((await api.projectOk(code)).version).toBe(registered.version);
      expect((await api.timelineOk(code)).filter((e) => e.type.startsWith('step.')).map((e) => e.type)).toEqual(['step.ready', 'step.ready']);
    });
  });

  describe('clock stops', () => {
    it('records a supplement request as a clock stop that resubmission closes', async () => {
      const code = projectCode(601);
      await api.registerOk(code);
      await api.act(code, 'land_prereview', 'accept', NR);
      const returned = await api.act(code, 'land_prereview', 'return', NR, { comment: '补正：用地范围红线图、土地利用总体规划符合性说明' });
      expect(returned.step).toMatchObject({ state: 'supplement_requested', comment: '补正：用地范围红线图、土地利用总体规划符合性说明' });
      expect(returned.step!.clockStops).toEqual([{ stoppedAt: expect.stringMatching(/\+08:00$/), resumedAt: null, reason: 'supplement_requested' }]);
      expect(returned.entries[0]).toMatchObject({ type: 'step.returned', step: 'land_prereview', actor: 'nr-zhao', comment: expect.stringContaining('补正') });

      const stored = stepOf(await api.projectOk(code), 'land_prereview');
      expect(stored.state).toBe('supplement_requested');
      expect(stored.clockStops).toEqual(returned.step!.clockStops);

      const resubmitted = await api.act(code, 'land_prereview', 'resubmit', officer('applicant-desk', 'natural_resources'));
      expect(resubmitted.step!.state).toBe('in_review');
      const [stop] = resubmitted.step!.clockStops;
      expect(stop).toMatchObject({ stoppedAt: returned.step!.clockStops[0]!.stoppedAt, reason: 'supplement_requested' });
      expect(stop!.resumedAt).toMatch(/\+08:00$/);
      expect(Date.parse(stop!.resumedAt!)).toBeGreaterThanOrEqual(Date.parse(stop!.stoppedAt));
      expect(stepOf(await api.projectOk(code), 'land_prereview').clockStops).toEqual(resubmitted.step!.clockStops);
    });

    it("stops the clocks of in-review steps while the project is suspended and closes them on resume", async () => {
      const code = projectCode(602);
      await api.registerOk(code);
      await api.act(code, 'project_filing', 'accept', DRC); // in review: its clock runs
      const suspended = await api.projectAction(code, { action: 'suspend', comment: '专家评审 (expert review)' });
      expect(suspended.status).toBe(200);
      const body = suspended.body as ActionBody;
      expect(body.project.status).toBe('suspended');
      expect(body.project.suspendedAt).toMatch(/\+08:00$/);
      expect(body.entries[0]).toMatchObject({ type: 'project.suspended', comment: '专家评审 (expert review)', data: { clocksStopped: ['project_filing'] } });

      const p = await api.projectOk(code);
      expect(p.status).toBe('suspended');
      expect(stepOf(p, 'project_filing').clockStops).toEqual([{ stoppedAt: expect.stringMatching(/\+08:00$/), resumedAt: null, reason: 'project_suspended' }]);
      expect(stepOf(p, 'land_prereview').clockStops).toEqual([]); // ready: no clock to stop
      expect(p.steps.every((s) => s.availableActions.length === 0)).toBe(true);

      const resumed = await api.projectAction(code, { action: 'resume' });
      expect(resumed.status).toBe(200);
      expect((resumed.body as ActionBody).entries[0]).toMatchObject({ type: 'project.resumed', data: { clocksResumed: ['project_filing'] } });
      const after = await api.projectOk(code);
      expect(after).toMatchObject({ status: 'active', suspendedAt: null });
      const [stop] = stepOf(after, 'project_filing').clockStops;
      expect(stop).toMatchObject({ reason: 'project_suspended', resumedAt: expect.stringMatching(/\+08:00$/) });
      expect(stepOf(after, 'project_filing').availableActions).toEqual(expect.arrayContaining(['approve', 'return']));
    });
  });

  describe('work queues (GET /tasks)', () => {
    const reviewing = projectCode(701); // land pre-review accepted: in review at natural resources
    const waiting = projectCode(702); // land pre-review ready
    const returned = projectCode(703); // land pre-review returned for a supplement

    beforeAll(async () => {
      await api.registerOk(waiting);
      await api.registerOk(reviewing);
      await api.registerOk(returned);
      await driveStep(api, reviewing, 'land_prereview', 'in_review', { caller: NR });
      await driveStep(api, returned, 'land_prereview', 'supplement_requested', { caller: NR, comment: '补正：红线图' });
    }, 30_000);

    interface Task {
      projectCode: string;
      projectName: string;
      projectStatus: string;
      waitingOn: string;
      step: { key: string; state: string; department: string };
    }
    const RANK: Record<string, number> = { in_review: 0, ready: 1, supplement_requested: 2 };

    it("lists the department's open steps from the token's department, in review first", async () => {
      const res = await api.tasks({ pageSize: 200 }, NR);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 200 });
      const items = res.body.items as Task[];
      expect(res.body.total).toBe(items.length);
      expect(items.every((t) => t.step.department === 'natural_resources')).toBe(true);
      expect(items.every((t) => ['ready', 'in_review', 'supplement_requested'].includes(t.step.state))).toBe(true);
      const ranks = items.map((t) => RANK[t.step.state]!);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

      const mine = (c: string) => items.find((t) => t.projectCode === c && t.step.key === 'land_prereview');
      expect(mine(reviewing)).toMatchObject({ waitingOn: 'department', projectStatus: 'active', projectName: '高端装备制造基地项目', step: { state: 'in_review' } });
      expect(mine(waiting)).toMatchObject({ waitingOn: 'applicant_submission', step: { state: 'ready' } });
      expect(mine(returned)).toMatchObject({ waitingOn: 'applicant_supplement', step: { state: 'supplement_requested' } });
      expect(items.indexOf(mine(reviewing)!)).toBeLessThan(items.indexOf(mine(waiting)!));
      // Blocked steps are nobody's task yet.
      expect(items.some((t) => t.projectCode === waiting && t.step.key === 'land_auction')).toBe(false);
    });

    it('lists the same queue for ?department=', async () => {
      const byHeader = await api.tasks({ pageSize: 200 }, NR);
      const byQuery = await api.tasks({ department: 'natural_resources', pageSize: 200 });
      expect(byQuery.status).toBe(200);
      expect(byQuery.body).toEqual(byHeader.body);
    });

    it("lists the queue for the token's department alone, without ?department=", async () => {
      const res = await api.tasks({ pageSize: 200 }, head('nr-head', 'natural_resources'));
      expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
      expect((res.body.items as Task[]).every((t) => t.step.department === 'natural_resources')).toBe(true);
    });

    it('filters the queue by state and pages it', async () => {
      const inReview = await api.tasks({ department: 'natural_resources', state: 'in_review', pageSize: 200 });
      expect((inReview.body.items as Task[]).every((t) => t.step.state === 'in_review')).toBe(true);
      expect((inReview.body.items as Task[]).map((t) => t.projectCode)).toContain(reviewing);
      const page = await api.tasks({ department: 'natural_resources', pageSize: 1, page: 2 });
      const all = await api.tasks({ department: 'natural_resources', pageSize: 200 });
      expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: all.body.total });
      expect(page.body.items).toEqual([all.body.items[1]]);
    });

    it("does not list another department's steps", async () => {
      const res = await api.tasks({ pageSize: 200 }, ECO);
      expect(res.status).toBe(200);
      expect((res.body.items as Task[]).some((t) => [reviewing, waiting, returned].includes(t.projectCode))).toBe(false);
    });

    it("refuses another department's queue to an officer with 403 naming the rule", async () => {
      const res = await api.tasks({ department: 'natural_resources' }, ECO);
      const problem = expectRefusal(res, 403, 'AUTH.FORBIDDEN', "officers see only their own department's work queue (ecology_environment)");
      expect(problem.rule).toBe('tasks.read:own_department');
    });
  });

  it('shows projects acted on here in the project list with their state', async () => {
    const res = await api.projects({ pageSize: 200 });
    expect(res.status).toBe(200);
    const byCode = new Map((res.body.items as ProjectBody[]).map((p) => [p.code, p]));
    expect(stepOf(byCode.get(projectCode(703))!, 'land_prereview').state).toBe('supplement_requested');
  });
});
