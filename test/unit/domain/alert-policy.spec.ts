import { describe, expect, it } from '@jest/globals';
import {
  ALERT_POLICY,
  alertNotice,
  alertRule,
  escalationNotice,
  NOTICE_KINDS,
  recipientsOf,
  type AlertKind,
  type AlertSubject,
  type DueAlert,
  type NoticeRecipient,
} from '../../../libs/domain/index.js';
import { at, HEAD, StatutoryProject } from '../statutory/driver.js';

const officers = (department: string): NoticeRecipient => ({ role: 'officers', department });
const head = (department: string): NoticeRecipient => ({ role: 'head', department });
const supervisors: NoticeRecipient = { role: 'supervisors' };
const NR = 'natural_resources';

describe('ALERT_POLICY', () => {
  // subject, alert, notice kind, recipients for a clock of natural_resources — written out by hand.
  it.each<[AlertSubject, AlertKind, string, NoticeRecipient[]]>([
    ['step', 'yellow', 'yellow', [officers(NR)]],
    ['step', 'red', 'red', [officers(NR), head(NR)]],
    ['step', 'escalation', 'escalation', [supervisors, head(NR)]],
    ['step', 'escalation_repeat', 'escalation_repeat', [supervisors, head(NR)]],
    ['step', 'statutory_overdue', 'statutory_overdue', [head(NR), supervisors]],
    ['certificate', 'yellow', 'certificate_yellow', [officers(NR)]],
    ['certificate', 'red', 'certificate_red', [officers(NR), head(NR)]],
    ['certificate', 'escalation', 'escalation', [supervisors, head(NR)]],
    ['expiry', 'yellow', 'expiry_warning', [officers(NR), officers('project_office')]],
    ['expiry', 'red', 'expiry_lapsed', [officers(NR), officers('project_office')]],
    ['project_deadline', 'yellow', 'project_yellow', [officers(NR)]],
    ['project_deadline', 'red', 'project_red', [officers(NR), head(NR)]],
    ['project_deadline', 'escalation', 'project_red', [supervisors, head(NR)]],
  ])('a %s clock’s %s alert: a %s notice', (subject, kind, notice, recipients) => {
    const rule = alertRule(subject, kind);
    expect(rule.notice).toBe(notice);
    expect(recipientsOf(rule.audience, NR)).toEqual(recipients);
  });

  it('issues every notice kind the outbox knows, and nothing else', () => {
    const issued = new Set(Object.values(ALERT_POLICY).flatMap((bySubject) => Object.values(bySubject).map((r) => r!.notice)));
    expect([...issued].sort()).toEqual([...NOTICE_KINDS].sort());
  });

  it('has no statutory tier for project deadlines, and says so', () => {
    expect(() => alertRule('project_deadline', 'statutory_overdue')).toThrow('no notice for a statutory_overdue alert on a project_deadline clock');
  });
});

describe(alertNotice.name, () => {
  /**
   * A standard@3 project: filing approved (its certificate clock runs), the land contract signed (its validities
   * run). The policy only reads the state, so one project serves every case.
   */
  let built: StatutoryProject | undefined;
  function project(): StatutoryProject {
    if (built) return built;
    const p = new StatutoryProject();
    const drc = { ...HEAD, department: 'development_reform' as const };
    p.act('project_filing', { action: 'accept' }, at('2025-03-03', '09:00'), drc);
    p.act('project_filing', { action: 'approve' }, at('2025-03-04', '09:00'), drc);
    p.completeDependencies('land_title', '2025-03-06');
    built = p;
    return p;
  }
  const alert = (over: Partial<DueAlert>): DueAlert => ({
    clockId: 'land_prereview',
    step: 'land_prereview',
    kind: 'yellow',
    alertId: 'yellow',
    at: '2025-03-20T02:00:00.000Z',
    dueAt: '2025-03-25T00:00:00+08:00',
    overdueWorkingDays: 0,
    ...over,
  });

  it('warns the department’s officers of a step’s deadline in Chinese, then English, with the last day', () => {
    const n = alertNotice(project().state, alert({ clockId: 'project_filing', step: 'project_filing' }));
    expect(n).toEqual({
      dedupeKey: '2025-330602-39-03-000701|project_filing|yellow|2025-03-25T00:00:00+08:00|yellow',
      projectCode: '2025-330602-39-03-000701',
      projectName: 'Precision bearings plant',
      step: 'project_filing',
      stepName: '项目备案/核准',
      department: 'development_reform',
      dueAt: '2025-03-25T00:00:00+08:00',
      firedAt: '2025-03-20T02:00:00.000Z',
      overdueWorkingDays: 0,
      kind: 'yellow',
      recipients: [officers('development_reform')],
      message:
        '【黄灯预警】Precision bearings plant（2025-330602-39-03-000701）“项目备案/核准” (Project filing or approval) 期限 2025-03-24。Warning: Precision bearings plant “项目备案/核准” (Project filing or approval) due 2025-03-24.',
    });
  });

  it('counts the working days overdue in a red notice to the officers and the head', () => {
    const n = alertNotice(project().state, alert({ clockId: 'project_filing', step: 'project_filing', kind: 'red', alertId: 'red', overdueWorkingDays: 3 }));
    expect(n.recipients).toEqual([officers('development_reform'), head('development_reform')]);
    expect(n.message).toContain('【红灯超期】');
    expect(n.message).toContain('期限 2025-03-24，已超期3个工作日 / 3 working days overdue。Overdue:');
  });

  it('names the certificate, not the step, when its delivery (送达, Art. 44) is late', () => {
    const n = alertNotice(project().state, alert({ clockId: 'certificate:project_filing', step: 'project_filing', kind: 'red', alertId: 'red', overdueWorkingDays: 1 }));
    expect(n.kind).toBe('certificate_red');
    expect(n.stepName).toBe('项目备案/核准');
    expect(n.message).toMatch(/^【红灯超期·证照送达】Precision bearings plant（2025-330602-39-03-000701）“.+” 送达期限 2025-03-24，已超期1个工作日/);
  });

  it('tells the land office and the project office that a validity lapsed unused, naming it', () => {
    const n = alertNotice(project().state, alert({ clockId: 'expiry:land_build_period', step: 'land_contract', kind: 'red', alertId: 'red' }));
    expect(n.kind).toBe('expiry_lapsed');
    expect(n.recipients).toEqual([officers(NR), officers('project_office')]);
    expect(n.message).toBe(
      '【有效期届满】Precision bearings plant（2025-330602-39-03-000701）“国有建设用地使用权出让合同” 有效期 2025-03-24 届满未使用（land_build_period）。Validity lapsed: Land grant contract (land_build_period) on 2025-03-24.',
    );
  });

  it('sends a project deadline to the major-project office', () => {
    const n = alertNotice(project().state, alert({ clockId: 'project:groundbreaking_promise', step: null, kind: 'yellow' }));
    expect(n).toMatchObject({ kind: 'project_yellow', department: 'project_office', stepName: '拿地即开工（出让合同签订后90日内开工）', recipients: [officers('project_office')] });
  });

  it('tells the head and the supervisors that the statutory limit (法定时限) passed', () => {
    const n = alertNotice(project().state, alert({ kind: 'statutory_overdue', alertId: 'statutory' }));
    expect(n.recipients).toEqual([head(NR), supervisors]);
    expect(n.message).toMatch(/^【超法定时限】.*法定期限 2025-03-24 已过。Statutory limit passed: /);
  });
});

describe(escalationNotice.name, () => {
  it('sends a supervisor’s 督办 to the head of the escalated step’s department, with the comment and who escalated', () => {
    const p = new StatutoryProject();
    p.act('project_filing', { action: 'accept' }, at('2025-03-03', '09:00'), { ...HEAD, department: 'development_reform' });
    const [entry] = p.project({ action: 'escalate', comment: '请三个工作日内办结' }, at('2025-03-05', '11:00'));
    expect(escalationNotice(p.state, entry!)).toEqual({
      dedupeKey: '2025-330602-39-03-000701|escalate|project_filing|2025-03-05T03:00:00.000Z',
      projectCode: '2025-330602-39-03-000701',
      projectName: 'Precision bearings plant',
      step: 'project_filing',
      stepName: '项目备案/核准',
      kind: 'escalation',
      recipients: [head('development_reform')],
      department: 'development_reform',
      dueAt: '2025-04-01T00:00:00+08:00',
      firedAt: '2025-03-05T03:00:00.000Z',
      overdueWorkingDays: 0,
      message:
        '【督办】Precision bearings plant（2025-330602-39-03-000701）“项目备案/核准”：请三个工作日内办结（督办人 supervisor-chen）。Escalated by supervisor-chen: Project filing or approval — 请三个工作日内办结',
    });
  });
});
