import { describe, expect, it } from '@jest/globals';
import {
  CalendarError,
  CalendarErrorCode,
  WorkingDayCalendar,
  computeDeadline,
  fromNotice,
  usedAsOf,
  type ClockStop,
  type DeadlineInput,
} from '../../../libs/calendar/index.js';

const calendar = WorkingDayCalendar.official();

const stop = (from: string, to: string | null): ClockStop => ({ from, to });

function refusal(run: () => unknown): CalendarError {
  try {
    run();
  } catch (error) {
    if (error instanceof CalendarError) return error;
    throw error;
  }
  throw new Error('expected a CalendarError');
}

// The pinned examples.
const FIVE_DAYS: DeadlineInput = { start: '2025-09-22', limit: 5, unit: 'working_days' };
const WITH_SUPPLEMENT: DeadlineInput = { ...FIVE_DAYS, stops: [stop('2025-09-24', '2025-10-09')] };

describe(computeDeadline.name, () => {
  it('accepted Mon 2025-09-22 with 5 working days: due Sun 2025-09-28, a make-up working day', () => {
    expect(computeDeadline(FIVE_DAYS, calendar)).toEqual({
      dueOn: '2025-09-28',
      dueAt: '2025-09-29T00:00:00+08:00',
      stopped: false,
      provisional: false,
      usedDays: 0,
      remainingDays: 5,
      clockStoppedDays: 0,
    });
  });

  it('returned 2025-09-24, resubmitted 2025-10-09: 2 used, 3 left, due 2025-10-13 (10-11 is a make-up day)', () => {
    expect(computeDeadline(WITH_SUPPLEMENT, calendar)).toEqual({
      dueOn: '2025-10-13',
      dueAt: '2025-10-14T00:00:00+08:00',
      stopped: false,
      provisional: false,
      usedDays: 2,
      remainingDays: 3,
      // Working days after S up to R: 09-25, 09-26, 09-28 (make-up Sunday), 09-29, 09-30, 10-09.
      clockStoppedDays: 6,
    });
  });

  it('gives dueAt as the instant 24:00 Asia/Shanghai of dueOn', () => {
    const { dueAt } = computeDeadline(FIVE_DAYS, calendar);
    expect(Date.parse(dueAt as string)).toBe(Date.parse('2025-09-28T16:00:00Z'));
  });

  it.each<[string, DeadlineInput, string]>([
    // Acceptance day does not count; the count starts on the next working day.
    ['limit 1 from a Friday', { start: '2025-09-19', limit: 1, unit: 'working_days' }, '2025-09-22'],
    ['acceptance on a holiday (国庆 10-03)', { start: '2025-10-03', limit: 3, unit: 'working_days' }, '2025-10-11'],
    ['acceptance on a make-up Saturday', { start: '2025-10-11', limit: 1, unit: 'working_days' }, '2025-10-13'],
    ['acceptance on an ordinary Sunday', { start: '2025-09-21', limit: 1, unit: 'working_days' }, '2025-09-22'],
    ['acceptance on 除夕, across the 春节 break', { start: '2025-01-28', limit: 1, unit: 'working_days' }, '2025-02-05'],
    ['20 working days (行政许可法 Art. 42 default), ending on a make-up Sunday', { start: '2025-09-01', limit: 20, unit: 'working_days' }, '2025-09-28'],
    ['crossing a year boundary into 2026 (元旦 1–3, make-up Sun 01-04)', { start: '2025-12-25', limit: 10, unit: 'working_days' }, '2026-01-09'],
    ['30 working days across 中秋 and 国庆 2026', { start: '2026-09-01', limit: 30, unit: 'working_days' }, '2026-10-19'],
  ])('working days: %s', (_case, input, dueOn) => {
    expect(computeDeadline(input, calendar).dueOn).toBe(dueOn);
  });

  it.each<[string, DeadlineInput, string]>([
    ['last day a working day', { start: '2025-03-03', limit: 7, unit: 'calendar_days' }, '2025-03-10'],
    ['last day a Saturday → Monday', { start: '2025-03-01', limit: 7, unit: 'calendar_days' }, '2025-03-10'],
    ['last day National Day → first day after the break', { start: '2025-09-21', limit: 10, unit: 'calendar_days' }, '2025-10-09'],
    ['last day a make-up Saturday stays', { start: '2025-10-01', limit: 10, unit: 'calendar_days' }, '2025-10-11'],
    ['last day 元旦 2026 → make-up Sunday 2026-01-04', { start: '2025-12-20', limit: 12, unit: 'calendar_days' }, '2026-01-04'],
    ['acceptance on a holiday counts from the next day', { start: '2025-10-01', limit: 3, unit: 'calendar_days' }, '2025-10-09'],
    ['90 days from the land contract (拿地即开工)', { start: '2025-03-01', limit: 90, unit: 'calendar_days' }, '2025-05-30'],
  ])('calendar days: %s', (_case, input, dueOn) => {
    expect(computeDeadline(input, calendar)).toMatchObject({ dueOn, stopped: false, provisional: false, usedDays: 0 });
  });

  it('counts a calendar-day limit through a stop and moves its end off a weekend', () => {
    // 7 days used by S 03-10; 03-11…03-20 stopped (10 days); 23 left from 03-21 → Sat 04-12 → Mon 04-14.
    expect(
      computeDeadline({ start: '2025-03-03', limit: 30, unit: 'calendar_days', stops: [stop('2025-03-10', '2025-03-20')] }, calendar),
    ).toEqual({
      dueOn: '2025-04-14',
      dueAt: '2025-04-15T00:00:00+08:00',
      stopped: false,
      provisional: false,
      usedDays: 7,
      remainingDays: 23,
      clockStoppedDays: 10,
    });
  });

  it('stops the clock across the 春节 break and counts the make-up days after it', () => {
    // 01-21…01-24 counted (4); stop days that are working days: Sun 01-26 (make-up), Mon 01-27, Wed 02-05.
    expect(
      computeDeadline({ start: '2025-01-20', limit: 10, unit: 'working_days', stops: [stop('2025-01-24', '2025-02-05')] }, calendar),
    ).toMatchObject({ dueOn: '2025-02-12', usedDays: 4, remainingDays: 6, clockStoppedDays: 3 });
  });

  it('handles several stops, in any order', () => {
    // 09-23 counted (1); 09-24/25 stopped; 09-26, 09-28 (make-up), 09-29 counted (4); 09-30 and 10-09 stopped;
    // then 10-10, 10-11 (make-up), 10-13, 10-14, 10-15, 10-16.
    const stops = [stop('2025-09-29', '2025-10-09'), stop('2025-09-23', '2025-09-25')];
    const expected = { dueOn: '2025-10-16', usedDays: 4, remainingDays: 6, clockStoppedDays: 4, stopped: false };
    expect(computeDeadline({ start: '2025-09-22', limit: 10, unit: 'working_days', stops }, calendar)).toMatchObject(expected);
    expect(computeDeadline({ start: '2025-09-22', limit: 10, unit: 'working_days', stops: [...stops].reverse() }, calendar)).toMatchObject(expected);
  });

  it('accepts touching stops (one resumes the day the next is issued)', () => {
    const stops = [stop('2025-09-23', '2025-09-25'), stop('2025-09-25', '2025-09-26')];
    // 09-23 counted; 09-24, 09-25, 09-26 stopped; 09-28 (make-up) 2, 09-29 3, 09-30 4, 10-09 5.
    expect(computeDeadline({ ...FIVE_DAYS, stops }, calendar)).toMatchObject({ dueOn: '2025-10-09', clockStoppedDays: 3, usedDays: 1 });
  });

  it('treats a stop starting and ending the same day as no stop', () => {
    expect(computeDeadline({ ...FIVE_DAYS, stops: [stop('2025-09-24', '2025-09-24')] }, calendar)).toMatchObject({
      dueOn: '2025-09-28',
      usedDays: 2,
      remainingDays: 3,
      clockStoppedDays: 0,
    });
  });

  it('accepts a stop issued on the acceptance day: nothing counts until after R', () => {
    // Stopped 09-23…09-26 (4 working days); then 09-28 (make-up), 09-29, 09-30, 10-09, 10-10.
    expect(computeDeadline({ ...FIVE_DAYS, stops: [stop('2025-09-22', '2025-09-26')] }, calendar)).toMatchObject({
      dueOn: '2025-10-10',
      usedDays: 0,
      clockStoppedDays: 4,
    });
  });

  it('returns no deadline while a stop is open', () => {
    expect(computeDeadline({ ...FIVE_DAYS, stops: [stop('2025-09-24', null)] }, calendar)).toEqual({
      dueOn: null,
      dueAt: null,
      stopped: true,
      provisional: false,
      usedDays: 2,
      remainingDays: 3,
      clockStoppedDays: 0,
    });
  });

  it('keeps the closed stops’ days when a later stop is open', () => {
    const stops = [stop('2025-09-23', '2025-09-25'), stop('2025-09-29', null)];
    expect(computeDeadline({ start: '2025-09-22', limit: 10, unit: 'working_days', stops }, calendar)).toMatchObject({
      dueOn: null,
      stopped: true,
      usedDays: 4,
      remainingDays: 6,
      clockStoppedDays: 2,
    });
  });

  it.each([
    ['open', null],
    ['closed', '2025-10-20'],
  ])('does not move a deadline already reached when a stop is issued later (%s)', (_case, to) => {
    expect(computeDeadline({ ...FIVE_DAYS, stops: [stop('2025-10-09', to)] }, calendar)).toMatchObject({
      dueOn: '2025-09-28',
      stopped: false,
      usedDays: 5,
      remainingDays: 0,
      clockStoppedDays: 0,
    });
  });

  it('counts the day S itself: a stop issued on the last day leaves the deadline there', () => {
    expect(computeDeadline({ ...FIVE_DAYS, stops: [stop('2025-09-28', '2025-10-20')] }, calendar).dueOn).toBe('2025-09-28');
  });

  describe('provisional years', () => {
    it('marks a deadline reaching into 2027 (no notice) as provisional', () => {
      // 12-22…12-31 = 8; 2027-01-01 元旦 (provisional); Mon 01-04 = 9, Tue 01-05 = 10.
      expect(computeDeadline({ start: '2026-12-21', limit: 10, unit: 'working_days' }, calendar)).toMatchObject({
        dueOn: '2027-01-05',
        provisional: true,
      });
    });

    it('is not provisional when the count stays inside 2026', () => {
      expect(computeDeadline({ start: '2026-12-01', limit: 5, unit: 'working_days' }, calendar)).toMatchObject({
        dueOn: '2026-12-08',
        provisional: false,
      });
    });

    it('counts through the provisional 春节 2027 (除夕 02-05 … 补假 02-10)', () => {
      expect(computeDeadline({ start: '2027-02-01', limit: 5, unit: 'working_days' }, calendar)).toMatchObject({
        dueOn: '2027-02-12',
        provisional: true,
      });
    });

    it('marks a calendar-day deadline provisional only when its end falls in a provisional year', () => {
      expect(computeDeadline({ start: '2026-12-01', limit: 30, unit: 'calendar_days' }, calendar)).toMatchObject({
        dueOn: '2026-12-31',
        provisional: false,
      });
      expect(computeDeadline({ start: '2026-12-01', limit: 31, unit: 'calendar_days' }, calendar)).toMatchObject({
        dueOn: '2027-01-04',
        provisional: true,
      });
    });

    it('stops being provisional once the year’s notice is loaded', () => {
      const notice = fromNotice(2027, ['2027-01-01', '2027-01-02', '2027-01-03'], [], 'test notice');
      expect(computeDeadline({ start: '2026-12-21', limit: 10, unit: 'working_days' }, calendar.withYears([notice]))).toMatchObject({
        dueOn: '2027-01-05',
        provisional: false,
      });
    });

    it('marks an open stop provisional when the days counted so far reach a provisional year', () => {
      expect(
        computeDeadline({ start: '2026-12-28', limit: 10, unit: 'working_days', stops: [stop('2027-01-05', null)] }, calendar),
      ).toMatchObject({ dueOn: null, stopped: true, provisional: true, usedDays: 5 });
    });

    it('handles the longest limits, 3650 days, into provisional years', () => {
      // 2025-01-01 + 3650 days = Sat 2034-12-30; Sun; Mon 2035-01-01 is 元旦 → Tue 2035-01-02.
      expect(computeDeadline({ start: '2025-01-01', limit: 3650, unit: 'calendar_days' }, calendar)).toMatchObject({
        dueOn: '2035-01-02',
        provisional: true,
      });
      const long = computeDeadline({ start: '2025-01-01', limit: 3650, unit: 'working_days' }, calendar);
      expect(long).toMatchObject({ provisional: true, stopped: false });
      expect(calendar.workingDaysBetween('2025-01-01', long.dueOn as string)).toBe(3650);
    });
  });

  describe('input validation', () => {
    it.each<[string, Record<string, unknown>, string, string, string]>([
      ['a malformed start', { start: '2025-9-22' }, CalendarErrorCode.InvalidDate, 'start', 'start: "2025-9-22" is not a valid date'],
      ['an impossible start', { start: '2025-02-29' }, CalendarErrorCode.InvalidDate, 'start', 'start: "2025-02-29" is not a valid date'],
      ['a limit of 0', { limit: 0 }, CalendarErrorCode.InvalidLimit, 'limit', 'limit: 0 is not a whole number of days in 1–3650'],
      ['a limit of 3651', { limit: 3651 }, CalendarErrorCode.InvalidLimit, 'limit', 'limit: 3651 is not'],
      ['a fractional limit', { limit: 2.5 }, CalendarErrorCode.InvalidLimit, 'limit', 'limit: 2.5 is not'],
      ['a negative limit', { limit: -5 }, CalendarErrorCode.InvalidLimit, 'limit', 'limit: -5 is not'],
      ['a NaN limit', { limit: Number.NaN }, CalendarErrorCode.InvalidLimit, 'limit', 'limit: NaN is not'],
      ['a string limit', { limit: '5' }, CalendarErrorCode.InvalidLimit, 'limit', 'limit: "5" is not'],
      ['an unknown unit', { unit: 'weeks' }, CalendarErrorCode.InvalidUnit, 'unit', 'unit: "weeks" is not a limit unit; expected working_days or calendar_days'],
      ['a malformed stop start', { stops: [stop('2025-09-31', null)] }, CalendarErrorCode.InvalidDate, 'stops[0].from', 'stops[0].from: "2025-09-31"'],
      ['a malformed stop end', { stops: [stop('2025-09-24', '10/09/2025')] }, CalendarErrorCode.InvalidDate, 'stops[0].to', 'stops[0].to: "10/09/2025"'],
      ['a stop ending before it starts', { stops: [stop('2025-09-24', '2025-09-23')] }, CalendarErrorCode.InvalidStop, 'stops[0].to', 'stops[0].to: 2025-09-23 is before the stop\'s start (stops[0].from 2025-09-24)'],
      ['a stop starting before the acceptance day', { stops: [stop('2025-09-21', '2025-09-23')] }, CalendarErrorCode.InvalidStop, 'stops[0].from', 'stops[0].from: 2025-09-21 is before the acceptance day (start 2025-09-22)'],
      [
        'overlapping stops',
        { stops: [stop('2025-09-23', '2025-09-26'), stop('2025-09-25', '2025-09-30')] },
        CalendarErrorCode.InvalidStop,
        'stops[1].from',
        'stops[1].from: 2025-09-25 overlaps stops[0] (2025-09-23 – 2025-09-26)',
      ],
      [
        'a stop after an open one',
        { stops: [stop('2025-09-23', null), stop('2025-09-25', '2025-09-30')] },
        CalendarErrorCode.InvalidStop,
        'stops[1].from',
        'stops[1].from: 2025-09-25 is after stops[0], which is still open (to: null)',
      ],
      ['stops that are not an array', { stops: 'none' as unknown as ClockStop[] }, CalendarErrorCode.InvalidStop, 'stops', 'stops: must be an array'],
    ])('refuses %s, naming the field', (_case, change, code, field, message) => {
      const error = refusal(() => computeDeadline({ ...FIVE_DAYS, ...change } as unknown as DeadlineInput, calendar));
      expect(error.code).toBe(code);
      expect(error.field).toBe(field);
      expect(error.message).toContain(message);
    });

    it('accepts the bounds 1 and 3650 and an empty stop list', () => {
      expect(computeDeadline({ ...FIVE_DAYS, limit: 1, stops: [] }, calendar).dueOn).toBe('2025-09-23');
      expect(computeDeadline({ ...FIVE_DAYS, limit: 3650, unit: 'calendar_days' }, calendar).dueOn).not.toBeNull();
    });
  });
});

describe(usedAsOf.name, () => {
  it.each<[string, Record<string, unknown>]>([
    ['2025-09-20', { usedDays: 0, remainingDays: 5, dueOn: '2025-09-28', stopped: false, clockStoppedDays: 0, remainingWorkingDays: 5 }],
    ['2025-09-22', { usedDays: 0, remainingDays: 5, dueOn: '2025-09-28', stopped: false, remainingWorkingDays: 5 }],
    ['2025-09-23', { usedDays: 1, remainingDays: 4, dueOn: '2025-09-28', stopped: false, remainingWorkingDays: 4 }],
    // The request is issued on S: S counts, the clock is stopped from the end of S, the deadline is unknown.
    ['2025-09-24', { usedDays: 2, remainingDays: 3, dueOn: null, dueAt: null, stopped: true, clockStoppedDays: 0, remainingWorkingDays: 3 }],
    ['2025-10-01', { usedDays: 2, remainingDays: 3, dueOn: null, stopped: true, clockStoppedDays: 5, remainingWorkingDays: 3 }],
    // Resubmitted on R: the clock runs again from the next day and the deadline is known.
    ['2025-10-09', { usedDays: 2, remainingDays: 3, dueOn: '2025-10-13', stopped: false, clockStoppedDays: 6, remainingWorkingDays: 3 }],
    ['2025-10-11', { usedDays: 4, remainingDays: 1, dueOn: '2025-10-13', remainingWorkingDays: 1, overdue: false }],
    ['2025-10-12', { usedDays: 4, remainingDays: 1, remainingWorkingDays: 1, overdue: false }],
    ['2025-10-13', { usedDays: 5, remainingDays: 0, remainingWorkingDays: 0, overdue: false, overdueWorkingDays: 0 }],
    ['2025-10-14', { usedDays: 5, remainingDays: 0, remainingWorkingDays: 0, overdue: true, overdueWorkingDays: 1 }],
    ['2025-10-19', { usedDays: 5, overdue: true, overdueWorkingDays: 4, clockStoppedDays: 6 }],
  ])('the pinned supplement example as of %s', (asOf, expected) => {
    const status = usedAsOf(WITH_SUPPLEMENT, asOf, calendar);
    expect(status).toMatchObject({ asOf, provisional: false, ...expected });
    expect(status.usedWorkingDays).toBe(status.usedDays);
  });

  it('equals computeDeadline once every stop is closed', () => {
    const { asOf: _asOf, overdue: _o, usedWorkingDays: _u, remainingWorkingDays: _r, overdueWorkingDays: _d, ...status } = usedAsOf(
      WITH_SUPPLEMENT,
      '2025-10-09',
      calendar,
    );
    expect(status).toEqual(computeDeadline(WITH_SUPPLEMENT, calendar));
  });

  it('gives the working-day numbers of a calendar-day limit', () => {
    // 10 calendar days from Sun 09-21 → 10-01 (holiday) → due 10-09.
    const input: DeadlineInput = { start: '2025-09-21', limit: 10, unit: 'calendar_days' };
    expect(usedAsOf(input, '2025-09-26', calendar)).toMatchObject({
      dueOn: '2025-10-09',
      usedDays: 5,
      remainingDays: 5,
      usedWorkingDays: 5,
      // 09-28 (make-up Sunday), 09-29, 09-30, 10-09.
      remainingWorkingDays: 4,
    });
    expect(usedAsOf(input, '2025-10-05', calendar)).toMatchObject({ usedDays: 10, remainingDays: 0, remainingWorkingDays: 1, overdue: false });
    expect(usedAsOf(input, '2025-10-10', calendar)).toMatchObject({ overdue: true, overdueWorkingDays: 1 });
  });

  it('does not know the remaining working days of a stopped calendar-day limit', () => {
    const input: DeadlineInput = { start: '2025-09-21', limit: 10, unit: 'calendar_days', stops: [stop('2025-09-24', null)] };
    expect(usedAsOf(input, '2025-09-30', calendar)).toMatchObject({
      dueOn: null,
      stopped: true,
      usedDays: 3,
      remainingDays: 7,
      clockStoppedDays: 6,
      remainingWorkingDays: null,
    });
  });

  it('refuses a malformed as-of date', () => {
    expect(refusal(() => usedAsOf(FIVE_DAYS, 'today', calendar))).toMatchObject({ code: CalendarErrorCode.InvalidDate, field: 'asOf' });
  });
});
