import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signEventBody } from '../../libs/inbound-events/signature.js';
import { ADMIN, API, ApiClient, expectProblem, officer, projectCode, stepOf, SUPERVISOR, user, withCaller, type Caller } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Events from other systems over HTTP: signed by their source (EVENT_SOURCES), applied through the officer's actions
 * back-dated to when they happened, idempotent by (source, id), parked until the project registers, out-of-order
 * delivery, and the list of events a person must look at. Projects are registered back-dated to 2022-03-10; officers'
 * actions and events happen on the hours after 2022-04-01 10:00 (Asia/Shanghai).
 */
const SOURCES = {
  'land-supply': { secret: 'land-supply-secret-0123456789', department: 'natural_resources' },
  eco: { secret: 'ecology-secret-0123456789', department: 'ecology_environment' },
  housing: { secret: 'housing-secret-0123456789', department: 'housing_construction' },
  customs: { secret: 'customs-secret-0123456789', department: 'customs' },
  platform: { secret: 'platform-secret-0123456789', department: 'development_reform' },
} as const;
type SourceName = keyof typeof SOURCES;
const EXCHANGE: Caller = user(['system'], 'svc-exchange', 'project_office');
const REGISTERED_AT = '2022-03-10T09:00:00+08:00';
const at = (hour: number) => new Date(Date.parse('2022-04-01T10:00:00+08:00') + hour * 3_600_000).toISOString();

interface EventBody {
  id: string;
  source: string;
  type: string;
  projectCode: string;
  occurredAt: string;
  status: string;
  reason: string | null;
  appliedAt: string | null;
  entries: Array<{ type: string; step: string | null; actor: string | null }>;
}

describe('POST /events: signed events from other systems (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack('inbound_events', { env: { EVENT_SOURCES: JSON.stringify(SOURCES) } });
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  /** Sends `body` as exact JSON text signed by `source` (or with the headers given). */
  const send = (body: Record<string, unknown>, source: SourceName, headers: Record<string, string> = {}): request.Test => {
    const text = JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    return withCaller(request(stack.baseUrl).post(`${API}/events`), EXCHANGE)
      .set('Content-Type', 'application/json')
      .set({ 'X-Timestamp': ts, 'X-Signature': signEventBody(SOURCES[source].secret, ts, text), ...headers })
      .send(text);
  };
  let serial = 0;
  const event = (source: SourceName, type: string, code: string, hour: number, data: Record<string, unknown> = {}) => ({
    id: `${source.toUpperCase()}-${++serial}`,
    source,
    type,
    projectCode: code,
    occurredAt: at(hour),
    data,
  });
  /** Sends and expects 200 with `status`. */
  const sendOk = async (body: Record<string, unknown>, source: SourceName, status: string): Promise<EventBody> => {
    const res = await send(body, source);
    const b = res.body as EventBody;
    // The reason is shown when the status differs (applied events have none).
    expect({ status: res.status, body: b.status, reason: b.reason }).toEqual({ status: 200, body: status, reason: status === 'applied' ? null : b.reason });
    return b;
  };
  const register = (code: string, overrides: Record<string, unknown> = {}) => api.registerOk(code, { occurredAt: REGISTERED_AT, ...overrides });
  const approve = async (code: string, step: string, department: string, hour: number) => {
    await api.act(code, step, 'accept', officer(`${department}-1`, department), { occurredAt: at(hour) });
    await api.act(code, step, 'approve', officer(`${department}-1`, department), { occurredAt: at(hour + 0.5) });
  };
  const stepNow = async (code: string, step: string) => stepOf(await api.projectOk(code), step);
  const fingerprint = async (code: string) =>
    JSON.stringify(
      await stack.dataSource.query(
        `SELECT (SELECT version FROM projects WHERE code = $1) AS v, (SELECT count(*) FROM timeline_entries WHERE project_code = $1) AS t, (SELECT count(*) FROM inbound_events) AS e`,
        [code],
      ),
    );

  it('applies a signed event of each type on the standard track through the officer actions, back-dated', async () => {
    const code = projectCode(8101);
    await register(code);
    await approve(code, 'land_prereview', 'natural_resources', 1);
    await approve(code, 'land_auction', 'natural_resources', 2);
    expect(await sendOk(event('platform', 'project_filed', code, 3), 'platform', 'applied')).toMatchObject({ reason: null, appliedAt: expect.any(String) });
    const contract = await sendOk(event('land-supply', 'land_contract_signed', code, 4, { contractTerms: { preparationMonths: 6, buildMonths: 24 } }), 'land-supply', 'applied');
    expect(contract.entries.filter((e) => e.step === 'land_contract').map((e) => [e.type, e.actor])).toEqual([
      ['step.accepted', 'land-supply'],
      ['step.approved', 'land-supply'],
      ['expiry.started', 'system'],
      ['expiry.started', 'system'],
      // The acceptance, back-dated to 2022 and judged when it arrived, was past its statutory limit; the approval,
      // dated within it, withdraws that.
      ['step.statutory_overdue_withdrawn', 'system'],
    ]);
    await sendOk(event('land-supply', 'land_price_paid', code, 5, { reference: '缴款书 330600-2022-001234', amountYuan: '36500000.00' }), 'land-supply', 'applied');
    await sendOk(event('land-supply', 'land_title_registered', code, 6), 'land-supply', 'applied');
    await sendOk(event('land-supply', 'planning_permit_issued', code, 7), 'land-supply', 'applied');
    await sendOk(event('eco', 'eia_approved', code, 8), 'eco', 'applied');
    await approve(code, 'construction_planning_permit', 'natural_resources', 9);
    await approve(code, 'drawing_review', 'housing_construction', 10);
    await sendOk(event('housing', 'construction_permit_issued', code, 12), 'housing', 'applied');

    const project = await api.projectOk(code);
    const states = Object.fromEntries(
      ['project_filing', 'land_contract', 'land_title', 'land_use_planning_permit', 'eia_approval', 'construction_permit'].map((k) => [k, stepOf(project, k).state]),
    );
    expect(states).toEqual({
      project_filing: 'approved',
      land_contract: 'approved',
      land_title: 'delivered',
      land_use_planning_permit: 'delivered',
      eia_approval: 'delivered',
      construction_permit: 'delivered',
    });
    expect(Date.parse(stepOf(project, 'land_contract').decidedAt!)).toBe(Date.parse(at(4)));
    // customs_acceptance_passed affects no step of the standard track: recorded for a person.
    const customs = await sendOk(event('customs', 'customs_acceptance_passed', code, 13), 'customs', 'needs_attention');
    expect(customs.reason).toBe("'customs_acceptance_passed' (海关牵头联合验收通过) affects no step of the standard track");
  }, 120_000);

  it('applies customs_acceptance_passed on the bonded-zone track', async () => {
    const code = projectCode(8102);
    await register(code, { track: 'bonded_zone' });
    await approve(code, 'groundbreaking', 'project_office', 1);
    await approve(code, 'topping_out', 'housing_construction', 2);
    await approve(code, 'completion', 'housing_construction', 3);
    await approve(code, 'provincial_pre_acceptance', 'development_reform', 4);
    await sendOk(event('customs', 'customs_acceptance_passed', code, 5), 'customs', 'applied');
    expect((await stepNow(code, 'customs_joint_acceptance')).state).toBe('approved');
    expect((await stepNow(code, 'sealed_operation')).state).toBe('ready');
  }, 120_000);

  it('answers a repeat with the first answer and changes nothing; another body under the same id is 422', async () => {
    const code = projectCode(8103);
    await register(code);
    const body = event('platform', 'project_filed', code, 1);
    const first = await send(body, 'platform');
    expect(first.status).toBe(200);
    const before = await fingerprint(code);
    const again = await send(body, 'platform');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await fingerprint(code)).toEqual(before);
    const other = await send({ ...body, occurredAt: at(2) }, 'platform');
    expectProblem(other, 422, 'IDEMPOTENCY.KEY_REUSED');
    expect(await fingerprint(code)).toEqual(before);
  }, 60_000);

  it('parks events for a project not registered yet and applies them on registration, in occurredAt order', async () => {
    const code = projectCode(8104);
    // Sent in reverse: the EIA approval (hour 2) needs the filing (hour 1) first.
    const eia = await sendOk(event('eco', 'eia_approved', code, 2), 'eco', 'parked');
    expect(eia.reason).toBe(`project ${code} is not registered yet; the event is applied when it registers`);
    await sendOk(event('platform', 'project_filed', code, 1), 'platform', 'parked');
    await register(code);
    expect((await stepNow(code, 'project_filing')).state).toBe('approved');
    expect((await stepNow(code, 'eia_approval')).state).toBe('delivered');
    const repeat = await send(event('eco', 'eia_approved', code, 2), 'eco'); // a new id: the same fact again
    expect((repeat.body as EventBody).status).toBe('duplicate');
    const stored = (await stack.dataSource.query(`SELECT event_id, status FROM inbound_events WHERE project_code = $1 ORDER BY occurred_at, event_id`, [code])) as unknown[];
    expect(stored).toEqual([
      { event_id: expect.stringMatching(/^PLATFORM-/), status: 'applied' },
      { event_id: eia.id, status: 'applied' },
      { event_id: expect.stringMatching(/^ECO-/), status: 'duplicate' },
    ]);
  }, 60_000);

  it('applies an out-of-order pair in occurredAt order; one that no longer fits needs attention, listed with its reason', async () => {
    const code = projectCode(8105);
    await register(code);
    await approve(code, 'land_prereview', 'natural_resources', 1);
    await approve(code, 'land_auction', 'natural_resources', 2);
    // The payment (hour 5) arrives before the contract (hour 4) it follows: it waits, then follows the contract.
    const paid = event('land-supply', 'land_price_paid', code, 5);
    const early = await sendOk(paid, 'land-supply', 'needs_attention');
    expect(early.reason).toBe("'land_price_paid' follows land_contract (国有建设用地使用权出让合同), not done yet");
    await sendOk(event('land-supply', 'land_contract_signed', code, 4), 'land-supply', 'applied');
    expect((await stepNow(code, 'land_title')).state).toBe('ready');
    const replay = await send(paid, 'land-supply');
    expect((replay.body as EventBody).status).toBe('applied');

    // A title registered at hour 4.5, before the payment (hour 5) that made the title ready: it no longer fits.
    const title = await sendOk(event('land-supply', 'land_title_registered', code, 4.5), 'land-supply', 'needs_attention');
    expect(title.reason).toBe(
      `arrived after land-supply/${paid.id} (2022-04-01 15:00 (+08:00)) was applied: occurredAt ${at(4.5)} is before the step's last change (2022-04-01 15:00 (+08:00))`,
    );
    expect((await stepNow(code, 'land_title')).state).toBe('ready');

    const listed = await withCaller(request(stack.baseUrl).get(`${API}/events?status=needs_attention&pageSize=200`), SUPERVISOR);
    expect(listed.status).toBe(200);
    const items = (listed.body as { items: EventBody[] }).items;
    expect(items.find((e) => e.id === title.id)).toMatchObject({ status: 'needs_attention', reason: title.reason, projectCode: code });
    expect(items.find((e) => e.id === paid.id)).toBeUndefined();
    const forbidden = await withCaller(request(stack.baseUrl).get(`${API}/events`), officer('nr-1', 'natural_resources'));
    expectProblem(forbidden, 403, 'AUTH.FORBIDDEN');
  }, 120_000);

  it('refuses a bad or missing signature, a stale timestamp or an unknown source with 401, storing nothing', async () => {
    const code = projectCode(8106);
    await register(code);
    const before = await fingerprint(code);
    const body = event('platform', 'project_filed', code, 1);
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    const cases: Array<[request.Test, RegExp]> = [
      [send(body, 'platform', { 'X-Signature': signEventBody('wrong-secret-0123456789', String(Math.floor(Date.now() / 1000)), JSON.stringify(body)) }), /does not match the body/],
      [send(body, 'platform', { 'X-Signature': '' }), /X-Signature must be sha256=/],
      [send(body, 'platform', { 'X-Timestamp': stale, 'X-Signature': signEventBody(SOURCES.platform.secret, stale, JSON.stringify(body)) }), /at most 300 s/],
      [send({ ...body, source: 'unknown-system' }, 'platform'), /source 'unknown-system' is not configured/],
    ];
    for (const [req, reason] of cases) {
      const res = await req;
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(expectProblem(res, 401, 'AUTH.UNAUTHENTICATED').detail).toMatch(reason);
    }
    expect(await fingerprint(code)).toEqual(before);
    expect((await stepNow(code, 'project_filing')).state).toBe('ready');
  }, 60_000);

  it('applies an event to a track published at run time as its own definition maps it, and nothing its mapping leaves out', async () => {
    const limit = { value: 10, unit: 'working_days', source: '区政府搬迁退出工作方案（试点）', confidence: 'low' };
    const definition = {
      track: 'event_pilot',
      version: 1,
      name: 'Withdrawal with registry events',
      nameZh: '退出试点（登记事件）',
      finalStep: 'land_reserve',
      reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
      projectDeadlines: [],
      stages: [{ key: 'exit', name: 'Withdrawal', nameZh: '退出' }],
      steps: [
        { key: 'agreement', name: 'Relocation agreement', nameZh: '搬迁协议', stage: 'exit', department: 'economy_information', dependsOn: [], limit },
        { key: 'land_reserve', name: 'Land taken into the reserve', nameZh: '土地收储', stage: 'exit', department: 'natural_resources', dependsOn: ['agreement'], limit },
      ],
      eventMappings: {
        land_title_registered: { effect: 'approve', step: 'land_reserve', data: ['reference'], source: 'district practice: the registry records the land in the reserve agency\'s name' },
      },
    };
    const published = await withCaller(request(stack.baseUrl).post(`${API}/tracks`), ADMIN).send({ definition });
    expect({ status: published.status, body: published.status === 201 ? null : published.body }).toEqual({ status: 201, body: null });
    const code = projectCode(8201);
    await register(code, { track: 'event_pilot' });
    await approve(code, 'agreement', 'economy_information', 40);

    expect((await sendOk(event('platform', 'project_filed', code, 41), 'platform', 'needs_attention')).reason).toBe(
      "'project_filed' (项目备案/核准完成) affects no step of the event_pilot track",
    );
    const applied = await sendOk(event('land-supply', 'land_title_registered', code, 42, { reference: '浙(2022)绍兴市不动产权第0000002号' }), 'land-supply', 'applied');

    expect(applied.entries.filter((e) => e.step === 'land_reserve').map((e) => [e.type, e.actor])).toEqual([
      ['step.accepted', 'land-supply'],
      ['step.approved', 'land-supply'],
      ['step.statutory_overdue_withdrawn', 'system'],
    ]);
    const project = await api.projectOk(code);
    expect({ status: project.status, land_reserve: stepOf(project, 'land_reserve').state }).toEqual({ status: 'completed', land_reserve: 'approved' });
  });
});
