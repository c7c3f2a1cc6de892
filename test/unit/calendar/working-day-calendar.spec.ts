import { describe, expect, it } from '@jest/globals';
import {
  CalendarError,
  CalendarErrorCode,
  OFFICIAL_YEARS,
  WorkingDayCalendar,
  addDays,
  fromNotice,
  type YearCalendar,
} from '../../../libs/calendar/index.js';

function refusal(run: () => unknown): CalendarError {
  try {
    run();
  } catch (error) {
    if (error instanceof CalendarError) return error;
    throw error;
  }
  throw new Error('expected a CalendarError');
}

// A made-up 2027 notice, standing in for the one the State Council will publish in late 2026.
const NOTICE_2027 = fromNotice(
  2027,
  ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07', '2027-10-01'],
  ['2027-10-09', '2027-09-26'],
  '国务院办公厅关于2027年部分节假日安排的通知（test）',
);

describe(fromNotice.name, () => {
  it('returns a sorted, de-duplicated, non-provisional year', () => {
    expect(NOTICE_2027).toEqual({
      year: 2027,
      provisional: false,
      holidays: ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'],
      makeUpWorkdays: ['2027-09-26', '2027-10-09'],
      source: '国务院办公厅关于2027年部分节假日安排的通知（test）',
    });
    expect(Object.isFrozen(NOTICE_2027.holidays)).toBe(true);
  });

  it.each([
    ['a malformed holiday', ['2027-1-01'], [], 'holidays[0]', '"2027-1-01" is not a valid date'],
    ['an impossible date', ['2027-02-29'], [], 'holidays[0]', '"2027-02-29" is not a valid date'],
    ['a holiday in another year', ['2027-01-01', '2026-12-31'], [], 'holidays[1]', '2026-12-31 is not inside 2027'],
    ['a make-up day in another year', [], ['2028-01-01'], 'makeUpWorkdays[0]', '2028-01-01 is not inside 2027'],
    ['a date both holiday and make-up day', ['2027-10-02'], ['2027-10-02'], 'makeUpWorkdays[0]', '2027-10-02 is listed both as a holiday and as a make-up working day'],
    ['a make-up day on a weekday', [], ['2027-10-08'], 'makeUpWorkdays[0]', '2027-10-08 is a weekday'],
    ['a non-string date', [20271001 as unknown as string], [], 'holidays[0]', '20271001 is not a valid date'],
  ])('refuses %s, naming the date', (_case, holidays, makeUpWorkdays, field, message) => {
    const error = refusal(() => fromNotice(2027, holidays, makeUpWorkdays, 'notice'));
    expect(error.code).toBe(CalendarErrorCode.InvalidNotice);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`${field}: `);
    expect(error.message).toContain(message);
  });

  it.each([
    [2027.5, 'year'],
    [1800, 'year'],
  ])('refuses year %p', (year, field) => {
    expect(refusal(() => fromNotice(year, [], [], 'notice')).field).toBe(field);
  });

  it('refuses an empty source', () => {
    expect(refusal(() => fromNotice(2027, [], [], '  ')).field).toBe('source');
  });
});

describe(WorkingDayCalendar.name, () => {
  const calendar = WorkingDayCalendar.official();

  it.each([
    ['2025-09-22', true, 'Monday'],
    ['2025-09-27', false, 'Saturday'],
    ['2025-09-28', true, 'Sunday, make-up working day'],
    ['2025-10-01', false, 'National Day, Wednesday'],
    ['2025-10-04', false, 'Saturday inside the break'],
    ['2025-10-08', false, 'Wednesday, 调休 rest day'],
    ['2025-10-11', true, 'Saturday, make-up working day'],
    ['2026-01-04', true, 'Sunday, make-up working day'],
  ])('isWorkingDay(%s) = %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it.each([
    ['2025-09-22', 5, '2025-09-28'],
    ['2025-09-26', 1, '2025-09-28'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-10-09', 2, '2025-10-11'],
    ['2025-12-31', 1, '2026-01-04'],
    ['2025-10-09', -1, '2025-09-30'],
    ['2025-09-29', -1, '2025-09-28'],
    ['2025-10-03', 0, '2025-10-03'],
    ['2026-12-31', 1, '2027-01-04'],
  ])('addWorkingDays(%s, %i) = %s', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toBe(expected);
  });

  it('addWorkingDays over years (forward and back) equals the days counted one by one', () => {
    // Spans that cross New Year, the Spring Festival and years with no notice, both ways.
    const cases: Array<[string, number]> = [
      ['2022-12-20', 30],
      ['2023-01-10', -25],
      ['2024-12-31', 250],
      ['2026-02-10', 5],
      ['2026-12-01', 400],
      ['2027-03-01', -300],
      ['2025-01-01', -1],
      ['2024-12-31', 1],
    ];
    for (const [from, n] of cases) {
      let day = from;
      for (let left = Math.abs(n); left > 0; ) {
        day = addDays(day, Math.sign(n));
        if (calendar.isWorkingDay(day)) left--;
      }
      expect([from, n, calendar.addWorkingDays(from, n)]).toEqual([from, n, day]);
    }
  });

  it('nextWorkingDay skips a whole break', () => {
    expect(calendar.nextWorkingDay('2025-01-27')).toBe('2025-02-05');
    expect(calendar.nextWorkingDay('2025-02-07')).toBe('2025-02-08');
  });

  it.each([
    ['2025-09-22', '2025-09-28', 5],
    ['2025-09-24', '2025-10-09', 6],
    ['2025-09-30', '2025-10-08', 0],
    ['2025-10-09', '2025-10-09', 0],
    ['2025-10-13', '2025-10-09', 0],
    ['2024-12-31', '2025-12-31', 248],
  ])('workingDaysBetween(%s, %s] = %i', (from, to, count) => {
    expect(calendar.workingDaysBetween(from, to)).toBe(count);
  });

  it.each([
    ['2022-06-15', '2026-03-02'],
    ['2025-12-31', '2026-01-01'],
    ['2023-12-31', '2024-12-31'],
    ['2022-01-01', '2028-07-09'],
    ['2026-02-13', '2026-02-24'],
  ])('workingDaysBetween(%s, %s] over years equals the days counted one by one', (from, to) => {
    let count = 0;
    for (let day = calendar.nextWorkingDay(from); day <= to; day = calendar.nextWorkingDay(day)) count++;
    expect(calendar.workingDaysBetween(from, to)).toBe(count);
  });

  it('refuses a fractional number of working days and malformed dates', () => {
    expect(refusal(() => calendar.addWorkingDays('2025-09-22', 1.5)).code).toBe(CalendarErrorCode.InvalidLimit);
    expect(refusal(() => calendar.isWorkingDay('2025-09-31')).code).toBe(CalendarErrorCode.InvalidDate);
    expect(refusal(() => calendar.workingDaysBetween('2025-09-01', 'soon')).field).toBe('to');
  });

  it('loads a notice over a provisional year, and the year stops being provisional', () => {
    expect(calendar.isYearProvisional(2027)).toBe(true);
    expect(calendar.isWorkingDay('2027-10-06')).toBe(true); // provisional: 国庆 1–3 Oct + 补假 4–5 Oct only
    const loaded = calendar.withYears([NOTICE_2027]);
    expect(loaded.isYearProvisional(2027)).toBe(false);
    expect(loaded.year(2027)).toEqual(NOTICE_2027);
    expect(loaded.isWorkingDay('2027-10-06')).toBe(false);
    expect(loaded.isWorkingDay('2027-10-09')).toBe(true);
    expect(loaded.loadedYears()).toEqual([2022, 2023, 2024, 2025, 2026, 2027]);
    expect(calendar.isYearProvisional(2027)).toBe(true); // the original is unchanged
  });

  it('replaces an official year with an override of the same year', () => {
    const corrected = fromNotice(2025, ['2025-01-01'], [], 'override');
    const overridden = WorkingDayCalendar.official([corrected]);
    expect(overridden.year(2025).source).toBe('override');
    expect(overridden.isWorkingDay('2025-10-01')).toBe(true);
    expect(overridden.year(2024)).toEqual(OFFICIAL_YEARS[2]);
  });

  it('refuses a year given twice, and an invalid year passed directly', () => {
    const twice = refusal(() => new WorkingDayCalendar([NOTICE_2027, NOTICE_2027]));
    expect(twice.code).toBe(CalendarErrorCode.InvalidNotice);
    expect(twice.field).toBe('years[1].year');
    const bad: YearCalendar = { year: 2027, provisional: false, holidays: ['2027-13-01'], makeUpWorkdays: [], source: 'x' };
    expect(refusal(() => new WorkingDayCalendar([bad])).field).toBe('holidays[0]');
  });

  it('counts a year with no notice and no rules as unsupported, not as all working days', () => {
    const empty = new WorkingDayCalendar();
    expect(empty.isYearProvisional(2025)).toBe(true);
    expect(empty.isWorkingDay('2025-01-29')).toBe(false); // 春节 by the rules
    expect(empty.isWorkingDay('2025-09-28')).toBe(false); // no 调休 without the notice
    expect(refusal(() => empty.year(2007)).code).toBe(CalendarErrorCode.YearNotSupported);
  });

  it('summarizes a year for GET /calendar/{year}', () => {
    expect(calendar.summary(2025)).toMatchObject({
      year: 2025,
      provisional: false,
      makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
      workingDays: 248,
    });
  });
});
