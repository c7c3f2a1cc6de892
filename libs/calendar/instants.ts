import { daysInMonth } from './iso-date.js';

/**
 * The one written form of an instant this system accepts (DESIGN.md §5: "instants ISO 8601 with offset"):
 * `YYYY-MM-DDTHH:mm`, optional `:ss` and `.sss`, then `Z` or `±hh:mm`. Groups: year, month, day, hour, minute,
 * second, millisecond, offset.
 */
export const ISO_INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The same form as {@link ISO_INSTANT_PATTERN}, restricted to real instants, as a regular expression a document can
 * state (OpenAPI `pattern`): a Gregorian day (months of 30 and 31 days, 29 February only in a leap year: divisible by 4
 * and not by 100, or by 400), hours 00–23, minutes and seconds 00–59, an offset of at most ±14:00. It accepts exactly
 * what {@link checkInstant} accepts (a property test says so).
 */
export const REAL_INSTANT_PATTERN = new RegExp(
  '^(?:\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))' +
    '|(?:\\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)' +
    'T(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,3})?)?' +
    '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))$',
);

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** What {@link checkInstant} found: a real instant (epoch milliseconds), or why the text is not one. */
export type InstantCheck =
  | { ok: true; epochMs: number }
  /** `shaped` is true when the text has the written form but names a day or time that does not exist. */
  | { ok: false; shaped: boolean; why: string };

/**
 * Why `YYYY-MM-DD` (already of that shape) is not a day of the Gregorian calendar, or null when it is one:
 * month 01–12, day 01 to the month's length (so 2026-02-30 and 2026-04-31 are not days).
 * @param year 0–9999, month and day as written
 * @returns e.g. "February 2026 has 28 days", or null
 */
export function whyNotARealDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `month ${String(month).padStart(2, '0')} does not exist (01–12)`;
  const length = daysInMonth(year, month);
  if (day < 1 || day > length) return `${MONTH_NAMES[month - 1]} ${year} has ${length} days`;
  return null;
}

/**
 * Checks a written instant strictly, where `Date.parse` is lenient (V8 takes 2026-02-30 for 03-02 and 24:00 for the
 * next day's 00:00): the form of {@link ISO_INSTANT_PATTERN}; a day that exists (see {@link whyNotARealDay}); hours
 * 00–23, minutes and seconds 00–59 (no leap second, no 24:00); an offset of at most ±14:00 with minutes 00–59 (the
 * offsets in use run from UTC−12:00 to UTC+14:00).
 * @param text the instant as sent, e.g. `2026-02-28T09:00:00+08:00`
 * @returns `{ ok: true, epochMs }` for a real instant; else `{ ok: false, shaped, why }` where `why` is in English
 *   and says what does not exist (e.g. "February 2026 has 28 days", "hours run 00–23, not 25")
 */
export function checkInstant(text: unknown): InstantCheck {
  const m = typeof text === 'string' ? ISO_INSTANT_PATTERN.exec(text) : null;
  if (!m) return { ok: false, shaped: false, why: 'not an ISO 8601 instant with offset' };
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fail = (why: string): InstantCheck => ({ ok: false, shaped: true, why });
  const dayProblem = whyNotARealDay(year, month, day);
  if (dayProblem) return fail(dayProblem);
  if (hour > 23) return fail(`hours run 00–23, not ${m[4]}`);
  if (minute > 59) return fail(`minutes run 00–59, not ${m[5]}`);
  if (second > 59) return fail(`seconds run 00–59, not ${m[6]}`);
  const offset = m[8]!;
  if (offset !== 'Z') {
    const [oh, om] = [Number(offset.slice(1, 3)), Number(offset.slice(4, 6))];
    if (om > 59 || oh * 60 + om > 14 * 60) return fail(`offset ${offset} is not a time zone offset (at most ±14:00)`);
  }
  const epochMs = Date.parse(text as string);
  if (Number.isNaN(epochMs)) return fail('it is outside the range of dates this system counts');
  return { ok: true, epochMs };
}
