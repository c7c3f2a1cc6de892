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

describe('bonded zone recorded after the fact (当年开工、当年竣工、当年验收)', () => {
  const zone = latestTrackDefinition('bonded_zone');
  const script: Array<[string, string]> = [
    ['groundbreaking', '2025-01-06'],
    ['topping_out', '2025-05-20'],
    ['completion', '2025-08-25'],
    ['provincial_pre_acceptance', '2025-09-15'],
    ['customs_joint_acceptance', '2025-10-20'],
  ];
  function zoneRecorded(): ProjectState {
    const reg: ProjectRegistration = { code: '2025-330602-59-01-000601', name: '综保区', track: 'bonded_zone', district: '越城区', investor: null, investmentYuan: null, signedAt: '2025-01-05' };
    const state = ProjectState.register(zone, reg, { at: '2025-01-05T02:00:00.000Z', actor: po }).state;
    for (const [key, day] of script) {
      const actor = { id: `officer-${key}`, department: zone.steps.find((s) => s.key === key)!.department, role: 'head' } as Actor;
      state.applyStepAction(key, { action: 'accept' }, { at: `${day}T01:00:00.000Z`, actor });
      state.applyStepAction(key, { action: 'approve' }, { at: `${day}T02:00:00.000Z`, actor });
    }
    // Entered in December of the next year: the sealed operation is open, forecast past 2025-12-31.
    const customs = { id: 'officer-customs', department: 'customs', role: 'head' } as Actor;
    state.applyStepAction('sealed_operation', { action: 'accept' }, { at: '2025-11-10T01:00:00.000Z', actor: customs });
    state.applyForecast(forecastProject(zone, state.snapshot(), cal, '2026-12-07', '2026-12-07T02:00:00.000Z'), { at: '2026-12-07T02:00:00.000Z', actor: po });
    expect(state.snapshot().forecast?.atRisk).toBe(true);
    return state;
  }

  it('grades each year-plan target met by its date on time, and leaves a completed zone not at risk', () => {
    const state = zoneRecorded();
    state.applyStepAction('sealed_operation', { action: 'approve' }, { at: '2025-11-10T08:00:00.000Z', actor: { id: 'officer-customs', department: 'customs', role: 'head' } as Actor });
    const snap = state.snapshot();
    expect(snap.status).toBe('completed');
    expect(snap.projectClocks.map((c) => [c.key, c.endedOn, c.grade])).toEqual([
      ['groundbreaking_target', '2025-01-06', 'on_time'],
      ['topping_out_target', '2025-05-20', 'on_time'],
      ['completion_target', '2025-08-25', 'on_time'],
      ['acceptance_target', '2025-10-20', 'on_time'],
      ['year_end', '2025-11-10', 'on_time'],
    ]);
    expect(snap.forecast).toMatchObject({ atRisk: false, reason: null, step: null });
  });

  it('grades a target met after its date with the track\'s late grade', () => {
    const state = zoneRecorded();
    state.applyStepAction('sealed_operation', { action: 'approve' }, { at: '2026-01-06T08:00:00.000Z', actor: { id: 'officer-customs', department: 'customs', role: 'head' } as Actor });
    expect(state.snapshot().projectClocks.find((c) => c.key === 'year_end')).toMatchObject({ endedOn: '2026-01-06', grade: 'missed' });
  });

  it('leaves a cancelled zone not at risk', () => {
    const state = zoneRecorded();
    state.applyProjectAction({ action: 'cancel', comment: '企业撤资' }, { at: '2026-12-07T03:00:00.000Z', actor: po });
    expect(state.snapshot().forecast?.atRisk).toBe(false);
  });
});
