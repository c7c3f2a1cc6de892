import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultPayloadConverter } from '@temporalio/common';
import request from 'supertest';
import { addDays } from '../../libs/calendar/index.js';
import { projectWorkflowId } from '../../libs/temporal/project.contract.js';
import { ADMIN, API, ApiClient, expectProblem, officer, projectCode, user, withCaller, type Caller, type ProblemBody } from '../support/api-client.js';
import { NOTICE_2027, plausibleNotice } from '../support/calendar-notice.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/** Every date from `from` to `to` inclusive. */
function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）, typed from the notice
// (research/statutory-limits.md §2.4): 元旦 1/1; 春节 1/28–2/4, work Sun 1/26 and Sat 2/8; 清明 4/4–4/6;
// 劳动节 5/1–5/5, work Sun 4/27; 端午 5/31–6/2; 国庆+中秋 10/1–10/8, work Sun 9/28 and Sat 10/11.
const HOLIDAYS_2025 = [
  '2025-01-01',
  ...range('2025-01-28', '2025-02-04'),
  ...range('2025-04-04', '2025-04-06'),
  ...range('2025-05-01', '2025-05-05'),
  ...range('2025-05-31', '2025-06-02'),
  ...range('2025-10-01', '2025-10-08'),
];
const MAKE_UP_2025 = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'];

const SHANGHAI_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/;

describe('calendar API', () => {
  let stack: TestStack;
  let api: ApiClient;

  const getYear = (year: string | number): request.Test => withCaller(request(stack.baseUrl).get(`${API}/calendar/${year}`), officer('nr-reader', 'natural_resources'));
  const putYear = (year: string | number, body: unknown, caller: Caller = ADMIN): request.Test =>
    withCaller(request(stack.baseUrl).put(`${API}/calendar/${year}`), caller).send(body as object);
  const deadline = (query: string): request.Test =>
    withCaller(request(stack.baseUrl).get(`${API}/calendar/deadline?${query}`), officer('nr-reader', 'natural_resources'));
  const storedYears = async (): Promise<number[]> =>
    ((await stack.dataSource.query(`SELECT year FROM calendar_years ORDER BY year`)) as Array<{ year: number }>).map((r) => r.year);

  beforeAll(async () => {
    stack = await startTestStack('calendar');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  describe('GET /calendar/{year}', () => {
    it('shows 2025 exactly as the State Council notice, with 248 working days', async () => {
      const res = await getYear(2025);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        year: 2025,
        provisional: false,
        origin: 'built_in',
        holidays: HOLIDAYS_2025,
        makeUpWorkdays: MAKE_UP_2025,
        workingDays: 248,
        workingDaysByMonth: [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23],
        source: expect.stringContaining('国办发明电〔2024〕12号'),
        loadedAt: null,
        loadedBy: null,
      });
      expect(res.body.holidays).toEqual(expect.arrayContaining(['2025-01-28', '2025-02-04', '2025-10-08']));
      expect(res.body.makeUpWorkdays).toContain('2025-09-28');
    });

    it('shows 2027, whose notice is not published, as provisional from the 2024 holiday rules', async () => {
      const res = await getYear(2027);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ year: 2027, provisional: true, origin: 'provisional', makeUpWorkdays: [], loadedAt: null, loadedBy: null }),
      );
      expect(res.body.source).toContain('国务院令第795号');
      expect(res.body.holidays).toEqual(expect.arrayContaining(['2027-01-01', '2027-02-05', '2027-10-01'])); // 2-05 is 除夕
      expect(res.body.workingDaysByMonth).toHaveLength(12);
    });

    it.each([
      ['abc', 400, 'REQUEST.INVALID', 'year must be a 4-digit year, e.g. 2025; got "abc"'],
      ['2025.5', 400, 'REQUEST.INVALID', 'year must be a 4-digit year, e.g. 2025; got "2025.5"'],
      ['-2025', 400, 'REQUEST.INVALID', 'year must be a 4-digit year, e.g. 2025; got "-2025"'],
      ['1800', 400, 'REQUEST.INVALID', '1949–2199'],
      // A year the document allows, but with neither a notice nor the provisional rules: a rule refuses it.
      ['2150', 422, 'CALENDAR.YEAR_NOT_SUPPORTED', '2150'],
    ])('refuses year %s with a %s that says why', async (year, status, code, reason) => {
      const body = expectProblem(await getYear(year), status, code);
      expect(body.detail).toContain(reason);
      expect(body.errors?.[0]?.field).toBe('year');
    });
  });

  describe('GET /calendar/deadline', () => {
    it('answers the pinned example: accepted Mon 2025-09-22, 5 working days → Sun 2025-09-28 (a make-up working day)', async () => {
      const res = await deadline('start=2025-09-22&limit=5&unit=working_days');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dueOn: '2025-09-28',
        dueAt: '2025-09-29T00:00:00+08:00',
        provisional: false,
        usedDays: 0,
        remainingDays: 5,
        clockStoppedDays: 0,
        stopped: false,
      });
    });

    it('answers the pinned clock-stop example: returned 09-24, resubmitted 10-09 → 2 used, 3 left, due 2025-10-13', async () => {
      const res = await deadline('start=2025-09-22&limit=5&unit=working_days&stop=2025-09-24/2025-10-09');
      expect(res.status).toBe(200);
      // clockStoppedDays: the working days after S up to and including R — 09-25, 09-26, 09-28 (make-up), 09-29, 09-30, 10-09
      expect(res.body).toEqual({
        dueOn: '2025-10-13',
        dueAt: '2025-10-14T00:00:00+08:00',
        provisional: false,
        usedDays: 2,
        remainingDays: 3,
        clockStoppedDays: 6,
        stopped: false,
      });
    });

    it('takes working days when unit is left out, and `S/` as a stop still open', async () => {
      expect((await deadline('start=2025-09-22&limit=5')).body).toEqual(expect.objectContaining({ dueOn: '2025-09-28' }));
      const open = await deadline('start=2025-09-22&limit=5&stop=2025-09-24/');
      expect(open.status).toBe(200);
      expect(open.body).toEqual(expect.objectContaining({ dueOn: null, dueAt: null, stopped: true, usedDays: 2, remainingDays: 3 }));
    });

    it('takes repeated stops', async () => {
      // 2 days (09-23, 09-24), stop to 10-09, then 10-10 (3rd), stop 10-10 → 10-13, then 10-14, 10-15 → due 10-15
      const res = await deadline('start=2025-09-22&limit=5&stop=2025-09-24/2025-10-09&stop=2025-10-10/2025-10-13');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ dueOn: '2025-10-15', usedDays: 3, remainingDays: 2 }));
    });

    it('ends a calendar-day period that falls on a rest day on the next working day', async () => {
      // 2025-09-22 + 5 calendar days = Sat 09-27, a rest day → Sun 09-28, a make-up working day
      const res = await deadline('start=2025-09-22&limit=5&unit=calendar_days');
      expect(res.body).toEqual(expect.objectContaining({ dueOn: '2025-09-28', usedDays: 0, provisional: false }));
    });

    it('marks a deadline in a year with no notice provisional', async () => {
      const res = await deadline('start=2030-03-01&limit=10');
      expect(res.status).toBe(200);
      expect(res.body.provisional).toBe(true);
    });

    it.each([
      ['start is missing', 'limit=5', 400, 'REQUEST.INVALID', 'start'],
      ['start is malformed', 'start=2025-02-30&limit=5', 400, 'REQUEST.INVALID', 'start'],
      ['limit is 0', 'start=2025-09-22&limit=0', 400, 'REQUEST.INVALID', 'limit'],
      ['limit is 3651', 'start=2025-09-22&limit=3651', 400, 'REQUEST.INVALID', 'limit'],
      ['limit is not a number', 'start=2025-09-22&limit=five', 400, 'REQUEST.INVALID', 'limit'],
      ['limit is a fraction', 'start=2025-09-22&limit=2.5', 400, 'REQUEST.INVALID', 'limit'],
      ['unit is unknown', 'start=2025-09-22&limit=5&unit=hours', 400, 'REQUEST.INVALID', 'unit'],
      ['a stop has no slash', 'start=2025-09-22&limit=5&stop=2025-09-24', 400, 'REQUEST.INVALID', 'stop'],
      ['a stop date is malformed', 'start=2025-09-22&limit=5&stop=2025-09-31/2025-10-09', 422, 'CALENDAR.INVALID_DATE', 'stop[0]'],
      ['a stop ends before it starts', 'start=2025-09-22&limit=5&stop=2025-09-24/2025-09-20', 422, 'CALENDAR.INVALID_STOP', 'stop[0]'],
      ['a stop starts before acceptance', 'start=2025-09-22&limit=5&stop=2025-09-20/2025-09-23', 422, 'CALENDAR.INVALID_STOP', 'stop[0]'],
      ['stops overlap', 'start=2025-09-22&limit=5&stop=2025-09-24/2025-10-09&stop=2025-10-01/2025-10-10', 422, 'CALENDAR.INVALID_STOP', 'stop[1]'],
      ['limit is empty', 'start=2025-09-22&limit=', 400, 'REQUEST.INVALID', 'limit'],
      ['limit is in exponent form', 'start=2025-09-22&limit=1e3', 400, 'REQUEST.INVALID', 'limit'],
      ['the count runs past the calendar', 'start=2099-12-01&limit=100', 422, 'CALENDAR.YEAR_NOT_SUPPORTED', 'limit'],
      ['start lies beyond the calendar', 'start=2100-01-05&limit=5', 422, 'CALENDAR.YEAR_NOT_SUPPORTED', 'start'],
      ['an unknown parameter', 'start=2025-09-22&limit=5&stops=2025-09-24/2025-10-09', 400, 'REQUEST.INVALID', 'stops'],
    ])('refuses when %s, naming the parameter', async (_case, query, status, code, field) => {
      // 400: the query does not match the OpenAPI document; 422: it does, but the calendar's rules refuse it.
      const body: ProblemBody = expectProblem(await deadline(query), status, code);
      expect(body.detail).toContain(field);
      expect((body.errors ?? []).map((e) => e.field)).toContain(field);
    });

    it('says which stop date is wrong in the calendar’s own words', async () => {
      const body = expectProblem(await deadline('start=2025-09-22&limit=5&stop=2025-09-24/2025-09-20'), 422, 'CALENDAR.INVALID_STOP');
      expect(body.detail).toBe("stop=2025-09-24/2025-09-20: stop[0] R: 2025-09-20 is before the stop's start (stop[0] S 2025-09-24)");
    });
  });

  describe('PUT /calendar/{year}', () => {
    it('loads the 2027 notice: the year is no longer provisional and deadlines follow it', async () => {
      // Before: provisional; Thu 01-28 + 5 working days = Thu 02-04 (no make-up days known)
      const before = await deadline('start=2027-01-28&limit=5');
      expect(before.body).toEqual(expect.objectContaining({ dueOn: '2027-02-04', provisional: true }));

      const put = await putYear(2027, { holidays: NOTICE_2027.holidays, makeUpWorkdays: NOTICE_2027.makeUpWorkdays, source: NOTICE_2027.source });
      expect(put.status).toBe(200);
      const expected = {
        year: 2027,
        provisional: false,
        origin: 'loaded',
        holidays: [...NOTICE_2027.holidays],
        makeUpWorkdays: [...NOTICE_2027.makeUpWorkdays],
        workingDays: NOTICE_2027.workingDays,
        workingDaysByMonth: expect.any(Array),
        source: NOTICE_2027.source,
        loadedAt: expect.stringMatching(SHANGHAI_INSTANT),
        loadedBy: 'admin-wang',
      };
      expect(put.body).toEqual({ ...expected, signalled: 0 });

      const get = await getYear(2027);
      expect(get.status).toBe(200);
      expect(get.body).toEqual({ ...expected, loadedAt: put.body.loadedAt });

      // After: Sun 01-31 is a make-up working day → due Wed 02-03, no longer provisional
      const after = await deadline('start=2027-01-28&limit=5');
      expect(after.body).toEqual(expect.objectContaining({ dueOn: '2027-02-03', provisional: false }));
    });

    it.each([
      ['a date outside the year', { holidays: ['2029-01-01', '2030-01-01'], makeUpWorkdays: [] }, 'holidays[1]', '2030-01-01'],
      ['a date both holiday and make-up day', { holidays: ['2029-01-01', '2029-02-10'], makeUpWorkdays: ['2029-02-10'] }, 'makeUpWorkdays[0]', '2029-02-10'],
      ['a make-up day on a weekday', { holidays: ['2029-01-01'], makeUpWorkdays: ['2029-02-06', '2029-02-07'] }, 'makeUpWorkdays[0]', '2029-02-06'],
      ['a malformed date', { holidays: ['2029-01-01', '2029-02-29'], makeUpWorkdays: [] }, 'holidays[1]', '2029-02-29'],
    ])('refuses %s with a 422 naming it, and stores nothing', async (_case, dates, field, date) => {
      const before = await storedYears();
      const body = expectProblem(await putYear(2029, { ...dates, source: '国务院办公厅关于2029年部分节假日安排的通知（test）' }), 422, 'CALENDAR.INVALID_NOTICE');
      expect(body.detail).toContain(date);
      expect(body.detail).toContain(field);
      expect(body.errors).toEqual([{ field, message: body.detail }]);
      expect(await storedYears()).toEqual(before);
      expect((await getYear(2029)).body).toEqual(expect.objectContaining({ provisional: true, origin: 'provisional' }));
    });

    it('keeps the loaded year when a later load of it is refused', async () => {
      const body = expectProblem(
        await putYear(2027, { holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-01'], source: 'wrong' }),
        422,
        'CALENDAR.INVALID_NOTICE',
      );
      expect(body.detail).toContain('2027-01-01');
      expect((await getYear(2027)).body).toEqual(expect.objectContaining({ source: NOTICE_2027.source, workingDays: NOTICE_2027.workingDays }));
    });

    it.each([
      ['no bearer token', { holidays: ['2029-01-01'], makeUpWorkdays: [], source: 's' }, officer(null), 401, 'AUTH.UNAUTHENTICATED'],
      ['a token without the admin role', { holidays: ['2029-01-01'], makeUpWorkdays: [], source: 's' }, officer('nr-zhao', 'natural_resources'), 403, 'AUTH.FORBIDDEN'],
      ['holidays not an array', { holidays: '2029-01-01', makeUpWorkdays: [], source: 's' }, ADMIN, 400, 'REQUEST.INVALID'],
      ['no holidays at all', { holidays: [], makeUpWorkdays: [], source: 's' }, ADMIN, 400, 'REQUEST.INVALID'],
      ['no source', { holidays: ['2029-01-01'], makeUpWorkdays: [] }, ADMIN, 400, 'REQUEST.INVALID'],
      ['an unknown field', { holidays: ['2029-01-01'], makeUpWorkdays: [], source: 's', provisional: true }, ADMIN, 400, 'REQUEST.INVALID'],
      ['a holiday not written YYYY-MM-DD', { holidays: ['2029-1-1'], makeUpWorkdays: [], source: 's' }, ADMIN, 400, 'REQUEST.INVALID'],
    ])('refuses a request with %s and stores nothing', async (_case, body, caller, status, code) => {
      const before = await storedYears();
      expectProblem(await putYear(2029, body, caller), status, code);
      expect(await storedYears()).toEqual(before);
    });

    it('refuses a year that is not a year', async () => {
      const body = expectProblem(await putYear('20x9', { holidays: ['2029-01-01'], makeUpWorkdays: [], source: 's' }), 400, 'REQUEST.INVALID');
      expect(body.detail).toContain('year');
    });

    it('answers a repeat with the same Idempotency-Key with the first response, and refuses the key for another body', async () => {
      const notice = plausibleNotice(2028);
      const caller = user(['admin'], 'admin-wang', 'project_office', 'load-2028-a');
      const first = await putYear(2028, notice, caller);
      expect(first.status).toBe(200);
      const again = await putYear(2028, notice, caller);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expectProblem(await putYear(2028, { ...notice, source: 'another notice' }, caller), 422, 'IDEMPOTENCY.KEY_REUSED');
      expect((await getYear(2028)).body.source).toBe(notice.source);
    });
  });

  describe('PUT /calendar/{year} and running projects', () => {
    it('signals calendarChanged to every running project workflow and skips read-model rows without one', async () => {
      const code = projectCode(4001);
      await api.registerOk(code);
      // A project the read model still lists as active whose workflow is gone (e.g. a closed run not yet synced)
      await stack.dataSource.query(
        `INSERT INTO projects (code, name, track, definition_version, district, signed_at, registered_at, registered_by, status, stage,
           version, last_progress_at, updated_at)
         VALUES ($1, 'phantom', 'standard', 1, '越城区', '2022-03-05', now(), 'test', 'active', 'signing', 1, now(), now())`,
        [projectCode(4999)],
      );

      const put = await putYear(2030, plausibleNotice(2030));
      expect(put.status).toBe(200);
      expect(put.body.signalled).toBe(1);

      const history = await stack.env.client.workflow.getHandle(projectWorkflowId(code)).fetchHistory();
      const signals = (history.events ?? [])
        .map((e) => e.workflowExecutionSignaledEventAttributes)
        .filter((a): a is NonNullable<typeof a> => !!a && a.signalName === 'calendarChanged');
      expect(signals).toHaveLength(1);
      expect(defaultPayloadConverter.fromPayload(signals[0]!.input!.payloads![0]!)).toEqual({ years: [2030] });

      // The workflow does not handle the signal yet; Temporal buffers it and the project keeps working.
      await api.act(code, 'project_filing', 'accept', officer('drc-1', 'development_reform'));
      expect((await api.projectOk(code)).status).toBe('active');
    }, 60_000);
  });

  it('routes /calendar/deadline to the calculator, not to /calendar/{year}, and documents it', async () => {
    const body = expectProblem(await deadline(''), 400, 'REQUEST.INVALID');
    expect((body.errors ?? []).map((e) => e.field)).toEqual(expect.arrayContaining(['start', 'limit']));
    const docs = await request(stack.baseUrl).get('/docs/openapi.json');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/calendar/deadline', '/api/v1/calendar/{year}']));
  });
});
