import { describe, it, expect } from '@jest/globals';
import type { ClockPlan } from '../../../libs/calendar/index.js';
import { WorkingDayCalendar } from '../../../libs/calendar/index.js';
import {
  DomainError,
  forecastProject,
  notRequiredSteps,
  ProjectState,
  requiredSteps,
  stuckKeysOf,
  SYSTEM_ACTOR,
  toProjectView,
  type Actor,
  type ProjectRegistration,
  type StepActionInput,
  type StepState,
  type TimelineEntry,
} from '../../../libs/domain/index.js';
import { criticalPathOf } from '../../../libs/domain/track-graph.js';
import { formatProblem, loadTrackDefinition } from '../../../libs/domain/track-loader.js';
import { STEP_GROUPS_TRACK, stepGroupsTrackDocument } from '../../support/step-groups-track.js';

/*
 * Sub-step groups (all must pass / any may pass) in the track format: refused with the exact path and reason when
 * unsound, taken by the critical path (all = slowest member, any = quickest), and run by the domain — a step waits
 * for its groups, an `any` group's other members stop being required once one is done and then never go red, never
 * sit on a desk and never make the project stuck.
 */

/** The problems of the test track's document changed by `edit`. */
function problems(edit: (d: any) => void): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = JSON.parse(JSON.stringify(stepGroupsTrackDocument()));
  edit(doc);
  const result = loadTrackDefinition(JSON.stringify(doc));
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('sub-step groups in the track format', () => {
  it('loads a definition with an all-group and an any-group, steps in dependency order', () => {
    expect(STEP_GROUPS_TRACK.stepGroups?.map((g) => `${g.key}:${g.mode}`)).toEqual(['soil_cleared:any', 'sign_offs:all']);
    expect(STEP_GROUPS_TRACK.steps.at(-1)!.key).toBe('release');
    expect(STEP_GROUPS_TRACK.steps.findIndex((s) => s.key === 'effect_evaluation')).toBeGreaterThan(STEP_GROUPS_TRACK.steps.findIndex((s) => s.key === 'remediation'));
  });

  it('takes the quickest member of an any-group and the slowest of an all-group on the critical path', () => {
    expect(criticalPathOf(STEP_GROUPS_TRACK)).toEqual({ steps: ['investigation', 'risk_assessment', 'release'], workingDays: 33, calendarDays: 0 });
  });

  it('follows the slowest member of an all-group when it drives', () => {
    const path = criticalPathOf(
      loadOk((d) => {
        d.steps[4].limit.value = 40; // fire_check: 40 > 30 of the soil's quickest way
      }),
    );
    expect(path).toEqual({ steps: ['fire_check', 'release'], workingDays: 43, calendarDays: 0 });
  });

  it('refuses a member that is no step, naming the step it probably meant', () => {
    expect(problems((d) => (d.stepGroups[0].steps[1] = 'efect_evaluation'))).toEqual([
      'stepGroups[0].steps[1]: unknown step "efect_evaluation"; did you mean "effect_evaluation"?',
    ]);
  });

  it('refuses a group key that is also a step key', () => {
    expect(problems((d) => (d.stepGroups[1].key = 'fire_check'))).toEqual([
      'steps[6].dependsOn[1]: unknown step or sub-step group "sign_offs"',
      'stepGroups[1].key: sub-step group key "fire_check" is also the key of a step (steps[4]); `dependsOn` could not tell them apart',
      'stepGroups[1]: no step depends on sub-step group "fire_check"; name it in a step\'s dependsOn',
    ]);
  });

  it('refuses an empty group', () => {
    expect(problems((d) => (d.stepGroups[1].steps = []))).toEqual(['stepGroups[1].steps: needs at least 1 item, got 0']);
  });

  it('refuses a step that is an alternative in two any-groups', () => {
    expect(
      problems((d) => {
        d.stepGroups.push({ key: 'quick_soil', name: 'Quick soil', nameZh: '快速', mode: 'any', steps: ['risk_assessment', 'remediation'] });
        d.steps[6].dependsOn.push('quick_soil');
      }),
    ).toEqual([
      'stepGroups[2].steps[0]: step "risk_assessment" is already an alternative in the any-group "soil_cleared" (stepGroups[0]); a step may be in one group of mode "any" only, so that whether it is still required follows from one group',
    ]);
  });

  it('refuses a cycle through a group, naming it', () => {
    expect(problems((d) => (d.steps[2].dependsOn = ['soil_cleared']))).toEqual([
      'steps[3].dependsOn[0]: dependency cycle: remediation → soil_cleared → effect_evaluation → remediation (each depends on the next; a sub-step group on its members)',
    ]);
  });

  it('refuses a step that depends on a group it is a member of, at the group', () => {
    expect(problems((d) => (d.steps[4].dependsOn = ['sign_offs']))).toEqual([
      'stepGroups[1].steps[0]: dependency cycle: fire_check → sign_offs → fire_check (each depends on the next; a sub-step group on its members)',
    ]);
  });

  it('refuses a project deadline that ends at a step an any-group can make unnecessary', () => {
    const deadline = { key: 'cleaned', name: 'Cleaned', nameZh: '修复完成', fromStep: null, toStep: 'remediation', grades: [], lateGrade: 'late' };
    expect(problems((d) => (d.projectDeadlines = [{ ...deadline, limit: d.steps[0].limit }]))).toEqual([
      'projectDeadlines[0].toStep: step "remediation" may not be required (sub-step group "soil_cleared" of mode "any" can be satisfied without it), so the deadline might never end; end it at a step that is always required, e.g. "release"',
    ]);
  });

  it('refuses an unknown dependency, a duplicate group key, an unused group and an unknown mode', () => {
    expect(problems((d) => (d.steps[6].dependsOn[0] = 'soil_clear'))).toEqual([
      'steps[6].dependsOn[0]: unknown step or sub-step group "soil_clear"; did you mean "soil_cleared"?',
      'stepGroups[0]: no step depends on sub-step group "soil_cleared"; name it in a step\'s dependsOn',
    ]);
    expect(problems((d) => (d.stepGroups[1].key = 'soil_cleared'))).toContain('stepGroups[1].key: duplicate sub-step group key "soil_cleared" (first at stepGroups[0])');
    expect(problems((d) => (d.stepGroups[1].mode = 'most'))).toEqual(['stepGroups[1].mode: unknown group mode "most"; known: all, any']);
  });
});

/** The test track's document changed by `edit`, loaded. */
function loadOk(edit: (d: any) => void) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = JSON.parse(JSON.stringify(stepGroupsTrackDocument()));
  edit(doc);
  const result = loadTrackDefinition(JSON.stringify(doc));
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.definition;
}

const REGISTRATION: ProjectRegistration = {
  code: '2022-330602-26-03-000901',
  name: '某印染企业搬迁退出地块',
  track: 'site_release',
  district: '越城区',
  investor: null,
  investmentYuan: null,
  signedAt: '2022-03-15',
};
const OFFICE: Actor = { id: 'office-wang', department: 'project_office' };

/** A project on the test track, acted on one hour apart by the department of each step. */
class SiteProject {
  readonly state: ProjectState;
  readonly timeline: TimelineEntry[] = [];
  private ticks = 0;

  constructor() {
    const { state, entries } = ProjectState.register(STEP_GROUPS_TRACK, REGISTRATION, this.next(OFFICE));
    this.state = state;
    this.timeline.push(...entries);
  }

  next(actor: Actor): { at: string; actor: Actor } {
    return { at: new Date(Date.UTC(2022, 2, 15, 1) + this.ticks++ * 3_600_000).toISOString(), actor };
  }

  act(step: string, input: StepActionInput): TimelineEntry[] {
    const department = STEP_GROUPS_TRACK.steps.find((s) => s.key === step)!.department;
    const entries = this.state.applyStepAction(step, input, this.next({ id: `officer-${step}`, department, roles: ['officer'] }));
    this.timeline.push(...entries);
    return entries;
  }

  approve(...steps: string[]): TimelineEntry[] {
    return steps.flatMap((s) => [...this.act(s, { action: 'accept' }), ...this.act(s, { action: 'approve' })]);
  }

  states(): Record<string, StepState> {
    return Object.fromEntries(this.state.snapshot().steps.map((s) => [s.key, s.state]));
  }
}

/** A plan of a step clock due on `dueOn` (Asia/Shanghai), its thresholds the day before and the day after. */
function planDue(dueOn: string): ClockPlan {
  const end = (d: string) => new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();
  return { dueOn, dueAt: end(dueOn), stopped: false, provisional: false, yellowAt: end('2022-03-20'), escalateAt: end('2022-03-28'), repeatAts: [] };
}

describe('sub-step groups in a running project', () => {
  it('makes a step wait for its groups: all members of an all-group, one of an any-group', () => {
    const p = new SiteProject();
    expect(p.states()).toMatchObject({ investigation: 'ready', fire_check: 'ready', defence_check: 'ready', release: 'blocked' });

    p.approve('investigation', 'fire_check');
    expect(p.states()).toMatchObject({ risk_assessment: 'ready', remediation: 'ready', release: 'blocked' });
    expect(() => p.act('release', { action: 'accept' })).toThrow(/blocked until .*土壤风险管控完成（任一通过）.*安全验收（全部通过）/);

    const satisfied = p.approve('risk_assessment');
    expect(satisfied.find((e) => e.type === 'step_group.satisfied')?.data).toEqual({ group: 'soil_cleared', mode: 'any', by: 'risk_assessment', notRequired: ['remediation', 'effect_evaluation'] });
    expect(p.states().release).toBe('blocked');

    const last = p.approve('defence_check');
    expect(last.find((e) => e.type === 'step_group.satisfied')?.data).toEqual({ group: 'sign_offs', mode: 'all', by: 'defence_check' });
    expect(p.states().release).toBe('ready');
    expect(p.state.snapshot().stage).toBe('release');

    p.approve('release');
    expect(p.state.snapshot().status).toBe('completed');
  });

  it('tells the required steps from those an any-group no longer needs', () => {
    const none = () => false;
    expect([...requiredSteps(STEP_GROUPS_TRACK, none)].sort()).toEqual(STEP_GROUPS_TRACK.steps.map((s) => s.key).sort());
    const assessed = (k: string) => k === 'investigation' || k === 'risk_assessment';
    expect([...notRequiredSteps(STEP_GROUPS_TRACK, (k) => (assessed(k) ? 'approved' : 'blocked'))].sort()).toEqual(['effect_evaluation', 'remediation']);
    // The long way done instead: the risk assessment is the one no longer required.
    const remediated = (k: string) => ['investigation', 'remediation', 'effect_evaluation'].includes(k);
    expect([...notRequiredSteps(STEP_GROUPS_TRACK, (k) => (remediated(k) ? 'approved' : 'ready'))]).toEqual(['risk_assessment']);
  });

  it('withdraws a red, statutory-overdue member once the group is satisfied: no light, no desk, not stuck, no action', () => {
    const p = new SiteProject();
    p.approve('investigation');
    p.act('remediation', { action: 'accept' });
    const request = p.state.clockRequests().find((r) => r.id === 'remediation')!;
    p.state.applyClockPlans([{ request, plan: planDue('2022-03-25') }], p.next(SYSTEM_ACTOR));
    const late = Date.parse('2022-04-20T02:00:00Z');
    p.state.refreshLights(late, { at: new Date(late).toISOString(), actor: SYSTEM_ACTOR });
    const before = toProjectView(p.state);
    expect(before.steps.find((s) => s.key === 'remediation')!.light).toBe('red');
    expect(stuckKeysOf(before.steps, false, null).overdue).toBe(true);

    const entries = p.approve('risk_assessment');

    expect(entries.find((e) => e.type === 'step.not_required')).toMatchObject({ step: 'remediation', data: { from: 'in_review', satisfiedBy: 'risk_assessment' } });
    const view = toProjectView(p.state);
    const remediation = view.steps.find((s) => s.key === 'remediation')!;
    expect(remediation).toMatchObject({ state: 'blocked', light: null, availableActions: [], notRequired: true });
    expect(view.steps.find((s) => s.key === 'effect_evaluation')).toMatchObject({ state: 'blocked', notRequired: true });
    expect(view.steps.filter((s) => s.notRequired).map((s) => s.key)).toEqual(['remediation', 'effect_evaluation']);
    expect(view.light).toBe('green');
    expect(view.overdueSteps).toBe(0);
    expect(stuckKeysOf(view.steps, false, null)).toMatchObject({ overdue: false, statutoryOverdue: false, openDepartments: ['emergency_management', 'housing_construction'] });
    expect(p.state.dueAlerts(Date.parse('2023-01-01T00:00:00Z'))).toEqual([]);
    expect(p.state.clockRequests(true).map((r) => r.id)).not.toContain('remediation');
    p.state.refreshLights(Date.parse('2023-01-01T00:00:00Z'), { at: '2023-01-01T00:00:00.000Z', actor: SYSTEM_ACTOR });
    expect(toProjectView(p.state).light).toBe('green');

    let refusal: unknown;
    try {
      p.act('remediation', { action: 'approve' });
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).message).toContain('no longer required');
  });

  it('closes the acceptance window of a received member it withdraws', () => {
    const p = new SiteProject();
    p.approve('investigation');
    p.act('remediation', { action: 'receive' });
    expect(p.state.auxClock('acceptance:remediation')?.endedAt).toBeNull();

    p.approve('risk_assessment');

    expect(p.state.auxClock('acceptance:remediation')).toMatchObject({ outcome: 'withdrawn' });
    expect(p.state.step('remediation')!.state).toBe('blocked');
  });

  it('never readies a member no longer required, whatever is approved later', () => {
    const p = new SiteProject();
    p.approve('investigation', 'risk_assessment', 'fire_check', 'defence_check');
    expect(p.states()).toMatchObject({ remediation: 'blocked', effect_evaluation: 'blocked', release: 'ready' });
    expect(p.timeline.filter((e) => e.type === 'step.ready').map((e) => e.step)).not.toContain('effect_evaluation');
  });

  it('forecasts through the quickest way of an any-group and, once satisfied, through the member done', () => {
    const cal = WorkingDayCalendar.official();
    const p = new SiteProject();
    const fresh = forecastProject(STEP_GROUPS_TRACK, p.state.snapshot(), cal, '2022-03-15', '2022-03-15T02:00:00.000Z');
    // investigation 10 + risk assessment 20 + release 3 working days from 2022-03-15, not the 93 of remediation.
    expect(fresh.finishOn).toBe(cal.addWorkingDays('2022-03-15', 33));

    p.approve('investigation', 'risk_assessment', 'fire_check', 'defence_check');
    const after = forecastProject(STEP_GROUPS_TRACK, p.state.snapshot(), cal, '2022-03-16', '2022-03-16T02:00:00.000Z');
    expect(after.finishOn).toBe(cal.addWorkingDays('2022-03-16', 3));
  });
});
