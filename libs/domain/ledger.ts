/*
 * The ledger of a step's clock: how an extension (延期) enters a limit, where the clock's last day falls, and the
 * numbers an officer reads (days used, left, stopped, overdue). Pure: the planning activity, the domain's clock
 * requests and the API's step ledger all count with these functions, so a deadline and its ledger cannot disagree.
 *
 * The rule (research/statutory-limits.md §2.1): an extension adds *working days* — 行政许可法 Art. 42 ¶1 (10 days,
 * the agency head), Art. 42 ¶2 (15 days, joint handling), 企业投资项目核准和备案管理条例 Art. 10 (≤ 40 WD) — because
 * Art. 82 counts the limits of that law in working days. On a working-day limit the added days simply lengthen the
 * count. On a calendar-day limit (a statute's plain "日" read as natural days, e.g. 建筑法 Art. 8's 7 日) the
 * working days cannot join the calendar-day count: the period is counted as written and its last day then moves by
 * the extension's working days.
 */
import { shanghaiDateOf, usedAsOf, type IsoDate, type WorkingDayCalendar } from '../calendar/index.js';
import type { ClockDeadline, LimitUnit, StepState, StepView } from './index.js';

/**
 * What a clock counts once an extension is applied: `limit` days in `unit` from the start, then the last day moved by
 * `shiftWorkingDays` working days (always 0 on a working-day limit, where the extension is in `limit`).
 */
export interface CountedLimit {
  limit: number;
  unit: LimitUnit;
  shiftWorkingDays: number;
}

/**
 * How an extension enters a limit (see the module comment: 行政许可法 Art. 42, 82).
 * @param limit the limit as defined (days in its unit)
 * @param extensionWorkingDays working days the granted extension adds (0 without one)
 * @returns a working-day limit lengthened by the extension; a calendar-day limit as written, with the extension as
 *   the working days its last day moves
 */
export function countedLimit(limit: { value: number; unit: LimitUnit }, extensionWorkingDays: number): CountedLimit {
  if (limit.unit === 'working_days') return { limit: limit.value + extensionWorkingDays, unit: limit.unit, shiftWorkingDays: 0 };
  return { limit: limit.value, unit: limit.unit, shiftWorkingDays: extensionWorkingDays };
}

/**
 * The last day of a calendar-day period after an extension: the counted last day moved by `shiftWorkingDays`
 * working days on `calendar` (the day itself not counted, 民法典 Art. 201). Unchanged without a shift or while an
 * open clock stop leaves the day unknown (`null`).
 * @throws CalendarError when the moved day falls in a year the calendar cannot serve
 */
export function shiftedDueOn(dueOn: IsoDate | null, shiftWorkingDays: number, calendar: WorkingDayCalendar): IsoDate | null {
  if (dueOn === null || shiftWorkingDays <= 0) return dueOn;
  return calendar.addWorkingDays(dueOn, shiftWorkingDays);
}

/**
 * A clock as its ledger counts it: the start day (day 0, Asia/Shanghai: acceptance 受理, or a joint group's first
 * acceptance), the limit as defined, the extension's working days and the clock stops (S, R] as dates.
 */
export interface LedgerClock {
  start: IsoDate;
  limit: number;
  unit: LimitUnit;
  extensionWorkingDays: number;
  stops: ReadonlyArray<{ from: IsoDate; to: IsoDate | null }>;
}

/** A clock's ledger on one day. Day counts are whole days; `usedDays` is in the limit's unit. */
export interface ClockLedger {
  /** The day (Asia/Shanghai) the numbers are for. */
  asOf: IsoDate;
  usedDays: number;
  usedWorkingDays: number;
  /** Working days left up to the last day (0 once due); null while a calendar-day clock is stopped. */
  remainingWorkingDays: number | null;
  /** Days excluded by clock stops (补正, suspension, excluded periods) up to `asOf`. */
  clockStoppedDays: number;
  /** Working days after the last day up to `asOf` (0 unless overdue). */
  overdueWorkingDays: number;
}

/**
 * The ledger of a clock as it stood at the end of `asOf`, counted as the deadline is (libs/calendar `usedAsOf`:
 * 民法典 Art. 201–203, 行政许可法 Art. 32, 82) with the extension applied by {@link countedLimit} and
 * {@link shiftedDueOn}: on a calendar-day limit, the working days left and overdue run to the moved last day.
 * @throws CalendarError for malformed dates or stops, or a year the calendar cannot serve
 */
export function clockLedger(clock: LedgerClock, asOf: IsoDate, calendar: WorkingDayCalendar): ClockLedger {
  const counted = countedLimit({ value: clock.limit, unit: clock.unit }, clock.extensionWorkingDays);
  const status = usedAsOf({ start: clock.start, limit: counted.limit, unit: counted.unit, stops: clock.stops }, asOf, calendar);
  let { remainingWorkingDays, overdueWorkingDays } = status;
  const dueOn = shiftedDueOn(status.dueOn, counted.shiftWorkingDays, calendar);
  if (dueOn !== null && dueOn !== status.dueOn) {
    remainingWorkingDays = status.asOf >= dueOn ? 0 : calendar.workingDaysBetween(status.asOf > clock.start ? status.asOf : clock.start, dueOn);
    overdueWorkingDays = status.asOf > dueOn ? calendar.workingDaysBetween(dueOn, status.asOf) : 0;
  }
  return {
    asOf: status.asOf,
    usedDays: status.usedDays,
    usedWorkingDays: status.usedWorkingDays,
    remainingWorkingDays,
    clockStoppedDays: status.clockStoppedDays,
    overdueWorkingDays,
  };
}

/** Step states whose ledger is shown: an open clock (counted to today) or a decided step (to its decision day). */
export const LEDGER_STEP_STATES = ['in_review', 'supplement_requested', 'approved', 'delivered', 'waived', 'rejected'] as const satisfies readonly StepState[];

/** States whose clock is still open: their ledger runs to today even when an earlier decision was recorded. */
const OPEN_CLOCK_STATES: readonly StepState[] = ['in_review', 'supplement_requested'];

/** What a step's ledger is computed from: fields of the step's view. */
export type LedgerStep = Pick<StepView, 'state' | 'acceptedAt' | 'decidedAt' | 'limit' | 'clockInput' | 'clockStops'>;

/**
 * A step's ledger as of `today` (Asia/Shanghai) for an open clock, or as of the decision day for a decided step; null
 * before acceptance, in a state without a ledger, or when the calendar cannot serve the years (the planned deadline
 * still shows). It counts what the published deadline counts — the step's `clockInput`: its start day (a joint
 * group's first acceptance, 行政许可法 Art. 42 ¶2), its limit and the extension's working days; without one (a step
 * recorded before the input was kept), from the acceptance day with the step's limit and no extension.
 */
export function stepLedger(step: LedgerStep, today: IsoDate, calendar: WorkingDayCalendar): ClockLedger | null {
  if (step.acceptedAt === null || !(LEDGER_STEP_STATES as readonly StepState[]).includes(step.state)) return null;
  const decided = step.decidedAt !== null && !OPEN_CLOCK_STATES.includes(step.state);
  const asOf = decided ? shanghaiDateOf(step.decidedAt!) : today;
  const input = step.clockInput;
  const clock: LedgerClock = {
    start: input ? input.start : shanghaiDateOf(step.acceptedAt),
    limit: input ? input.limit : step.limit.value,
    unit: input ? input.unit : step.limit.unit,
    extensionWorkingDays: input?.extraWorkingDays ?? 0,
    stops: step.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) })),
  };
  try {
    return clockLedger(clock, asOf, calendar);
  } catch {
    return null; // a year the calendar cannot serve: the deadline fields still show what was planned
  }
}

/**
 * The statutory deadline (法定时限) of a step's clock as the workflow planned it: its `statutoryDueOn`/`statutoryDueAt`
 * when the clock was planned with a statutory tier (both null while the clock is stopped), else the published
 * deadline (`dueOn`/`dueAt`: the statutory limit is the published one). Both null without a deadline.
 */
export function statutoryDueOf(deadline: ClockDeadline | null | undefined): { dueOn: string | null; dueAt: string | null } {
  if (!deadline) return { dueOn: null, dueAt: null };
  if (deadline.statutoryDueAt !== undefined) return { dueOn: deadline.statutoryDueOn ?? null, dueAt: deadline.statutoryDueAt };
  return { dueOn: deadline.dueOn ?? null, dueAt: deadline.dueAt ?? null };
}
