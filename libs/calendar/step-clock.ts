import { computeDeadline, type DeadlineInput } from './deadline.js';
import { endOfShanghaiDay, parseIsoDate, startOfShanghaiDay, formatDayNumber, type IsoDate } from './iso-date.js';
import type { WorkingDayCalendar } from './working-day-calendar.js';

/**
 * When a step's clock warns, turns red and escalates (DESIGN.md §4 "Lights"; the track's reminder policy):
 * yellow when `yellowRemainingWorkingDays` or fewer working days remain or `yellowUsedPercent` % of the
 * limit is used, whichever comes first; red once the deadline has passed; escalation to the supervisors
 * (督办) `escalateAfterWorkingDays` working days after red; then a repeat every `repeatEveryWorkingDays`.
 */
export interface ReminderPolicy {
  yellowRemainingWorkingDays: number;
  yellowUsedPercent: number;
  escalateAfterWorkingDays: number;
  repeatEveryWorkingDays: number;
}

/** The district's default policy: 2 working days or 80 %; escalate 3 working days after red; repeat every 5. */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  yellowRemainingWorkingDays: 2,
  yellowUsedPercent: 80,
  escalateAfterWorkingDays: 3,
  repeatEveryWorkingDays: 5,
});

/** A clock's deadline and the instants (ISO 8601, +08:00) at which its light changes and alerts fire. */
export interface ClockPlan {
  /** Last day of the period (Asia/Shanghai); null while an open stop holds the clock. */
  dueOn: IsoDate | null;
  /** End of `dueOn` (24:00 Asia/Shanghai): the light turns red at this instant. */
  dueAt: string | null;
  /** True while an open stop holds the clock: no thresholds are planned until it resumes. */
  stopped: boolean;
  /** True when a year the count touched has no published notice. */
  provisional: boolean;
  /** Start (00:00 Asia/Shanghai) of the first day on which the yellow condition holds; null while stopped. */
  yellowAt: string | null;
  /** End of the `escalateAfterWorkingDays`-th working day after `dueOn`; null while stopped. */
  escalateAt: string | null;
  /** The following repeats, each `repeatEveryWorkingDays` working days after the previous alert. */
  repeatAts: string[];
  /** A step clock's statutory tier (法定时限), when planned beside the published one; null while stopped. */
  statutoryDueOn?: IsoDate | null;
  statutoryDueAt?: string | null;
  /** Repeats skipped because they were already past when planned (see ClockRequest.notBefore). */
  skippedRepeats?: number;
}

/**
 * Plans a step clock (受理 on `input.start`, limit in its unit, clock stops) on the working-day calendar.
 * Counting follows {@link computeDeadline} (民法典 Art. 201–203; 行政许可法 Art. 32, 82). "Days used" on a
 * day include that day; "working days remaining" are the counting working days after it up to `dueOn`.
 *
 * @param input the clock; stops as dates (S = day of the supplement request or suspension, R = resumption)
 * @param policy thresholds; {@link DEFAULT_REMINDER_POLICY} by default
 * @param repeats how many repeat instants to plan ahead (the workflow asks again when they run out)
 * @param repeatsBefore repeats already planned and fired: the plan starts with repeat `repeatsBefore + 1`
 * @returns the plan; thresholds null while stopped
 * @throws CalendarError as {@link computeDeadline}
 */
export function planClock(
  input: DeadlineInput,
  calendar: WorkingDayCalendar,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
  repeats = 12,
  repeatsBefore = 0,
): ClockPlan {
  const deadline = computeDeadline(input, calendar);
  if (deadline.dueOn === null) {
    return { dueOn: null, dueAt: null, stopped: true, provisional: deadline.provisional, yellowAt: null, escalateAt: null, repeatAts: [] };
  }
  const start = parseIsoDate(input.start);
  const due = parseIsoDate(deadline.dueOn);
  const stops = (input.stops ?? []).map((s) => ({ from: parseIsoDate(s.from), to: s.to === null ? Number.POSITIVE_INFINITY : parseIsoDate(s.to) }));
  const stopped = (day: number): boolean => stops.some((s) => s.from < day && day <= s.to);
  const workingUnit = input.unit === 'working_days';

  // Working days that will still count after each day up to dueOn: a suffix count, built backwards.
  const remainingAfter = new Map<number, number>();
  let remaining = 0;
  for (let day = due; day >= start; day--) {
    remainingAfter.set(day, remaining);
    if (!stopped(day) && calendar.isWorkingDayNumber(day)) remaining++;
  }
  const usedThreshold = Math.ceil((input.limit * policy.yellowUsedPercent) / 100);
  let used = 0;
  let yellowOn: number | null = null;
  for (let day = start; day <= due; day++) {
    if (day > start && !stopped(day) && (!workingUnit || calendar.isWorkingDayNumber(day))) used++;
    if (used >= usedThreshold || remainingAfter.get(day)! <= policy.yellowRemainingWorkingDays) {
      yellowOn = day;
      break;
    }
  }
  const escalateOn = calendar.addWorkingDays(deadline.dueOn, policy.escalateAfterWorkingDays);
  const repeatAts: string[] = [];
  let last = calendar.addWorkingDays(escalateOn, policy.repeatEveryWorkingDays * repeatsBefore);
  for (let k = 0; k < repeats; k++) {
    last = calendar.addWorkingDays(last, policy.repeatEveryWorkingDays);
    repeatAts.push(endOfShanghaiDay(last));
  }
  return {
    dueOn: deadline.dueOn,
    dueAt: deadline.dueAt,
    stopped: false,
    provisional: deadline.provisional,
    yellowAt: startOfShanghaiDay(formatDayNumber(yellowOn ?? due)),
    escalateAt: endOfShanghaiDay(escalateOn),
    repeatAts,
  };
}

/**
 * Calendar days from `from` to `to` (`to − from`, Asia/Shanghai dates), e.g. land contract to groundbreaking.
 * @throws CalendarError `CALENDAR.INVALID_DATE` for a malformed date
 */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  return parseIsoDate(to) - parseIsoDate(from);
}

/**
 * Plans a clock with a fixed last day (a bonded-zone milestone target, the year end of 当年开工、当年竣工、当年验收):
 * due at the end of `dueOn` (not moved off a holiday), yellow from the first day on which
 * `yellowRemainingWorkingDays` or fewer working days remain or `yellowUsedPercent` % of the calendar days from
 * `start` have passed, escalation and repeats as {@link planClock}. A `dueOn` before `start` (registered too
 * late) is due at once.
 * @throws CalendarError for malformed dates or years the calendar cannot serve
 */
export function planFixedClock(
  start: IsoDate,
  dueOn: IsoDate,
  calendar: WorkingDayCalendar,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
  repeats = 12,
  repeatsBefore = 0,
): ClockPlan {
  const from = parseIsoDate(start, 'start');
  const due = parseIsoDate(dueOn, 'dueOn');
  let yellowOn = from;
  if (due > from) {
    const span = due - from;
    yellowOn = due;
    // Working days after `day` up to the due day: counted once, then one less for each working day walked past.
    let remaining = calendar.workingDaysBetween(start, dueOn);
    for (let day = from; day <= due; day++) {
      const elapsedPercent = ((day - from) * 100) / span;
      if (day > from && calendar.isWorkingDayNumber(day)) remaining--;
      if (remaining <= policy.yellowRemainingWorkingDays || elapsedPercent >= policy.yellowUsedPercent) {
        yellowOn = day;
        break;
      }
    }
  }
  const escalateOn = calendar.addWorkingDays(dueOn, policy.escalateAfterWorkingDays);
  const repeatAts: string[] = [];
  let last = calendar.addWorkingDays(escalateOn, policy.repeatEveryWorkingDays * repeatsBefore);
  for (let k = 0; k < repeats; k++) {
    last = calendar.addWorkingDays(last, policy.repeatEveryWorkingDays);
    repeatAts.push(endOfShanghaiDay(last));
  }
  const years = new Set([Number(start.slice(0, 4)), Number(dueOn.slice(0, 4))]);
  return {
    dueOn,
    dueAt: endOfShanghaiDay(dueOn),
    stopped: false,
    provisional: [...years].some((y) => calendar.isYearProvisional(y)),
    yellowAt: startOfShanghaiDay(formatDayNumber(Math.min(yellowOn, Math.max(from, due)))),
    escalateAt: endOfShanghaiDay(escalateOn),
    repeatAts,
  };
}
