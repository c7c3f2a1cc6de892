import { describe, expect, it } from '@jest/globals';
import type { ClockPlan } from '../../../libs/calendar/index.js';
import { toProjectView, type Actor, type ProjectState } from '../../../libs/domain/index.js';
import { acceptPreReviewOnPaper, instant, NOW as now, officer, PLAN, registeredOnPaper } from './paper-history.fixture.js';

/*
 * A paper history entered years later, one record at a time: the acceptance, recorded first, is judged at the instant
 * it is recorded and so is past its statutory limit (法定时限); the suspension, supplement request (补正) or decision
 * recorded next is dated before the limit passed, so the limit did not pass while the clock was open and the flag is
 * withdrawn. One dated after the limit keeps it.
 */
const office: Actor = { id: 'po-chen', department: 'project_office' };
const STOPPED: ClockPlan = { ...PLAN, dueOn: null, dueAt: null, stopped: true, yellowAt: null, escalateAt: null };

/** A project whose land pre-review was accepted on paper on 2022-05-26 and recorded (and planned) at `now`. */
function acceptedLate(): ProjectState {
  const state = registeredOnPaper('2022-330602-39-03-000904');
  acceptPreReviewOnPaper(state);
  expect(state.step('land_prereview')).toMatchObject({ light: 'red', statutoryOverdue: true });
  return state;
}

/** Records the project's suspension dated `occurredAt`, a minute after `now`, and plans the held clock; the plan's entries. */
function suspendedOn(state: ProjectState, occurredAt: string) {
  const at = { at: instant(now + 60_000), actor: office };
  state.applyProjectAction({ action: 'suspend', comment: '企业申请暂停（资金调整）', occurredAt }, at);
  const held = state.clockRequests().find((r) => r.id === 'land_prereview')!;
  return state.applyClockPlans([{ request: held, plan: STOPPED }], at);
}

describe('a statutory-overdue flag raised by an acceptance recorded late', () => {
  it('is withdrawn when the suspension recorded next is dated before the limit: the project leaves the statutory counts', () => {
    const state = acceptedLate();
    const entries = suspendedOn(state, '2022-06-10T10:00:00+08:00');

    expect(state.step('land_prereview')).toMatchObject({ light: 'green', statutoryOverdue: false });
    expect(toProjectView(state).statutoryOverdueSteps).toBe(0);
    // The audit trail says so, stamped when it was recorded, with the limit and the instant the clock stopped.
    expect(entries.filter((e) => e.type === 'step.statutory_overdue_withdrawn')).toEqual([
      expect.objectContaining({
        step: 'land_prereview',
        at: instant(now + 60_000),
        actor: 'system',
        data: { statutoryDueOn: '2022-06-24', statutoryDueAt: '2022-06-24T16:00:00.000Z', clockEndedAt: '2022-06-10T02:00:00.000Z' },
      }),
    ]);
  });

  it('stays when the suspension is dated after the limit passed (2022-06-24 was its last day)', () => {
    const state = acceptedLate();
    const entries = suspendedOn(state, '2022-06-27T10:00:00+08:00');

    expect(state.step('land_prereview')).toMatchObject({ statutoryOverdue: true });
    expect(entries.map((e) => e.type)).not.toContain('step.statutory_overdue_withdrawn');
    expect(toProjectView(state).statutoryOverdueSteps).toBe(1);
  });

  it('is withdrawn when the decision recorded next is dated on the limit’s last day, and stays for one dated the day after', () => {
    const onTime = acceptedLate();
    const decided = onTime.applyStepAction('land_prereview', { action: 'approve', occurredAt: '2022-06-24T17:00:00+08:00' }, { at: instant(now + 60_000), actor: officer });
    expect(onTime.step('land_prereview')).toMatchObject({ state: 'approved', statutoryOverdue: false });
    expect(decided.map((e) => e.type).slice(0, 2)).toEqual(['step.approved', 'step.statutory_overdue_withdrawn']);
    expect(decided[1]).toMatchObject({ at: instant(now + 60_000), data: { statutoryDueOn: '2022-06-24', clockEndedAt: '2022-06-24T09:00:00.000Z' } });

    const late = acceptedLate();
    late.applyStepAction('land_prereview', { action: 'approve', occurredAt: '2022-06-27T09:00:00+08:00' }, { at: instant(now + 60_000), actor: officer });
    expect(late.step('land_prereview')).toMatchObject({ state: 'approved', statutoryOverdue: true });
  });

  it('stays in histories recorded before the rule (the workflow answers the question from their markers)', () => {
    const state = acceptedLate();
    let asked = 0;
    state.withdrawsStatutoryOverdue = () => {
      asked++;
      return false;
    };
    suspendedOn(state, '2022-06-10T10:00:00+08:00');

    expect(asked).toBe(1);
    expect(state.step('land_prereview')).toMatchObject({ statutoryOverdue: true });
  });

  it('is not asked about where nothing would be withdrawn (no marker is recorded for it)', () => {
    const state = acceptedLate();
    let asked = 0;
    state.withdrawsStatutoryOverdue = () => {
      asked++;
      return true;
    };
    suspendedOn(state, '2022-06-27T10:00:00+08:00');
    expect(asked).toBe(0);
  });
});
