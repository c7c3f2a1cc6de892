import { describe, expect, it } from '@jest/globals';
import { addDays, WorkingDayCalendar } from '../../../libs/calendar/index.js';
import { forecastProject, latestTrackDefinition, ProjectState, type Actor, type ProjectRegistration } from '../../../libs/domain/index.js';

const cal = WorkingDayCalendar.official();
const po: Actor = { id: 'po-sun', department: 'project_office' };
const def = latestTrackDefinition('standard');

function registered(signedAt: string): ProjectState {
  const reg: ProjectRegistration = { code: '2026-330602-39-03-000401', name: '示例', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt };
  return ProjectState.register(def, reg, { at: `${signedAt}T02:00:00.000Z`, actor: po }).state;
}

/** Drives `steps` to approved on `day` (accepted and approved by their own department). */
function approve(state: ProjectState, steps: string[], day: string): void {
  for (const key of steps) {
    const actor: Actor = { id: `officer-${key}`, department: def.steps.find((s) => s.key === key)!.department, role: 'head' } as Actor;
    state.applyStepAction(key, { action: 'accept' }, { at: `${day}T01:00:00.000Z`, actor });
    state.applyStepAction(key, { action: 'approve' }, { at: `${day}T02:00:00.000Z`, actor });
  }
}

describe('standard forecast at the published limits', () => {
  // Every working Wednesday of three years, holidays (Spring Festival, National Day) inside the 90 days included.
  const days: string[] = [];
  for (let d = '2025-01-01'; d <= '2027-12-29'; d = addDays(d, 7)) if (cal.isWorkingDay(d)) days.push(d);

  it('does not flag a freshly registered project at risk, whatever day it registers', () => {
    const flagged = days.filter((d) => forecastProject(def, registered(d).snapshot(), cal, d, `${d}T02:00:00.000Z`).atRisk);
    expect(flagged).toEqual([]);
  });

  it('reports the 90-day promise before the land contract, not started, with its slack and the step ahead', () => {
    const f = forecastProject(def, registered('2026-09-02').snapshot(), cal, '2026-09-02', '2026-09-02T02:00:00.000Z');
    const promise = f.deadlines.find((d) => d.key === 'groundbreaking_promise')!;
    expect(promise).toMatchObject({ started: false, atRisk: false, step: 'land_prereview', department: 'natural_resources' });
    expect(f.reason).toBeNull();
  });

  it('flags the promise once the land contract is signed and the work after it cannot fit, naming the step that drives it', () => {
    // Contract on 2026-12-21: the 90 days hold Spring Festival 2027, and the permits at their published limits need more.
    const state = registered('2026-09-01');
    approve(state, ['project_filing', 'land_prereview', 'land_auction', 'land_contract'], '2026-12-21');
    const f = forecastProject(def, state.snapshot(), cal, '2026-12-21', '2026-12-21T03:00:00.000Z');
    const promise = f.deadlines.find((d) => d.key === 'groundbreaking_promise')!;
    expect(promise.started).toBe(true);
    expect(promise.slackWorkingDays).toBeLessThan(0);
    expect(f.atRisk).toBe(true);
    expect(f).toMatchObject({ step: 'land_use_planning_permit', department: 'natural_resources' });
    expect(f.reason).toContain('关键步骤：建设用地规划许可');
    expect(f.reason).toContain('driven by land_use_planning_permit (natural_resources)');
  });

  it('flags a started deadline whose slack is below a configured margin', () => {
    const state = registered('2026-03-02');
    approve(state, ['project_filing', 'land_prereview', 'land_auction', 'land_contract'], '2026-03-04');
    const at = (margin: number) => forecastProject(def, state.snapshot(), cal, '2026-03-04', '2026-03-04T03:00:00.000Z', { marginWorkingDays: margin });
    const slack = at(0).slackWorkingDays!;
    expect(slack).toBeGreaterThanOrEqual(0);
    expect(at(0).atRisk).toBe(false);
    const tight = at(slack + 1);
    expect(tight.atRisk).toBe(true);
    expect(tight.reason).toContain(`仅余 ${slack} 个工作日`);
  });
});
