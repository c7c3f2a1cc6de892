import { CalendarError, CalendarErrorCode } from './calendar.errors.js';

/**
 * A civil date in Asia/Shanghai written `YYYY-MM-DD`. All calendar arithmetic works on these as integer day
 * numbers (days since 1970-01-01) — never on local-time `Date` objects — so results do not depend on the
 * process time zone and are deterministic inside Temporal's workflow sandbox.
 */
export type IsoDate = string;

/** Days since 1970-01-01 of an {@link IsoDate}; the unit of all internal arithmetic. */
export type DayNumber = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** China has kept UTC+8 all year since 1991 (no daylight saving), so the offset is a constant. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** True for a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days (28–31) of `month` (1–12) in `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`); no validation. */
export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `[year, month (1–12), day]` of a day number (H. Hinnant's `civil_from_days`). */
export function civilOf(dayNumber: DayNumber): [year: number, month: number, day: number] {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** True when `value` is a string `YYYY-MM-DD` naming a real date (e.g. not `2025-02-29`). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Day number of `value`.
 * @throws CalendarError `CALENDAR.INVALID_DATE` naming `field` when `value` is not a valid `YYYY-MM-DD` date.
 */
export function parseIsoDate(value: unknown, field = 'date'): DayNumber {
  if (!isIsoDate(value)) {
    throw new CalendarError(
      CalendarErrorCode.InvalidDate,
      field,
      `${field}: ${JSON.stringify(value)} is not a valid date; expected YYYY-MM-DD (Asia/Shanghai civil date)`,
    );
  }
  return dayNumberOf(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
}

/** `YYYY-MM-DD` of a day number. */
export function formatDayNumber(dayNumber: DayNumber): IsoDate {
  const [year, month, day] = civilOf(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: DayNumber): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** True for Saturday and Sunday, the weekly rest days (国务院关于职工工作时间的规定 Art. 7). */
export function isWeekendDay(dayNumber: DayNumber): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === 0 || weekday === 6;
}

/**
 * `date` plus `days` calendar days (negative to go back).
 * @throws CalendarError `CALENDAR.INVALID_DATE` when `date` is malformed.
 */
export function addDays(date: IsoDate, days: number): IsoDate {
  return formatDayNumber(parseIsoDate(date) + days);
}

/**
 * The last day of a period of `months` calendar months starting on `date` (民法典 Art. 201 ¶1, Art. 202): the
 * day of the final month that corresponds to `date`, or that month's last day when it has none —
 * `2024-01-31` + 1 month → `2024-02-29`; `2025-03-10` + 24 months → `2027-03-10`. Not moved off a holiday
 * (see WorkingDayCalendar for Art. 203).
 * @param months whole months, 0–1200
 * @throws CalendarError `CALENDAR.INVALID_DATE` when `date` is malformed.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = civilOf(parseIsoDate(date));
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return formatDayNumber(dayNumberOf(year, month, Math.min(d, daysInMonth(year, month))));
}

/**
 * Day of the week of `date`: 0 = Sunday … 6 = Saturday.
 * @throws CalendarError `CALENDAR.INVALID_DATE` when `date` is malformed.
 */
export function dayOfWeek(date: IsoDate): number {
  return weekdayOf(parseIsoDate(date));
}

/**
 * The Asia/Shanghai civil date of an instant (epoch milliseconds or a `Date`), e.g. "today" for the workflow's
 * `Date.now()`. Pure arithmetic with the constant UTC+8 offset; the process time zone plays no part.
 */
export function toShanghaiDate(instant: number | Date): IsoDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return formatDayNumber(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/**
 * The Asia/Shanghai date of an instant given as an ISO 8601 string or a Date.
 * @throws CalendarError `CALENDAR.INVALID_DATE` when the instant cannot be parsed
 */
export function shanghaiDateOf(instant: string | Date): IsoDate {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new CalendarError(CalendarErrorCode.InvalidDate, 'instant', `instant: ${String(instant)} is not an ISO 8601 instant`);
  return toShanghaiDate(ms);
}

/**
 * The instant a day starts in Asia/Shanghai, written with its offset: `2025-09-29` → `2025-09-29T00:00:00+08:00`.
 * @throws CalendarError `CALENDAR.INVALID_DATE` when `date` is malformed.
 */
export function startOfShanghaiDay(date: IsoDate): string {
  return `${formatDayNumber(parseIsoDate(date))}T00:00:00+08:00`;
}

/**
 * The instant a day ends (24:00 Asia/Shanghai = 00:00 of the next day), the moment a period expires under
 * 民法典 Art. 203 ¶2 (the last day ends at 24:00): `2025-09-28` → `2025-09-29T00:00:00+08:00`.
 * @throws CalendarError `CALENDAR.INVALID_DATE` when `date` is malformed.
 */
export function endOfShanghaiDay(date: IsoDate): string {
  return `${formatDayNumber(parseIsoDate(date) + 1)}T00:00:00+08:00`;
}
