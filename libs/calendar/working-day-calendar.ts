import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import { civilOf, dayNumberOf, daysInMonth, formatDayNumber, isWeekendDay, parseIsoDate, type DayNumber, type IsoDate } from './iso-date.js';
import { OFFICIAL_YEARS } from './official-notices.js';
import { provisionalYear } from './statutory-holidays.js';
import { validateYearCalendar, type YearCalendar } from './year-calendar.js';

/** A year with its working-day counts, the body of `GET /calendar/{year}`. */
export interface YearSummary extends YearCalendar {
  /** Working days in the year. */
  readonly workingDays: number;
  /** Working days in January … December (12 numbers). */
  readonly workingDaysByMonth: readonly number[];
}

interface YearIndex {
  readonly calendar: YearCalendar;
  /** Day number of 1 January. */
  readonly firstDay: DayNumber;
  /** `throughDay[i]`: working days among the year's first `i + 1` days (1 January … its `i`-th day after). */
  readonly throughDay: Uint16Array;
}

/**
 * The agency working-day calendar of Asia/Shanghai, built from per-year data.
 *
 * A working day is a date that is (Monday–Friday and not a holiday) or a make-up working day (调休上班):
 * state organs rest on Saturday and Sunday (国务院关于职工工作时间的规定 Art. 7) and on the holidays and 调休
 * set each year by the State Council General Office's notice. A year with no loaded notice is computed from
 * the national holiday rules and is provisional (see `provisionalYear`), never silently treated as all-working.
 *
 * Immutable: {@link WorkingDayCalendar.withYears} returns a new calendar. Pure — no I/O, no local time — so it
 * may run inside an activity or Temporal's workflow sandbox.
 */
export class WorkingDayCalendar {
  private readonly loaded: ReadonlyMap<number, YearCalendar>;
  private readonly indexes = new Map<number, YearIndex>();

  /**
   * @param years the years whose notice is known (each validated like `fromNotice`, `provisional` kept as given).
   * @throws CalendarError `CALENDAR.INVALID_NOTICE` for an invalid year or a year given twice.
   */
  constructor(years: readonly YearCalendar[] = []) {
    const loaded = new Map<number, YearCalendar>();
    years.forEach((input, i) => {
      const year = validateYearCalendar(input);
      if (loaded.has(year.year)) {
        throw new CalendarError(CalendarErrorCode.InvalidNotice, `years[${i}].year`, `years[${i}].year: ${year.year} is given twice`);
      }
      loaded.set(year.year, year);
    });
    this.loaded = loaded;
  }

  /**
   * The State Council notices 2022–2026 (`OFFICIAL_YEARS`), each replaced by an override of the same year
   * (notices loaded later, e.g. from PostgreSQL); other years are provisional.
   * @throws CalendarError `CALENDAR.INVALID_NOTICE` for an invalid override or one year overridden twice.
   */
  static official(overrides: readonly YearCalendar[] = []): WorkingDayCalendar {
    return new WorkingDayCalendar(OFFICIAL_YEARS).withYears(overrides);
  }

  /**
   * A new calendar with `years` loaded, replacing any loaded year of the same number.
   * @throws CalendarError `CALENDAR.INVALID_NOTICE` for an invalid year or a year given twice in `years`.
   */
  withYears(years: readonly YearCalendar[]): WorkingDayCalendar {
    const replaced = new Set(years.map((year) => year.year));
    return new WorkingDayCalendar([...years, ...[...this.loaded.values()].filter((year) => !replaced.has(year.year))]);
  }

  /** The years loaded from a notice or override, ascending. */
  loadedYears(): readonly number[] {
    return [...this.loaded.keys()].sort((a, b) => a - b);
  }

  /**
   * The data of `year`: the loaded notice, else the provisional year from the holiday rules.
   * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` for an unloaded year outside 2008–2099.
   */
  year(year: number): YearCalendar {
    return this.index(year).calendar;
  }

  /**
   * `year(year)` plus its working days per month and in total.
   * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` for an unloaded year outside 2008–2099.
   */
  summary(year: number): YearSummary {
    const calendar = this.year(year);
    const workingDaysByMonth = Array.from({ length: 12 }, (_, m) => {
      const first = dayNumberOf(year, m + 1, 1);
      let count = 0;
      for (let day = first; day < first + daysInMonth(year, m + 1); day++) if (this.isWorkingDayNumber(day)) count++;
      return count;
    });
    return Object.freeze({
      ...calendar,
      workingDays: workingDaysByMonth.reduce((a, b) => a + b, 0),
      workingDaysByMonth: Object.freeze(workingDaysByMonth),
    });
  }

  /**
   * Whether `date` (`YYYY-MM-DD`, Asia/Shanghai) is an agency working day.
   * @throws CalendarError `CALENDAR.INVALID_DATE` when malformed; `CALENDAR.YEAR_NOT_SUPPORTED` for an unloaded
   *   year outside 2008–2099.
   */
  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(parseIsoDate(date));
  }

  /** {@link WorkingDayCalendar.isWorkingDay} on a day number (days since 1970-01-01). */
  isWorkingDayNumber(day: DayNumber): boolean {
    const index = this.index(civilOf(day)[0]);
    const i = day - index.firstDay;
    return isWorkingAt(index.throughDay, i);
  }

  /**
   * Whether the year of `date` is provisional (no notice loaded).
   * @throws CalendarError as {@link WorkingDayCalendar.isWorkingDay}.
   */
  isProvisional(date: IsoDate): boolean {
    return this.isYearProvisional(civilOf(parseIsoDate(date))[0]);
  }

  /**
   * Whether `year` is provisional (no notice loaded).
   * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` for an unloaded year outside 2008–2099.
   */
  isYearProvisional(year: number): boolean {
    return this.index(year).calendar.provisional;
  }

  /**
   * The first working day strictly after `date`.
   * @throws CalendarError as {@link WorkingDayCalendar.isWorkingDay}.
   */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 1);
  }

  /**
   * The `n`-th working day after `date` (`date` itself not counted, as in 民法典 Art. 201), or before it for a
   * negative `n`; `date` itself for 0. E.g. `addWorkingDays('2025-09-22', 5)` = `2025-09-28` (a make-up Sunday).
   * @throws CalendarError `CALENDAR.INVALID_LIMIT` when `n` is not an integer; otherwise as
   *   {@link WorkingDayCalendar.isWorkingDay}.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) {
      throw new CalendarError(CalendarErrorCode.InvalidLimit, 'n', `n: ${JSON.stringify(n)} is not a whole number of working days`);
    }
    let day = parseIsoDate(date);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    while (left > 0) {
      // Day by day through the year of the next day on its index: one year lookup per year walked, not per day.
      const index = this.index(civilOf(day + step)[0]);
      const counts = index.throughDay;
      for (let i = day + step - index.firstDay; left > 0 && i >= 0 && i < counts.length; i += step) {
        day = index.firstDay + i;
        if (isWorkingAt(counts, i)) left--;
      }
    }
    return formatDayNumber(day);
  }

  /**
   * Working days `d` with `from < d ≤ to` (0 when `to ≤ from`): the working days elapsed after `from` up to and
   * including `to`.
   * @throws CalendarError as {@link WorkingDayCalendar.isWorkingDay}.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const first = parseIsoDate(from, 'from');
    const last = parseIsoDate(to, 'to');
    if (last <= first) return 0;
    // Per-year running counts: a span of years costs one lookup per year, not one per day (a supervisor's list
    // asks this for every step of every project, some accepted years ago).
    const firstYear = civilOf(first)[0];
    const lastYear = civilOf(last)[0];
    let count = this.workingDaysThrough(last) - this.workingDaysThrough(first);
    for (let year = firstYear; year < lastYear; year++) {
      const counts = this.index(year).throughDay;
      count += counts[counts.length - 1]!;
    }
    return count;
  }

  /** Working days from 1 January of `day`'s year up to and including `day`. */
  private workingDaysThrough(day: DayNumber): number {
    const index = this.index(civilOf(day)[0]);
    return index.throughDay[day - index.firstDay]!;
  }

  private index(year: number): YearIndex {
    let index = this.indexes.get(year);
    if (!index) {
      const calendar = this.loaded.get(year) ?? provisionalYear(year);
      const holidays = new Set(calendar.holidays.map((date) => parseIsoDate(date)));
      const makeUpWorkdays = new Set(calendar.makeUpWorkdays.map((date) => parseIsoDate(date)));
      const firstDay = dayNumberOf(year, 1, 1);
      const throughDay = new Uint16Array(dayNumberOf(year + 1, 1, 1) - firstDay);
      let count = 0;
      for (let i = 0; i < throughDay.length; i++) {
        const day = firstDay + i;
        if (makeUpWorkdays.has(day) || (!isWeekendDay(day) && !holidays.has(day))) count++;
        throughDay[i] = count;
      }
      index = { calendar, firstDay, throughDay };
      this.indexes.set(year, index);
    }
    return index;
  }
}

/** Whether the year's `i`-th day (0: 1 January) is a working day, read from its running count `throughDay`. */
function isWorkingAt(throughDay: Uint16Array, i: number): boolean {
  return throughDay[i]! - (i > 0 ? throughDay[i - 1]! : 0) === 1;
}
