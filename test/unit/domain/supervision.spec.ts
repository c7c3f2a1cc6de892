import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../../../libs/calendar/index.js';
import {
  forecastProject,
  getTrackDefinition,
  latestTrackDefinition,
  ProjectState,
  type Actor,
  type ProjectRegistration,
} from '../../../libs/domain/index.js';

const cal = WorkingDayCalendar.official();
const po: Actor = { id: 'po-sun', department: 'project_office' };
const sup: Actor = { id: 'sup-zhou', department: 'project_office' };
const hc: Actor = { id: 'hc-zhao', department: 'housing_construction' };

function bonded(signedAt: string, registeredAt: string) {
  const reg: ProjectRegistration = { code: '2021-330602-59-03-000201', name: '绍兴综合保税区一期', track: 'bonded_zone', district: '越城区', investor: null, investmentYuan: '1120000000', signedAt };
  return ProjectState.register(latestTrackDefinition('bonded_zone'), reg, { at: registeredAt, actor: po }).state;
}

describe('bonded-zone forecast', () => {
  it('fits the year when signed in January, with every milestone ahead', () => {
    const state = bonded('2021-01-04', '2021-01-04T02:00:00.000Z');
    const f = forecastProject(state.definition, state.snapshot(), cal, '2021-01-04', '2021-01-04T02:00:00.000Z');
    expect(f.atRisk).toBe(false);
    expect(f.deadlines.map((d) => [d.key, d.dueOn])).toEqual([['year_end', '2021-12-31']]);
    expect(f.slackWorkingDays).toBeGreaterThan(0);
    expect(f.finishOn! < '2021-12-31').toBe(true);
  });

  it('flags a project registered in October at risk from day one, saying why', () => {
    const state = bonded('2021-10-08', '2021-10-08T02:00:00.000Z');
    const f = forecastProject(state.definition, state.snapshot(), cal, '2021-10-08', '2021-10-08T02:00:00.000Z');
    expect(f.atRisk).toBe(true);
    expect(f.slackWorkingDays).toBeLessThan(0);
    expect(f.reason).toContain('晚于期限 2021-12-31');
    // the milestones of the 2021 year plan are already past: those clocks are due at once
    expect(state.fixedDueOn('completion_target')).toBe('2021-06-30');
  });

  it('uses the year plan of the signing year for milestone targets, the default otherwise', () => {
    expect(bonded('2021-01-04', '2021-01-04T02:00:00.000Z').fixedDueOn('acceptance_target')).toBe('2021-09-30');
    expect(bonded('2027-01-04', '2027-01-04T02:00:00.000Z').fixedDueOn('acceptance_target')).toBe('2027-11-30');
  });
});

describe('standard forecast', () => {
  it('checks the 90-day groundbreaking promise from the land contract, at the limits', () => {
    const reg: ProjectRegistration = { code: '2025-330602-39-03-000301', name: '示例', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2025-03-03' };
    const state = ProjectState.register(getTrackDefinition('standard', 2), reg, { at: '2025-03-03T02:00:00.000Z', actor: po }).state;
    const f = forecastProject(state.definition, state.snapshot(), cal, '2025-03-03', '2025-03-03T02:00:00.000Z');
    const promise = f.deadlines.find((d) => d.key === 'groundbreaking_promise')!;
    expect(promise).toBeDefined();
    expect(promise.forecastOn <= promise.dueOn).toBe(promise.slackWorkingDays >= 0);
    expect(f.finishOn! > promise.forecastOn).toBe(true); // construction and acceptance follow groundbreaking
  });
});

describe('escalation (督办)', () => {
  function inReview() {
    const reg: ProjectRegistration = { code: '2025-330602-39-03-000302', name: '示例', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2025-03-03' };
    const state = ProjectState.register(getTrackDefinition('standard', 2), reg, { at: '2025-03-03T02:00:00.000Z', actor: po }).state;
    state.applyStepAction('land_prereview', { action: 'accept' }, { at: '2025-03-04T02:00:00.000Z', actor: { id: 'nrp-li', department: 'natural_resources' } });
    return state;
  }

  it('puts the project under supervision on the step in review and names its department', () => {
    const state = inReview();
    const [entry] = state.applyProjectAction({ action: 'escalate', comment: '请三个工作日内办结' }, { at: '2025-04-10T02:00:00.000Z', actor: sup });
    expect(entry).toMatchObject({ type: 'project.escalated', step: 'land_prereview', actor: 'sup-zhou', comment: '请三个工作日内办结', data: { department: 'natural_resources' } });
    expect(state.snapshot().supervision).toMatchObject({ step: 'land_prereview', department: 'natural_resources', by: 'sup-zhou' });
  });

  it('keeps supervision through a reassignment and ends it when the escalated step moves', () => {
    const state = inReview();
    state.applyProjectAction({ action: 'escalate', comment: '督办' }, { at: '2025-04-10T02:00:00.000Z', actor: sup });
    state.applyStepAction('land_prereview', { action: 'reassign', assignee: 'nrp-wu' }, { at: '2025-04-10T03:00:00.000Z', actor: hc });
    expect(state.snapshot().supervision).not.toBeNull();
    const entries = state.applyStepAction('land_prereview', { action: 'approve' }, { at: '2025-04-11T02:00:00.000Z', actor: { id: 'nrp-li', department: 'natural_resources' } });
    expect(entries.map((e) => e.type)).toContain('supervision.cleared');
    expect(state.snapshot().supervision).toBeNull();
  });

  it('needs a comment and an open step', () => {
    const state = inReview();
    expect(() => state.checkProjectAction({ action: 'escalate' }, '2025-04-11T02:00:00.000Z')).toThrow(/escalate needs a comment/);
    expect(() => state.checkProjectAction({ action: 'escalate', comment: 'x', step: 'groundbreaking' }, '2025-04-11T02:00:00.000Z')).toThrow(/cannot escalate step 'groundbreaking'/);
  });
});

describe('joint acceptance (联合验收)', () => {
  it('waits for every sub-acceptance; a failed one goes to rectification and comes back', () => {
    const reg: ProjectRegistration = { code: '2025-330602-39-03-000303', name: '示例', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2025-03-03' };
    const def = getTrackDefinition('standard', 2);
    const state = ProjectState.register(def, reg, { at: '2025-03-03T02:00:00.000Z', actor: po }).state;
    let t = Date.parse('2025-03-04T02:00:00.000Z');
    const act = (step: string, action: 'accept' | 'approve' | 'return' | 'resubmit', comment?: string) => {
      t += 3600_000;
      return state.applyStepAction(step, { action, comment }, { at: new Date(t).toISOString(), actor: hc });
    };
    for (const s of def.steps) {
      if (['planning_verification', 'fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing', 'joint_acceptance', 'in_production'].includes(s.key)) continue;
      act(s.key, 'accept');
      act(s.key, 'approve');
    }
    expect(state.snapshot().stage).toBe('joint_acceptance');
    for (const s of ['planning_verification', 'fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing']) act(s, 'accept');
    act('fire_acceptance', 'return', '消防验收不合格：疏散通道宽度不足，请整改后复验');
    for (const s of ['planning_verification', 'civil_air_defence_acceptance', 'completion_filing']) act(s, 'approve');
    expect(state.step('joint_acceptance')!.state).toBe('blocked');
    act('fire_acceptance', 'resubmit');
    act('fire_acceptance', 'approve');
    expect(state.step('joint_acceptance')!.state).toBe('ready');
    act('joint_acceptance', 'accept');
    act('joint_acceptance', 'approve');
    act('in_production', 'accept');
    act('in_production', 'approve');
    expect(state.snapshot()).toMatchObject({ status: 'completed', stage: 'production' });
  });
});
