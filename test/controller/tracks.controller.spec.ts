import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { stringify } from 'yaml';
import { TracksController } from '../../apps/api/src/tracks/tracks.controller.js';
import { TracksService } from '../../apps/api/src/tracks/tracks.service.js';
import { CALENDAR_SOURCE } from '../../apps/api/src/database/calendar-source.provider.js';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { ADMIN, API, ApiClient, expectRefusal, officer, SUPERVISOR, withCaller, type Caller } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * The tracks API behind the API's real guards, validation pipe and problem filter, on the built-in official calendar
 * (no database): the schema, the released tracks, one version, and the dry run of a definition an admin wrote.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '行政许可法 Art. 42', confidence: 'high' });

/**
 * survey (5 wd) → land_title (10 wd) → opening (3 wd, final), and survey → check (7 calendar days) → opening.
 * Counted from Monday 2026-09-21 across the Mid-Autumn break (09-25…27) and National Day (10-01…07, make-up
 * working day Saturday 10-10).
 */
function small(): Record<string, unknown> {
  return {
    track: 'standard',
    version: 9,
    name: 'Small track',
    nameZh: '小轨道',
    finalStep: 'opening',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [
      { key: 'approvals', name: 'Approvals', nameZh: '审批' },
      { key: 'works', name: 'Works', nameZh: '施工' },
    ],
    steps: [
      { key: 'survey', name: 'Survey', nameZh: '勘察', stage: 'approvals', department: 'development_reform', dependsOn: [], limit: wd(5) },
      { key: 'land_title', name: 'Land title', nameZh: '不动产权证', stage: 'approvals', department: 'natural_resources', dependsOn: ['survey'], limit: wd(10) },
      {
        key: 'check',
        name: 'Check',
        nameZh: '环评',
        stage: 'approvals',
        department: 'ecology_environment',
        dependsOn: ['survey'],
        limit: { value: 7, unit: 'calendar_days', source: '环境影响评价法 Art. 22', confidence: 'medium' },
      },
      { key: 'opening', name: 'Opening', nameZh: '开工', stage: 'works', department: 'project_office', dependsOn: ['land_title', 'check'], limit: wd(3) },
    ],
  };
}

describe('tracks controller (built-in official calendar)', () => {
  let server: ControllerApp;
  let api: ApiClient;
  const dryRun = (body: unknown, caller: Caller = ADMIN) => withCaller(request(server.baseUrl).post(`${API}/tracks/dry-run`), caller).send(body as object);

  beforeAll(async () => {
    server = await startControllerApp({ controllers: [TracksController], providers: [TracksService, { provide: CALENDAR_SOURCE, useValue: builtInCalendarSource() }] });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => server?.close());

  it('answers the JSON Schema of a track definition to any signed-in user', async () => {
    const res = await api.get(`${API}/tracks/schema`, officer('nr-zhao', 'natural_resources'));

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = JSON.parse(res.text) as { $schema: string; required: string[]; properties: Record<string, unknown> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties).toHaveProperty('steps');
  });

  it('lists standard v1–v3 (v3 latest), bonded_zone v1 and relocation v1', async () => {
    const res = await api.get(`${API}/tracks`, SUPERVISOR);

    expect(res.status).toBe(200);
    type Named = { key: string; name: string; nameZh: string };
    const items = (res.body as { items: Array<{ key: string; versions: Array<{ version: number; latest: boolean; stepCount: number; nameZh: string; stepNames: Named[] }> }> }).items;
    expect(items.map((t) => [t.key, t.versions.map((v) => [v.version, v.latest])])).toEqual([
      ['bonded_zone', [[1, true]]],
      ['relocation', [[1, true]]],
      ['standard', [[1, false], [2, false], [3, true]]],
    ]);
    expect(items.flatMap((t) => t.versions).every((v) => v.stepCount > 0 && v.nameZh.length > 0)).toBe(true);
    // Each step named in both languages (the workbench names a stuck reason's step with them).
    expect(items.flatMap((t) => t.versions).every((v) => v.stepNames.length === v.stepCount)).toBe(true);
    const standard3 = items.find((t) => t.key === 'standard')!.versions.find((v) => v.version === 3)!;
    expect(standard3.stepNames.find((s) => s.key === 'land_prereview')).toEqual({ key: 'land_prereview', name: 'Land pre-review and site selection', nameZh: '用地预审与选址' });
  });

  it('answers one version as stored, and 404 naming the versions that exist', async () => {
    const ok = await api.get(`${API}/tracks/standard/versions/2`, officer('nr-zhao', 'natural_resources'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ track: 'standard', version: 2 });

    expectRefusal(await api.get(`${API}/tracks/standard/versions/7`), 404, 'TRACK.NOT_FOUND', 'versions: 1, 2, 3');
    expectRefusal(await api.get(`${API}/tracks/rail_siding/versions/1`), 404, 'TRACK.NOT_FOUND', 'tracks: bonded_zone, relocation, standard');
    const bad = expectRefusal(await api.get(`${API}/tracks/standard/versions/zero`), 400, 'REQUEST.INVALID');
    expect(bad.errors?.map((e) => e.field)).toEqual(['n']);
  });

  it('dry-runs a small definition: critical path and earliest finish across the Mid-Autumn and National Day breaks', async () => {
    const res = await dryRun({ definition: small(), startOn: '2026-09-21' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      track: 'standard',
      version: 9,
      startOn: '2026-09-21',
      earliestFinishOn: '2026-10-22',
      provisional: false,
      criticalPath: { steps: ['survey', 'land_title', 'opening'], workingDays: 18, calendarDays: 31, limitWorkingDays: 18, limitCalendarDays: 0 },
    });
    const steps = (res.body as { steps: Array<{ key: string; earliestStartOn: string; earliestFinishOn: string; critical: boolean; department: string; dependsOn: string[] }> }).steps;
    expect(steps.map((s) => [s.key, s.earliestStartOn, s.earliestFinishOn, s.critical])).toEqual([
      ['survey', '2026-09-21', '2026-09-29', true], // 09-22, 23, 24, 28, 29: the Mid-Autumn break 25–27 is not counted
      ['land_title', '2026-09-29', '2026-10-19', true], // 09-30, 10-08, 09, 10 (make-up Saturday), 12…16, 19
      ['check', '2026-09-29', '2026-10-08', false], // 7 calendar days end on 10-06, a holiday: the next working day
      ['opening', '2026-10-19', '2026-10-22', true],
    ]);
    expect(steps.find((s) => s.key === 'opening')).toMatchObject({ department: 'project_office', dependsOn: ['land_title', 'check'] });
  });

  it('dry-runs the same definition sent as YAML text', async () => {
    const res = await dryRun({ text: stringify(small()), startOn: '2026-09-21' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ earliestFinishOn: '2026-10-22', criticalPath: { steps: ['survey', 'land_title', 'opening'] } });
  });

  it('refuses an invalid definition with 422 naming every problem at its path', async () => {
    const def = small() as { steps: Array<Record<string, unknown>> };
    def.steps[1]!.dependsOn = ['survy'];
    def.steps[3]!.dependsOn = ['land_title', 'check', 'handover'];
    const problem = expectRefusal(await dryRun({ definition: def }), 422, 'REQUEST.UNPROCESSABLE', 'the track definition has 2 problems');
    expect(problem.errors).toEqual([
      { field: 'steps[1].dependsOn[0]', message: 'unknown step "survy"; did you mean "survey"?' },
      { field: 'steps[3].dependsOn[2]', message: 'unknown step "handover"' },
    ]);

    const shape = small() as { steps: Array<Record<string, unknown>> };
    shape.steps[2]!.department = 'tax_bureau';
    shape.steps[0]!.limit = { ...wd(5), value: -3 };
    const refused = expectRefusal(await dryRun({ definition: shape }), 422, 'REQUEST.UNPROCESSABLE');
    expect(refused.errors?.map((e) => e.field).sort()).toEqual(['steps[0].limit.value', 'steps[2].department']);
    expect(refused.errors?.find((e) => e.field === 'steps[2].department')?.message).toMatch(/^unknown department "tax_bureau"; known: /);
  });

  it('refuses a body with neither or both of definition and text, YAML that does not parse, and a day that is not real', async () => {
    expectRefusal(await dryRun({}), 422, 'REQUEST.UNPROCESSABLE', 'give exactly one of definition');
    expectRefusal(await dryRun({ definition: small(), text: '{}' }), 422, 'REQUEST.UNPROCESSABLE');
    const yaml = expectRefusal(await dryRun({ text: 'track: standard\n  version: [' }), 422, 'REQUEST.UNPROCESSABLE');
    expect(yaml.errors?.[0]?.field).toMatch(/^line \d+, column \d+$/);
    expectRefusal(await dryRun({ definition: small(), startOn: '2026-02-30' }), 422, 'CALENDAR.INVALID_DATE');
    const wrong = expectRefusal(await dryRun({ definition: 'track: standard' }), 400, 'REQUEST.INVALID');
    expect(wrong.errors?.map((e) => e.field)).toEqual(['definition']);
  });

  it('refuses the dry run to an officer and a supervisor with 403', async () => {
    const problem = expectRefusal(await dryRun({ definition: small() }, officer('nr-zhao', 'natural_resources')), 403, 'AUTH.FORBIDDEN', 'for admins');
    expect(problem.rule).toBe('track.dry_run:roles');
    expectRefusal(await dryRun({ definition: small() }, SUPERVISOR), 403, 'AUTH.FORBIDDEN');
  });
});
