import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ADMIN, ApiClient, API, bearerOf, expectProblem, expectRefusal, officer, projectCode, registration, SUPERVISOR } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// Regressions found by trying the system as a new user would: each refusal is a clear 4xx and changes nothing.
describe('hardening of the edge (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  const code = projectCode(950);
  const drc = officer('drc-hard', 'development_reform');

  beforeAll(async () => {
    stack = await startTestStack('hardening');
    api = new ApiClient(stack.baseUrl);
    await api.registerOk(code);
  }, 120_000);
  afterAll(async () => stack?.close());

  async function unchanged(run: () => Promise<void>): Promise<void> {
    const before = { version: (await api.projectOk(code)).version, timeline: (await api.timelineOk(code)).length };
    await run();
    expect({ version: (await api.projectOk(code)).version, timeline: (await api.timelineOk(code)).length }).toEqual(before);
  }

  it('refuses a NUL character in a registration instead of registering a project that can never be stored', async () => {
    const nul = projectCode(951);
    const res = await api.register(registration(nul, { name: '\u0000nul' }));
    expectRefusal(res, 400, 'REQUEST.INVALID', 'NUL');
    expectProblem(await api.project(nul), 404, 'PROJECT.NOT_FOUND');
  });

  it('refuses a NUL character in a comment and in a query', async () => {
    await unchanged(async () => {
      expectProblem(await api.stepAction(code, 'project_filing', { action: 'return', comment: 'a\u0000b' }, drc), 400, 'REQUEST.INVALID');
    });
    expectProblem(await api.get(`${API}/projects?district=%00`), 400, 'REQUEST.INVALID');
  });

  it('refuses a body nested deeper than any field allows', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 2000; i++) deep = [deep];
    await unchanged(async () => {
      const res = await api.stepAction(code, 'project_filing', { action: 'accept', comment: deep }, drc);
      expectRefusal(res, 400, 'REQUEST.INVALID', 'nested');
    });
  });

  it('answers 415 to a body that is not JSON', async () => {
    await unchanged(async () => {
      const res = await request(stack.baseUrl)
        .post(`${API}/projects/${code}/steps/project_filing/actions`)
        .set('Authorization', `Bearer ${bearerOf(drc)}`)
        .set('Content-Type', 'text/plain')
        .send('action=accept');
      expectRefusal(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'application/json');
    });
  });

  it('refuses a page number past any list instead of failing in the database', async () => {
    expectProblem(await api.get(`${API}/projects?page=99999999999999999999`), 400, 'REQUEST.INVALID');
    expectProblem(await api.get(`${API}/projects/${code}/timeline?page=1000001`), 400, 'REQUEST.INVALID');
  });

  it('refuses a blank name, and says one thing per field', async () => {
    const res = await api.register(registration(projectCode(952), { name: '   ' }));
    const body = expectProblem(res, 400, 'REQUEST.INVALID');
    expect(body.detail).toBe('name must not be blank');
  });

  it('lets the corrected request reuse an Idempotency-Key that a validation error refused', async () => {
    const caller = officer('drc-hard', 'development_reform', `fix-then-retry-${code}`);
    expectProblem(await api.stepAction(code, 'project_filing', { action: 'return' }, caller), 400, 'REQUEST.INVALID');
    const ok = await api.stepAction(code, 'project_filing', { action: 'accept' }, caller);
    expect(ok.status).toBe(200);
  });

  it('refuses a holiday notice that leaves out statutory holidays, and keeps the built-in year', async () => {
    const res = await request(stack.baseUrl)
      .put(`${API}/calendar/2025`)
      .set('Authorization', `Bearer ${bearerOf(ADMIN)}`)
      .send({ holidays: ['2025-01-01'], makeUpWorkdays: [], source: 'truncated' });
    expectRefusal(res, 422, 'CALENDAR.INVALID_NOTICE', 'statutory holiday');
    const year = await request(stack.baseUrl).get(`${API}/calendar/2025`).set('Authorization', `Bearer ${bearerOf(SUPERVISOR)}`);
    expect(year.body.workingDays).toBe(248);
  });
});
