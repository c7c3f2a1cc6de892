import { describe, expect, it } from '@jest/globals';
import type { ClockPlan } from '../../../libs/calendar/index.js';
import { projectClockId, projectDeadlineKeyOf, SYSTEM_ACTOR } from '../../../libs/domain/index.js';
import { StandardProject } from './standard-project.fixture.js';

/*
 * Every clock of a project is one Clock: planning, lights, alerts and wake-ups see the same list. A project
 * deadline's clock id is `deadline:<key>`, which cannot be mistaken for the workflow id `project:<code>`; plans
 * recorded in running workflows' histories under the old `project:<key>` still land on it.
 */

/** The land contract approved: the groundbreaking promise (90 calendar days) starts beside the open steps. */
function withProjectDeadline(): StandardProject {
  const p = new StandardProject();
  p.bringTo('land_contract', 'approved');
  p.bringTo('land_use_planning_permit', 'in_review');
  return p;
}

/** A plan due on `dueOn` with its thresholds the days before and after. */
function planDue(dueOn: string, yellowOn: string, escalateOn: string): ClockPlan {
  const end = (d: string) => new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000;
  const iso = (d: string) => new Date(end(d)).toISOString();
  return { dueOn, dueAt: iso(dueOn), stopped: false, provisional: false, yellowAt: iso(yellowOn), escalateAt: iso(escalateOn), repeatAts: [] };
}

describe('clocks', () => {
  it('names a project deadline deadline:<key>, never project:', () => {
    expect(projectClockId('groundbreaking_promise')).toBe('deadline:groundbreaking_promise');
    expect(projectDeadlineKeyOf('deadline:groundbreaking_promise')).toBe('groundbreaking_promise');
    expect(projectDeadlineKeyOf('project:groundbreaking_promise')).toBe('groundbreaking_promise');
    expect(projectDeadlineKeyOf('land_contract')).toBeNull();

    const p = withProjectDeadline();
    const ids = p.state.clockRequests().map((r) => r.id);
    expect(ids).toEqual(['land_use_planning_permit', 'deadline:groundbreaking_promise']);
    expect(p.timeline.find((e) => e.type === 'project_deadline.started')!.data.clock).toBe('deadline:groundbreaking_promise');
  });

  it('records a plan recorded under the old project: id on the project deadline', () => {
    const p = withProjectDeadline();
    const request = p.state.clockRequests().find((r) => r.id === 'deadline:groundbreaking_promise')!;
    const at = p.next(SYSTEM_ACTOR);

    const entries = p.state.applyClockPlans([{ request: { ...request, id: 'project:groundbreaking_promise' }, plan: planDue('2022-06-30', '2022-06-20', '2022-07-05') }], at);

    expect(p.state.snapshot().projectClocks[0]!.deadline?.dueOn).toBe('2022-06-30');
    expect(entries.find((e) => e.type === 'deadline.set')!.data.clock).toBe('deadline:groundbreaking_promise');
    expect(p.state.clockRequests().map((r) => r.id)).toEqual(['land_use_planning_permit']);
  });

  it('wakes, lights and alerts a project deadline from the same thresholds', () => {
    const p = withProjectDeadline();
    const request = p.state.clockRequests().find((r) => r.id === 'deadline:groundbreaking_promise')!;
    const plan = planDue('2022-06-30', '2022-06-20', '2022-07-05');
    p.state.applyClockPlans([{ request, plan }], p.next(SYSTEM_ACTOR));
    const yellowMs = Date.parse(plan.yellowAt!);

    expect(p.state.nextWakeAt()).toBe(yellowMs);
    expect(p.state.dueAlerts(yellowMs - 1)).toEqual([]);
    const [alert] = p.state.dueAlerts(yellowMs);
    expect(alert).toMatchObject({ clockId: 'deadline:groundbreaking_promise', step: null, kind: 'yellow', alertId: 'yellow' });
    p.state.refreshLights(yellowMs, { at: plan.yellowAt!, actor: SYSTEM_ACTOR });
    expect(p.state.snapshot().projectClocks[0]!.light).toBe('yellow');
    expect(p.state.snapshot().light).toBe('yellow');

    p.state.markAlertFired(alert!, [], { at: plan.yellowAt!, actor: SYSTEM_ACTOR });
    expect(p.state.nextWakeAt()).toBe(Date.parse(plan.dueAt!));
  });
});
