import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { canonicalTrackJson } from '../../libs/domain/index.js';
import { checkTrackDefinition } from '../../libs/domain/track-loader.js';
import { ADMIN, API, ApiClient, expectRefusal, officer, PROJECT_OFFICE, SUPERVISOR, withCaller, type Caller, type ProjectBody } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * A track written only as data, published at run time: a project registered on it over HTTP runs through to done; a
 * project running on v1 keeps v1 (and still acts) after v2 is published; bad publications change nothing.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '区政府搬迁退出工作方案（试点）', confidence: 'low' });

/** pilot_exit v1: agreement (经信) → production stopped (应急) → land taken back (自然资源, final). */
function pilotV1(): Record<string, unknown> {
  return {
    track: 'pilot_exit',
    version: 1,
    name: 'Pilot withdrawal',
    nameZh: '退出试点',
    finalStep: 'land_reserve',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [
      { key: 'exit', name: 'Withdrawal', nameZh: '退出' },
      { key: 'reserve', name: 'Land reserve', nameZh: '收储' },
    ],
    steps: [
      { key: 'agreement', name: 'Relocation agreement', nameZh: '搬迁协议', stage: 'exit', department: 'economy_information', dependsOn: [], limit: wd(10) },
      { key: 'production_stop', name: 'Production stopped', nameZh: '停产核查', stage: 'exit', department: 'emergency_management', dependsOn: ['agreement'], limit: wd(5) },
      { key: 'land_reserve', name: 'Land taken into the reserve', nameZh: '土地收储', stage: 'reserve', department: 'natural_resources', dependsOn: ['production_stop'], limit: wd(20) },
    ],
  };
}

/** pilot_exit v2: v1 with the soil investigation (生态环境) between the stop and the land reserve. */
function pilotV2(): Record<string, unknown> {
  const v1 = pilotV1();
  const steps = v1.steps as Array<Record<string, unknown>>;
  return {
    ...v1,
    version: 2,
    steps: [
      steps[0],
      steps[1],
      { key: 'soil_survey', name: 'Soil pollution investigation', nameZh: '土壤污染状况调查', stage: 'exit', department: 'ecology_environment', dependsOn: ['production_stop'], limit: wd(30) },
      { ...steps[2], dependsOn: ['soil_survey'] },
    ],
  };
}

const OFFICERS: Record<string, Caller> = {
  agreement: officer('eit-1', 'economy_information'),
  production_stop: officer('em-1', 'emergency_management'),
  soil_survey: officer('ee-1', 'ecology_environment'),
  land_reserve: officer('nr-1', 'natural_resources'),
};

interface TrackList {
  items: Array<{ key: string; versions: Array<{ version: number; latest: boolean; source: string; sha256: string | null; publishedBy: string | null; stepCount: number }> }>;
}

describe('publishing track versions at run time (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  const publish = (body: unknown, caller: Caller = ADMIN) => withCaller(request(stack.baseUrl).post(`${API}/tracks`), caller).send(body as object);
  const tracks = async (): Promise<TrackList> => (await api.get(`${API}/tracks`)).body as TrackList;
  const pilot = async () => (await tracks()).items.find((t) => t.key === 'pilot_exit');
  const stored = async (): Promise<number> => Number(((await stack.dataSource.query(`SELECT count(*) AS n FROM "published_tracks"`)) as Array<{ n: string }>)[0]!.n);
  const act = async (code: string, step: string) => {
    await api.act(code, step, 'accept', OFFICERS[step]!);
    return api.act(code, step, 'approve', OFFICERS[step]!, { comment: '办结' });
  };

  beforeAll(async () => {
    stack = await startTestStack('tracks_publish');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('refuses bad publications with the right status, and stores nothing', async () => {
    expectRefusal(await publish({ definition: pilotV1() }, PROJECT_OFFICE), 403, 'AUTH.FORBIDDEN');
    expectRefusal(await publish({ definition: pilotV1() }, SUPERVISOR), 403, 'AUTH.FORBIDDEN');

    const cyclic = pilotV1();
    (cyclic.steps as Array<{ dependsOn: string[] }>)[0]!.dependsOn = ['land_reserve'];
    const badDepartment = pilotV1();
    (badDepartment.steps as Array<{ department: string }>)[1]!.department = 'tax_bureau';
    const invalid = expectRefusal(await publish({ definition: badDepartment }), 422, 'REQUEST.UNPROCESSABLE');
    expect(invalid.errors?.map((e) => e.field)).toEqual(['steps[1].department']);
    const cycle = expectRefusal(await publish({ definition: cyclic }), 422, 'REQUEST.UNPROCESSABLE');
    expect(cycle.errors?.[0]?.message).toMatch(/cycle/);
    expectRefusal(await publish({ definition: pilotV1(), text: 'track: pilot_exit' }), 422, 'REQUEST.UNPROCESSABLE');

    const skipped = expectRefusal(await publish({ definition: { ...pilotV1(), version: 2 } }), 409, 'TRACK.VERSION_CONFLICT', 'the next version of track "pilot_exit" is 1');
    expect(skipped.errors?.map((e) => e.field)).toEqual(['version']);
    const shippedAgain = expectRefusal(await publish({ definition: { ...pilotV1(), track: 'bonded_zone' } }), 409, 'TRACK.VERSION_CONFLICT', 'the next version of track "bonded_zone" is 2');
    expect(shippedAgain.detail).toContain('bonded_zone@1 is already released with another definition');

    expect(await stored()).toBe(0);
    expect(await pilot()).toBeUndefined();
    expectRefusal(await api.register({ code: '2026-330602-77-01-000901', name: '试点企业甲', track: 'pilot_exit', district: '越城区', signedAt: '2026-03-02' }), 422, 'REQUEST.UNPROCESSABLE', /no track "pilot_exit"; tracks: .*standard/);
  });

  it('publishes a track written only as data, and a project registered on it over HTTP is acted on through to done', async () => {
    const res = await publish({ definition: pilotV1() });

    expect(res.status).toBe(201);
    const sha256 = createHash('sha256').update(canonicalTrackJson((checkTrackDefinition(pilotV1()) as { definition: unknown }).definition)).digest('hex');
    expect(res.body).toMatchObject({ track: 'pilot_exit', version: 1, source: 'published', stepCount: 3, sha256, publishedBy: { id: 'admin-wang', department: 'project_office' }, created: true });
    expect(await stored()).toBe(1);
    expect(await pilot()).toEqual({ key: 'pilot_exit', versions: [expect.objectContaining({ version: 1, latest: true, source: 'published', sha256, publishedBy: 'admin-wang', stepCount: 3 })] });
    const one = await api.get(`${API}/tracks/pilot_exit/versions/1`);
    expect([one.status, one.headers['track-source'], (one.body as { steps: unknown[] }).steps.length]).toEqual([200, 'published', 3]);
    expect((await api.get(`${API}/tracks/standard/versions/3`)).headers['track-source']).toBe('shipped');
    // The same definition again is a repeat: the stored record, nothing new.
    const again = await publish({ text: JSON.stringify(pilotV1()) });
    expect([again.status, again.body.created, again.body.sha256]).toEqual([200, false, sha256]);
    expect(await stored()).toBe(1);

    const code = '2026-330602-77-01-000902';
    const reg = await api.register({ code, name: '试点企业乙（印染集聚搬迁）', track: 'pilot_exit', district: '越城区', signedAt: '2026-03-02' });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ track: 'pilot_exit', definition: 'pilot_exit@1', stage: 'exit' });
    expect((reg.body as ProjectBody).steps.map((s) => [s.key, s.nameZh, s.department, s.state])).toEqual([
      ['agreement', '搬迁协议', 'economy_information', 'ready'],
      ['production_stop', '停产核查', 'emergency_management', 'blocked'],
      ['land_reserve', '土地收储', 'natural_resources', 'blocked'],
    ]);
    for (const step of ['agreement', 'production_stop', 'land_reserve']) await act(code, step);

    const done = await api.projectOk(code);
    expect(done).toMatchObject({ status: 'completed', definition: 'pilot_exit@1' });
    expect(done.steps.every((s) => s.state === 'approved')).toBe(true);
    const listed = await api.projects({ track: 'pilot_exit' });
    expect((listed.body as { items: Array<{ code: string }> }).items.map((p) => p.code)).toEqual([code]);
  }, 90_000);

  it('keeps a running project on v1 when v2 is published: it still acts, and new projects get v2 unless they pin v1', async () => {
    const running = '2026-330602-77-01-000903';
    await api.registerOk(running, { name: '试点企业丙（化工有序退出）', track: 'pilot_exit', signedAt: '2026-03-02' });
    await act(running, 'agreement');

    const v2 = await publish({ definition: pilotV2() });
    expect([v2.status, v2.body.version, v2.body.stepCount]).toEqual([201, 2, 4]);
    expect((await pilot())!.versions.map((v) => [v.version, v.latest])).toEqual([[1, false], [2, true]]);
    expectRefusal(await publish({ definition: { ...pilotV2(), name: 'Changed' } }), 409, 'TRACK.VERSION_CONFLICT', 'pilot_exit@2 is already released with another definition');

    await act(running, 'production_stop');
    await act(running, 'land_reserve');
    const kept = await api.projectOk(running);
    expect(kept).toMatchObject({ status: 'completed', definition: 'pilot_exit@1' });
    expect(kept.steps.map((s) => s.key)).toEqual(['agreement', 'production_stop', 'land_reserve']);

    const fresh = await api.registerOk('2026-330602-77-01-000904', { name: '试点企业丁', track: 'pilot_exit', signedAt: '2026-03-02' });
    expect(fresh.definition).toBe('pilot_exit@2');
    expect(fresh.steps.map((s) => s.key)).toEqual(['agreement', 'production_stop', 'soil_survey', 'land_reserve']);
    const pinned = await api.registerOk('2026-330602-77-01-000905', { name: '试点企业戊', track: 'pilot_exit', trackVersion: 1, signedAt: '2026-03-02' });
    expect(pinned.definition).toBe('pilot_exit@1');
    expectRefusal(await api.register({ code: '2026-330602-77-01-000906', name: '试点企业己', track: 'pilot_exit', trackVersion: 7, district: '越城区', signedAt: '2026-03-02' }), 422, 'REQUEST.UNPROCESSABLE', 'track "pilot_exit" has no version 7; versions: 1, 2');
  }, 90_000);

  it('finds a version another API replica published (a row this process never saw) when listing and registering', async () => {
    const definition = (checkTrackDefinition({ ...pilotV1(), track: 'pilot_elsewhere', nameZh: '他处发布的试点' }) as { definition: unknown }).definition;
    const sha256 = createHash('sha256').update(canonicalTrackJson(definition)).digest('hex');
    await stack.dataSource.query(`INSERT INTO "published_tracks" ("track", "version", "definition", "sha256", "published_by") VALUES ('pilot_elsewhere', 1, $1, $2, $3)`, [
      JSON.stringify(definition),
      sha256,
      JSON.stringify({ id: 'admin-li', department: 'project_office' }),
    ]);

    const listed = (await tracks()).items.find((t) => t.key === 'pilot_elsewhere');
    expect(listed?.versions).toEqual([expect.objectContaining({ version: 1, source: 'published', publishedBy: 'admin-li', sha256 })]);
    const project = await api.registerOk('2026-330602-77-01-000907', { name: '试点企业庚', track: 'pilot_elsewhere', signedAt: '2026-03-02' });
    expect(project).toMatchObject({ definition: 'pilot_elsewhere@1', stage: 'exit' });
    expect((await act(project.code, 'agreement')).project.steps.find((s) => s.key === 'production_stop')!.state).toBe('ready');
  }, 60_000);
});
