import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { ProjectsController } from '../../apps/api/src/projects/projects.controller.js';
import { ProjectsService } from '../../apps/api/src/projects/projects.service.js';
import { DomainError, DomainErrorCode } from '../../libs/domain/index.js';
import { API, ApiClient, bearerOf, expectRefusal, officer, problemFields, projectCode, registration, SUPERVISOR } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * The projects controller behind the API's real guards, validation pipe and problem filter, with its service mocked:
 * what is refused before any project is touched (400, 401, 422) and how a refusal from the service leaves (404, 409),
 * each as application/problem+json naming the field, the rule or the reason.
 */
const NR = officer('nr-zhao', 'natural_resources');

describe('projects controller (mocked service)', () => {
  let server: ControllerApp;
  let api: ApiClient;
  const service = {
    register: jest.fn(async (): Promise<unknown> => ({})),
    list: jest.fn(async (): Promise<unknown> => ({ items: [], total: 0, page: 1, pageSize: 20 })),
    detail: jest.fn(async (): Promise<unknown> => ({})),
    timeline: jest.fn(async (): Promise<unknown> => ({ items: [], total: 0, page: 1, pageSize: 20 })),
    stepAction: jest.fn(async (): Promise<unknown> => ({})),
    projectAction: jest.fn(async (): Promise<unknown> => ({})),
  };
  const touched = (): number => Object.values(service).reduce((n, f) => n + f.mock.calls.length, 0);

  beforeAll(async () => {
    server = await startControllerApp({ controllers: [ProjectsController], providers: [{ provide: ProjectsService, useValue: service }] });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => server?.close());
  beforeEach(() => {
    Object.values(service).forEach((f) => f.mockClear());
  });

  describe('POST /projects', () => {
    it.each([
      ['a code not of the national format', { code: '2022-330602-39-03-12345' }, 'code', /YYYY-RRRRRR-XX-XX-NNNNNN/],
      ['a date that does not exist (2022-02-30)', { signedAt: '2022-02-30' }, 'signedAt', /real date/],
      ['a date in another format', { signedAt: '05/03/2022' }, 'signedAt', /YYYY-MM-DD/],
      ['investmentYuan as a number', { investmentYuan: 10000000000 }, 'investmentYuan', /decimal string/],
      ['investmentYuan in exponent notation', { investmentYuan: '1e10' }, 'investmentYuan', /decimal string/],
      ['investmentYuan with three decimals', { investmentYuan: '100.123' }, 'investmentYuan', /decimal string/],
      ['a name of 201 characters', { name: '项'.repeat(201) }, 'name', /1–200 characters/],
      ['a malformed track key', { track: 'Fast-Lane' }, 'track', /track must be a track key/],
      ['an unknown field', { mayor: 'Wang' }, 'mayor', /not a known field/],
    ])('refuses a registration with %s: 400 naming the field, and registers nothing', async (_label, override, field, message) => {
      const problem = expectRefusal(await api.register(registration(projectCode(150), override)), 400, 'REQUEST.INVALID', message);
      expect(problemFields(problem)).toEqual([field]);
      expect(problem.errors!.find((e) => e.field === field)!.message).toMatch(message);
      expect(touched()).toBe(0);
    });

    it('refuses a registration missing its required fields, naming each of them', async () => {
      const problem = expectRefusal(await api.register({ investor: 'x' }), 400, 'REQUEST.INVALID');
      expect(problemFields(problem).sort()).toEqual(['code', 'district', 'name', 'signedAt']);
      expect(touched()).toBe(0);
    });

    it('refuses a registration without a bearer token with 401 AUTH.UNAUTHENTICATED, and registers nothing', async () => {
      const res = await api.register(registration(projectCode(152)), officer(null, 'project_office'));
      expectRefusal(res, 401, 'AUTH.UNAUTHENTICATED', 'Bearer');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(touched()).toBe(0);
    });

    it('refuses registration to an officer of another department with 403 naming the rule', async () => {
      const problem = expectRefusal(await api.register(registration(projectCode(153)), NR), 403, 'AUTH.FORBIDDEN');
      expect(problem.rule).toEqual(expect.stringMatching(/^project\.register/));
      expect(touched()).toBe(0);
    });

    it("answers the service's refusal of a registered code as 409 PROJECT.ALREADY_EXISTS with its detail", async () => {
      service.register.mockRejectedValueOnce(new DomainError(DomainErrorCode.ProjectAlreadyExists, `project ${projectCode(154)} is already registered`));
      expectRefusal(await api.register(registration(projectCode(154))), 409, 'PROJECT.ALREADY_EXISTS', [projectCode(154), 'already registered']);
    });
  });

  describe('GET /projects and the timeline', () => {
    it.each([
      [{ pageSize: 201 }, 'pageSize', /1 to 200/],
      [{ pageSize: 0 }, 'pageSize', /1 to 200/],
      [{ page: 0 }, 'page', /from 1/],
      [{ page: 'two' }, 'page', /whole number/],
      [{ stage: 'Demolition!' }, 'stage', /stage must be a stage key/],
      [{ department: 'tax_bureau' }, 'department', /department must be one of/],
      [{ status: 'open' }, 'status', /status must be one of/],
      [{ colour: 'red' }, 'colour', /not a known field/],
    ])('refuses the query %j with 400 naming the parameter', async (query, field, message) => {
      const problem = expectRefusal(await api.projects(query as Record<string, string | number>), 400, 'REQUEST.INVALID', message);
      expect(problemFields(problem)).toEqual([field]);
      expect(touched()).toBe(0);
    });

    it('refuses a timeline page over 200 with 400, and answers an unknown project as 404 with the code in the detail', async () => {
      expectRefusal(await api.timeline(projectCode(999_001), { pageSize: 201 }), 400, 'REQUEST.INVALID', /1 to 200/);
      service.timeline.mockRejectedValueOnce(new DomainError(DomainErrorCode.ProjectNotFound, `no project ${projectCode(999_001)}`));
      const missing = expectRefusal(await api.timeline(projectCode(999_001)), 404, 'PROJECT.NOT_FOUND', projectCode(999_001));
      expect(missing.instance).toBe(`${API}/projects/${projectCode(999_001)}/timeline?pageSize=200`);
    });
  });

  describe('POST /projects/{code}/steps/{step}/actions', () => {
    const code = projectCode(401);

    it.each([
      ['return', { action: 'return' }, 'comment', /return, waive and reject need one/],
      ['return with a blank comment', { action: 'return', comment: '   ' }, 'comment', /must not be blank/],
      ['waive', { action: 'waive' }, 'comment', /need one/],
      ['reject', { action: 'reject' }, 'comment', /need one/],
      ['reassign', { action: 'reassign' }, 'assignee', /assignee/],
      ['an unknown action', { action: 'expedite' }, 'action', /action must be one of: receive, accept, return, resubmit, approve, deliver, waive, reject, reassign, extend, exclude, end_exclusion, renew/],
      ['no action at all', { comment: 'ok' }, 'action', /action must be one of/],
      ['an unknown body field', { action: 'accept', priority: 'high' }, 'priority', /priority is not a known field/],
      ['a waiver due date that does not exist', { action: 'waive', comment: '容缺', waiverDueOn: '2022-02-30' }, 'waiverDueOn', /real date/],
    ])('refuses %s without the fields it needs: 400 REQUEST.INVALID naming the field', async (_label, body, field, message) => {
      const problem = expectRefusal(await api.stepAction(code, 'land_prereview', body, NR), 400, 'REQUEST.INVALID', message);
      expect(problemFields(problem)).toEqual([field]);
      expect(touched()).toBe(0);
    });

    /** Sends `body` as it is, as JSON, to the land pre-review's actions as the natural-resources officer. */
    const sendRaw = (body: string) =>
      request(server.baseUrl)
        .post(`${API}/projects/${code}/steps/land_prereview/actions`)
        .set('Authorization', `Bearer ${bearerOf(NR)}`)
        .set('Content-Type', 'application/json')
        .send(body);

    it('refuses a body that is not valid JSON with 400 REQUEST.MALFORMED', async () => {
      const res = await sendRaw('{"action": "accept",');
      expectRefusal(res, 400, 'REQUEST.MALFORMED', /not valid JSON/);
      expect(touched()).toBe(0);
    });

    it.each([
      ['null', 'null'],
      ['42', 'number'],
      ['"accept"', 'string'],
    ])('refuses the JSON %s as a body with 400 naming what it is, not "not valid JSON"', async (body, kind) => {
      const res = await sendRaw(body);
      expectRefusal(res, 400, 'REQUEST.MALFORMED', `the request body must be a JSON object; it is JSON ${kind}`);
      expect(touched()).toBe(0);
    });

    it('refuses a JSON body over 1 MB with 413 naming the limit', async () => {
      const res = await sendRaw(JSON.stringify({ action: 'accept', comment: 'x'.repeat(1_100_000) }));
      expectRefusal(res, 413, 'REQUEST.TOO_LARGE', 'larger than the limit of 1 MB');
      expect(touched()).toBe(0);
    });

    it('refuses an action without a bearer token, or with a blank subject, with 401 AUTH.UNAUTHENTICATED', async () => {
      const res = await api.stepAction(code, 'land_prereview', { action: 'accept' }, officer(null, 'natural_resources'));
      expectRefusal(res, 401, 'AUTH.UNAUTHENTICATED', 'Bearer');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expectRefusal(await api.stepAction(code, 'land_prereview', { action: 'accept' }, officer('  ', 'natural_resources')), 401, 'AUTH.UNAUTHENTICATED');
      expect(touched()).toBe(0);
    });

    it('refuses a token with an unknown department claim with 401 AUTH.UNAUTHENTICATED', async () => {
      const res = await api.stepAction(code, 'land_prereview', { action: 'accept' }, officer('nr-zhao', 'tax_bureau'));
      expectRefusal(res, 401, 'AUTH.UNAUTHENTICATED', 'department claim');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it("refuses an officer acting on another department's step with 403 naming the rule", async () => {
      const problem = expectRefusal(await api.stepAction(code, 'project_filing', { action: 'accept' }, NR), 403, 'AUTH.FORBIDDEN', 'development_reform');
      expect(problem.rule).toEqual(expect.stringMatching(/^step\.act/));
      expect(touched()).toBe(0);
    });

    it('refuses a malformed Idempotency-Key with 400 IDEMPOTENCY.KEY_INVALID before the action runs', async () => {
      expectRefusal(await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: 'x'.repeat(201) }), 400, 'IDEMPOTENCY.KEY_INVALID');
      // An empty header is a key gone missing on the way, not a request without one: it would lose the protection.
      expectRefusal(await api.stepAction(code, 'land_prereview', { action: 'accept' }, { ...NR, idempotencyKey: '' }), 400, 'IDEMPOTENCY.KEY_INVALID', '1–200 printable');
      expect(touched()).toBe(0);
    });

    it('answers a repeat with the stored answer and refuses the key on another request with 422 IDEMPOTENCY.KEY_REUSED', async () => {
      service.stepAction.mockResolvedValueOnce({ project: { code }, entries: [] });
      const caller = { ...NR, idempotencyKey: 'controller-key-1' };
      const first = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
      const again = await api.stepAction(code, 'land_prereview', { action: 'accept' }, caller);
      expect([first.status, again.status, again.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
      expect(again.body).toEqual(first.body);
      expectRefusal(await api.stepAction(code, 'land_prereview', { action: 'approve' }, caller), 422, 'IDEMPOTENCY.KEY_REUSED', 'different request');
      expect(service.stepAction).toHaveBeenCalledTimes(1);
    });

    it("answers the workflow's refusal as 409 with its reason and the request path as instance", async () => {
      service.stepAction.mockRejectedValueOnce(new DomainError(DomainErrorCode.StepInvalidState, "cannot approve step 'land_title': blocked"));
      const problem = expectRefusal(await api.stepAction(code, 'land_title', { action: 'approve' }, NR), 409, 'STEP.INVALID_STATE', "cannot approve step 'land_title'");
      expect(problem.instance).toBe(`${API}/projects/${code}/steps/land_title/actions`);
    });
  });

  describe('POST /projects/{code}/actions', () => {
    const code = projectCode(402);

    it.each([
      ['suspend without a reason', { action: 'suspend' }, 'comment'],
      ['cancel without a reason', { action: 'cancel' }, 'comment'],
      ['a step action', { action: 'approve' }, 'action'],
    ])('refuses %s with 400 REQUEST.INVALID naming the field', async (_label, body, field) => {
      expect(problemFields(expectRefusal(await api.projectAction(code, body, SUPERVISOR), 400, 'REQUEST.INVALID'))).toEqual([field]);
      expect(touched()).toBe(0);
    });
  });
});
