import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { toShanghaiDate } from '../../libs/calendar/index.js';
import { projectWorkflowId } from '../../libs/temporal/project.contract.js';
import {
  API,
  ApiClient,
  expectProblem,
  expectRefusal,
  head,
  officer,
  projectCode,
  stepOf,
  user,
  withCaller,
  type ActionBody,
  type Caller,
  type StepBody,
} from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Issue 7's step actions and inbound facts over HTTP: extension (延期, the department head only, once, within the
 * cap of 行政许可法 Art. 42), excluded periods (Art. 45, plus the district's local kinds), receipt before acceptance
 * (收件/受理, Art. 32) and POST /events (the land price paid, which the land title waits for). New projects on the
 * standard track pin version 3.
 */
const NR = 'natural_resources';
const NR_OFFICER = officer('nrp-li', NR);
const NR_HEAD = head('nrp-head-wang', NR);
const DRC_HEAD = head('drc-head-zhao', 'development_reform');
/** The land-revenue system that reports payments (role `system`). */
const LAND_REVENUE = user(['system'], 'land-revenue-system', 'project_office');

interface ClockStopBody {
  stoppedAt: string;
  resumedAt: string | null;
  reason: string;
  kind?: string;
}

describe('statutory step actions and inbound events (e2e, issue 7)', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack('statutory_actions');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  /** POST /events as `caller`. */
  const postEvent = (body: Record<string, unknown>, caller: Caller): request.Test => withCaller(request(stack.baseUrl).post(`${API}/events`), caller).send(body);

  /** What an action that is refused must leave untouched: the project's version, its timeline and its workflow history. */
  const fingerprint = async (code: string): Promise<string> => {
    const rows = (await stack.dataSource.query(
      `SELECT (SELECT version FROM projects WHERE code = $1) AS version, (SELECT count(*) FROM timeline_entries WHERE project_code = $1) AS entries`,
      [code],
    )) as unknown[];
    const history = (await stack.env.client.workflow.getHandle(projectWorkflowId(code)).fetchHistory()).events?.length ?? 0;
    return JSON.stringify({ rows, history });
  };

  /** Accepts and approves `steps` in order, as the natural-resources officer. */
  const acceptAndApprove = async (code: string, steps: string[], approveExtra: Record<string, Record<string, unknown>> = {}): Promise<ActionBody> => {
    let last!: ActionBody;
    for (const step of steps) {
      await api.act(code, step, 'accept', NR_OFFICER);
      last = await api.act(code, step, 'approve', NR_OFFICER, approveExtra[step] ?? {});
    }
    return last;
  };

  const stepNow = async (code: string, key: string): Promise<StepBody> => stepOf(await api.projectOk(code), key);

  it('registers new standard projects on version 3, on the filing route (备案) unless told', async () => {
    const filing = await api.registerOk(projectCode(7001));
    expect(filing).toMatchObject({ definition: 'standard@3', approvalRoute: 'filing' });
    const approval = await api.registerOk(projectCode(7002), { approvalRoute: 'approval' });
    expect(approval).toMatchObject({ definition: 'standard@3', approvalRoute: 'approval' });
    const bad = await api.register({ code: projectCode(7003), name: 'x', district: '越城区', signedAt: '2022-03-05', approvalRoute: 'approved' });
    expect(expectProblem(bad, 400, 'REQUEST.INVALID').errors).toEqual([{ field: 'approvalRoute', message: 'approvalRoute must be one of: filing, approval (备案 or 核准)' }]);
  });

  describe('extension (延期, 行政许可法 Art. 42)', () => {
    const code = projectCode(7010);
    beforeAll(async () => {
      await api.registerOk(code);
      await api.act(code, 'land_prereview', 'accept', NR_OFFICER);
    }, 60_000);

    it("refuses an officer's extension with 403 naming the rule, and changes nothing", async () => {
      const before = await fingerprint(code);
      const res = await api.stepAction(code, 'land_prereview', { action: 'extend', extensionWorkingDays: 10, comment: '需补充现场踏勘' }, NR_OFFICER);
      const problem = expectProblem(res, 403, 'AUTH.FORBIDDEN');
      expect(problem.rule).toBe('step.extend:roles');
      expect(problem.detail).toBe(
        "extending a step's time limit (延期) is for the head of the step's department: 行政许可法 Art. 42 ¶1, the extension is approved by the head of the agency; your roles: officer",
      );
      expect(await fingerprint(code)).toEqual(before);
      expect((await stepNow(code, 'land_prereview')).extension ?? null).toBeNull();
    });

    it("refuses another department's head with 403 naming both departments", async () => {
      const before = await fingerprint(code);
      const res = await api.stepAction(code, 'land_prereview', { action: 'extend', extensionWorkingDays: 5, comment: '需补充现场踏勘' }, DRC_HEAD);
      const problem = expectProblem(res, 403, 'AUTH.FORBIDDEN');
      expect(problem.rule).toBe('step.extend:own_department');
      expect(problem.detail).toBe('department heads extend only steps of their own department (development_reform); step land_prereview belongs to natural_resources');
      expect(await fingerprint(code)).toEqual(before);
    });

    it('refuses an extension by 11 working days with 422 RULE.REFUSED naming the cap of 10, and changes nothing', async () => {
      const before = await fingerprint(code);
      const res = await api.stepAction(code, 'land_prereview', { action: 'extend', extensionWorkingDays: 11, comment: '需补充现场踏勘' }, NR_HEAD);
      const problem = expectProblem(res, 422, 'RULE.REFUSED');
      expect(problem.detail).toMatch(/at most 10 working days, asked 11: .*行政许可法 Art\. 42/);
      expect(await fingerprint(code)).toEqual(before);
    });

    it('refuses an extension without a reason or days with 400 naming the field', async () => {
      const noReason = await api.stepAction(code, 'land_prereview', { action: 'extend', extensionWorkingDays: 5 }, NR_HEAD);
      expect(expectProblem(noReason, 400, 'REQUEST.INVALID').errors?.map((e) => e.field)).toEqual(['comment']);
      const noDays = await api.stepAction(code, 'land_prereview', { action: 'extend', comment: '需补充现场踏勘' }, NR_HEAD);
      expect(expectProblem(noDays, 400, 'REQUEST.INVALID').errors).toEqual([
        { field: 'extensionWorkingDays', message: 'extensionWorkingDays (whole working days from 1 to 60) is required for extend' },
      ]);
    });

    it("accepts the department head's extension by 10 working days: the deadline moves by 10 working days and the applicant is notified", async () => {
      const before = await stepNow(code, 'land_prereview');
      expect(before.dueOn).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
      // The applicant is told in writing the day the extension is decided (a notice date may not lie ahead).
      const noticeOn = toShanghaiDate(Date.now());
      const done = await api.act(code, 'land_prereview', 'extend', NR_HEAD, { extensionWorkingDays: 10, comment: '需补充现场踏勘', noticeOn });
      expect(done.entries.map((e) => e.type)).toEqual(['step.extended', 'applicant.notified']);
      expect(done.entries[0]).toMatchObject({ step: 'land_prereview', actor: NR_HEAD.actor, comment: '需补充现场踏勘', data: { workingDays: 10, cap: 10 } });
      expect(done.entries[1]).toMatchObject({ step: 'land_prereview', data: { notice: 'extension', noticeOn, workingDays: 10 } });

      const after = await stepNow(code, 'land_prereview');
      expect(after.state).toBe('in_review');
      expect(after.extension).toMatchObject({ workingDays: 10, by: NR_HEAD.actor, reason: '需补充现场踏勘', applicantNotifiedOn: noticeOn });
      // The new deadline is the calculator's for the limit + 10 working days from the acceptance day.
      const acceptedOn = new Date(Date.parse(after.acceptedAt!) + 8 * 3_600_000).toISOString().slice(0, 10);
      const calc = await api.get(`${API}/calendar/deadline?start=${acceptedOn}&limit=${after.limit.value + 10}&unit=${after.limit.unit}`);
      expect(calc.status).toBe(200);
      expect(after.dueOn).toBe((calc.body as { dueOn: string }).dueOn);
      expect(String(after.dueOn) > String(before.dueOn)).toBe(true);

      const types = (await api.timelineOk(code)).filter((e) => e.step === 'land_prereview').map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['step.extended', 'applicant.notified']));
    });

    it('refuses a second extension with 422 RULE.REFUSED (one extension, Art. 42), and changes nothing', async () => {
      const before = await fingerprint(code);
      const res = await api.stepAction(code, 'land_prereview', { action: 'extend', extensionWorkingDays: 3, comment: '再次延期' }, NR_HEAD);
      const problem = expectProblem(res, 422, 'RULE.REFUSED');
      expect(problem.detail).toMatch(/already extended once .*行政许可法 Art\. 42 allows one extension/);
      expect(await fingerprint(code)).toEqual(before);
    });

    it('caps an extension of a 核准 project approval at 40 working days (the approval regulation Art. 10)', async () => {
      const approval = projectCode(7011);
      await api.registerOk(approval, { approvalRoute: 'approval' });
      await api.act(approval, 'project_filing', 'accept', officer('drc-qian', 'development_reform'));
      const over = await api.stepAction(approval, 'project_filing', { action: 'extend', extensionWorkingDays: 41, comment: '需专家论证' }, DRC_HEAD);
      expectRefusal(over, 422, 'RULE.REFUSED', /at most 40 working days, asked 41: .*Art\. 10/);
      const done = await api.act(approval, 'project_filing', 'extend', DRC_HEAD, { extensionWorkingDays: 40, comment: '需专家论证' });
      expect(done.entries[0]).toMatchObject({ type: 'step.extended', data: { workingDays: 40, cap: 40 } });
    });
  });

  describe('excluded periods (不计入期限的特别程序, Art. 45)', () => {
    const code = projectCode(7020);
    beforeAll(async () => {
      await api.registerOk(code);
      await api.act(code, 'land_prereview', 'accept', NR_OFFICER);
    }, 60_000);

    it('refuses an unknown kind with the list of kinds, including the local public_notice, and changes nothing', async () => {
      const before = await fingerprint(code);
      const res = await api.stepAction(code, 'land_prereview', { action: 'exclude', exclusionKind: 'site_survey', comment: '现场踏勘' }, NR_OFFICER);
      const problem = expectProblem(res, 409, 'ACTION.INVALID');
      expect(problem.detail).toContain('hearing, bidding, auction, inspection, testing, quarantine, appraisal, expert_review, public_notice');
      expect(problem.detail).toContain("got 'site_survey'");
      expect(await fingerprint(code)).toEqual(before);
    });

    it('refuses a kind that is not a snake_case key with 400 naming exclusionKind', async () => {
      const res = await api.stepAction(code, 'land_prereview', { action: 'exclude', exclusionKind: '拍卖', comment: '土地拍卖' }, NR_OFFICER);
      expect(expectProblem(res, 400, 'REQUEST.INVALID').errors?.map((e) => e.field)).toEqual(['exclusionKind']);
    });

    it('stops the clock for an auction and resumes it at end_exclusion', async () => {
      const excluded = await api.act(code, 'land_prereview', 'exclude', NR_OFFICER, { exclusionKind: 'auction', comment: '地块进入拍卖程序' });
      expect(excluded.entries.map((e) => e.type)).toEqual(['step.excluded', 'applicant.notified']);
      expect(excluded.entries[0]!.data).toMatchObject({ kind: 'auction', kindZh: '拍卖', rule: '行政许可法 Art. 45' });
      let step = await stepNow(code, 'land_prereview');
      expect(step.state).toBe('in_review');
      expect(step.clockStops as ClockStopBody[]).toEqual([expect.objectContaining({ reason: 'excluded_period', kind: 'auction', resumedAt: null })]);

      const again = await api.stepAction(code, 'land_prereview', { action: 'exclude', exclusionKind: 'hearing', comment: '听证' }, NR_OFFICER);
      expectRefusal(again, 409, 'STEP.INVALID_STATE', 'already in an excluded period (auction)');

      const ended = await api.act(code, 'land_prereview', 'end_exclusion', NR_OFFICER);
      expect(ended.entries[0]).toMatchObject({ type: 'step.exclusion_ended', data: { kind: 'auction' } });
      step = await stepNow(code, 'land_prereview');
      expect(step.clockStops as ClockStopBody[]).toEqual([expect.objectContaining({ reason: 'excluded_period', kind: 'auction', resumedAt: expect.any(String) })]);
      expect(step.dueOn).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));

      const notOpen = await api.stepAction(code, 'land_prereview', { action: 'end_exclusion' }, NR_OFFICER);
      expectRefusal(notOpen, 409, 'STEP.INVALID_STATE', 'not in an excluded period');
    });

    it("takes the district's local kind public_notice (公示) from configuration, recorded as a local rule", async () => {
      const drc = officer('drc-qian', 'development_reform');
      await api.act(code, 'project_filing', 'accept', drc);
      const today = toShanghaiDate(Date.now());
      const done = await api.act(code, 'project_filing', 'exclude', drc, { exclusionKind: 'public_notice', comment: '项目信息公示', noticeOn: today });
      expect(done.entries[0]!.data).toMatchObject({ kind: 'public_notice', kindZh: '公示', noticeOn: today, rule: 'local rule (configuration)' });
      expect(done.entries[1]).toMatchObject({ type: 'applicant.notified', data: { notice: 'excluded_period', kind: 'public_notice', noticeOn: today } });
      const ended = await api.act(code, 'project_filing', 'end_exclusion', drc);
      expect(ended.entries[0]).toMatchObject({ type: 'step.exclusion_ended', data: { kind: 'public_notice' } });
    });
  });

  describe('POST /events: the land price paid (土地出让价款缴清), which the land title waits for', () => {
    const code = projectCode(7030);
    const FACT = { projectCode: code, kind: 'land_price_paid', occurredAt: '2022-07-01T10:00:00+08:00', reference: '缴款书 330600-2022-001234', amountYuan: '36500000.00' };
    beforeAll(async () => {
      await api.registerOk(code);
      await acceptAndApprove(code, ['land_prereview', 'land_auction', 'land_contract'], { land_contract: { contractTerms: { preparationMonths: 6, buildMonths: 24 } } });
    }, 120_000);

    it('keeps the land title blocked after the land contract until the price is paid', async () => {
      expect((await stepNow(code, 'land_contract')).state).toBe('approved');
      expect((await stepNow(code, 'land_title')).state).toBe('blocked');
    });

    it("refuses an officer's event with 403 event.post:roles, and changes nothing", async () => {
      const before = await fingerprint(code);
      const res = await postEvent(FACT, NR_OFFICER);
      const problem = expectProblem(res, 403, 'AUTH.FORBIDDEN');
      expect(problem.rule).toBe('event.post:roles');
      expect(problem.detail).toBe('inbound events are for the system role; your roles: officer');
      expect(await fingerprint(code)).toEqual(before);
    });

    it('refuses a malformed event with 400 naming the fields', async () => {
      const res = await postEvent({ projectCode: code, kind: 'land_paid', occurredAt: '2022-07-01', amountYuan: 5 }, LAND_REVENUE);
      expect(expectProblem(res, 400, 'REQUEST.INVALID').errors?.map((e) => e.field).sort()).toEqual(['amountYuan', 'kind', 'occurredAt']);
    });

    it('answers 404 for an unknown project', async () => {
      const res = await postEvent({ ...FACT, projectCode: projectCode(7039) }, LAND_REVENUE);
      expectRefusal(res, 404, 'PROJECT.NOT_FOUND', projectCode(7039));
    });

    it('refuses a payment dated before the signing, or in the future, with the reason, and changes nothing', async () => {
      const before = await fingerprint(code);
      const early = await postEvent({ ...FACT, occurredAt: '2022-03-01T10:00:00+08:00' }, LAND_REVENUE);
      expectRefusal(early, 409, 'ACTION.INVALID', /before the signing day/);
      const future = await postEvent({ ...FACT, occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, LAND_REVENUE);
      expectRefusal(future, 409, 'ACTION.INVALID', /in the future/);
      expect(await fingerprint(code)).toEqual(before);
    });

    it("makes the land title ready, answers like a step action, and replays a repeat with the same Idempotency-Key without a second effect", async () => {
      const caller = { ...LAND_REVENUE, idempotencyKey: `land-price-${code}` };
      const first = await postEvent(FACT, caller);
      expect(first.status).toBe(200);
      const body = first.body as ActionBody;
      expect(body.entries.map((e) => [e.type, e.step])).toEqual([
        ['fact.land_price_paid', null],
        ['step.ready', 'land_title'],
      ]);
      expect(body.entries[0]).toMatchObject({ actor: 'land-revenue-system', data: { kind: 'land_price_paid', reference: FACT.reference, amountYuan: '36500000' } });
      expect(stepOf(body.project, 'land_title').state).toBe('ready');
      expect((await stepNow(code, 'land_title')).state).toBe('ready');

      const replay = await postEvent(FACT, caller);
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      const facts = (await api.timelineOk(code)).filter((e) => e.type === 'fact.land_price_paid');
      expect(facts).toHaveLength(1);
    });

    it('refuses the same fact again under another key with 409 naming it, and changes nothing', async () => {
      const before = await fingerprint(code);
      const res = await postEvent(FACT, { ...LAND_REVENUE, idempotencyKey: `land-price-again-${code}` });
      expectRefusal(res, 409, 'PROJECT.INVALID_STATE', /already has 'land_price_paid'/);
      expect(await fingerprint(code)).toEqual(before);
    });

    it('lets the land title proceed once ready', async () => {
      const done = await api.act(code, 'land_title', 'accept', NR_OFFICER);
      expect(done.step?.state).toBe('in_review');
    });
  });

  describe('receipt then acceptance (收件/受理, Art. 32)', () => {
    it('receives, then accepts: the step shows when it was received and accepted', async () => {
      const code = projectCode(7040);
      await api.registerOk(code);
      const received = await api.act(code, 'land_prereview', 'receive', NR_OFFICER);
      expect(received.entries[0]).toMatchObject({ type: 'step.received', step: 'land_prereview', data: { from: 'ready', to: 'received' } });
      expect(received.step).toMatchObject({ state: 'received', receivedAt: expect.any(String), acceptedAt: null });

      const accepted = await api.act(code, 'land_prereview', 'accept', NR_OFFICER);
      expect(accepted.entries[0]).toMatchObject({ type: 'step.accepted', data: { from: 'received', to: 'in_review' } });
      const step = await stepNow(code, 'land_prereview');
      expect(step).toMatchObject({ state: 'in_review', receivedAt: received.step!.receivedAt, acceptedAt: expect.any(String), deemedAccepted: false });
      expect(Date.parse(step.acceptedAt!)).toBeGreaterThanOrEqual(Date.parse(String(step.receivedAt)));
    });

    it('accepts on the spot (当场受理) without a receipt first: received and accepted at once', async () => {
      const code = projectCode(7041);
      await api.registerOk(code);
      await api.act(code, 'land_prereview', 'accept', NR_OFFICER);
      const step = await stepNow(code, 'land_prereview');
      expect(step.receivedAt).toBe(step.acceptedAt);
    });
  });
});
