import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ADMIN, API, ApiClient, expectRefusal, head, officer, projectCode, stepOf, withCaller, type ActionBody, type Caller } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Moving a running project from standard v1 to v3 over HTTP (POST /projects/{code}/track-migration): the whole stack,
 * a project registered on v1 (POST /projects with trackVersion 1).
 */
describe('POST /projects/{code}/track-migration', () => {
  let stack: TestStack;
  let api: ApiClient;
  const HEAD_PO = head('po-head-li', 'project_office', 'migrate-to-v3');
  const DRC = officer('drc-wu', 'development_reform');

  const migrate = (code: string, body: unknown, caller: Caller) =>
    withCaller(request(stack.baseUrl).post(`${API}/projects/${code}/track-migration`), caller).send(body as object);

  /** Registers `code` on standard v1 over HTTP (a registration may pin an older released version). */
  async function startOnV1(code: string): Promise<void> {
    expect((await api.registerOk(code, { track: 'standard', trackVersion: 1 })).definition).toBe('standard@1');
  }

  beforeAll(async () => {
    stack = await startTestStack('track_migration');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('moves a v1 project to v3: the done step stays done, new steps start blocked, the migration is on the timeline once', async () => {
    const code = projectCode(771);
    await startOnV1(code);
    expect((await api.projectOk(code)).definition).toBe('standard@1');
    await api.act(code, 'project_filing', 'accept', DRC);
    await api.act(code, 'project_filing', 'approve', DRC);

    // An officer of the project office may not; its head may.
    const refused = await migrate(code, { toVersion: 3 }, officer('po-chen', 'project_office'));
    expectRefusal(refused, 403, 'AUTH.FORBIDDEN');

    const res = await migrate(code, { toVersion: 3, comment: '区里采用第3版流程' }, HEAD_PO);
    expect(res.status).toBe(200);
    const body = res.body as ActionBody;
    expect(body.project.definition).toBe('standard@3');
    expect(stepOf(body.project, 'project_filing').state).toBe('approved');
    expect(stepOf(body.project, 'energy_review').state).toBe('ready');
    expect(stepOf(body.project, 'in_production').state).toBe('blocked');
    expect(stepOf(body.project, 'planning_verification').state).toBe('blocked');
    expect(body.entries.map((e) => e.type)).toEqual(['project.track_migrated']);
    expect(body.entries[0]).toMatchObject({ actor: 'po-head-li', comment: '区里采用第3版流程', data: { from: 'standard@1', to: 'standard@3', dropped: [] } });

    // The same request again: the first answer, replayed, and no second entry.
    const again = await migrate(code, { toVersion: 3, comment: '区里采用第3版流程' }, HEAD_PO);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((again.body as ActionBody).entries).toEqual(body.entries);

    // The read model shows the new version, and the timeline has the migration once, with its actor and time.
    expect((await api.projectOk(code)).definition).toBe('standard@3');
    const migrations = (await api.timelineOk(code)).filter((e) => e.type === 'project.track_migrated');
    expect(migrations).toHaveLength(1);
    expect(migrations[0]).toMatchObject({ actor: 'po-head-li', actorDepartment: 'project_office', at: body.entries[0]!.at });
    // The project still works on v3: energy_review is accepted by its department.
    await api.act(code, 'energy_review', 'accept', DRC);
  }, 60_000);

  it('refuses a version that is not newer or does not exist (422 with the reason), and a finished project (409)', async () => {
    const code = projectCode(772);
    await startOnV1(code);
    const ok = await migrate(code, { toVersion: 2 }, { ...ADMIN, idempotencyKey: 'to-v2' });
    expect(ok.status).toBe(200);
    expect((ok.body as ActionBody).project.definition).toBe('standard@2');

    expectRefusal(await migrate(code, { toVersion: 2 }, { ...ADMIN, idempotencyKey: 'to-v2-again' }), 422, 'TRACK.MIGRATION_REFUSED', /already runs on standard@2; version 2 is not newer/);
    expectRefusal(await migrate(code, { toVersion: 9 }, { ...ADMIN, idempotencyKey: 'to-v9' }), 422, 'TRACK.MIGRATION_REFUSED', "track 'standard' has no version 9; its versions are 1, 2, 3");
    expectRefusal(await migrate(code, { toVersion: 'three' }, { ...ADMIN, idempotencyKey: 'bad' }), 400, 'REQUEST.INVALID');

    const cancelled = await api.projectAction(code, { action: 'cancel', comment: '投资方撤回' });
    expect(cancelled.status).toBe(200);
    expectRefusal(await migrate(code, { toVersion: 3 }, { ...ADMIN, idempotencyKey: 'after-cancel' }), 409, 'PROJECT.CLOSED');
  }, 60_000);
});
