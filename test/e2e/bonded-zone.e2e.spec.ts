import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { API, ApiClient, officer, PROJECT_OFFICE, SUPERVISOR, withCaller, type ProjectBody } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

type Body = ProjectBody & {
  atRisk: boolean;
  forecast: { atRisk: boolean; reason: string | null; slackWorkingDays: number | null; deadlines: Array<{ key: string; dueOn: string }> } | null;
  underSupervision: boolean;
  supervision: { step: string; department: string; by: string } | null;
  projectDeadlines: Array<{ key: string; light: string | null; endedOn: string | null; dueOn: string | null; grade: string | null }>;
};

describe('bonded-zone track and supervision (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear(); // the current year, Asia/Shanghai
  const lastYear = year - 1;

  beforeAll(async () => {
    stack = await startTestStack('bonded');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => stack?.close());

  const at = (monthDay: string) => `${year}-${monthDay}T10:00:00+08:00`;

  it('keeps every milestone of a zone started in January and completes it inside the year', async () => {
    const year = lastYear;
    const at = (monthDay: string) => `${year}-${monthDay}T10:00:00+08:00`;
    const code = `${year}-330602-59-01-000601`;
    const reg = await api.register({ code, name: '综保区（按期）', track: 'bonded_zone', district: '越城区', signedAt: `${year}-01-05`, occurredAt: at('01-05') });
    expect(reg.status).toBe(201);
    const script: Array<[string, string, string]> = [
      ['groundbreaking', 'project_office', '01-06'],
      ['topping_out', 'housing_construction', '05-20'],
      ['completion', 'housing_construction', '08-25'],
      ['provincial_pre_acceptance', 'development_reform', '09-15'],
      ['customs_joint_acceptance', 'customs', '10-20'],
      ['sealed_operation', 'customs', '11-10'],
    ];
    for (const [step, department, day] of script) {
      const who = officer(`${department}-1`, department);
      expect((await api.stepAction(code, step, { action: 'accept', occurredAt: at(day) }, who)).status).toBe(200);
      const approved = await api.stepAction(code, step, { action: 'approve', comment: '按期完成', occurredAt: `${year}-${day}T16:00:00+08:00` }, who);
      expect(approved.status).toBe(200);
    }
    const p = (await api.projectOk(code)) as Body;
    expect(p).toMatchObject({ status: 'completed', stage: 'operation', light: 'green', atRisk: false });
    expect(p.projectDeadlines.every((d) => d.endedOn !== null && d.endedOn <= `${year}-12-31`)).toBe(true);
    // Recorded on paper after the fact, each step was red for the moment between its back-dated acceptance and its
    // approval (the truth as then known); once all is recorded, every milestone ended within its time limit.
    expect(p.steps.map((s) => [s.key, s.state, s.decidedAt !== null && s.dueOn !== null && s.decidedAt.slice(0, 10) <= s.dueOn])).toEqual(
      p.steps.map((s) => [s.key, 'approved', true]),
    );
    expect(p.projectDeadlines.map((d) => [d.key, d.grade])).toEqual(p.projectDeadlines.map((d) => [d.key, 'on_time']));
    expect(p.forecast?.atRisk).toBe(false); // completed: nothing left at risk
  });

  it('accepts a zone registered in October but flags it at risk from day one, with the reason', async () => {
    const code = `${year}-330602-59-01-000602`;
    const reg = await api.register({ code, name: '综保区（十月签约）', track: 'bonded_zone', district: '越城区', signedAt: `${year}-10-08`, occurredAt: at('10-08') });
    expect(reg.status).toBe(201);
    const p = reg.body as Body;
    expect(p.atRisk).toBe(true);
    expect(p.forecast?.reason).toContain(`晚于期限 ${year}-12-31`);
    expect(p.forecast?.slackWorkingDays).toBeLessThan(0);
    const listed = await api.projects({ track: 'bonded_zone', pageSize: 50 });
    expect((listed.body.items as Body[]).find((x) => x.code === code)?.atRisk).toBe(true);
    const stuck = await withCaller(request(stack.baseUrl).get(`${API}/supervision/stuck`), SUPERVISOR).query({ kind: 'at_risk', track: 'bonded_zone' });
    expect(stuck.status).toBe(200);
    const item = (stuck.body.items as Array<{ code: string; reasons: Array<{ kind: string; detail: string }> }>).find((x) => x.code === code);
    expect(item?.reasons.find((r) => r.kind === 'at_risk')?.detail).toContain('12-31');
  });

  it('escalates (督办): on the timeline, a notice to the department head, under supervision until the step moves', async () => {
    const code = '2022-330602-39-03-000603'; // the standard track's default registration (signed 2022-03-05)
    await api.registerOk(code);
    const nr = officer('nrp-li', 'natural_resources');
    await api.act(code, 'land_prereview', 'accept', nr);
    const supervisor = SUPERVISOR;
    const esc = await api.projectAction(code, { action: 'escalate', comment: '请于三个工作日内完成用地预审' }, supervisor);
    expect(esc.status).toBe(200);
    expect(esc.body.entries[0]).toMatchObject({ type: 'project.escalated', step: 'land_prereview', actor: 'sup-zhou', comment: '请于三个工作日内完成用地预审' });
    expect((esc.body.project as Body)).toMatchObject({ underSupervision: true, supervision: { step: 'land_prereview', department: 'natural_resources', by: 'sup-zhou' } });

    const deadline = Date.now() + 10_000;
    let notice: { kind: string; recipients: unknown[] } | undefined;
    while (!notice && Date.now() < deadline) {
      const n = await withCaller(request(stack.baseUrl).get(`${API}/notifications`), SUPERVISOR).query({ projectCode: code, kind: 'escalation' });
      notice = (n.body.items as Array<{ kind: string; recipients: unknown[] }>)[0];
      if (!notice) await new Promise((r) => setTimeout(r, 100));
    }
    expect(notice?.recipients).toEqual([{ role: 'head', department: 'natural_resources' }]);

    const stuck = await withCaller(request(stack.baseUrl).get(`${API}/supervision/stuck`), SUPERVISOR).query({ pageSize: 200 });
    const row = (stuck.body.items as Array<{ code: string; underSupervision: boolean }>).find((x) => x.code === code);
    expect(row === undefined || row.underSupervision).toBe(true);

    await api.act(code, 'land_prereview', 'approve', nr);
    const after = (await api.projectOk(code)) as Body;
    expect(after).toMatchObject({ underSupervision: false, supervision: null });
    expect((await api.timelineOk(code)).some((e) => e.type === 'supervision.cleared' && e.step === 'land_prereview')).toBe(true);
  });

  it('refuses escalating without a comment, or a step that is not open', async () => {
    const code = '2022-330602-39-03-000604';
    await api.registerOk(code);
    const noComment = await api.projectAction(code, { action: 'escalate' }, SUPERVISOR);
    expect(noComment.status).toBe(400);
    expect((await api.projectAction(code, { action: 'escalate', comment: '督办' }, PROJECT_OFFICE)).status).toBe(403); // supervisors escalate
    const blocked = await api.projectAction(code, { action: 'escalate', comment: '督办', step: 'groundbreaking' }, SUPERVISOR);
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toContain("cannot escalate step 'groundbreaking'");
  });
});
