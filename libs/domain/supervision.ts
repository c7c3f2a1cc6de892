/*
 * Supervision rules (督办, DESIGN.md §4 "Stuck"): which step states sit on whose desk, when a project counts as
 * stuck and why, in what order supervisors see it, and the words of each reason. Pure: the read model builds its
 * SQL from these lists and the API counts working days with these functions; neither retypes them.
 */
import { addDays, shanghaiDateOf, type IsoDate, type WorkingDayCalendar } from '../calendar/index.js';
import type { ClockDeadline, ProjectStatus, StepState } from './index.js';
import { statutoryDueOf } from './ledger.js';

/**
 * Step states that sit on a department's desk (the work queue): ready (waiting for the applicant's submission),
 * received (收件: the department owes acceptance or a one-time supplement notice within 5 working days, 行政许可法
 * Art. 32), in review (受理: the department's clock runs) and supplement requested (补正: the applicant's move).
 */
export const OPEN_STEP_STATES = ['ready', 'received', 'in_review', 'supplement_requested'] as const satisfies readonly StepState[];

/** One of {@link OPEN_STEP_STATES}. */
export type OpenStepState = (typeof OPEN_STEP_STATES)[number];

/**
 * Step states whose clock has started and is not decided: in review, or waiting for a supplement (补正). Only these
 * steps fall due: a ready or received step has no clock yet (a receipt's 5-day acceptance window is not the step's
 * deadline), a decided one no longer; a stopped clock has no due day and so falls in no due range.
 */
export const DUE_STEP_STATES = ['in_review', 'supplement_requested'] as const satisfies readonly OpenStepState[];

/**
 * Step states in which a statutory-overdue flag (past the 法定时限) makes a project stuck: the clock is open
 * (accepted, in review or waiting for a supplement). A decided step keeps its flag as history but no longer counts.
 */
export const STATUTORY_OPEN_STATES = ['in_review', 'supplement_requested'] as const satisfies readonly OpenStepState[];

/** Project statuses whose projects can be stuck: the workflow is still running (a suspended project too). */
export const RUNNING_STATUSES = ['active', 'suspended'] as const satisfies readonly ProjectStatus[];

/** Project statuses of a finished workflow: every status but {@link RUNNING_STATUSES}. */
export const CLOSED_STATUSES = ['completed', 'cancelled'] as const satisfies readonly Exclude<ProjectStatus, (typeof RUNNING_STATUSES)[number]>[];
// Every status is running or closed: a status added to ProjectStatus without a side fails to compile here.
const _everyStatusHasASide: [Exclude<ProjectStatus, (typeof RUNNING_STATUSES)[number] | (typeof CLOSED_STATUSES)[number]>] extends [never] ? true : never = true;

/** The light of a step past its published deadline: such a step makes its project `overdue`. */
export const OVERDUE_LIGHT = 'red' as const;

/**
 * Reasons a project is stuck; wire values of a reason's `kind` (this order is the API's enum). `statutory_overdue`:
 * an open step past its statutory limit (法定时限), graver than `overdue` (a red step, past the published limit);
 * `idle`: nothing progressed for N working days; `at_risk`: the remaining work cannot fit before a hard deadline.
 */
export const STUCK_KINDS = ['statutory_overdue', 'overdue', 'idle', 'at_risk'] as const;

/** One of {@link STUCK_KINDS}. */
export type StuckKind = (typeof STUCK_KINDS)[number];

/**
 * The urgency tiers of the stuck list, most urgent first: a project sits in the tier of its most urgent reason
 * (past the statutory limit, then red, then at risk, then idle).
 */
export const STUCK_URGENCY = ['statutory_overdue', 'overdue', 'at_risk', 'idle'] as const satisfies readonly StuckKind[];

/**
 * Whose move a step on the desk waits for (the work queue's `waitingOn`): the department (reviewing), the
 * department's acceptance (收件 → 受理 or 补正 within 5 working days, 行政许可法 Art. 32), the applicant's
 * submission (ready), or the applicant's supplement (补正).
 */
export type WaitingOn = 'department' | 'department_acceptance' | 'applicant_submission' | 'applicant_supplement';

/** The rule behind {@link waitingOn}: desk state → whose move it is. */
export const WAITING_ON: Readonly<Record<OpenStepState, WaitingOn>> = {
  in_review: 'department',
  received: 'department_acceptance',
  ready: 'applicant_submission',
  supplement_requested: 'applicant_supplement',
};

/**
 * Whose move a step in `state` waits for; a state off the desk (blocked, decided) reads as the department's.
 * @param state a step state (a read-model column value)
 */
export function waitingOn(state: string): WaitingOn {
  return Object.hasOwn(WAITING_ON, state) ? WAITING_ON[state as OpenStepState] : 'department';
}

/**
 * The work queue's tiers, first served first: the department's own move (in review, received: oldest acceptance
 * or receipt first), then steps waiting for the applicant's submission, then those waiting for a supplement.
 */
export const DESK_TIERS: Readonly<Record<OpenStepState, number>> = { in_review: 0, received: 0, ready: 1, supplement_requested: 2 };

/** A red step of a stuck project. `dueOn` is its last day (Asia/Shanghai), `dueAt` the ISO instant of its end. */
export interface RedStep {
  step: string;
  name: string;
  department: string;
  state: string;
  dueOn: string | null;
  dueAt: string | null;
}

/**
 * An open step of a stuck project past its statutory limit (法定时限). `statutoryDueOn` is its last day
 * (Asia/Shanghai), `statutoryDueAt` the ISO instant of its end; both null while the step's clock is stopped.
 */
export interface StatutoryOverdueStep {
  step: string;
  name: string;
  department: string;
  state: string;
  statutoryDueOn: string | null;
  statutoryDueAt: string | null;
}

/** What makes a project stuck, as the read model holds it (the flags decided by the SQL from these lists). */
export interface StuckFacts {
  lastProgressAt: Date;
  atRisk: boolean;
  atRiskReason: string | null;
  forecastFinishOn: string | null;
  /** Working days of slack the forecast leaves before the hard deadline (negative: past it). */
  slackWorkingDays: number | null;
  /** The step that drives the at-risk forecast and its department (null, or absent, when the forecast names none). */
  atRiskStep?: string | null;
  atRiskDepartment?: string | null;
  idle: boolean;
  /** Open steps past the statutory limit, earliest statutory deadline first. */
  statutorySteps: StatutoryOverdueStep[];
  /** Red steps, earliest deadline first. */
  redSteps: RedStep[];
}

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

/** The words of each stuck reason (English, as the API has always answered them; `?` for an uncounted number). */
export const STUCK_REASON_TEXTS = {
  statutoryStopped: (name: string, state: string) => `${name}: past the statutory limit (法定时限), clock stopped (${state})`,
  statutory: (name: string, dueOn: string, days: number | null) => `${name}: statutory limit (法定时限) ended ${dueOn}, ${days ?? '?'} working days over`,
  overdueStopped: (name: string, state: string) => `${name}: overdue, clock stopped (${state})`,
  overdue: (name: string, dueOn: string, days: number | null) => `${name}: due ${dueOn}, ${days ?? '?'} working days over`,
  atRisk: (forecastFinishOn: string | null) => (forecastFinishOn ? `forecast finish ${forecastFinishOn} is past a hard deadline` : 'forecast past a hard deadline'),
  idle: (since: string, days: number | null) => `no progress since ${since} (${days ?? '?'} working days)`,
} as const;

/**
 * The reasons of one stuck project as of `today` (an Asia/Shanghai date), gravest first: one `statutory_overdue`
 * per open step past its statutory limit (法定时限; earliest statutory deadline first; working days counted from
 * the statutory last day `statutoryDueOn`), then one `overdue` per red step (earliest deadline first; working
 * days counted from the step's last day `dueOn`, as the step ledger counts `overdueWorkingDays`; a step past its
 * statutory limit is red too and appears under both), then `at_risk` (the negated slack of the forecast; the
 * step that drives the forecast and its department; the forecast's own reason as detail when it gave one), then `idle` (working days since the last progress). Working
 * days are counted on `calendar`; a count it cannot serve (a year without data) is null, never an error.
 */
export function stuckReasons(facts: StuckFacts, calendar: WorkingDayCalendar, today: IsoDate): StuckReason[] {
  const reasons: StuckReason[] = facts.statutorySteps.map((s) => {
    const days = s.statutoryDueOn === null ? null : workingDaysAfter(calendar, s.statutoryDueOn, today);
    return {
      kind: 'statutory_overdue',
      step: s.step,
      department: s.department,
      workingDays: days,
      detail: s.statutoryDueOn === null ? STUCK_REASON_TEXTS.statutoryStopped(s.name, s.state) : STUCK_REASON_TEXTS.statutory(s.name, s.statutoryDueOn, days),
    };
  });
  for (const s of facts.redSteps) {
    const days = s.dueOn === null ? null : workingDaysAfter(calendar, s.dueOn, today);
    reasons.push({
      kind: 'overdue',
      step: s.step,
      department: s.department,
      workingDays: days,
      detail: s.dueOn === null ? STUCK_REASON_TEXTS.overdueStopped(s.name, s.state) : STUCK_REASON_TEXTS.overdue(s.name, s.dueOn, days),
    });
  }
  if (facts.atRisk) {
    reasons.push({
      kind: 'at_risk',
      step: facts.atRiskStep ?? null,
      department: facts.atRiskDepartment ?? null,
      workingDays: facts.slackWorkingDays === null ? null : -facts.slackWorkingDays,
      detail: facts.atRiskReason ?? STUCK_REASON_TEXTS.atRisk(facts.forecastFinishOn),
    });
  }
  if (facts.idle) {
    const since = shanghaiDateOf(facts.lastProgressAt);
    const days = workingDaysAfter(calendar, since, today);
    reasons.push({ kind: 'idle', step: null, department: null, workingDays: days, detail: STUCK_REASON_TEXTS.idle(since, days) });
  }
  return reasons;
}

/** What a step contributes to its project's stuck keys (a subset of the read model's `StepView`). */
export interface StuckKeyStep {
  state: string;
  department: string;
  light: string | null;
  statutoryOverdue: boolean;
  deadline: ClockDeadline | null;
}

/**
 * The stuck keys of a project, decided on write (with the project row) so that the stuck list filters and sorts on
 * columns: the urgency tier of its write-time reasons ({@link STUCK_URGENCY}: 0 an open step past its statutory limit,
 * 1 a red step, 2 at risk, 3 none of these — such a project is stuck only when idle, which the list decides from
 * `lastProgressAt` as of the day asked), and the keys that order a tier — the earliest statutory deadline of its open
 * statutory-overdue steps, the earliest deadline of its red steps (both null when none or when every such clock is
 * stopped), the slack of an at-risk forecast when the project has no red step — and the departments with a step on
 * their desk ({@link OPEN_STEP_STATES}, sorted). Working days behind each reason are counted when a page is read
 * ({@link stuckReasons}), on the day asked and its calendar.
 */
export interface StuckKeys {
  tier: number;
  statutoryOverdue: boolean;
  overdue: boolean;
  firstStatutoryDueAt: string | null;
  firstRedDueAt: string | null;
  /** The at-risk slack that orders tier 2 (working days, negative past the deadline); null otherwise. */
  urgencySlack: number | null;
  openDepartments: string[];
}

/**
 * The {@link StuckKeys} of a project's steps and forecast. Instants compare as ISO 8601 UTC strings.
 * @param atRisk the forecast's verdict; `slackWorkingDays` its slack
 */
export function stuckKeysOf(steps: readonly StuckKeyStep[], atRisk: boolean, slackWorkingDays: number | null): StuckKeys {
  const earliest = (values: Array<string | null | undefined>): string | null =>
    values.reduce<string | null>((a, v) => (v == null ? a : a === null || Date.parse(v) < Date.parse(a) ? v : a), null);
  const statutory = steps.filter((s) => s.statutoryOverdue && (STATUTORY_OPEN_STATES as readonly string[]).includes(s.state));
  const red = steps.filter((s) => s.light === OVERDUE_LIGHT);
  const flags: Record<StuckKind, boolean> = { statutory_overdue: statutory.length > 0, overdue: red.length > 0, at_risk: atRisk, idle: false };
  const tier = STUCK_URGENCY.findIndex((k) => flags[k]);
  return {
    tier: tier < 0 ? STUCK_URGENCY.length - 1 : tier,
    statutoryOverdue: flags.statutory_overdue,
    overdue: flags.overdue,
    firstStatutoryDueAt: earliest(statutory.map((s) => statutoryDueOf(s.deadline).dueAt)),
    firstRedDueAt: earliest(red.map((s) => s.deadline?.dueAt)),
    urgencySlack: !flags.overdue && atRisk ? slackWorkingDays : null,
    openDepartments: [...new Set(steps.filter((s) => (OPEN_STEP_STATES as readonly string[]).includes(s.state)).map((s) => s.department))].sort(),
  };
}
