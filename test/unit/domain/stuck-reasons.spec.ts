import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../../../libs/calendar/index.js';
import {
  DESK_TIERS,
  DUE_STEP_STATES,
  idleWindowStart,
  OPEN_STEP_STATES,
  STATUTORY_OPEN_STATES,
  STEP_STATES,
  STUCK_KINDS,
  STUCK_URGENCY,
  stuckReasons,
  waitingOn,
  type StuckFacts,
} from '../../../libs/domain/index.js';

const calendar = WorkingDayCalendar.official();

/** The read model's flags beside the facts (the SQL decides them; the reasons follow the facts' lists). */
type Row = StuckFacts & { overdue?: boolean; statutoryOverdue?: boolean };

function row(overrides: Partial<Row>): Row {
  return {
    lastProgressAt: new Date('2026-11-19T02:00:00Z'),
    atRisk: false,
    atRiskReason: null,
    forecastFinishOn: null,
    slackWorkingDays: null,
    idle: false,
    statutorySteps: [],
    redSteps: [],
    ...overrides,
  };
}

describe('idleWindowStart', () => {
  // A project is idle when its last progress fell before the returned day.
  it.each([
    ['2026-11-20', 10, '2026-11-09'], // Friday: ten working days back is Monday 9 November
    ['2026-11-22', 10, '2026-11-09'], // Sunday counts as the Friday before it
    ['2026-11-20', 1, '2026-11-20'], // one working day: progress before today
    ['2026-10-12', 3, '2026-10-09'], // over the make-up Saturday 10 October: 12, 10, 9 October
    ['2026-10-09', 3, '2026-09-30'], // over National Day (1–7 October): 9, 8 October, 30 September
  ])('as of %s with %i working days → %s', (today, n, expected) => {
    expect(idleWindowStart(calendar, today, n)).toBe(expected);
    // Consistent with the count the list shows: the window's first day is the n-th working day back.
    expect(calendar.workingDaysBetween(calendar.addWorkingDays(expected, -1), today)).toBeGreaterThanOrEqual(n);
  });
});

describe('stuckReasons', () => {
  it('counts overdue days from the last day of the limit and idle days from the last progress', () => {
    const reasons = stuckReasons(
      row({
        overdue: true,
        idle: true,
        lastProgressAt: new Date('2026-10-09T07:00:00Z'),
        redSteps: [{ step: 'project_filing', name: 'Project filing', department: 'development_reform', state: 'in_review', dueOn: '2026-09-30', dueAt: '2026-09-30T16:00:00Z' }],
      }),
      calendar,
      '2026-11-20',
    );
    expect(reasons).toEqual([
      { kind: 'overdue', step: 'project_filing', department: 'development_reform', workingDays: 33, detail: 'Project filing: due 2026-09-30, 33 working days over' },
      { kind: 'idle', step: null, department: null, workingDays: 31, detail: 'no progress since 2026-10-09 (31 working days)' },
    ]);
  });

  it('reports at risk with the negated slack, and a red step whose clock is held without a count', () => {
    const reasons = stuckReasons(
      row({
        overdue: true,
        atRisk: true,
        slackWorkingDays: -4,
        forecastFinishOn: '2027-01-08',
        redSteps: [{ step: 'eia_approval', name: 'EIA approval', department: 'ecology_environment', state: 'supplement_requested', dueOn: null, dueAt: null }],
      }),
      calendar,
      '2026-11-20',
    );
    expect(reasons).toEqual([
      { kind: 'overdue', step: 'eia_approval', department: 'ecology_environment', workingDays: null, detail: 'EIA approval: overdue, clock stopped (supplement_requested)' },
      { kind: 'at_risk', step: null, department: null, workingDays: 4, detail: 'forecast finish 2027-01-08 is past a hard deadline' },
    ]);
  });

  it('puts a step past its statutory limit first, apart from and graver than its red light', () => {
    const red = { step: 'eia_approval', name: 'EIA approval', department: 'ecology_environment', state: 'in_review' };
    const reasons = stuckReasons(
      row({
        statutoryOverdue: true,
        overdue: true,
        statutorySteps: [{ ...red, statutoryDueOn: '2026-11-13', statutoryDueAt: '2026-11-13T16:00:00Z' }],
        redSteps: [
          { step: 'project_filing', name: 'Project filing', department: 'development_reform', state: 'in_review', dueOn: '2026-09-30', dueAt: '2026-09-30T16:00:00Z' },
          { ...red, dueOn: '2026-10-30', dueAt: '2026-10-30T16:00:00Z' },
        ],
      }),
      calendar,
      '2026-11-20',
    );
    expect(reasons).toEqual([
      { kind: 'statutory_overdue', step: 'eia_approval', department: 'ecology_environment', workingDays: 5, detail: 'EIA approval: statutory limit (法定时限) ended 2026-11-13, 5 working days over' },
      { kind: 'overdue', step: 'project_filing', department: 'development_reform', workingDays: 33, detail: 'Project filing: due 2026-09-30, 33 working days over' },
      { kind: 'overdue', step: 'eia_approval', department: 'ecology_environment', workingDays: 15, detail: 'EIA approval: due 2026-10-30, 15 working days over' },
    ]);
  });

  it('shows a statutory-overdue step whose clock is stopped without a count', () => {
    const reasons = stuckReasons(
      row({
        statutoryOverdue: true,
        statutorySteps: [{ step: 'eia_approval', name: 'EIA approval', department: 'ecology_environment', state: 'supplement_requested', statutoryDueOn: null, statutoryDueAt: null }],
      }),
      calendar,
      '2026-11-20',
    );
    expect(reasons).toEqual([
      { kind: 'statutory_overdue', step: 'eia_approval', department: 'ecology_environment', workingDays: null, detail: 'EIA approval: past the statutory limit (法定时限), clock stopped (supplement_requested)' },
    ]);
  });
});

describe('waitingOn', () => {
  it.each([
    ['in_review', 'department'],
    ['received', 'department_acceptance'], // 收件: accept or return within 5 working days (Art. 32)
    ['ready', 'applicant_submission'],
    ['supplement_requested', 'applicant_supplement'],
    ['blocked', 'department'], // off the desk: read as the department's
    ['toString', 'department'], // not fooled by inherited keys
  ])('a step %s waits on %s', (state, expected) => {
    expect(waitingOn(state)).toBe(expected);
  });
});

describe('the state sets', () => {
  it('puts every desk state in a queue tier, the department\'s own move first', () => {
    expect(Object.keys(DESK_TIERS).sort()).toEqual([...OPEN_STEP_STATES].sort());
    expect(DESK_TIERS.in_review).toBeLessThan(DESK_TIERS.ready);
    expect(DESK_TIERS.received).toBe(DESK_TIERS.in_review);
    expect(DESK_TIERS.ready).toBeLessThan(DESK_TIERS.supplement_requested);
  });

  it('counts due and statutory-overdue steps only while their clock runs or is stopped for a supplement', () => {
    for (const set of [DUE_STEP_STATES, STATUTORY_OPEN_STATES, OPEN_STEP_STATES]) for (const s of set) expect(STEP_STATES).toContain(s);
    expect([...DUE_STEP_STATES]).toEqual(['in_review', 'supplement_requested']);
    expect([...STATUTORY_OPEN_STATES]).toEqual(['in_review', 'supplement_requested']);
  });

  it('ranks every stuck kind once, the statutory limit gravest and idle last', () => {
    expect([...STUCK_URGENCY].sort()).toEqual([...STUCK_KINDS].sort());
    expect(STUCK_URGENCY[0]).toBe('statutory_overdue');
    expect(STUCK_URGENCY.at(-1)).toBe('idle');
  });
});
