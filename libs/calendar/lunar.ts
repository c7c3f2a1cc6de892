import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import { dayNumberOf, formatDayNumber, type DayNumber, type IsoDate } from './iso-date.js';

/**
 * Lunar (农历) year table 1900–2100, one number per lunar year — the widely used public table, as shipped in
 * `chinese-days@1.5.7` (`src/solar_lunar/constants.ts`, MIT). Bits 0–3: the leap month (0 = none); bits 15…4:
 * months 1…12, set = 30 days, clear = 29; bit 16: the leap month has 30 days. Embedded rather than imported:
 * the package's ESM build cannot be bundled into Temporal's workflow sandbox and its date functions read local
 * time. `test/unit/calendar/provisional-year.spec.ts` checks this copy against the package.
 */
const LUNAR_INFO: readonly number[] = [
  0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0, 0x09ad0, 0x055d2, // 1900–1909
  0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540, 0x0d6a0, 0x0ada2, 0x095b0, 0x14977, // 1910–1919
  0x04970, 0x0a4b0, 0x0b4b5, 0x06a50, 0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2, 0x04970, // 1920–1929
  0x06566, 0x0d4a0, 0x0ea50, 0x06e95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7, 0x0c950, // 1930–1939
  0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2, 0x0a950, 0x0b557, // 1940–1949
  0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573, 0x052b0, 0x0a9a8, 0x0e950, 0x06aa0, // 1950–1959
  0x0aea6, 0x0ab50, 0x04b60, 0x0aae4, 0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57, 0x056a0, // 1960–1969
  0x096d0, 0x04dd5, 0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0, 0x195a6, // 1970–1979
  0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46, 0x0ab60, 0x09570, // 1980–1989
  0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58, 0x055c0, 0x0ab60, 0x096d5, 0x092e0, // 1990–1999
  0x0c960, 0x0d954, 0x0d4a0, 0x0da50, 0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0, 0x0cab5, // 2000–2009
  0x0a950, 0x0b4a0, 0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0, 0x0a930, // 2010–2019
  0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260, 0x0ea65, 0x0d530, // 2020–2029
  0x05aa0, 0x076a3, 0x096d0, 0x04afb, 0x04ad0, 0x0a4d0, 0x1d0b6, 0x0d250, 0x0d520, 0x0dd45, // 2030–2039
  0x0b5a0, 0x056d0, 0x055b2, 0x049b0, 0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20, 0x0ada0, // 2040–2049
  0x14b63, 0x09370, 0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06b20, 0x1a6c4, 0x0aae0, // 2050–2059
  0x0a2e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0, 0x0a6d0, 0x055d4, // 2060–2069
  0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50, 0x055a0, 0x0aba4, 0x0a5b0, 0x052b0, // 2070–2079
  0x0b273, 0x06930, 0x07337, 0x06aa0, 0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4, 0x0d160, // 2080–2089
  0x0e968, 0x0d520, 0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150, 0x0f252, // 2090–2099
  0x0d520, // 2100–2100
];

/** First and last lunar years the table covers. */
export const MIN_LUNAR_YEAR = 1900;
export const MAX_LUNAR_YEAR = MIN_LUNAR_YEAR + LUNAR_INFO.length - 1;

/** 正月初一 of lunar year 1900 = 1900-01-31, the table's epoch. */
const EPOCH: DayNumber = dayNumberOf(1900, 1, 31);

function info(lunarYear: number): number {
  if (!Number.isInteger(lunarYear) || lunarYear < MIN_LUNAR_YEAR || lunarYear > MAX_LUNAR_YEAR) {
    throw new CalendarError(
      CalendarErrorCode.YearNotSupported,
      'year',
      `year: lunar dates are known for ${MIN_LUNAR_YEAR}–${MAX_LUNAR_YEAR} only, not ${lunarYear}`,
    );
  }
  return LUNAR_INFO[lunarYear - MIN_LUNAR_YEAR];
}

/**
 * Days (29 or 30) of ordinary lunar month `month` (1–12) of `lunarYear`.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 1900–2100.
 */
export function lunarMonthDays(lunarYear: number, month: number): number {
  return info(lunarYear) & (0x10000 >> month) ? 30 : 29;
}

/**
 * The leap month of `lunarYear` (the month it follows, 0 when none) and its length (0 when none).
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 1900–2100.
 */
export function lunarLeapMonth(lunarYear: number): { month: number; days: number } {
  const bits = info(lunarYear);
  const month = bits & 0xf;
  return { month, days: month === 0 ? 0 : bits & 0x10000 ? 30 : 29 };
}

function yearLength(lunarYear: number): number {
  let days = lunarLeapMonth(lunarYear).days;
  for (let month = 1; month <= 12; month++) days += lunarMonthDays(lunarYear, month);
  return days;
}

const newYearDays: DayNumber[] = [EPOCH];

/** Day number of 正月初一 of `lunarYear`. */
function newYearDay(lunarYear: number): DayNumber {
  info(lunarYear);
  while (newYearDays.length <= lunarYear - MIN_LUNAR_YEAR) {
    const known = MIN_LUNAR_YEAR + newYearDays.length - 1;
    newYearDays.push(newYearDays[newYearDays.length - 1] + yearLength(known));
  }
  return newYearDays[lunarYear - MIN_LUNAR_YEAR];
}

/**
 * The Gregorian date of a day of an ordinary (non-leap) lunar month: `lunarToSolar(2026, 12, 29)` is 除夕 of
 * lunar year 2026 = `2027-02-05`.
 *
 * @param lunarYear lunar year (1900–2100), numbered like the Gregorian year in which its 正月初一 falls.
 * @param month lunar month 1–12 (never the leap month).
 * @param day day of the month 1–29/30.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 1900–2100, `CALENDAR.INVALID_DATE` for a month
 *   or day that does not exist in that lunar year.
 */
export function lunarToSolar(lunarYear: number, month: number, day: number): IsoDate {
  let offset = newYearDay(lunarYear);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new CalendarError(CalendarErrorCode.InvalidDate, 'month', `month: lunar month ${month} does not exist`);
  }
  const length = lunarMonthDays(lunarYear, month);
  if (!Number.isInteger(day) || day < 1 || day > length) {
    throw new CalendarError(
      CalendarErrorCode.InvalidDate,
      'day',
      `day: lunar ${lunarYear}-${month} has ${length} days, not day ${day}`,
    );
  }
  const leap = lunarLeapMonth(lunarYear);
  for (let m = 1; m < month; m++) offset += lunarMonthDays(lunarYear, m);
  if (leap.month !== 0 && leap.month < month) offset += leap.days;
  return formatDayNumber(offset + day - 1);
}

/**
 * 春节 (正月初一) in Gregorian `year`, e.g. `2027-02-06`.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 1900–2100.
 */
export function springFestivalDate(year: number): IsoDate {
  return formatDayNumber(newYearDay(year));
}

/**
 * 除夕 in Gregorian `year`: the last day of lunar month 12 of the previous lunar year, i.e. the day before
 * 正月初一 (the 29th of month 12 in years where that month is short), e.g. `2027-02-05`.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 1901–2100.
 */
export function newYearsEveDate(year: number): IsoDate {
  info(year - 1);
  return formatDayNumber(newYearDay(year) - 1);
}
