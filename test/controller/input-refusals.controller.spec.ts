import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { connect } from 'node:net';
import request from 'supertest';
import { CalendarController } from '../../apps/api/src/calendar/calendar.controller.js';
import { CalendarService } from '../../apps/api/src/calendar/calendar.service.js';
import { EventsController } from '../../apps/api/src/events/events.controller.js';
import { EventsService } from '../../apps/api/src/events/events.service.js';
import { ProjectsController } from '../../apps/api/src/projects/projects.controller.js';
import { ProjectsService } from '../../apps/api/src/projects/projects.service.js';
import { CalendarError, CalendarErrorCode } from '../../libs/calendar/index.js';
import { DomainError, DomainErrorCode } from '../../libs/domain/index.js';
import { ADMIN, API, ApiClient, bearerOf, expectRefusal, officer, PROJECT_OFFICE, problemFields, projectCode, registration, type Caller } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * Every bad input refused with a reason and nothing changed, in the controller tier (real guards, validation pipe,
 * idempotency interceptor and problem filter; services mocked): instants and dates that do not exist, a signing day far
 * from the project code's year, a project code whose region is no administrative division, bytes that are not UTF-8,
 * lone surrogates, `__proto__`, misleading messages of a wrong type, and a refused calendar load that must leave its
 * Idempotency-Key for the corrected request.
 */
const NR = officer('nr-zhao', 'natural_resources');
const CODE_2026 = '2026-330602-39-03-000101';

describe('bad input refused with a reason (mocked services)', () => {
  let server: ControllerApp;
  let api: ApiClient;
  const projects = {
    register: jest.fn(async (): Promise<unknown> => ({})),
    stepAction: jest.fn(async (): Promise<unknown> => ({})),
    projectAction: jest.fn(async (): Promise<unknown> => ({})),
  };
  const events = { post: jest.fn(async (): Promise<unknown> => ({})) };
  const calendar = { load: jest.fn(async (): Promise<unknown> => ({ year: 2028, signalled: 0 })), year: jest.fn(async (): Promise<unknown> => ({})) };
  const mocks = [...Object.values(projects), ...Object.values(events), ...Object.values(calendar)];
  const touched = (): number => mocks.reduce((n, f) => n + f.mock.calls.length, 0);

  beforeAll(async () => {
    server = await startControllerApp({
      controllers: [ProjectsController, EventsController, CalendarController],
      providers: [
        { provide: ProjectsService, useValue: projects },
        { provide: EventsService, useValue: events },
        { provide: CalendarService, useValue: calendar },
      ],
    });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => server?.close());
  beforeEach(() => mocks.forEach((f) => f.mockClear()));

  /** A JSON write of a text as written (escapes kept, e.g. a lone `\\ud800` that JSON.stringify would not produce). */
  function rawPost(path: string, body: string, caller: Caller = PROJECT_OFFICE): request.Test {
    return request(server.baseUrl).post(`${API}${path}`).set('Authorization', `Bearer ${bearerOf(caller)}`).set('Content-Type', 'application/json').send(body);
  }

  describe('instants and dates that do not exist: 400 "not a real date", on every instant field', () => {
    it.each([
      ['30 February', '2026-02-30T09:00:00+08:00', /February 2026 has 28 days/],
      ['31 April', '2026-04-31T10:00:00+08:00', /April 2026 has 30 days/],
      ['hour 25', '2026-03-02T25:00+08:00', /hours run 00–23, not 25/],
      ['24:00', '2026-03-02T24:00:00+08:00', /hours run 00–23/],
      ['minute 60', '2026-03-02T09:60:00+08:00', /minutes run 00–59/],
      ['month 13', '2026-13-01T09:00:00+08:00', /month 13 does not exist/],
      ['offset +25:00', '2026-03-02T09:00:00+25:00', /offset \+25:00/],
    ])('registration occurredAt on %s', async (_label, occurredAt, why) => {
      const problem = expectRefusal(await api.register(registration(CODE_2026, { signedAt: '2026-01-05', occurredAt })), 400, 'REQUEST.INVALID', [/not a real date/, why]);
      expect(problemFields(problem)).toEqual(['occurredAt']);
      expect(touched()).toBe(0);
    });

    it('an accept, a project action and an event with 31 April, naming occurredAt each time', async () => {
      const occurredAt = '2026-04-31T10:00:00+08:00';
      const step = expectRefusal(await api.stepAction(CODE_2026, 'land_prereview', { action: 'accept', occurredAt }, NR), 400, 'REQUEST.INVALID', /not a real date.*April 2026 has 30 days/);
      const project = expectRefusal(await api.projectAction(CODE_2026, { action: 'suspend', comment: '暂停', occurredAt }), 400, 'REQUEST.INVALID', /not a real date/);
      const event = expectRefusal(await api.postEvent({ projectCode: CODE_2026, kind: 'land_price_paid', occurredAt }), 400, 'REQUEST.INVALID', /not a real date/);
      expect([step, project, event].map(problemFields)).toEqual([['occurredAt'], ['occurredAt'], ['occurredAt']]);
      expect(touched()).toBe(0);
    });

    it('keeps the format message for what is no instant at all, and lets a real instant through', async () => {
      expectRefusal(await api.stepAction(CODE_2026, 'land_prereview', { action: 'accept', occurredAt: '2026-04-30 10:00' }, NR), 400, 'REQUEST.INVALID', /ISO 8601 instant with offset/);
      expectRefusal(await api.stepAction(CODE_2026, 'land_prereview', { action: 'accept', occurredAt: 1777514400000 }, NR), 400, 'REQUEST.INVALID', /ISO 8601 instant with offset/);
      expect((await api.stepAction(CODE_2026, 'land_prereview', { action: 'accept', occurredAt: '2026-04-30T10:00:00+08:00' }, NR)).status).toBe(200);
      expect(projects.stepAction).toHaveBeenCalledTimes(1);
    });

    it('signedAt on 30 February says which month is short', async () => {
      const problem = expectRefusal(await api.register(registration(CODE_2026, { signedAt: '2026-02-30' })), 400, 'REQUEST.INVALID', /signedAt '2026-02-30' is not a real date: February 2026 has 28 days/);
      expect(problemFields(problem)).toEqual(['signedAt']);
      expect(touched()).toBe(0);
    });
  });

  describe('the project code and its signing day', () => {
    it.each(['2099-01-01', '0001-01-01', '1970-01-01', '2024-12-31', '2028-01-01'])('refuses signedAt %s for a 2026 code with 422, saying the rule', async (signedAt) => {
      // A rule between two fields that the document cannot state: 422, as the API answers such rules.
      const problem = expectRefusal(await api.register(registration(CODE_2026, { signedAt })), 422, 'REQUEST.UNPROCESSABLE', [
        `signedAt ${signedAt} is too far from the year of the project code (2026)`,
        'between 2025-01-01 and 2027-12-31',
      ]);
      expect(problemFields(problem)).toEqual(['signedAt']);
      expect(touched()).toBe(0);
    });

    it.each(['2025-01-01', '2026-06-30', '2027-12-31'])('takes signedAt %s for a 2026 code', async (signedAt) => {
      expect((await api.register(registration(CODE_2026, { signedAt }))).status).toBe(201);
      expect(projects.register).toHaveBeenCalledTimes(1);
    });

    it.each([
      ['000000', /region 000000, which is not an administrative division code of GB\/T 2260/],
      ['330699', /region 330699/],
      ['999999', /region 999999/],
    ])('refuses region %s, checked against GB/T 2260, with 422 (the document cannot list the divisions)', async (region, why) => {
      const problem = expectRefusal(await api.register(registration(`2026-${region}-39-03-000101`, { signedAt: '2026-01-05' })), 422, 'REQUEST.UNPROCESSABLE', why);
      expect(problemFields(problem)).toEqual(['code']);
      expect(touched()).toBe(0);
    });

    it("leaves a code's year out of 1990–2100 to the service, which refuses it as PROJECT.INVALID_CODE", async () => {
      projects.register.mockRejectedValueOnce(new DomainError(DomainErrorCode.ProjectInvalidCode, "project code '1899-330602-39-03-000151' has year 1899, outside 1990–2100"));
      expectRefusal(await api.register(registration('1899-330602-39-03-000151')), 400, 'PROJECT.INVALID_CODE', '1899');
      expect(projects.register).toHaveBeenCalledTimes(1);
    });

    it('answers 400 when the code is malformed besides, naming the form', async () => {
      expectRefusal(await api.register(registration('2026-000000-39-03-0001', { signedAt: '2026-01-05' })), 400, 'REQUEST.INVALID', /national 24-character format/);
      expectRefusal(await api.register(registration('2026-000000-39-03-000101', { signedAt: '2026-01-05', name: '' })), 400, 'REQUEST.INVALID', [/region 000000/, /name must be 1–200/]);
      expect(touched()).toBe(0);
    });

    it.each([
      ['a county-level district (330602 越城区)', '330602'],
      ['a prefecture-level city (330600 绍兴市)', '330600'],
      ['a province (330000 浙江省)', '330000'],
      ['a district of Beijing (110105 朝阳区)', '110105'],
    ])('takes %s', async (_label, region) => {
      expect((await api.register(registration(`2026-${region}-39-03-000101`, { signedAt: '2026-01-05' }))).status).toBe(201);
    });
  });

  describe('text that is not text', () => {
    it('refuses a body whose bytes are not UTF-8 with 400, instead of storing U+FFFD', async () => {
      const body = Buffer.concat([Buffer.from(`{"code":"${projectCode(1)}","name":"项目`), Buffer.from([0xff, 0xfe]), Buffer.from('","district":"越城区","signedAt":"2022-03-05"}')]);
      const res = await fetch(`${server.baseUrl}${API}/projects`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bearerOf(PROJECT_OFFICE)}`, 'Content-Type': 'application/json' },
        body,
      });
      const problem = (await res.json()) as { code: string; detail: string };
      expect([res.status, problem.code]).toEqual([400, 'REQUEST.MALFORMED']);
      expect(problem.detail).toMatch(/not valid UTF-8/);
      expect(touched()).toBe(0);
    });

    it.each([
      ['a lone high surrogate', '\\ud800'],
      ['a lone low surrogate', '\\udc00'],
      ['a reversed pair', '\\udc00\\ud800'],
    ])('refuses %s escaped in a field with 400 naming the field', async (_label, escaped) => {
      const problem = expectRefusal(await rawPost('/projects', `{"code":"${projectCode(2)}","name":"项目${escaped}","district":"越城区","signedAt":"2022-03-05"}`), 400, 'REQUEST.INVALID', /lone UTF-16 surrogate/);
      expect(problemFields(problem)).toEqual(['name']);
      expect(touched()).toBe(0);
    });

    it('takes a character outside the BMP written as a surrogate pair (𠮷)', async () => {
      expect((await rawPost('/projects', `{"code":"${projectCode(3)}","name":"\\ud842\\udfb7 项目","district":"越城区","signedAt":"2022-03-05"}`)).status).toBe(201);
    });

    it('refuses "__proto__" like any other unknown field, at the top and inside', async () => {
      const top = expectRefusal(await rawPost('/projects', `{"code":"${projectCode(4)}","name":"项目","district":"越城区","signedAt":"2022-03-05","__proto__":{"admin":true}}`), 400, 'REQUEST.INVALID', '__proto__ is not a known field');
      expect(problemFields(top)).toEqual(['__proto__']);
      const inside = expectRefusal(await rawPost(`/projects/${CODE_2026}/steps/land_prereview/actions`, '{"action":"accept","contractTerms":{"__proto__":{"x":1}}}', NR), 400, 'REQUEST.INVALID', 'contractTerms.__proto__ is not a known field');
      expect(problemFields(inside)).toEqual(['contractTerms.__proto__']);
      expect(touched()).toBe(0);
    });
  });

  describe('messages that name the real mistake', () => {
    it.each([
      ['name', 123, /name must be a string/],
      ['district', ['越城区'], /district must be a string/],
      ['code', 2026, /code must be a string/],
    ])('a registration with %s of the wrong type', async (field, value, message) => {
      const problem = expectRefusal(await api.register(registration(CODE_2026, { signedAt: '2026-01-05', [field]: value })), 400, 'REQUEST.INVALID', message);
      expect(problemFields(problem)).toEqual([field]);
    });

    it('holidays sent as one date says it must be an array of dates', async () => {
      const res = await request(server.baseUrl)
        .put(`${API}/calendar/2028`)
        .set('Authorization', `Bearer ${bearerOf(ADMIN)}`)
        .send({ holidays: '2028-01-01', makeUpWorkdays: [], source: '国办发明电〔2027〕1号' });
      const problem = expectRefusal(res, 400, 'REQUEST.INVALID', /holidays must be an array of dates/);
      expect(problem.detail).not.toMatch(/366/);
      expect(touched()).toBe(0);
    });

    it.each(['abc', '20x5', '12345'])('/calendar/%s names what was sent', async (year) => {
      expectRefusal(await api.get(`${API}/calendar/${year}`), 400, 'REQUEST.INVALID', `year must be a 4-digit year, e.g. 2025; got "${year}"`);
      expect(touched()).toBe(0);
    });
  });

  describe('PUT /calendar/{year}: a refusal leaves the Idempotency-Key unused', () => {
    const put = (body: unknown, key: string) =>
      request(server.baseUrl).put(`${API}/calendar/2028`).set('Authorization', `Bearer ${bearerOf(ADMIN)}`).set('Idempotency-Key', key).send(body as object);
    const good = { holidays: ['2028-01-01'], makeUpWorkdays: [], source: '国办发明电〔2027〕1号' };

    it('after a 400 of validation, the corrected request with the same key is loaded', async () => {
      expectRefusal(await put({ ...good, holidays: '2028-01-01' }, 'cal-key-400'), 400, 'REQUEST.INVALID');
      expect((await put(good, 'cal-key-400')).status).toBe(200);
      expect(calendar.load).toHaveBeenCalledTimes(1);
    });

    it("after the calendar's refusal of a date, the corrected request with the same key is loaded", async () => {
      calendar.load.mockRejectedValueOnce(new CalendarError(CalendarErrorCode.InvalidNotice, 'holidays', 'holidays: 2027-12-31 is not in 2028'));
      expectRefusal(await put({ ...good, holidays: ['2027-12-31'] }, 'cal-key-422'), 422, 'CALENDAR.INVALID_NOTICE', '2027-12-31');
      const corrected = await put(good, 'cal-key-422');
      expect([corrected.status, corrected.headers['idempotent-replayed']]).toEqual([200, undefined]);
      expect(calendar.load).toHaveBeenCalledTimes(2);
    });
  });
  describe("requests Node's HTTP parser refuses: problem+json, not a bare status line", () => {
    /** Writes `bytes` on a fresh connection and resolves with everything the server answers before it closes. */
    function exchange(bytes: string): Promise<string> {
      const { port } = new URL(server.baseUrl);
      return new Promise((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
        let answer = '';
        socket.on('data', (b: Buffer) => (answer += b.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    }

    it('headers over 16 KB: 431 REQUEST.HEADERS_TOO_LARGE naming the limit, and no controller runs', async () => {
      const res = await fetch(`${server.baseUrl}${API}/projects/${CODE_2026}`, { headers: { Authorization: `Bearer ${bearerOf(NR)}`, 'X-Padding': 'a'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 431, code: 'REQUEST.HEADERS_TOO_LARGE', type: 'urn:approvals:problem:REQUEST.HEADERS_TOO_LARGE' });
      expect(problem.detail).toMatch(/16 KB/);
      expect(touched()).toBe(0);
    });

    it('bytes that are not HTTP: 400 REQUEST.MALFORMED with a body', async () => {
      const answer = await exchange('HELLO THERE\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED' });
      expect(problem.detail).toMatch(/not valid HTTP/);
    });
  });
});
