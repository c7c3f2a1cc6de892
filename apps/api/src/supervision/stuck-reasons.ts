import { addDays, shanghaiDateOf, type IsoDate, type WorkingDayCalendar } from '../../../../libs/calendar/index.js';
import type { StuckKind, StuckRow } from '../../../../libs/persistence/index.js';

/** Why a project is stuck: which step, whose desk, how many working days (DESIGN.md §5 "stuck project"). */
export interface StuckReason {
  kind: StuckKind;
  step: string | null;
  department: string | null;
  /**
   * statutory_overdue: working days after the last day of the statutory limit (法定时限); overdue: working days
   * after the step's last day (published limit); idle: working days since the last progress; at_risk: working
   * days the forecast runs past the hard deadline.
   */
  workingDays: number | null;
  detail: string;
}

/**
 * The first day of the idle window: a project is idle as of `today` when its last progress fell before this
 * day, i.e. at least `n` working days `d` with `lastProgressDay < d ≤ today` have passed (the counting of
 * `WorkingDayCalendar.workingDaysBetween`). It is the `n`-th most recent working day on or before `today`.
 * E.g. today 2026-11-20 (Friday), n = 10 → 2026-11-09: progress on 2026-11-06 is 10 working days old.
 * @throws CalendarError for a year the calendar cannot serve
 */
export function idleWindowStart(calendar: WorkingDayCalendar, today: IsoDate, n: number): IsoDate {
  return calendar.addWorkingDays(addDays(today, 1), -n);
}

/** Working days `d` with `from < d ≤ to` on `calendar`, or null when the calendar cannot serve the years. */
function workingDaysAfter(calendar: WorkingDayCalendar, from: IsoDate, to: IsoDate): number | null {
  try {
    return calendar.workingDaysBetween(from, to);
  } catch {
    return null;
  }
}

/**
 * The reasons of one stuck row as of `today` (an Asia/Shanghai date), gravest first: one `statutory_overdue`
 * per open step past its statutory limit (法定时限; earliest statutory deadline first; working days counted from
 * the statutory last day `statutoryDueOn`), then one `overdue` per red step (earliest deadline first; working
 * days counted from the step's last day `dueOn`, as the step ledger counts `overdueWorkingDays`; a step past its
 * statutory limit is red too and appears under both), then `at_risk` (the negated slack of the forecast), then
 * `idle` (working days since the last progress). Working days are counted on `calendar`; a count it cannot
 * serve (a year without data) is null, never an error.
 */
export function stuckReasons(row: StuckRow, calendar: WorkingDayCalendar, today: IsoDate): StuckReason[] {
  const reasons: StuckReason[] = row.statutorySteps.map((s) => {
    const days = s.statutoryDueOn === null ? null : workingDaysAfter(calendar, s.statutoryDueOn, today);
    return {
      kind: 'statutory_overdue',
      step: s.step,
      department: s.department,
      workingDays: days,
      detail:
        s.statutoryDueOn === null
          ? `${s.name}: past the statutory limit (法定时限), clock stopped (${s.state})`
          : `${s.name}: statutory limit (法定时限) ended ${s.statutoryDueOn}, ${days ?? '?'} working days over`,
    };
  });
  reasons.push(...row.redSteps.map((s): StuckReason => {
    const days = s.dueOn === null ? null : workingDaysAfter(calendar, s.dueOn, today);
    return {
      kind: 'overdue',
      step: s.step,
      department: s.department,
      workingDays: days,
      detail: s.dueOn === null ? `${s.name}: overdue, clock stopped (${s.state})` : `${s.name}: due ${s.dueOn}, ${days ?? '?'} working days over`,
    };
  }));
  if (row.atRisk) {
    reasons.push({
      kind: 'at_risk',
      step: null,
      department: null,
      workingDays: row.slackWorkingDays === null ? null : -row.slackWorkingDays,
      detail: row.atRiskReason ?? (row.forecastFinishOn ? `forecast finish ${row.forecastFinishOn} is past a hard deadline` : 'forecast past a hard deadline'),
    });
  }
  if (row.idle) {
    const since = shanghaiDateOf(row.lastProgressAt);
    const days = workingDaysAfter(calendar, since, today);
    reasons.push({ kind: 'idle', step: null, department: null, workingDays: days, detail: `no progress since ${since} (${days ?? '?'} working days)` });
  }
  return reasons;
}
