import { describe, expect, it } from '@jest/globals';
import {
  CalendarError,
  CalendarErrorCode,
  addDays,
  dayOfWeek,
  endOfShanghaiDay,
  formatDayNumber,
  isIsoDate,
  parseIsoDate,
  startOfShanghaiDay,
  toShanghaiDate,
  weekdayOf,
} from '../../../libs/calendar/index.js';

describe('iso-date', () => {
  it('matches UTC Date arithmetic for every day 1900–2200', () => {
    const first = Date.UTC(1900, 0, 1);
    for (let t = first; t <= Date.UTC(2200, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      const day = parseIsoDate(iso);
      if (day !== t / 86_400_000 || formatDayNumber(day) !== iso || weekdayOf(day) !== new Date(t).getUTCDay()) {
        throw new Error(`mismatch on ${iso}`);
      }
    }
  });

  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2025-12-31', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-04-31', false],
    ['2025-04-00', false],
    ['2025-4-1', false],
    [' 2025-04-01', false],
    ['2025-04-01T00:00:00+08:00', false],
    [20250401, false],
    [null, false],
    [undefined, false],
  ])('isIsoDate(%p) = %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });

  it('names the field of a malformed date', () => {
    let error: unknown;
    try {
      parseIsoDate('2025-09-31', 'stops[0].to');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CalendarError);
    expect(error).toMatchObject({ code: CalendarErrorCode.InvalidDate, field: 'stops[0].to' });
    expect((error as Error).message).toBe('stops[0].to: "2025-09-31" is not a valid date; expected YYYY-MM-DD (Asia/Shanghai civil date)');
  });

  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2025-09-22', 3650, '2035-09-20'],
  ])('addDays(%s, %i) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2025-09-22', 1],
    ['2025-09-28', 0],
    ['2025-10-11', 6],
    ['1970-01-01', 4],
  ])('dayOfWeek(%s) = %i', (date, weekday) => {
    expect(dayOfWeek(date)).toBe(weekday);
  });

  it.each([
    ['2025-09-28T15:59:59.999Z', '2025-09-28'],
    ['2025-09-28T16:00:00Z', '2025-09-29'],
    ['2025-12-31T16:00:00Z', '2026-01-01'],
    ['2025-09-28T00:00:00+08:00', '2025-09-28'],
  ])('toShanghaiDate(%s) = %s', (instant, date) => {
    expect(toShanghaiDate(Date.parse(instant))).toBe(date);
    expect(toShanghaiDate(new Date(instant))).toBe(date);
  });

  it('writes the start and end of a Shanghai day as instants with +08:00', () => {
    expect(startOfShanghaiDay('2025-09-28')).toBe('2025-09-28T00:00:00+08:00');
    expect(endOfShanghaiDay('2025-09-28')).toBe('2025-09-29T00:00:00+08:00');
    expect(Date.parse(endOfShanghaiDay('2025-09-28'))).toBe(Date.parse('2025-09-28T16:00:00Z'));
    expect(endOfShanghaiDay('2025-12-31')).toBe('2026-01-01T00:00:00+08:00');
  });
});
