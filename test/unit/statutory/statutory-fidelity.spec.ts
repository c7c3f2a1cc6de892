import { describe, it, expect } from '@jest/globals';
import { DomainErrorCode, EXTENSION_APPROVAL, mayApproveExtension, toProjectView, type StepActionInput } from '../../../libs/domain/index.js';
import { refusal } from '../domain/standard-project.fixture.js';
import { HEAD, OFFICER, STANDARD_V3, StatutoryProject, SYSTEM, at } from './driver.js';

/*
 * Issue 7, rule by rule, with exact dates on the official 2025–2026 calendar (2025: Qingming 04-04–06, Labour Day
 * 05-01–05, National Day 10-01–08 with make-up working days Sun 09-28 and Sat 10-11; 2026: New Year 01-01–03,
 * make-up Sun 01-04). Each row is what an officer or supervisor would see on the project.
 */


const step = (p: StatutoryProject, key: string) => p.state.step(key)!;

describe('rule 1: two tiers per step, lights on the published limit, statutory_overdue apart', () => {
  // land_title: published 5 working days (国办发〔2019〕8号), statutory 30 (不动产登记暂行条例 Art. 20).
  const accepted = () => {
    const p = new StatutoryProject();
    p.completeDependencies('land_title', '2025-02-24');
    p.landPricePaid(at('2025-02-28', '08:00'));
    p.act('land_title', { action: 'accept' }, at('2025-03-03', '09:00'));
    return p;
  };

  it.each([
    // [instant, light, statutoryOverdue]
    ['2025-03-10T15:00', 'yellow', false],
    ['2025-03-11T00:00', 'red', false],
    ['2025-04-15T23:00', 'red', false],
    ['2025-04-16T00:00', 'red', true],
  ] as const)('at %s the land title is %s, statutory overdue: %s', (instant, light, statutory) => {
    const p = accepted();
    p.advanceTo(new Date(`${instant}:00+08:00`).toISOString());
    expect(step(p, 'land_title').deadline).toMatchObject({ dueOn: '2025-03-10', statutoryDueOn: '2025-04-15' });
    expect(step(p, 'land_title').light).toBe(light);
    expect(step(p, 'land_title').statutoryOverdue).toBe(statutory);
    expect(toProjectView(p.state).statutoryOverdueSteps).toBe(statutory ? 1 : 0);
  });

  it('sends one statutory notice, separate from the red and 督办 notices of the published limit', () => {
    const p = accepted();
    p.advanceTo(at('2025-03-11', '00:00'));
    p.advanceTo(at('2025-04-16', '00:00'));
    p.advanceTo(at('2025-04-20', '00:00'));
    expect(p.alerts.filter((a) => a.kind === 'statutory_overdue')).toEqual([expect.objectContaining({ step: 'land_title', dueAt: '2025-04-16T00:00:00+08:00' })]);
    expect(p.alerts.map((a) => a.kind)).toContain('red');
    expect(p.entries('step.statutory_overdue', 'land_title')).toHaveLength(1);
  });

  it.each([
    ['eia_approval', { value: 15, unit: 'working_days' }, '日', { value: 60, unit: 'calendar_days', unitAsWritten: '日', confidence: 'high' }],
    ['construction_permit', { value: 7, unit: 'calendar_days' }, '日', { value: 7, unit: 'calendar_days', unitAsWritten: '日' }],
    ['land_title', { value: 5, unit: 'working_days' }, null, { value: 30, unit: 'working_days', unitAsWritten: null, confidence: 'high' }],
    ['energy_review', { value: 15, unit: 'working_days' }, null, { value: 15, unit: 'working_days', unitAsWritten: null }],
  ] as const)('shows %s with published %o (unit as written: %s) and statutory %o', (key, limit, asWritten, statutory) => {
    const view = toProjectView(new StatutoryProject().state).steps.find((s) => s.key === key)!;
    expect(view.limit).toEqual(limit);
    expect(view.limitUnitAsWritten).toBe(asWritten);
    expect(view.statutoryLimit).toMatchObject(statutory);
  });
});

describe('rule 2: received vs accepted (收件 / 受理, 行政许可法 Art. 32)', () => {
  const received = () => {
    const p = new StatutoryProject();
    p.act('land_prereview', { action: 'receive' }, at('2025-09-22'));
    return p;
  };

  it('gives the department until the 5th working day after receipt (make-up Sunday 09-28 counts)', () => {
    const p = received();
    expect(p.state.auxClock('acceptance:land_prereview')!.deadline).toMatchObject({ dueOn: '2025-09-28', dueAt: '2025-09-29T00:00:00+08:00' });
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'received', receivedAt: at('2025-09-22'), acceptedAt: null });
  });

  it.each([
    // [what happens, instant, state, acceptedAt, deemed, clock due]
    ['accepted in time on 09-26', 'accept', '2025-09-26', 'in_review', at('2025-09-26'), false, '2025-10-30'],
    ['nothing by the window end: deemed accepted on receipt', null, '2025-09-29', 'in_review', at('2025-09-22'), true, '2025-10-24'],
    ['accepted late on 10-09 (paper record): counts from receipt', 'accept', '2025-10-09', 'in_review', at('2025-09-22'), true, '2025-10-24'],
  ] as const)('%s', (_what, action, date, state, acceptedAt, deemed, dueOn) => {
    const p = received();
    if (action) p.act('land_prereview', { action }, at(date));
    else p.advanceTo(at(date, '00:00'));
    expect(step(p, 'land_prereview')).toMatchObject({ state, acceptedAt, deemedAccepted: deemed });
    expect(step(p, 'land_prereview').deadline!.dueOn).toBe(dueOn);
    expect(p.entries('step.deemed_accepted', 'land_prereview')).toHaveLength(action === null ? 1 : 0);
  });

  it('back-dates acceptance to receipt when the supplement notice comes late, and stops the clock from the notice', () => {
    const p = received();
    // Recorded from paper in one session: the notice went out on 10-09, after the window closed on 09-28.
    const entries = p.state.applyStepAction('land_prereview', { action: 'return', comment: '一次性告知: site plan and ownership proof' }, { at: at('2025-10-09'), actor: OFFICER });
    p.advanceTo(at('2025-10-09'));
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'supplement_requested', acceptedAt: at('2025-09-22'), deemedAccepted: true });
    expect(step(p, 'land_prereview').clockStops).toEqual([{ stoppedAt: at('2025-10-09'), resumedAt: null, reason: 'supplement_requested' }]);
    expect(entries[0]!.data).toMatchObject({ deemedAcceptedAt: at('2025-09-22'), rule: expect.stringContaining('行政许可法 Art. 32') });
    expect(p.state.auxClock('acceptance:land_prereview')).toMatchObject({ outcome: 'deemed_accepted' });
    // Held from 09-22 to the notice on 10-09: 09-23…26, Sun 09-28 (make-up), 09-29, 09-30, then 10-09 after the holiday.
    expect(p.governmentTime('2025-10-20').perStep.land_prereview).toBe(8);
  });

  it('keeps an in-time supplement notice before acceptance off the clock, and a resubmission opens a new window', () => {
    const p = received();
    p.act('land_prereview', { action: 'return', comment: '一次性告知: site plan missing' }, at('2025-09-24'));
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'supplement_requested', acceptedAt: null, deadline: null });
    p.act('land_prereview', { action: 'resubmit' }, at('2025-10-09'));
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'received', receivedAt: at('2025-10-09') });
    // 10-10, Sat 10-11 (make-up), 10-13, 10-14, 10-15.
    expect(p.state.auxClock('acceptance:land_prereview')!.deadline!.dueOn).toBe('2025-10-15');
  });
});

describe('rule 3: extension (延期, 行政许可法 Art. 42; 核准 Art. 10)', () => {
  const inReview = (route: 'filing' | 'approval' = 'filing') => {
    const p = new StatutoryProject({ registration: { approvalRoute: route } });
    p.act('project_filing', { action: 'accept' }, at('2025-03-03'));
    return p;
  };
  const extend = (days: number, extra: Partial<StepActionInput> = {}): StepActionInput => ({ action: 'extend', extensionWorkingDays: days, comment: 'opinions of the industry bureaux needed', noticeOn: '2025-03-28', ...extra });

  it('names the head of the agency as the one who extends (Art. 42 ¶1), the rule the API checks before the workflow', () => {
    expect(EXTENSION_APPROVAL).toMatchObject({ role: 'department_head', scope: 'own_department' });
    expect(EXTENSION_APPROVAL.statute).toContain('行政许可法 Art. 42 ¶1');
    expect(mayApproveExtension(OFFICER.roles!)).toBe(false);
    expect(mayApproveExtension(HEAD.roles!)).toBe(true);
  });

  it.each([
    // [route, days, allowed, due after]
    ['filing', 10, true, '2025-04-15'],
    ['filing', 11, false, '2025-03-31'],
    ['approval', 40, true, '2025-05-29'], // Sun 04-27 is a make-up working day; 05-01–05 off
    ['approval', 41, false, '2025-03-31'],
  ] as const)('on the %s route, %i working days: allowed %s, due %s', (route, days, allowed, dueOn) => {
    const p = inReview(route);
    expect(step(p, 'project_filing').deadline!.dueOn).toBe('2025-03-31');
    const head = { ...HEAD, department: 'development_reform' as const };
    if (allowed) {
      p.act('project_filing', extend(days), at('2025-03-28'), head);
      expect(p.entries('applicant.notified', 'project_filing')[0]!.data).toMatchObject({ notice: 'extension', noticeOn: '2025-03-28', workingDays: days });
      expect(step(p, 'project_filing').extension).toMatchObject({ workingDays: days, by: head.id, applicantNotifiedOn: '2025-03-28' });
    } else {
      const err = refusal(() => p.state.applyStepAction('project_filing', extend(days), { at: at('2025-03-28'), actor: head }));
      expect(err.code).toBe(DomainErrorCode.RuleRefused);
      expect(err.message).toContain(`at most ${days - 1} working days`);
    }
    expect(step(p, 'project_filing').deadline!.dueOn).toBe(dueOn);
  });

  it('allows one extension only', () => {
    const p = inReview();
    const head = { ...HEAD, department: 'development_reform' as const };
    p.act('project_filing', extend(5), at('2025-03-28'), head);
    const err = refusal(() => p.state.applyStepAction('project_filing', extend(5), { at: at('2025-04-01'), actor: head }));
    expect(err.code).toBe(DomainErrorCode.RuleRefused);
    expect(err.message).toContain('already extended once');
  });
});

describe('rule 4: excluded periods (行政许可法 Art. 45)', () => {
  it.each([
    // [kind, from, to, due] — land_prereview accepted 2025-03-03, 20 working days → 03-31 without the period.
    ['auction', '2025-03-10', '2025-03-24', '2025-04-15'],
    ['expert_review', '2025-03-17', '2025-03-18', '2025-04-01'],
    ['public_notice', '2025-03-10', '2025-03-20', '2025-04-11'],
  ] as const)('%s from %s to %s moves the deadline to %s', (kind, from, to, dueOn) => {
    const p = new StatutoryProject({ localKinds: { public_notice: '公示' } });
    p.act('land_prereview', { action: 'accept' }, at('2025-03-03'));
    p.act('land_prereview', { action: 'exclude', exclusionKind: kind, noticeOn: from, comment: `${kind} needed` }, at(from));
    expect(step(p, 'land_prereview').deadline).toMatchObject({ stopped: true, dueOn: null });
    p.act('land_prereview', { action: 'end_exclusion' }, at(to));
    expect(step(p, 'land_prereview').clockStops).toEqual([{ stoppedAt: at(from), resumedAt: at(to), reason: 'excluded_period', kind, noticeOn: from }]);
    expect(step(p, 'land_prereview').deadline!.dueOn).toBe(dueOn);
    expect(p.entries('step.excluded', 'land_prereview')[0]!.data).toMatchObject({ kind, rule: kind === 'public_notice' ? 'local rule (configuration)' : '行政许可法 Art. 45' });
  });

  it('refuses a kind the law and the district configuration do not list', () => {
    const p = new StatutoryProject();
    p.act('land_prereview', { action: 'accept' }, at('2025-03-03'));
    const err = refusal(() => p.state.applyStepAction('land_prereview', { action: 'exclude', exclusionKind: 'public_notice', comment: '公示' }, { at: at('2025-03-10'), actor: OFFICER }));
    expect(err.code).toBe(DomainErrorCode.ActionInvalid);
    expect(err.message).toContain('hearing, bidding, auction, inspection, testing, quarantine, appraisal, expert_review');
  });
});

describe('rule 5: joint handling (Art. 42 ¶2): one limit of 45 working days from the first acceptance', () => {
  const atAcceptance = () => {
    const p = new StatutoryProject();
    p.completeDependencies('fire_acceptance', '2025-02-24');
    p.act('fire_acceptance', { action: 'accept' }, at('2025-03-03'));
    p.act('civil_air_defence_acceptance', { action: 'accept' }, at('2025-03-10'));
    p.act('completion_filing', { action: 'accept' }, at('2025-03-17'));
    return p;
  };
  const JOINT = ['fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing'];

  it('puts the three parallel steps on one deadline, 45 working days after the first acceptance', () => {
    const p = atAcceptance();
    // 03-03 + 45 working days: 20 in March, 22 in April (04-04 Qingming off, Sun 04-27 made up), 05-06…08 after Labour Day.
    for (const key of JOINT) expect(step(p, key).deadline).toMatchObject({ dueOn: '2025-05-08', statutoryDueOn: '2025-05-08' });
    expect(toProjectView(p.state).steps.find((s) => s.key === 'completion_filing')!.jointGroup).toBe('joint_acceptance');
  });

  it('extends all three by 15 working days with the district government approval, once', () => {
    const p = atAcceptance();
    const head = { ...HEAD, department: 'housing_construction' as const };
    const err = refusal(() => p.state.applyStepAction('fire_acceptance', { action: 'extend', extensionWorkingDays: 15, comment: 'rectification of two findings' }, { at: at('2025-05-06'), actor: head }));
    expect(err.message).toContain("district government's approval");
    p.act('fire_acceptance', { action: 'extend', extensionWorkingDays: 15, comment: 'rectification of two findings', approvalRef: '越政办〔2025〕12号' }, at('2025-05-06'), head);
    for (const key of JOINT) expect(step(p, key).deadline!.dueOn).toBe('2025-05-29');
    const again = refusal(() => p.state.applyStepAction('civil_air_defence_acceptance', { action: 'extend', extensionWorkingDays: 5, comment: 'more', approvalRef: 'x' }, { at: at('2025-05-07'), actor: head }));
    expect(again.message).toContain('already extended once');
  });
});

describe('rule 6: certificate delivery (行政许可法 Art. 44)', () => {
  it.each([
    ['2025-03-17', 'delivered_on_time', false],
    ['2025-03-18', 'delivered_late', true],
  ] as const)('a permit approved 2025-03-03 and delivered %s is %s', (deliveredOn, outcome, late) => {
    const p = new StatutoryProject();
    p.completeDependencies('land_use_planning_permit', '2025-02-24');
    p.approve('land_use_planning_permit', '2025-02-28', '2025-03-03');
    expect(step(p, 'land_use_planning_permit').state).toBe('approved');
    expect(p.state.auxClock('certificate:land_use_planning_permit')!.deadline!.dueOn).toBe('2025-03-17');
    p.advanceTo(at(deliveredOn, '09:00'));
    const entries = p.act('land_use_planning_permit', { action: 'deliver' }, at(deliveredOn));
    expect(step(p, 'land_use_planning_permit')).toMatchObject({ state: 'delivered', deliveredAt: at(deliveredOn) });
    expect(entries[0]!.data).toMatchObject({ certificateDueOn: '2025-03-17', late });
    expect(toProjectView(p.state).steps.find((s) => s.key === 'land_use_planning_permit')!.certificate).toMatchObject({ outcome, dueOn: '2025-03-17' });
    expect(p.alerts.some((a) => a.clockId === 'certificate:land_use_planning_permit' && a.kind === 'red')).toBe(late);
  });

  it.each([
    ['land_use_planning_permit', []],
    ['construction_planning_permit', ['renew']],
  ] as const)('leaves a delivered %s closed, offering only %o', (key, offered) => {
    const p = new StatutoryProject();
    p.completeDependencies(key, '2025-02-24');
    p.approve(key, '2025-02-25');
    p.act(key, { action: 'deliver' }, at('2025-02-26'));
    expect(p.state.availableActions(key)).toEqual(offered);
    const err = refusal(() => p.state.applyStepAction(key, { action: 'deliver' }, { at: at('2025-02-27'), actor: OFFICER }));
    expect(err.message).toMatch(/is already delivered \(.+\) and closed/);
  });

  it('unblocks the next step at the decision, not at the delivery', () => {
    const p = new StatutoryProject();
    p.completeDependencies('construction_planning_permit', '2025-02-24');
    expect(step(p, 'land_use_planning_permit').state).toBe('approved');
    expect(step(p, 'construction_planning_permit').state).toBe('ready');
  });
});

describe('rule 7: gates', () => {
  it('keeps the land title blocked after the land contract until the land price is paid in full', () => {
    const p = new StatutoryProject();
    p.completeDependencies('land_title', '2025-02-24');
    expect(step(p, 'land_title').state).toBe('blocked');
    const err = refusal(() => p.state.applyStepAction('land_title', { action: 'accept' }, { at: at('2025-02-25'), actor: OFFICER }));
    expect(err.message).toContain('the land price is paid in full (土地出让金缴清, recorded through POST /events)');
    p.landPricePaid(at('2025-02-26'));
    expect(step(p, 'land_title')).toMatchObject({ state: 'ready', readyAt: at('2025-02-26') });
    expect(p.entries('fact.land_price_paid')).toHaveLength(1);
    expect(() => p.state.checkFact({ kind: 'land_price_paid', occurredAt: at('2025-02-27') }, at('2025-02-27'))).toThrow(/already has 'land_price_paid'/);
  });

  it('makes the title ready from the day the price was paid, not from when the payment was reported', () => {
    const p = new StatutoryProject();
    p.completeDependencies('land_title', '2025-02-24');
    p.state.applyFact({ kind: 'land_price_paid', occurredAt: at('2025-02-25', '15:00') }, { at: at('2025-03-05'), actor: { id: 'feed', department: null, roles: ['system'] } });
    expect(step(p, 'land_title')).toMatchObject({ state: 'ready', readyAt: at('2025-02-25', '15:00') });
    // A paper acceptance on 02-26 can follow.
    p.act('land_title', { action: 'accept' }, at('2025-02-26'));
    expect(step(p, 'land_title').acceptedAt).toBe(at('2025-02-26'));
  });

  it.each([
    ['eia_approval', ['project_filing']],
    ['energy_review', ['project_filing']],
    ['groundbreaking', ['construction_permit', 'eia_approval', 'energy_review']],
    ['completion', ['construction', 'planning_verification']],
    ['planning_verification', ['construction']],
  ])('%s waits for %o', (key, deps) => {
    expect([...STANDARD_V3.steps.find((s) => s.key === key)!.dependsOn].sort()).toEqual([...deps].sort());
  });

  it('does not hold project filing or the land steps behind the EIA', () => {
    for (const s of STANDARD_V3.steps) if (s.key !== 'groundbreaking') expect(s.dependsOn).not.toContain('eia_approval');
  });
});

describe('rule 8: expiry clocks after decisions', () => {
  it('lets a project approval (核准) lapse 2 years after the decision, with a reminder 40 working days before', () => {
    const p = new StatutoryProject({ registration: { approvalRoute: 'approval' } });
    p.approve('project_filing', '2025-03-03', '2025-03-10');
    const clock = p.state.auxClock('expiry:project_approval_validity')!;
    expect(clock.deadline).toMatchObject({ dueOn: '2027-03-10', dueAt: '2027-03-11T00:00:00+08:00' });
    const yellowAt = clock.deadline!.yellowAt!;
    p.advanceTo(yellowAt);
    expect(p.state.auxClock('expiry:project_approval_validity')!.light).toBe('yellow');
    p.advanceTo(at('2027-03-11', '00:00'));
    expect(p.state.auxClock('expiry:project_approval_validity')).toMatchObject({ lapsed: true, light: 'red' });
    expect(p.entries('expiry.lapsed')).toEqual([expect.objectContaining({ step: 'project_filing', data: expect.objectContaining({ lastDay: '2027-03-10' }) })]);
    expect(p.alerts.filter((a) => a.clockId === 'expiry:project_approval_validity').map((a) => a.kind)).toEqual(['yellow', 'red']);
    const renew = refusal(() => p.state.applyStepAction('project_filing', { action: 'renew', renewalMonths: 12, comment: 'late' }, { at: at('2027-03-12'), actor: OFFICER }));
    expect(renew.message).toContain('lapsed on 2027-03-10');
  });

  it('runs no 2-year clock for a filed (备案) project', () => {
    const p = new StatutoryProject();
    p.approve('project_filing', '2025-03-03', '2025-03-10');
    expect(p.state.auxClock('expiry:project_approval_validity')).toBeUndefined();
  });

  it.each([
    // construction permit approved 2025-10-31: 3 months → 2026-01-31, a Saturday → Monday 02-02 (民法典 Art. 203).
    [[], '2026-02-02', null],
    [[3], '2026-04-30', null],
    [[3, 3], '2026-07-30', null], // 01-31 + 3 months = 04-30 (Art. 202: no 31st), + 3 = 07-30
    [[3, 3, 1], '2026-07-30', 'already renewed 2 time(s)'],
    [[4], '2026-02-02', 'at most 3 months'],
  ] as const)('renews a construction permit by %o months: last day %s', (renewals, dueOn, refused) => {
    const p = new StatutoryProject();
    p.completeDependencies('construction_permit', '2025-10-27');
    p.approve('construction_permit', '2025-10-29', '2025-10-31');
    renewals.forEach((months, i) => {
      const input: StepActionInput = { action: 'renew', renewalMonths: months, comment: 'renewal applied for in time', expiry: 'construction_permit_validity' };
      const instant = at(`2025-11-${String(10 + i).padStart(2, '0')}`);
      if (refused && i === renewals.length - 1) expect(refusal(() => p.state.applyStepAction('construction_permit', input, { at: instant, actor: OFFICER })).message).toContain(refused);
      else p.act('construction_permit', input, instant);
    });
    expect(p.state.auxClock('expiry:construction_permit_validity')!.deadline!.dueOn).toBe(dueOn);
  });

  it('ends the construction permit clock when groundbreaking is confirmed, and starts the land contract periods from its terms', () => {
    const p = new StatutoryProject();
    p.completeDependencies('land_contract', '2025-02-24');
    p.act('land_contract', { action: 'accept' }, at('2025-02-25'));
    p.act('land_contract', { action: 'approve', contractTerms: { preparationMonths: 3, buildMonths: 24 } }, at('2025-02-28'));
    expect(p.state.auxClock('expiry:land_preparation_period')!.fixedDueOn).toBe('2025-05-28');
    expect(p.state.auxClock('expiry:land_build_period')!.fixedDueOn).toBe('2027-02-28');
    p.completeDependencies('groundbreaking', '2025-03-03');
    p.approve('groundbreaking', '2025-03-04');
    expect(p.state.auxClock('expiry:construction_permit_validity')).toMatchObject({ outcome: 'used', endedAt: at('2025-03-04', '16:00') });
    expect(p.state.auxClock('expiry:land_preparation_period')).toMatchObject({ outcome: 'used' });
    expect(p.state.auxClock('expiry:land_build_period')).toMatchObject({ endedAt: null });
  });
});

describe('rule 9: government time (政府审批用时)', () => {
  it('counts acceptance to decision without two supplement requests and a suspension, once per day across parallel steps', () => {
    const p = new StatutoryProject();
    p.act('project_filing', { action: 'accept' }, at('2025-03-03'));
    p.act('land_prereview', { action: 'accept' }, at('2025-03-03'));
    p.act('project_filing', { action: 'approve' }, at('2025-03-07'));
    p.act('land_prereview', { action: 'return', comment: 'site plan missing' }, at('2025-03-05'));
    p.act('land_prereview', { action: 'resubmit' }, at('2025-03-10'));
    p.act('land_prereview', { action: 'return', comment: 'ownership proof missing' }, at('2025-03-12'));
    p.act('land_prereview', { action: 'resubmit' }, at('2025-03-17'));
    p.project({ action: 'suspend', comment: 'hearing requested by a neighbour (听证)' }, at('2025-03-19'));
    p.project({ action: 'resume' }, at('2025-03-26'));
    p.act('land_prereview', { action: 'approve' }, at('2025-04-01'));

    const gt = p.governmentTime('2025-04-01');
    // land_prereview: 03-04, 03-05 | 03-11, 03-12 | 03-18, 03-19 | 03-27, 03-28, 03-31, 04-01 = 10
    // project_filing: 03-04 … 03-07 = 4; together on 12 distinct working days.
    expect(gt.perStep).toMatchObject({ land_prereview: 10, project_filing: 4 });
    expect(gt.stepWorkingDaysTotal).toBe(14);
    expect(gt.workingDays).toBe(12);
    expect(gt.promises).toEqual([
      expect.objectContaining({ key: 'pre_groundbreaking', limit: 100, usedWorkingDays: 12, remaining: 88, exceeded: false }),
      expect.objectContaining({ key: 'whole_process', limit: 90, usedWorkingDays: 12, remaining: 78, exceeded: false }),
    ]);
  });
});

describe('rule 10: every shipped limit carries its source and confidence', () => {
  it.each(STANDARD_V3.steps.map((s) => [s.key] as const))('%s shows limitSource, limitConfidence and the statutory source', (key) => {
    const view = toProjectView(new StatutoryProject().state).steps.find((s) => s.key === key)!;
    expect(view.limitSource.length).toBeGreaterThan(10);
    expect(['high', 'medium', 'low']).toContain(view.limitConfidence);
    expect(view.statutoryLimit.source.length).toBeGreaterThan(10);
    expect(view.extensionCap.source).toMatch(/行政许可法 Art. 42|条例/);
  });
});

describe('found in trials: what the rules must not do', () => {
  it('deems a receipt recorded from paper accepted at once, and lets the notice that followed inside the window replace it', () => {
    const p = new StatutoryProject();
    // Recorded on 2025-10-20 (workflow time): received on 09-22, the one-time notice went out on 09-24.
    p.state.applyStepAction('land_prereview', { action: 'receive', occurredAt: at('2025-09-22') }, { at: at('2025-10-20'), actor: OFFICER });
    p.advanceTo(at('2025-10-20'));
    // What the records say so far: nothing within 5 working days, so accepted on receipt (a fact, not held).
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'in_review', deemedAccepted: true });
    expect(p.state.availableActions('land_prereview')).not.toContain('accept');
    const entries = p.state.applyStepAction('land_prereview', { action: 'return', comment: '一次性告知', occurredAt: at('2025-09-24') }, { at: at('2025-10-20', '10:00'), actor: OFFICER });
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'supplement_requested', acceptedAt: null, deemedAccepted: false, clockStops: [] });
    expect(entries[0]).toMatchObject({ type: 'step.returned', data: { from: 'received', replacesDeemedAcceptance: '2025-09-28T16:00:00.000Z' } });
  });

  it('lets an acceptance from paper inside the window replace a deemed acceptance, not one dated after the window', () => {
    const late = new StatutoryProject();
    late.state.applyStepAction('land_prereview', { action: 'receive', occurredAt: at('2025-09-22') }, { at: at('2025-10-20'), actor: OFFICER });
    late.advanceTo(at('2025-10-20'));
    expect(() => late.state.checkStepAction('land_prereview', { action: 'accept', occurredAt: at('2025-10-09') }, at('2025-10-20', '10:00'), OFFICER)).toThrow(/in_review|review/);

    const p = new StatutoryProject();
    p.state.applyStepAction('land_prereview', { action: 'receive', occurredAt: at('2025-09-22') }, { at: at('2025-10-20'), actor: OFFICER });
    p.advanceTo(at('2025-10-20'));
    p.state.applyStepAction('land_prereview', { action: 'accept', occurredAt: at('2025-09-23') }, { at: at('2025-10-20', '10:00'), actor: OFFICER });
    p.advanceTo(at('2025-10-20', '10:00'));
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'in_review', deemedAccepted: false, acceptedAt: at('2025-09-23') });
  });

  it('dates a deemed acceptance at the close of the window, so a later notice is a supplement request in review', () => {
    const p = new StatutoryProject();
    p.state.applyStepAction('land_prereview', { action: 'receive', occurredAt: at('2025-09-22') }, { at: at('2025-10-20'), actor: OFFICER });
    p.advanceTo(at('2025-10-20')); // planned now: the window closed on 09-28, so the application counts as accepted at once
    expect(step(p, 'land_prereview')).toMatchObject({ state: 'in_review', deemedAccepted: true, updatedAt: '2025-09-28T16:00:00.000Z' });
    expect(p.entries('step.deemed_accepted')[0]).toMatchObject({ at: '2025-09-28T16:00:00.000Z', data: { recordedAt: expect.any(String) } });
    p.state.applyStepAction('land_prereview', { action: 'return', comment: '补正', occurredAt: at('2025-10-09') }, { at: at('2025-10-20', '10:05'), actor: OFFICER });
    expect(step(p, 'land_prereview').clockStops).toEqual([{ stoppedAt: at('2025-10-09'), resumedAt: null, reason: 'supplement_requested' }]);
  });

  it('sends the statutory notice where the published and statutory limits are the same', () => {
    const p = new StatutoryProject();
    p.act('land_prereview', { action: 'accept' }, at('2025-03-03'));
    p.advanceTo(at('2025-04-01', '00:00'));
    expect(p.alerts.filter((a) => a.kind === 'statutory_overdue')).toEqual([expect.objectContaining({ step: 'land_prereview', dueAt: '2025-04-01T00:00:00+08:00' })]);
  });

  it('sends one catch-up notice for a clock overdue for years, then only future repeats', () => {
    const p = new StatutoryProject({ registeredAt: at('2022-03-01', '09:00'), registration: { signedAt: '2022-02-28' } });
    p.state.applyStepAction('land_prereview', { action: 'accept', occurredAt: at('2022-03-01') }, { at: at('2025-03-03'), actor: OFFICER });
    p.advanceTo(at('2025-03-03'));
    for (let minute = 1; minute <= 10; minute++) p.advanceTo(new Date(Date.parse(at('2025-03-03')) + minute * 61_000).toISOString());
    const escalations = p.alerts.filter((a) => a.step === 'land_prereview' && a.kind !== 'statutory_overdue');
    expect(escalations).toHaveLength(1);
    const d = step(p, 'land_prereview').deadline!;
    expect(d.repeatAts.some((r) => Date.parse(r) > Date.parse(at('2025-03-03')))).toBe(true);
    expect(d.repeatsBefore).toBeGreaterThan(100);
  });

  it('counts government time up to the decision and leaves out the applicant\'s own works', () => {
    const p = new StatutoryProject();
    p.completeDependencies('construction', '2025-02-24');
    p.approve('construction', '2025-03-03', '2025-06-30');
    const gt = p.governmentTime('2025-07-31');
    expect(gt.perStep.construction).toBeUndefined();
    expect(gt.perStep.groundbreaking).toBe(0);
    expect(Object.keys(gt.perStep)).not.toContain('land_auction');
  });

  it.each([
    [{ action: 'approve', extensionWorkingDays: 5 }, 'extensionWorkingDays applies only to extend'],
    [{ action: 'accept', contractTerms: { buildMonths: 30 } }, 'contractTerms applies only to approve'],
    [{ action: 'approve', contractTerms: { buildMonths: 30 } }, "contractTerms apply to the land contract's approval"],
    [{ action: 'exclude', exclusionKind: 'auction', comment: 'x', noticeOn: '2020-01-01' }, 'is before the application was accepted (2025-03-03)'],
    [{ action: 'extend', extensionWorkingDays: 5, comment: 'x', noticeOn: '2025-03-20' }, 'is after the day of the extend (2025-03-10)'],
  ] as Array<[StepActionInput, string]>)('refuses %o: %s', (input, message) => {
    const p = new StatutoryProject();
    if (input.action !== 'accept') p.act('land_prereview', { action: 'accept' }, at('2025-03-03'));
    const before = p.state.snapshot();
    const err = refusal(() => p.state.applyStepAction('land_prereview', input, { at: at('2025-03-10'), actor: HEAD }));
    expect(err.message).toContain(message);
    expect(p.state.snapshot()).toEqual(before);
  });

  it('refuses a land contract whose preparation period is longer than its build period', () => {
    const p = new StatutoryProject();
    p.completeDependencies('land_contract', '2025-02-24');
    p.act('land_contract', { action: 'accept' }, at('2025-02-25'));
    const err = refusal(() => p.state.applyStepAction('land_contract', { action: 'approve', contractTerms: { preparationMonths: 40, buildMonths: 12 } }, { at: at('2025-02-28'), actor: OFFICER }));
    expect(err.message).toContain('cannot be longer than the build period (12 months)');
    p.act('land_contract', { action: 'approve' }, at('2025-02-28'));
    expect(p.state.availableActions('land_contract')).not.toContain('renew');
  });

  it('refuses the land price paid before the land contract', () => {
    const p = new StatutoryProject();
    const err = refusal(() => p.state.applyFact({ kind: 'land_price_paid', occurredAt: at('2025-02-20') }, { at: at('2025-02-20'), actor: SYSTEM }));
    expect(err.message).toContain('land_contract (国有建设用地使用权出让合同)');
  });

  it('puts the action before the applicant notice on the timeline', () => {
    const p = new StatutoryProject();
    p.act('land_prereview', { action: 'accept' }, at('2025-03-03'));
    const entries = p.act('land_prereview', { action: 'extend', extensionWorkingDays: 5, comment: 'expert opinions needed' }, at('2025-03-10'), HEAD);
    expect(entries.map((e) => e.type)).toEqual(['step.extended', 'applicant.notified']);
    expect(entries[0]!.seq).toBeLessThan(entries[1]!.seq);
  });
});
