import { describe, expect, it } from '@jest/globals';
import type { ClockPlan } from '../../../libs/calendar/index.js';
import { DEFAULT_CATCH_UP_HOLD_MS, type ProjectState, type ProjectStateOptions } from '../../../libs/domain/index.js';
import { acceptPreReviewOnPaper, instant, NOW, officer, PLAN, registeredOnPaper } from './paper-history.fixture.js';

/*
 * The catch-up hold: notices already due when a deadline is planned (a paper history entered years later) wait a
 * while after the plan; the light, the overdue and statutory-overdue flags are facts at once. The hold is a setting
 * of the workflow input, and a re-plan that changes no instant (a calendar signal about another year) does not start
 * it again.
 */
const CODE = '2022-330602-39-03-000903';
const now = NOW;

/** A project whose land pre-review was accepted on paper in 2022 and planned at `now`. */
function backDated(options: ProjectStateOptions = {}): ProjectState {
  const state = registeredOnPaper(CODE, options);
  acceptPreReviewOnPaper(state);
  return state;
}

/** The re-plan a calendar signal for `year` asks for, answered with `plan`, at `atMs`. */
function calendarSignal(state: ProjectState, atMs: number, plan: ClockPlan, year = 2022): void {
  const requests = state.clockRequests(true, [year], instant(atMs));
  expect(requests.map((r) => r.id)).toEqual(['land_prereview']);
  state.applyClockPlans([{ request: requests[0]!, plan }], { at: instant(atMs), actor: officer });
}

describe('the catch-up hold', () => {
  it('shows a late plan red and past its statutory limit at once; its notices wait a minute by default', () => {
    const state = backDated();
    expect(DEFAULT_CATCH_UP_HOLD_MS).toBe(60_000);
    expect(state.step('land_prereview')).toMatchObject({ light: 'red', statutoryOverdue: true });
    expect(state.snapshot().light).toBe('red');
    expect(state.dueAlerts(now + 59_000)).toEqual([]);
    expect(state.nextWakeAt()).toBe(now + 60_000);
    expect(state.dueAlerts(now + 60_000).map((a) => a.kind)).toEqual(['escalation', 'statutory_overdue']);
  });

  it('held the light and flags with the notices in histories recorded before facts were at once (replayed as they ran)', () => {
    const state = registeredOnPaper(CODE);
    state.factsAtOnce = false;
    acceptPreReviewOnPaper(state);
    expect(state.step('land_prereview')).toMatchObject({ light: 'green', statutoryOverdue: false });
    state.refreshLights(now + 60_000, { at: instant(now + 60_000), actor: officer });
    expect(state.step('land_prereview')).toMatchObject({ light: 'red', statutoryOverdue: true });
  });

  it('takes its length from the setting (tests use about a second)', () => {
    const state = backDated({ catchUpHoldMs: 1_000 });
    expect(state.dueAlerts(now + 999)).toEqual([]);
    expect(state.nextWakeAt()).toBe(now + 1_000);
    expect(state.dueAlerts(now + 1_000).map((a) => a.kind)).toEqual(['escalation', 'statutory_overdue']);
    state.refreshLights(now + 1_000, { at: instant(now + 1_000), actor: officer });
    expect(state.step('land_prereview')!.light).toBe('red');
  });

  it('is not restarted by a calendar signal that changes no deadline, which leaves the light as it is', () => {
    const state = backDated();
    calendarSignal(state, now + 40_000, PLAN);

    expect(state.step('land_prereview')).toMatchObject({ light: 'red', statutoryOverdue: true });
    expect(state.nextWakeAt()).toBe(now + 60_000);
    expect(state.dueAlerts(now + 60_000).map((a) => a.kind)).toEqual(['escalation', 'statutory_overdue']);
  });

  it('starts again when the re-plan moves the deadline (the light stays red: the moved deadline has passed too)', () => {
    const state = backDated();
    const moved: ClockPlan = { ...PLAN, dueOn: '2022-06-27', dueAt: '2022-06-27T16:00:00.000Z', yellowAt: '2022-06-22T16:00:00.000Z', escalateAt: '2022-06-30T16:00:00.000Z' };
    calendarSignal(state, now + 40_000, moved);

    expect(state.nextWakeAt()).toBe(now + 100_000);
    expect(state.dueAlerts(now + 60_000)).toEqual([]);
    expect(state.step('land_prereview')!.light).toBe('red');
  });

  it('was restarted by every re-plan in histories recorded before the rule (replayed as they ran)', () => {
    const state = backDated();
    state.keepsHoldOnUnchangedPlan = false;
    calendarSignal(state, now + 40_000, PLAN);

    expect(state.nextWakeAt()).toBe(now + 100_000);
  });
});
