/**
 * Stable codes of calendar and deadline refusals. The API maps every code to a 400 (problem+json `code`, with
 * `field` in `errors`); codes are wire values: never rename one once released.
 */
export const CalendarErrorCode = {
  /** A value is not a valid `YYYY-MM-DD` date. */
  InvalidDate: 'CALENDAR.INVALID_DATE',
  /** A year's notice (holidays, make-up working days) is inconsistent. */
  InvalidNotice: 'CALENDAR.INVALID_NOTICE',
  /** A limit is not an integer in 1–3650. */
  InvalidLimit: 'CALENDAR.INVALID_LIMIT',
  /** A limit unit is neither `working_days` nor `calendar_days`. */
  InvalidUnit: 'CALENDAR.INVALID_UNIT',
  /** A clock stop ends before it starts, starts before acceptance, or overlaps another stop. */
  InvalidStop: 'CALENDAR.INVALID_STOP',
  /** No notice is loaded for the year and it is outside the years the provisional rules cover. */
  YearNotSupported: 'CALENDAR.YEAR_NOT_SUPPORTED',
} as const;

/** One of the codes in {@link CalendarErrorCode}. */
export type CalendarErrorCode = (typeof CalendarErrorCode)[keyof typeof CalendarErrorCode];

/**
 * A refusal by the calendar: `code` is stable, `field` names the offending input (e.g. `start`, `stops[1].to`,
 * `holidays[3]`) so the API's 400 can say which, and `message` says in plain words what is wrong.
 */
export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}
