import { describe, expect, it } from '@jest/globals';
import { projectFromView, type LedgerContext } from '../../../apps/api/src/projects/project.mapper.js';
import { WorkingDayCalendar } from '../../../libs/calendar/index.js';
import { stepLedger, toProjectView, type ProjectView } from '../../../libs/domain/index.js';
import { projectRowOf, projectViewOfRow, stepRowOf } from '../../../libs/persistence/project-read-model.rows.js';
import { StandardProject } from '../domain/standard-project.fixture.js';

const ctx: LedgerContext = { calendar: WorkingDayCalendar.official(), today: '2022-04-20' };

/** A standard project with steps in every kind of state: decided, in review, waiting for a supplement, blocked. */
function drivenView(): ProjectView {
  const p = new StandardProject();
  p.bringTo('project_filing', 'approved');
  p.bringTo('land_prereview', 'in_review');
  p.act('land_prereview', 'extend');
  p.bringTo('eia_approval', 'supplement_requested');
  return toProjectView(p.state);
}

/** The view as the read model stores it: its rows, with every JSON column through JSON as PostgreSQL gives it back. */
function storedRows(v: ProjectView) {
  const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  return { ...json(projectRowOf(v)), ...rowInstants(v), steps: v.steps.map((s, i) => ({ ...json(stepRowOf(v, s, i)), ...stepInstants(v, i) })) };
}

/** The row's instants as Dates again (JSON made them strings); the read model's driver returns Dates. */
function rowInstants(v: ProjectView) {
  const r = projectRowOf(v);
  return { registeredAt: r.registeredAt, lastProgressAt: r.lastProgressAt, suspendedAt: r.suspendedAt, closedAt: r.closedAt, nextDeadline: r.nextDeadline };
}

function stepInstants(v: ProjectView, i: number) {
  const r = stepRowOf(v, v.steps[i]!, i);
  return { readyAt: r.readyAt, acceptedAt: r.acceptedAt, decidedAt: r.decidedAt, dueAt: r.dueAt, receivedAt: r.receivedAt, statutoryDueAt: r.statutoryDueAt, deliveredAt: r.deliveredAt, updatedAt: r.updatedAt };
}

describe('project mapper', () => {
  it('answers the same for a project read back from its rows as for the live view', () => {
    const view = drivenView();
    expect(projectFromView(projectViewOfRow(storedRows(view)), ctx)).toEqual(projectFromView(view, ctx));
  });

  it("shows each step's ledger as the domain counts it, and none without a calendar", () => {
    const view = drivenView();
    const dto = projectFromView(view, ctx);
    for (const s of view.steps) expect(dto.steps.find((d) => d.key === s.key)!.ledger).toEqual(stepLedger(s, ctx.today, ctx.calendar));
    const extended = dto.steps.find((s) => s.key === 'land_prereview')!;
    expect(extended.extension?.workingDays).toBe(5);
    expect(extended.ledger).toMatchObject({ asOf: '2022-04-20' });
    expect(dto.steps.find((s) => s.key === 'project_filing')!.ledger?.asOf).toBe('2022-03-15');
    expect(projectFromView(view).steps.every((s) => s.ledger === null)).toBe(true);
  });

  it('keeps the published and statutory due days of the planned deadline apart', () => {
    const view = drivenView();
    const step = view.steps.find((s) => s.key === 'land_prereview')!;
    const planned = {
      ...step,
      deadline: {
        inputKey: 'k', dueOn: '2022-04-01', dueAt: '2022-03-31T16:00:00.000Z', provisional: false, stopped: false, yellowAt: null, escalateAt: null,
        repeatAts: [], repeatsBefore: 0, fired: [], plannedAt: '2022-03-15T01:00:00.000Z', statutoryDueOn: '2022-04-15', statutoryDueAt: '2022-04-14T16:00:00.000Z',
      },
    };
    const dto = projectFromView({ ...view, steps: view.steps.map((s) => (s.key === step.key ? planned : s)) }).steps.find((s) => s.key === step.key)!;
    expect(dto).toMatchObject({ dueOn: '2022-04-01', dueAt: '2022-04-01T00:00:00.000+08:00', statutoryDueOn: '2022-04-15', statutoryDueAt: '2022-04-15T00:00:00.000+08:00' });
  });
});
