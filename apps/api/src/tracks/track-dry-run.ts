import { calendarDaysBetween, computeDeadline, type IsoDate, type LimitUnit, type WorkingDayCalendar } from '../../../../libs/calendar/index.js';
import { stepGroupOf, type TrackDefinition } from '../../../../libs/domain/index.js';

/** One step of a dry run: when it can be accepted at the earliest and when its limit runs out. */
export interface PlannedStep {
  key: string;
  /** The day its last dependency finishes (the dry run's start for a step without dependencies); day 0 of its limit. */
  earliestStartOn: IsoDate;
  /** The last day of its published limit counted from `earliestStartOn` on the calendar. */
  earliestFinishOn: IsoDate;
  /** On the critical path. */
  critical: boolean;
}

/** The outcome of {@link planDryRun}. */
export interface DryRunPlan {
  steps: PlannedStep[];
  /** Step keys from the first step to the final one along the chain that ends last. */
  criticalPath: string[];
  /** Sums of the critical path's published limits, per unit. */
  limitWorkingDays: number;
  limitCalendarDays: number;
  /** The final step's earliest finish: the project's earliest finish. */
  earliestFinishOn: IsoDate;
  /** Working days after `startOn` up to and including `earliestFinishOn` on the calendar. */
  workingDays: number;
  /** Calendar days from `startOn` to `earliestFinishOn`. */
  calendarDays: number;
  /** True when a year the count consulted has no official notice loaded (its holidays computed from the rules). */
  provisional: boolean;
}

/**
 * The earliest schedule of a track definition from a start day, every step taking its whole published limit (承诺时限,
 * the step's `limit`) on the working-day calendar: a step is accepted on the day its last dependency finishes (on
 * `startOn` when it has none) and finishes on its deadline as the step clocks count it (libs/calendar
 * computeDeadline: the acceptance day not counted; working days on the calendar; a calendar-day period ending on a
 * rest day ends on the next working day, 民法典 Art. 203). The critical path is the chain that ends last, found by
 * following from the final step the dependency that finishes last (the first listed on a tie); a sub-step group
 * named as a dependency finishes when its last member does (mode `all`) or its first (mode `any`).
 *
 * @param def a loaded definition (steps in dependency order, as the track loader returns them)
 * @param startOn the day the first steps are accepted, YYYY-MM-DD (Asia/Shanghai)
 * @param calendar the official working-day calendar
 * @returns each step's earliest start and finish, the critical path and the earliest finish of the final step
 * @throws CalendarError `CALENDAR.INVALID_DATE` for a `startOn` that is no real day, `CALENDAR.YEAR_NOT_SUPPORTED`
 *   when the count runs into a year the calendar cannot provide
 */
export function planDryRun(def: TrackDefinition, startOn: IsoDate, calendar: WorkingDayCalendar): DryRunPlan {
  const start = new Map<string, IsoDate>();
  const finish = new Map<string, IsoDate>();
  const driver = new Map<string, string>();
  let provisional = false;
  for (const step of def.steps) {
    let from = startOn;
    for (const dep of step.dependsOn) {
      // A sub-step group finishes with its last member (all) or its first (any): that member drives.
      const group = stepGroupOf(def, dep);
      const via = group ? group.steps.reduce((a, k) => ((group.mode === 'all' ? finish.get(k)! > finish.get(a)! : finish.get(k)! < finish.get(a)!) ? k : a)) : dep;
      const last = driver.get(step.key);
      if (last === undefined || finish.get(via)! > finish.get(last)!) driver.set(step.key, via);
    }
    const last = driver.get(step.key);
    if (last !== undefined && finish.get(last)! > from) from = finish.get(last)!;
    const deadline = computeDeadline({ start: from, limit: step.limit.value, unit: step.limit.unit }, calendar);
    provisional ||= deadline.provisional;
    start.set(step.key, from);
    finish.set(step.key, deadline.dueOn!);
  }
  const path: string[] = [];
  for (let key: string | undefined = def.finalStep; key !== undefined; key = driver.get(key)) path.unshift(key);
  const onPath = new Set(path);
  const sums: Record<LimitUnit, number> = { working_days: 0, calendar_days: 0 };
  for (const key of path) {
    const limit = def.steps.find((s) => s.key === key)!.limit;
    sums[limit.unit] += limit.value;
  }
  const earliestFinishOn = finish.get(def.finalStep)!;
  return {
    steps: def.steps.map((s) => ({ key: s.key, earliestStartOn: start.get(s.key)!, earliestFinishOn: finish.get(s.key)!, critical: onPath.has(s.key) })),
    criticalPath: path,
    limitWorkingDays: sums.working_days,
    limitCalendarDays: sums.calendar_days,
    earliestFinishOn,
    workingDays: calendar.workingDaysBetween(startOn, earliestFinishOn),
    calendarDays: calendarDaysBetween(startOn, earliestFinishOn),
    provisional,
  };
}
