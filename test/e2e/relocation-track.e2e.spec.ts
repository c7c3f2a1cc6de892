import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { ADMIN, API, ApiClient, expectRefusal, officer, SUPERVISOR, withCaller, type ProjectBody } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * The relocation track (企业搬迁退出) is data only (libs/domain/tracks/relocation.v1.track.json): no code names it. Over
 * HTTP, as a district would use it: the admin dry-runs the file, the project office registers an enterprise's
 * relocation, and the four departments of the file (economy and information, emergency management, ecology, natural
 * resources) walk it to its closing.
 */
type Body = ProjectBody & {
  projectDeadlines: Array<{ key: string; light: string | null; endedOn: string | null; dueOn: string | null; grade: string | null }>;
};

const FILE = readFileSync(new URL('../../libs/domain/tracks/relocation.v1.track.json', import.meta.url), 'utf8');

describe('relocation track, written only as data (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  const lastYear = new Date(Date.now() + 8 * 3600_000).getUTCFullYear() - 1; // Asia/Shanghai

  beforeAll(async () => {
    stack = await startTestStack('relocation');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  it('is listed as a released track, and its file dry-runs to the critical path and earliest finish computed by hand', async () => {
    const list = await api.get(`${API}/tracks`, SUPERVISOR);
    expect(list.status).toBe(200);
    const relocation = (list.body.items as Array<{ key: string; versions: Array<{ version: number; latest: boolean; nameZh: string }> }>).find((t) => t.key === 'relocation');
    expect(relocation?.versions).toEqual([expect.objectContaining({ version: 1, latest: true, nameZh: expect.stringContaining('企业搬迁退出') })]);

    const dry = await withCaller(request(stack.baseUrl).post(`${API}/tracks/dry-run`), ADMIN).send({ text: FILE, startOn: '2025-01-06' });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      track: 'relocation',
      earliestFinishOn: '2025-11-17',
      criticalPath: {
        steps: [
          'relocation_agreement',
          'production_stopped',
          'production_stop_verified',
          'equipment_removal',
          'site_investigation',
          'no_remediation_needed',
          'land_reserve',
          'acceptance',
        ],
        limitWorkingDays: 110,
        limitCalendarDays: 150,
      },
    });
  });

  it('walks an enterprise from its relocation agreement to the closing, each step by its own department, every deadline met', async () => {
    const year = lastYear;
    const code = `${year}-330602-17-03-000901`;
    const at = (monthDay: string, time = '10:00') => `${year}-${monthDay}T${time}:00+08:00`;
    const reg = await api.register({ code, name: '某印染企业（集聚搬迁，测试）', track: 'relocation', district: '越城区', signedAt: `${year}-01-06`, occurredAt: at('01-06', '09:00') });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ track: 'relocation', stage: 'agreement' });

    // The file gives the agreement to economy and information: ecology may not sign it off.
    const eco = officer('eco-chen', 'ecology_environment');
    expectRefusal(await api.stepAction(code, 'relocation_agreement', { action: 'accept', occurredAt: at('01-06') }, eco), 403, 'AUTH.FORBIDDEN', /economy_information/);

    const script: Array<[step: string, department: string, accepted: string, approved: string, comment: string]> = [
      ['relocation_agreement', 'economy_information', at('01-06'), at('01-20'), '搬迁协议已签订'],
      ['production_stopped', 'economy_information', at('01-21'), at('03-31'), '原厂区于3月31日停产'],
      ['production_stop_verified', 'emergency_management', at('04-01'), at('04-10'), '危险化学品处置核查通过'],
      ['equipment_removal', 'ecology_environment', at('04-11'), at('05-30'), '设备设施拆除完毕'],
      ['hazardous_waste_disposal', 'ecology_environment', at('06-03'), at('06-20'), '危险废物已交持证单位处置'],
      ['site_investigation', 'ecology_environment', at('06-03', '11:00'), at('06-27'), '调查报告通过评审：未超过风险管控标准'],
      ['no_remediation_needed', 'ecology_environment', at('06-30'), at('06-30', '16:00'), '经评审的调查报告表明污染物含量未超过风险管控标准，无需风险评估和修复'],
      ['land_reserve', 'natural_resources', at('07-01'), at('08-08'), '土地使用权已收回并纳入储备'],
      ['acceptance', 'economy_information', at('08-11'), at('08-22'), '验收合格，准予销号'],
    ];
    for (const [step, department, accepted, approved, comment] of script) {
      const who = officer(`${department}-1`, department);
      const a = await api.stepAction(code, step, { action: 'accept', occurredAt: accepted }, who);
      expect([step, a.status]).toEqual([step, 200]);
      const b = await api.stepAction(code, step, { action: 'approve', comment, occurredAt: approved }, who);
      expect([step, b.status]).toEqual([step, 200]);
    }

    const p = (await api.projectOk(code)) as Body;
    expect(p).toMatchObject({ track: 'relocation', status: 'completed', stage: 'closing', light: 'green' });
    const walked = new Set(script.map(([step]) => step));
    const decided = p.steps.filter((s) => walked.has(s.key));
    expect(decided.map((s) => [s.key, s.state, s.decidedAt !== null && s.dueOn !== null && s.decidedAt.slice(0, 10) <= s.dueOn])).toEqual(
      decided.map((s) => [s.key, 'approved', true]),
    );
    // The other way through soil_cleared (assessment, remediation, its evaluation) was never needed: not required, not done, no light.
    const skipped = p.steps.filter((s) => !walked.has(s.key));
    expect(skipped.map((s) => s.key)).toEqual(['risk_assessment', 'soil_remediation', 'remediation_effect_evaluation']);
    for (const s of skipped) expect([s.key, s.decidedAt, s.light, s.notRequired]).toEqual([s.key, null, null, true]);
    expect(Object.fromEntries(p.projectDeadlines.map((d) => [d.key, [d.endedOn, d.grade]]))).toEqual({
      withdrawal_deadline: [`${year}-04-10`, 'on_time'],
      relocation_closed: [`${year}-08-22`, 'on_time'],
    });
    const timeline = await api.timelineOk(code);
    expect(timeline.filter((e) => e.type === 'step.approved').map((e) => e.step)).toEqual(script.map(([step]) => step));
  });

  it('shows a relocation past its withdrawal deadline red and on the stuck list (a hard deadline of the file)', async () => {
    const year = lastYear;
    const code = `${year}-330602-26-03-000902`;
    const reg = await api.register({ code, name: '某化工企业（有序退出，测试）', track: 'relocation', district: '越城区', signedAt: `${year}-03-02`, occurredAt: `${year}-03-02T09:00:00+08:00` });
    expect(reg.status).toBe(201);

    const p = (await api.projectOk(code)) as Body;
    expect(p.light).toBe('red');
    expect(p.projectDeadlines.find((d) => d.key === 'withdrawal_deadline')).toMatchObject({ dueOn: `${year}-12-31`, endedOn: null, light: 'red' });
    const stuck = await withCaller(request(stack.baseUrl).get(`${API}/supervision/stuck`), SUPERVISOR).query({ track: 'relocation', pageSize: 50 });
    expect(stuck.status).toBe(200);
    expect((stuck.body.items as Array<{ code: string }>).map((i) => i.code)).toContain(code);
  });
});
