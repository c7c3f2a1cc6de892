import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import { formatDayNumber, isIsoDate, isWeekendDay, parseIsoDate, type IsoDate } from './iso-date.js';

/**
 * One calendar year of agency working days, as `GET /calendar/{year}` shows it.
 *
 * - `holidays`: every date of the notice's stated rest ranges (放假 X 至 Y), sorted and unique — statutory
 *   holidays, 调休 weekdays given off, and the Saturdays/Sundays inside a range (all seven days of 国庆
 *   2026-10-01…07), so a user sees whole breaks; weekends merely adjacent to a one-day holiday ("与周末连休",
 *   e.g. 2024-06-08/09 beside 端午 2024-06-10) are not listed. Listing a weekend day changes nothing: it is a
 *   rest day anyway.
 * - `makeUpWorkdays`: Saturdays/Sundays that are working days (调休上班), sorted and unique.
 * - `provisional`: true when no State Council notice is loaded and the year was computed from the national
 *   holiday rules (see `provisionalYear`); every deadline touching it is then provisional.
 * - `source`: the notice (title and document number) or rule the data comes from.
 *
 * All dates lie inside `year`. A date that belongs to the next year's notice (e.g. 2022-12-31, from the 2023
 * notice's 元旦 break) is listed in the year it falls in.
 */
export interface YearCalendar {
  readonly year: number;
  readonly provisional: boolean;
  readonly holidays: readonly IsoDate[];
  readonly makeUpWorkdays: readonly IsoDate[];
  readonly source: string;
}

/** Years a calendar may be loaded for; the day arithmetic itself has no such bound. */
export const MIN_CALENDAR_YEAR = 1949;
export const MAX_CALENDAR_YEAR = 2199;

function invalid(field: string, message: string): CalendarError {
  return new CalendarError(CalendarErrorCode.InvalidNotice, field, `${field}: ${message}`);
}

function checkDates(year: number, dates: unknown, field: string): number[] {
  if (!Array.isArray(dates)) throw invalid(field, 'must be an array of YYYY-MM-DD dates');
  return dates.map((date: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isIsoDate(date)) throw invalid(at, `${JSON.stringify(date)} is not a valid date; expected YYYY-MM-DD`);
    if (Number(date.slice(0, 4)) !== year) throw invalid(at, `${date} is not inside ${year}`);
    return parseIsoDate(date, at);
  });
}

function sortedUnique(dayNumbers: readonly number[]): IsoDate[] {
  return [...new Set(dayNumbers)].sort((a, b) => a - b).map(formatDayNumber);
}

/**
 * Validates one year's data and returns it normalized (dates sorted, duplicates dropped, arrays frozen).
 *
 * Checks: `year` an integer in 1949–2199; every date a valid `YYYY-MM-DD` inside `year`; no date both a holiday
 * and a make-up working day; every make-up working day a Saturday or Sunday (a 调休 weekday would already be a
 * working day, so listing one is a typing error); `source` non-empty.
 * @throws CalendarError `CALENDAR.INVALID_NOTICE` whose `field` and message name the offending date.
 */
export function validateYearCalendar(input: YearCalendar): YearCalendar {
  const { year, provisional, source } = input;
  if (!Number.isInteger(year) || year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) {
    throw invalid('year', `${JSON.stringify(year)} is not a year in ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}`);
  }
  if (typeof source !== 'string' || source.trim() === '') throw invalid('source', 'must name the notice or rule');
  const holidays = checkDates(year, input.holidays, 'holidays');
  const makeUpWorkdays = checkDates(year, input.makeUpWorkdays, 'makeUpWorkdays');
  const holidaySet = new Set(holidays);
  makeUpWorkdays.forEach((day, i) => {
    const date = formatDayNumber(day);
    if (holidaySet.has(day)) throw invalid(`makeUpWorkdays[${i}]`, `${date} is listed both as a holiday and as a make-up working day`);
    if (!isWeekendDay(day)) throw invalid(`makeUpWorkdays[${i}]`, `${date} is a weekday; make-up working days (调休上班) are Saturdays or Sundays`);
  });
  return Object.freeze({
    year,
    provisional: provisional === true,
    holidays: Object.freeze(sortedUnique(holidays)),
    makeUpWorkdays: Object.freeze(sortedUnique(makeUpWorkdays)),
    source: source.trim(),
  });
}

/**
 * A year as published in the State Council General Office's notice (国务院办公厅关于YYYY年部分节假日安排的通知),
 * e.g. what an administrator loads with `PUT /calendar/{year}`. The result is not provisional.
 *
 * @param year the notice's year.
 * @param holidays rest days (`YYYY-MM-DD`) inside `year`; weekend days inside a break may be listed; duplicates
 *   are dropped.
 * @param makeUpWorkdays Saturdays/Sundays worked (调休上班) inside `year`.
 * @param source the notice's title and document number, e.g. `国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）`.
 * @throws CalendarError `CALENDAR.INVALID_NOTICE` naming the offending date: a malformed date, a date outside
 *   `year`, a date both holiday and make-up day, a make-up day on a weekday, or an empty source.
 */
export function fromNotice(
  year: number,
  holidays: readonly IsoDate[],
  makeUpWorkdays: readonly IsoDate[],
  source: string,
): YearCalendar {
  return validateYearCalendar({ year, provisional: false, holidays, makeUpWorkdays, source });
}
