import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import { civilOf, endOfShanghaiDay, formatDayNumber, parseIsoDate, type DayNumber, type IsoDate } from './iso-date.js';
import type { WorkingDayCalendar } from './working-day-calendar.js';

/** The unit of a statutory limit: agency working days, or calendar days ("日" read as natural days). */
export type LimitUnit = 'working_days' | 'calendar_days';

/** Every {@link LimitUnit}, for validation at the edges. */
export const LIMIT_UNITS: readonly LimitUnit[] = Object.freeze(['working_days', 'calendar_days']);

/** Bounds of a limit (in its unit): 1 day to about ten years. */
export const MIN_LIMIT = 1;
export const MAX_LIMIT = 3650;

/**
 * A clock stop (补正, or a project suspension): `from` is S, the day the supplement request was issued; `to` is
 * R, the day the applicant resubmitted, or `null` while still stopped. Days up to and including S count; days
 * after S up to and including R do not; counting resumes the day after R.
 */
export interface ClockStop {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
}

/** A step's statutory clock: accepted (受理) on `start`, `limit` days in `unit`, with its clock stops. */
export interface DeadlineInput {
  /** Acceptance day (`YYYY-MM-DD`, Asia/Shanghai); day 0, not counted. */
  readonly start: IsoDate;
  /** Integer 1–3650, in `unit`. */
  readonly limit: number;
  readonly unit: LimitUnit;
  /** In any order; they may touch (one's R = the next one's S) but not overlap; at most one open, and last. */
  readonly stops?: readonly ClockStop[];
}

/** A computed deadline and the step's ledger numbers. Day counts are in the limit's unit. */
export interface Deadline {
  /** The last day of the period (Asia/Shanghai); `null` while an open stop holds the clock before the limit. */
  readonly dueOn: IsoDate | null;
  /** End of `dueOn` (24:00 Asia/Shanghai) as an ISO instant with offset, e.g. `2025-09-29T00:00:00+08:00`. */
  readonly dueAt: string | null;
  /** True when an open stop (`to: null`) began before the limit was reached, so `dueOn` is unknown. */
  readonly stopped: boolean;
  /** True when a year the computation consulted has no notice loaded (see `provisionalYear`). */
  readonly provisional: boolean;
  /** Days counted (capped at `limit`). */
  readonly usedDays: number;
  /** `limit − usedDays`. */
  readonly remainingDays: number;
  /** Days excluded by stops before the count reached the limit (working days for a working-day limit). */
  readonly clockStoppedDays: number;
}

/** {@link Deadline} seen on a given day, plus the numbers the lights and escalation need. */
export interface DeadlineStatus extends Deadline {
  /** The day the status is for; days up to and including it count as used. */
  readonly asOf: IsoDate;
  /** True once `asOf` is after `dueOn` (the period expired at the end of `dueOn`). */
  readonly overdue: boolean;
  /** Working days among the counted days (equals `usedDays` for a working-day limit). */
  readonly usedWorkingDays: number;
  /**
   * Working days left after `asOf` up to and including `dueOn` (0 once due); while stopped, the working days
   * still to run for a working-day limit, and `null` for a calendar-day limit (they depend on the resumption).
   */
  readonly remainingWorkingDays: number | null;
  /** Working days after `dueOn` up to and including `asOf` (0 unless overdue), for "3 working days after red". */
  readonly overdueWorkingDays: number;
}

interface Stop {
  readonly from: DayNumber;
  readonly to: DayNumber | null;
}

interface Clock {
  readonly start: DayNumber;
  readonly limit: number;
  readonly unit: LimitUnit;
  /** Sorted by `from`, non-overlapping, an open one only last. */
  readonly stops: readonly Stop[];
}

function invalid(code: CalendarErrorCode, field: string, message: string): CalendarError {
  return new CalendarError(code, field, `${field}: ${message}`);
}

/**
 * Validates a {@link DeadlineInput}, naming the wrong field.
 * @throws CalendarError `CALENDAR.INVALID_DATE` (malformed `start` or `stops[i].from/to`),
 *   `CALENDAR.INVALID_LIMIT` (not an integer in 1–3650), `CALENDAR.INVALID_UNIT`, `CALENDAR.INVALID_STOP`
 *   (a stop ending before it starts, starting before `start`, overlapping another, or following an open one).
 */
function toClock(input: DeadlineInput): Clock {
  const start = parseIsoDate(input.start, 'start');
  const { limit, unit } = input;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < MIN_LIMIT || limit > MAX_LIMIT) {
    const shown = typeof limit === 'number' ? String(limit) : JSON.stringify(limit);
    throw invalid(CalendarErrorCode.InvalidLimit, 'limit', `${shown} is not a whole number of days in ${MIN_LIMIT}–${MAX_LIMIT}`);
  }
  if (!LIMIT_UNITS.includes(unit)) {
    throw invalid(CalendarErrorCode.InvalidUnit, 'unit', `${JSON.stringify(unit)} is not a limit unit; expected ${LIMIT_UNITS.join(' or ')}`);
  }
  const given = input.stops ?? [];
  if (!Array.isArray(given)) throw invalid(CalendarErrorCode.InvalidStop, 'stops', 'must be an array of { from, to }');
  const stops = given
    .map((stop: ClockStop, i) => {
      const from = parseIsoDate(stop?.from, `stops[${i}].from`);
      const to = stop.to === null ? null : parseIsoDate(stop.to, `stops[${i}].to`);
      if (from < start) {
        throw invalid(CalendarErrorCode.InvalidStop, `stops[${i}].from`, `${stop.from} is before the acceptance day (start ${input.start})`);
      }
      if (to !== null && to < from) {
        throw invalid(CalendarErrorCode.InvalidStop, `stops[${i}].to`, `${stop.to} is before the stop's start (stops[${i}].from ${stop.from})`);
      }
      return { from, to, i };
    })
    .sort((a, b) => a.from - b.from || a.i - b.i);
  stops.forEach((stop, k) => {
    const previous = stops[k - 1];
    if (!previous) return;
    if (previous.to === null) {
      throw invalid(CalendarErrorCode.InvalidStop, `stops[${stop.i}].from`, `${formatDayNumber(stop.from)} is after stops[${previous.i}], which is still open (to: null)`);
    }
    if (stop.from < previous.to) {
      throw invalid(
        CalendarErrorCode.InvalidStop,
        `stops[${stop.i}].from`,
        `${formatDayNumber(stop.from)} overlaps stops[${previous.i}] (${formatDayNumber(previous.from)} – ${formatDayNumber(previous.to)})`,
      );
    }
  });
  return { start, limit, unit, stops: stops.map(({ from, to }) => ({ from, to })) };
}

/** The clock as it stood at the end of `asOf`: later stops not yet issued, a stop not yet resumed still open. */
function asOfClock(clock: Clock, asOf: DayNumber): Clock {
  return {
    ...clock,
    stops: clock.stops
      .filter((stop) => stop.from <= asOf)
      .map((stop) => (stop.to !== null && stop.to > asOf ? { from: stop.from, to: null } : stop)),
  };
}

interface Walk {
  /** Days counted toward the limit. */
  readonly counted: number;
  /** Counted days that are working days (tracked only when asked). */
  readonly countedWorkingDays: number;
  /** Days (in the unit) inside stops. */
  readonly stoppedDays: number;
  /** The day the count reached the limit, or null. */
  readonly reachedOn: DayNumber | null;
  /** True when an open stop ended an unbounded walk. */
  readonly blocked: boolean;
}

/**
 * Counts days after `start` (民法典 Art. 201: the first day is not counted) up to the day the count reaches the
 * limit, or up to `horizon` inclusive. A day counts when it is outside every stop's (S, R] and is a working day
 * (working-day limit) or any day (calendar-day limit). Without a horizon an open stop ends the walk.
 */
function walk(clock: Clock, calendar: WorkingDayCalendar, horizon = Number.POSITIVE_INFINITY, trackWorkingDays = false): Walk {
  const workingDayLimit = clock.unit === 'working_days';
  let counted = 0;
  let countedWorkingDays = 0;
  let stoppedDays = 0;
  let next = 0;
  for (let day = clock.start + 1; counted < clock.limit && day <= horizon; day++) {
    while (next < clock.stops.length && clock.stops[next].to !== null && (clock.stops[next].to as number) < day) next++;
    const stop = clock.stops[next];
    const inStop = stop !== undefined && stop.from < day;
    if (inStop && stop.to === null && horizon === Number.POSITIVE_INFINITY) {
      return { counted, countedWorkingDays, stoppedDays, reachedOn: null, blocked: true };
    }
    const working = workingDayLimit || trackWorkingDays ? calendar.isWorkingDayNumber(day) : false;
    if (inStop) {
      if (!workingDayLimit || working) stoppedDays++;
      continue;
    }
    if (working) countedWorkingDays++;
    if (!workingDayLimit || working) {
      counted++;
      if (counted === clock.limit) return { counted, countedWorkingDays, stoppedDays, reachedOn: day, blocked: false };
    }
  }
  return { counted, countedWorkingDays, stoppedDays, reachedOn: null, blocked: false };
}

function anyProvisional(calendar: WorkingDayCalendar, from: DayNumber, to: DayNumber): boolean {
  for (let year = civilOf(from)[0]; year <= civilOf(to)[0]; year++) if (calendar.isYearProvisional(year)) return true;
  return false;
}

function nextWorkingDayNumber(calendar: WorkingDayCalendar, day: DayNumber): DayNumber {
  let next = day;
  while (!calendar.isWorkingDayNumber(next)) next++;
  return next;
}

/** The deadline of a validated clock, with its ledger numbers as of `usedAsOf`. */
function deadlineOf(clock: Clock, calendar: WorkingDayCalendar, usedAsOf: DayNumber): Deadline & { reachedOn: DayNumber | null } {
  const full = walk(clock, calendar);
  let dueOn: DayNumber | null = full.reachedOn;
  let provisional = false;
  if (full.reachedOn !== null) {
    // 民法典 Art. 203 / 民事诉讼法 Art. 85: a period whose last day is a holiday ends on the first day after it.
    // Automatic for working-day limits; calendar-day limits move to the next working day.
    dueOn = nextWorkingDayNumber(calendar, full.reachedOn);
    const consultedFrom = clock.unit === 'working_days' ? clock.start + 1 : full.reachedOn;
    provisional = anyProvisional(calendar, consultedFrom, dueOn);
  } else if (clock.unit === 'working_days') {
    // Blocked by the open stop, which is the last one: the days up to its S were consulted.
    const openFrom = clock.stops[clock.stops.length - 1].from;
    provisional = openFrom > clock.start && anyProvisional(calendar, clock.start + 1, openFrom);
  }
  const used = walk(clock, calendar, usedAsOf).counted;
  return {
    dueOn: dueOn === null ? null : formatDayNumber(dueOn),
    dueAt: dueOn === null ? null : endOfShanghaiDay(formatDayNumber(dueOn)),
    stopped: full.blocked,
    provisional,
    usedDays: used,
    remainingDays: clock.limit - used,
    clockStoppedDays: full.stoppedDays,
    reachedOn: full.reachedOn,
  };
}

/**
 * The deadline of a statutory time limit on the working-day calendar, and the step's ledger as of its last
 * recorded event (the last stop's S, else the acceptance day): `usedDays`, `remainingDays`.
 *
 * Rules (民法典 Art. 201–203, 民事诉讼法 Art. 85, 行政许可法 Art. 82):
 * - the acceptance day does not count (期间开始之日不计算在内); counting starts the next working day (or the
 *   next day, for calendar-day limits); the deadline is the day the count reaches `limit`, ending at 24:00
 *   Asia/Shanghai (`dueAt`);
 * - a calendar-day period whose last day is not a working day ends on the next working day (民法典 Art. 203;
 *   weekends treated as rest days like statutory holidays);
 * - clock stops (行政许可法 Art. 32 补正 / suspension): days up to and including S count, days after S up to and
 *   including R do not, counting resumes after R; an open stop leaves `dueOn: null`, `stopped: true`. A stop
 *   issued after the count reached the limit does not move the deadline.
 *
 * Example: accepted Mon 2025-09-22, 5 working days → dueOn `2025-09-28` (a make-up Sunday); with a stop
 * 2025-09-24 → 2025-10-09: usedDays 2, remainingDays 3, clockStoppedDays 6, dueOn `2025-10-13`.
 *
 * @throws CalendarError naming the wrong field: `CALENDAR.INVALID_DATE` (malformed date),
 *   `CALENDAR.INVALID_LIMIT` (limit not an integer 1–3650), `CALENDAR.INVALID_UNIT`, `CALENDAR.INVALID_STOP`
 *   (stop ends before it starts, starts before `start`, overlaps another or follows an open one);
 *   `CALENDAR.YEAR_NOT_SUPPORTED` when the count reaches a year the calendar cannot provide.
 */
export function computeDeadline(input: DeadlineInput, calendar: WorkingDayCalendar): Deadline {
  const clock = toClock(input);
  const lastEvent = clock.stops.length === 0 ? clock.start : clock.stops[clock.stops.length - 1].from;
  const { reachedOn: _reachedOn, ...deadline } = deadlineOf(clock, calendar, lastEvent);
  return deadline;
}

/**
 * The ledger of a statutory clock as it stood at the end of `asOf` (Asia/Shanghai): stops issued after `asOf`
 * are ignored and a stop resumed after `asOf` is still open. Days up to and including `asOf` count as used.
 * Used by the workflow's activities for "used working days as of today", the lights (yellow at ≤ 2 remaining
 * working days or 80 % used; red once overdue) and escalation (working days since the deadline).
 *
 * Same counting rules and sources as {@link computeDeadline}; for `asOf` before the acceptance day nothing is
 * used yet. `clockStoppedDays` counts stop days up to `asOf` (including the open stop's).
 * @throws CalendarError as {@link computeDeadline}, and `CALENDAR.INVALID_DATE` for a malformed `asOf`.
 */
export function usedAsOf(input: DeadlineInput, asOf: IsoDate, calendar: WorkingDayCalendar): DeadlineStatus {
  const today = parseIsoDate(asOf, 'asOf');
  const clock = asOfClock(toClock(input), today);
  const deadline = deadlineOf(clock, calendar, today);
  const seen = walk(clock, calendar, today, true);
  const dueOn = deadline.dueOn === null ? null : parseIsoDate(deadline.dueOn);
  const overdue = dueOn !== null && today > dueOn;
  let remainingWorkingDays: number | null;
  if (dueOn === null) remainingWorkingDays = clock.unit === 'working_days' ? deadline.remainingDays : null;
  else remainingWorkingDays = today >= dueOn ? 0 : calendar.workingDaysBetween(formatDayNumber(Math.max(today, clock.start)), deadline.dueOn as IsoDate);
  return {
    asOf: formatDayNumber(today),
    dueOn: deadline.dueOn,
    dueAt: deadline.dueAt,
    stopped: deadline.stopped,
    provisional: deadline.provisional,
    usedDays: deadline.usedDays,
    remainingDays: deadline.remainingDays,
    clockStoppedDays: seen.stoppedDays,
    overdue,
    usedWorkingDays: seen.countedWorkingDays,
    remainingWorkingDays,
    overdueWorkingDays: overdue ? calendar.workingDaysBetween(deadline.dueOn as IsoDate, formatDayNumber(today)) : 0,
  };
}
