import { describe, expect, it } from '@jest/globals';
import { planRequest } from '../../../activities/clock.activities.js';
import { DEFAULT_REMINDER_POLICY, WorkingDayCalendar } from '../../../libs/calendar/index.js';
import { clockLedger, countedLimit, shiftedDueOn, stepLedger, type ClockRequest, type LedgerStep } from '../../../libs/domain/index.js';

const calendar = WorkingDayCalendar.official();

/** A step accepted on Mon 2025-09-22 (Asia/Shanghai) with a 7-calendar-day limit, as 建筑法 Art. 8 writes it. */
function step(overrides: Partial<LedgerStep> = {}): LedgerStep {
  return {
    state: 'in_review',
    acceptedAt: '2025-09-22T02:00:00.000Z',
    decidedAt: null,
    limit: { value: 7, unit: 'calendar_days' },
    clockInput: { start: '2025-09-22', limit: 7, unit: 'calendar_days', extraWorkingDays: 0 },
    clockStops: [],
    ...overrides,
  };
}

describe('countedLimit', () => {
  it('adds an extension to a working-day limit (行政许可法 Art. 42 ¶1: 20 + 10 working days)', () => {
    expect(countedLimit({ value: 20, unit: 'working_days' }, 10)).toEqual({ limit: 30, unit: 'working_days', shiftWorkingDays: 0 });
  });

  it('keeps a calendar-day limit as written and moves its last day by the extension instead', () => {
    expect(countedLimit({ value: 7, unit: 'calendar_days' }, 5)).toEqual({ limit: 7, unit: 'calendar_days', shiftWorkingDays: 5 });
  });
});

describe('shiftedDueOn', () => {
  it('moves the last day by working days, skipping the National Day holiday', () => {
    // 2025-09-29 (Mon) + 5 working days: 09-30, 10-09, 10-10, 10-11 (make-up Saturday), 10-13.
    expect(shiftedDueOn('2025-09-29', 5, calendar)).toBe('2025-10-13');
  });

  it('leaves the day alone without an extension, and an unknown day (a stopped clock) unknown', () => {
    expect(shiftedDueOn('2025-09-29', 0, calendar)).toBe('2025-09-29');
    expect(shiftedDueOn(null, 5, calendar)).toBeNull();
  });
});

describe('clockLedger', () => {
  it('counts an extended working-day clock as one with the longer limit', () => {
    const clock = { start: '2025-09-22', unit: 'working_days' as const, stops: [] };
    expect(clockLedger({ ...clock, limit: 5, extensionWorkingDays: 3 }, '2025-10-10', calendar)).toEqual(
      clockLedger({ ...clock, limit: 8, extensionWorkingDays: 0 }, '2025-10-10', calendar),
    );
  });

  it('runs the working days left and overdue of an extended calendar-day clock to the moved last day', () => {
    const clock = { start: '2025-09-22', limit: 7, unit: 'calendar_days' as const, stops: [] };
    // Unextended, the 7 days end on 2025-09-29: by 10-10 the step is three working days overdue.
    expect(clockLedger({ ...clock, extensionWorkingDays: 0 }, '2025-10-10', calendar)).toMatchObject({ remainingWorkingDays: 0, overdueWorkingDays: 3 });
    // Extended by 5 working days, it ends on 10-13: two working days are left (10-11, 10-13), then it runs overdue.
    expect(clockLedger({ ...clock, extensionWorkingDays: 5 }, '2025-10-10', calendar)).toMatchObject({ asOf: '2025-10-10', remainingWorkingDays: 2, overdueWorkingDays: 0 });
    expect(clockLedger({ ...clock, extensionWorkingDays: 5 }, '2025-10-15', calendar)).toMatchObject({ remainingWorkingDays: 0, overdueWorkingDays: 2 });
  });

  it('agrees with the planning activity: the planned last day is where the ledger runs out', () => {
    const request: ClockRequest = {
      id: 'construction_permit',
      start: '2025-09-22',
      limit: 7,
      unit: 'calendar_days',
      stops: [{ from: '2025-09-24', to: '2025-09-26' }],
      policy: DEFAULT_REMINDER_POLICY,
      inputKey: 'k',
      repeatsBefore: 0,
      extraWorkingDays: 5,
    };
    const plan = planRequest(request, calendar);
    const clock = { start: request.start, limit: 7, unit: 'calendar_days' as const, extensionWorkingDays: 5, stops: request.stops };
    expect(clockLedger(clock, plan.dueOn!, calendar)).toMatchObject({ remainingWorkingDays: 0, overdueWorkingDays: 0 });
    expect(clockLedger(clock, calendar.nextWorkingDay(plan.dueOn!), calendar)).toMatchObject({ remainingWorkingDays: 0, overdueWorkingDays: 1 });
  });
});

describe('stepLedger', () => {
  it('has no ledger before acceptance or while the step is not on a clock', () => {
    expect(stepLedger(step({ acceptedAt: null, state: 'ready', clockInput: null }), '2025-10-10', calendar)).toBeNull();
    expect(stepLedger(step({ state: 'received' }), '2025-10-10', calendar)).toBeNull();
  });

  it('counts an open clock to today, and a decided step to its decision day (Asia/Shanghai)', () => {
    expect(stepLedger(step(), '2025-10-10', calendar)?.asOf).toBe('2025-10-10');
    // 2025-09-25T17:00Z is 01:00 on the 26th in Shanghai; the 7 days end on 09-29, after the make-up Sunday 09-28.
    const decided = stepLedger(step({ state: 'approved', decidedAt: '2025-09-25T17:00:00.000Z' }), '2025-10-10', calendar);
    expect(decided).toMatchObject({ asOf: '2025-09-26', usedDays: 4, remainingWorkingDays: 2, overdueWorkingDays: 0 });
  });

  it("reads the extension from the step's clock input", () => {
    const extended = step({ clockInput: { start: '2025-09-22', limit: 7, unit: 'calendar_days', extraWorkingDays: 5 } });
    expect(stepLedger(extended, '2025-10-10', calendar)).toMatchObject({ remainingWorkingDays: 2, overdueWorkingDays: 0 });
  });

  it('counts a step recorded without a clock input from its acceptance day with its limit', () => {
    expect(stepLedger(step({ clockInput: null }), '2025-10-10', calendar)).toEqual(stepLedger(step(), '2025-10-10', calendar));
  });

  it('excludes the days of a clock stop (补正) and shows none for a year the calendar cannot serve', () => {
    const stopped = step({ clockStops: [{ stoppedAt: '2025-09-24T02:00:00.000Z', resumedAt: '2025-09-26T02:00:00.000Z', reason: 'supplement_requested' }] });
    expect(stepLedger(stopped, '2025-09-26', calendar)).toMatchObject({ usedDays: 2, clockStoppedDays: 2 });
    expect(stepLedger(step(), '2199-01-01', calendar)).toBeNull();
  });
});
