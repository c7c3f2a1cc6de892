import { addMonths, calendarDaysBetween, shanghaiDateOf, type ClockPlan, type ReminderPolicy } from '../calendar/index.js';
import type { DepartmentKey } from './departments.js';
import { DomainError, DomainErrorCode } from './errors.js';
import {
  FACT_KINDS,
  extensionCapOf,
  jointGroupOf,
  statutoryLimitOf,
  type ApprovalRoute,
  type ExpiryDefinition,
  type FactKind,
  type LimitUnit,
  type StepDefinition,
  type TrackDefinition,
  type TrackKey,
} from './track-definition.js';

/**
 * Step states (DESIGN.md §4): `blocked` (dependencies or required facts open) → `ready` (waiting for the
 * applicant's submission) → `received` (收件: the department has 5 working days to accept or issue a one-time
 * supplement notice, 行政许可法 Art. 32) → `in_review` (accepted 受理, the department's clock runs) ⇄
 * `supplement_requested` (补正, clock stopped) → `approved` (decision) → `delivered` (certificate handed over,
 * Art. 44) | `waived` (容缺) | `rejected`.
 */
export type StepState = 'blocked' | 'ready' | 'received' | 'in_review' | 'supplement_requested' | 'approved' | 'delivered' | 'waived' | 'rejected';

/**
 * Officer actions on a step. `receive` 收件; `accept` 受理 (on the spot when from `ready`); `extend` 延期 (the
 * department head, once, Art. 42); `exclude`/`end_exclusion` an excluded period (Art. 45); `deliver` 送达 of the
 * certificate (Art. 44); `renew` 延续 of a validity after the decision (expiry clock).
 */
export type StepActionKind =
  | 'receive'
  | 'accept'
  | 'return'
  | 'resubmit'
  | 'approve'
  | 'deliver'
  | 'waive'
  | 'reject'
  | 'reassign'
  | 'extend'
  | 'exclude'
  | 'end_exclusion'
  | 'renew';

/**
 * Project-level actions. `suspend` starts a special procedure (特别程序) that stops every running clock;
 * `escalate` is a supervisor's 督办 on one open step.
 */
export type ProjectActionKind = 'suspend' | 'resume' | 'cancel' | 'escalate';

/** Lifecycle of a project. */
export type ProjectStatus = 'active' | 'suspended' | 'completed' | 'cancelled';

export const STEP_ACTIONS: readonly StepActionKind[] = [
  'receive',
  'accept',
  'return',
  'resubmit',
  'approve',
  'deliver',
  'waive',
  'reject',
  'reassign',
  'extend',
  'exclude',
  'end_exclusion',
  'renew',
];
export const PROJECT_ACTIONS: readonly ProjectActionKind[] = ['suspend', 'resume', 'cancel', 'escalate'];
const PROJECT_ACTION_SET = Object.fromEntries(PROJECT_ACTIONS.map((a) => [a, true]));
export const STEP_STATES: readonly StepState[] = ['blocked', 'ready', 'received', 'in_review', 'supplement_requested', 'approved', 'delivered', 'waived', 'rejected'];

/**
 * Kinds of excluded period (行政许可法 Art. 45): time for hearing, bidding, auction, inspection, testing,
 * quarantine, appraisal and expert review is not counted; the applicant is told in writing. A district adds
 * local kinds (e.g. `public_notice` 公示) as configuration; those are recorded as local rules, not Art. 45.
 */
export const EXCLUDED_PERIOD_KINDS: Readonly<Record<string, string>> = Object.freeze({
  hearing: '听证',
  bidding: '招标',
  auction: '拍卖',
  inspection: '检验',
  testing: '检测',
  quarantine: '检疫',
  appraisal: '鉴定',
  expert_review: '专家评审',
});

/** Working days a department has to accept or issue the one-time supplement notice (行政许可法 Art. 32). */
export const ACCEPTANCE_WINDOW_WORKING_DAYS = 5;

/**
 * The step transition table: which states an action may start from, and the state it leads to
 * (`same` leaves the state as it is). `accept` from `rejected` is a new application after a refusal.
 */
export const STEP_TRANSITIONS: Readonly<Record<StepActionKind, { from: readonly StepState[]; to: StepState | 'same' }>> = {
  receive: /*  收件 */ { from: ['ready', 'rejected'], to: 'received' },
  accept: /*   受理 */ { from: ['ready', 'rejected', 'received'], to: 'in_review' },
  return: /*   补正（一次性告知） */ { from: ['received', 'in_review'], to: 'supplement_requested' },
  // Back to review, or to `received` when the notice came before acceptance (a new receipt, a new window).
  resubmit: /* 补正后重新提交 */ { from: ['supplement_requested'], to: 'in_review' },
  approve: /*  办结（决定） */ { from: ['in_review'], to: 'approved' },
  deliver: /*  送达 */ { from: ['approved'], to: 'delivered' },
  waive: /*    容缺 */ { from: ['ready', 'received', 'in_review', 'supplement_requested'], to: 'waived' },
  reject: /*   不予受理/不予许可 */ { from: ['received', 'in_review', 'supplement_requested'], to: 'rejected' },
  reassign: /* 改派 */ { from: ['blocked', 'ready', 'received', 'in_review', 'supplement_requested', 'rejected'], to: 'same' },
  extend: /*   延期 */ { from: ['in_review', 'supplement_requested'], to: 'same' },
  exclude: /*  不计入期限的特别程序 */ { from: ['in_review'], to: 'same' },
  end_exclusion: { from: ['in_review'], to: 'same' },
  renew: /*    延续 */ { from: ['approved', 'delivered'], to: 'same' },
};

/** Actions that must carry a comment: the applicant is owed the reason in writing. */
const COMMENT_REQUIRED: ReadonlySet<StepActionKind | ProjectActionKind> = new Set(['return', 'waive', 'reject', 'suspend', 'cancel', 'escalate', 'extend', 'exclude', 'renew']);

/** Who acts: an officer id and the department it acts for (null for the system or unknown). */
export interface Actor {
  id: string;
  department: DepartmentKey | null;
  /** The token's roles (`officer`, `department_head`, …) when known; the extension rule needs the head's. */
  roles?: string[];
}

/** The system itself, as the actor of automatic events. */
export const SYSTEM_ACTOR: Actor = { id: 'system', department: null };

/** When and by whom an action is taken. `at` is an ISO 8601 instant (UTC). */
export interface ActionContext {
  at: string;
  actor: Actor;
}

/** A stop of a step's clock: a supplement request (补正) or a project suspension (特别程序). Instants, ISO 8601. */
export interface ClockStop {
  stoppedAt: string;
  resumedAt: string | null;
  reason: 'supplement_requested' | 'project_suspended' | 'excluded_period';
  /** For an excluded period: its kind (Art. 45 or a local kind) and the date of the written notice. */
  kind?: string;
  noticeOn?: string;
}

/** Traffic light of a clock (issue 4): green on time, yellow warning, red overdue. */
export type Light = 'green' | 'yellow' | 'red';

/**
 * A clock's planned deadline (computed by an activity on the official calendar and recorded, so replay
 * never reads the calendar) and the alerts already fired for it. Instants ISO 8601 with offset.
 */
export interface ClockDeadline {
  /** The inputs it was planned from (acceptance day, limit, stops); a change means re-plan. */
  inputKey: string;
  dueOn: string | null;
  dueAt: string | null;
  provisional: boolean;
  stopped: boolean;
  yellowAt: string | null;
  escalateAt: string | null;
  /** Repeats planned ahead; `repeatsBefore` repeats were fired under earlier plans of the same deadline. */
  repeatAts: string[];
  repeatsBefore: number;
  /** Alerts fired for this deadline: `yellow`, `red`, `escalation`, `repeat:<n>`, `statutory`. */
  fired: string[];
  plannedAt: string;
  /** A step clock's statutory deadline (法定时限), passing which is `statutory_overdue`; null while stopped. */
  statutoryDueOn?: string | null;
  statutoryDueAt?: string | null;
}

/** A project deadline's live record (e.g. groundbreaking within 90 days of the land contract). */
export interface ProjectClockRecord {
  key: string;
  /** Day the clock started (the `fromStep` decision), Asia/Shanghai. */
  startedOn: string | null;
  deadline: ClockDeadline | null;
  light: Light | null;
  /** Day the `toStep` was approved, and the calendar days it took, and the grade. */
  endedOn: string | null;
  calendarDays: number | null;
  grade: string | null;
}

/** One hard deadline of the forecast: when the remaining work would reach it, and the slack. */
export interface ForecastDeadline {
  key: string;
  name: string;
  /** Hard deadline (Asia/Shanghai date). */
  dueOn: string;
  /** Earliest day the work it waits for can be done, at the limits. */
  forecastOn: string;
  /** Working days from `forecastOn` to `dueOn`; negative when it does not fit. */
  slackWorkingDays: number;
  atRisk: boolean;
}

/**
 * The at-risk forecast (issue 5): the earliest finish of the remaining work — the critical path through the
 * remaining steps, each at its limit on the working-day calendar — against the project's hard deadlines.
 */
export interface ProjectForecast {
  computedAt: string;
  finishOn: string | null;
  atRisk: boolean;
  reason: string | null;
  /** Slack of the tightest hard deadline, working days. */
  slackWorkingDays: number | null;
  deadlines: ForecastDeadline[];
}

/** A supervisor's escalation (督办): the project is under supervision until the escalated step moves. */
export interface Supervision {
  step: string | null;
  department: string | null;
  since: string;
  by: string;
  comment: string;
}

/**
 * A clock that runs beside the steps' own (issue 7): the acceptance window after receipt (5 working days,
 * Art. 32; no light, it ends in acceptance or deemed acceptance), the certificate's delivery (10 working days
 * from the decision, Art. 44) and the validities that lapse after a decision (expiry clocks). `id` is
 * `<kind>:<key>`; `key` is the step (acceptance, certificate) or the expiry's key.
 */
export interface AuxClockRecord {
  id: string;
  kind: 'acceptance' | 'certificate' | 'expiry';
  key: string;
  step: string;
  /** Day the clock started (Asia/Shanghai). */
  startedOn: string;
  /** A limit counted from `startedOn`, or a fixed last day (`fixedDueOn`, expiry clocks). */
  limit: number | null;
  unit: LimitUnit | null;
  fixedDueOn: string | null;
  deadline: ClockDeadline | null;
  light: Light | null;
  /** When it ended, and how: accepted | supplement_requested | deemed_accepted | refused | withdrawn (acceptance);
   * delivered_on_time | delivered_late (certificate); used | used_after_lapse (expiry). */
  endedAt: string | null;
  outcome: string | null;
  /** Expiry clocks: `lapsed` once its last day has passed unused. */
  lapsed: boolean;
  /** Expiry clocks: renewals granted (延续), each with the months added. */
  renewals: Array<{ months: number; at: string; by: string; comment: string }>;
}

/** An extension of a step's limit (延期, Art. 42) by a department head, or of a joint group's with the district government's approval. */
export interface StepExtension {
  workingDays: number;
  /** The cap that applied and its source. */
  cap: number;
  capSource: string;
  at: string;
  by: string;
  reason: string;
  /** The written notice to the applicant (告知申请人): its date. */
  applicantNotifiedOn: string;
  /** For a joint group's extension: the district government's approval (document reference). */
  approvalRef?: string | null;
}

/** A fact recorded from outside the steps (`POST /events`), e.g. the land price paid in full (土地出让金缴清). */
export interface ProjectFact {
  kind: FactKind;
  occurredAt: string;
  recordedAt: string;
  by: string;
  reference: string | null;
  amountYuan: string | null;
}

/**
 * Government time (政府审批用时, issue 7 rule 9): the working days agencies held the file — from acceptance to
 * decision, clock stops (supplement requests, suspensions, excluded periods) excluded, the applicant's and the
 * preparation time excluded — counted once per day however many agencies held files that day; per step; and
 * against the district's promises.
 */
export interface GovernmentTime {
  /** Day the figures are for (Asia/Shanghai): today, or the project's close. */
  asOf: string;
  /** Working days on which at least one agency held a file of the project. */
  workingDays: number;
  /** Sum over the steps of each step's held working days (parallel work counted per step). */
  stepWorkingDaysTotal: number;
  perStep: Record<string, number>;
  promises: Array<{ key: string; name: string; nameZh: string; limit: number; unit: LimitUnit; unitAsWritten: string | null; source: string; usedWorkingDays: number; remaining: number; exceeded: boolean }>;
}

/** What the planning activity needs for one clock. `id` is a step key or `project:<deadline key>`. */
export interface ClockRequest {
  id: string;
  start: string;
  limit: number;
  unit: 'working_days' | 'calendar_days';
  stops: Array<{ from: string; to: string | null }>;
  policy: ReminderPolicy;
  inputKey: string;
  /** Repeats already fired under earlier plans of the same deadline (to plan the next ones). */
  repeatsBefore: number;
  /** A fixed deadline day (bonded-zone milestones, the year end) instead of `limit` days from `start`. */
  fixedDueOn?: string | null;
  /** Move a fixed day that is not a working day to the next working day (民法典 Art. 203; expiry clocks). */
  moveOffHoliday?: boolean;
  /** Working days added to the deadline by an extension (延期, Art. 42). */
  extraWorkingDays?: number;
  /** A step clock's statutory tier (法定时限), planned from the same start and stops. */
  statutory?: { limit: number; unit: 'working_days' | 'calendar_days'; extraWorkingDays?: number };
  /**
   * The workflow's now: repeats of 督办 that would already be due are skipped in whole plans, so a clock that ran
   * overdue for years (a back-dated record) sends one catch-up notice, not one per planned repeat.
   */
  notBefore?: string;
}

/** A threshold passed: the notice the workflow puts in the outbox. */
export interface DueAlert {
  clockId: string;
  step: string | null;
  kind: 'yellow' | 'red' | 'escalation' | 'escalation_repeat' | 'statutory_overdue';
  alertId: string;
  at: string;
  dueAt: string;
  /** Working days past the deadline, by the policy (0 for yellow and red). */
  overdueWorkingDays: number;
}

/** A step of a running project. Instants are ISO 8601 UTC; `waiverDueOn` is a date (Asia/Shanghai). */
export interface StepRecord {
  key: string;
  state: StepState;
  /** Officer the step is assigned to, if any. */
  assignee: string | null;
  readyAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  /** Last actor and comment on this step. */
  actor: string | null;
  comment: string | null;
  updatedAt: string;
  /** For a waiver (容缺): the date by which the missing material is due. */
  waiverDueOn: string | null;
  clockStops: ClockStop[];
  /** The current (or last) deadline of the step's clock; null before acceptance. */
  deadline: ClockDeadline | null;
  /** Light while the clock is open; null when the step is not in review or is decided. */
  light: Light | null;
  /** When the application was received (收件); equals `acceptedAt` for an acceptance on the spot. */
  receivedAt: string | null;
  /** True when acceptance was deemed on the day of receipt (行政许可法 Art. 32: no notice within 5 working days). */
  deemedAccepted: boolean;
  /** The extension granted (延期), if any. */
  extension: StepExtension | null;
  /** True once the statutory limit (法定时限) passed while the clock was open. */
  statutoryOverdue: boolean;
  /** When the certificate was handed over (送达). */
  deliveredAt: string | null;
}

/** One entry of the audit trail. `seq` counts from 1 per project and never repeats. */
export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  step: string | null;
  actor: string | null;
  actorDepartment: string | null;
  comment: string | null;
  data: Record<string, unknown>;
}

/**
 * What registering a signed project needs. `investmentYuan` is a decimal string in yuan (canonical form:
 * no trailing zeros in the fraction, see {@link canonicalYuan}); `signedAt` a date.
 */
export interface ProjectRegistration {
  code: string;
  name: string;
  track: TrackKey;
  district: string;
  investor: string | null;
  investmentYuan: string | null;
  signedAt: string;
  /** 备案 (filing, default) or 核准 (approval of a catalogue project): the extension cap and expiry clocks follow it. */
  approvalRoute?: ApprovalRoute;
}

/** The whole state of a project: what the workflow carries across continue-as-new and writes to the read model. */
export interface ProjectSnapshot extends ProjectRegistration {
  definitionVersion: number;
  registeredAt: string;
  registeredBy: string;
  status: ProjectStatus;
  stage: string;
  /** Increases by one with every change; the read model keeps only the newest. */
  version: number;
  /** seq of the last timeline entry emitted. */
  timelineSeq: number;
  lastProgressAt: string;
  suspendedAt: string | null;
  closedAt: string | null;
  steps: StepRecord[];
  /** Worst light of the open clocks (steps and project deadlines). */
  light: Light;
  /** Earliest deadline among the open clocks. */
  nextDeadline: string | null;
  projectClocks: ProjectClockRecord[];
  /** Latest at-risk forecast (null until first computed). */
  forecast: ProjectForecast | null;
  /** Set by a supervisor's escalation until the escalated step moves. */
  supervision: Supervision | null;
  approvalRoute: ApprovalRoute;
  /** Acceptance windows, certificate deliveries and expiry clocks (issue 7). */
  auxClocks: AuxClockRecord[];
  /** Facts recorded from outside (`POST /events`). */
  facts: ProjectFact[];
  /** Extensions of joint groups (Art. 42 ¶2), by group key. */
  jointExtensions: Record<string, StepExtension>;
  /** Local kinds of excluded period allowed for this project (configuration), key → label. */
  localExcludedPeriodKinds: Record<string, string>;
  /** Latest government time (null until first computed). */
  governmentTime: GovernmentTime | null;
}

/** An officer's action on a step. */
export interface StepActionInput {
  action: StepActionKind;
  comment?: string | null;
  /** For `reassign`: the officer id the step goes to. */
  assignee?: string | null;
  /** For `waive`: date (YYYY-MM-DD) by which the missing material is due. */
  waiverDueOn?: string | null;
  /** For `extend`: working days added (at most the cap: 10, 40 for 核准, 15 for a joint group). */
  extensionWorkingDays?: number | null;
  /** For `extend` of a joint group: the district government's approval (document reference). */
  approvalRef?: string | null;
  /** For `extend` and `exclude`: date (YYYY-MM-DD) of the written notice to the applicant; default: the day of the action. */
  noticeOn?: string | null;
  /** For `exclude`: the kind of excluded period (Art. 45 kinds or a configured local kind). */
  exclusionKind?: string | null;
  /** For `renew`: the expiry renewed (its key; default: the step's only open one) and the months added. */
  expiry?: string | null;
  renewalMonths?: number | null;
  /** For `approve` of a step with contract terms (the land contract): its preparation and build periods in months. */
  contractTerms?: { preparationMonths?: number | null; buildMonths?: number | null } | null;
  /**
   * When the action really happened, if earlier than now (an officer recording a paper decision): an ISO
   * 8601 instant. Clocks count from it. Not before the step's last change, not in the future.
   */
  occurredAt?: string | null;
}

/** A project-level action. */
export interface ProjectActionInput {
  action: ProjectActionKind;
  comment?: string | null;
  /** For `escalate`: the open step escalated; by default the most overdue open step. */
  step?: string | null;
  /** As {@link StepActionInput.occurredAt}; not before the project's last change. */
  occurredAt?: string | null;
}

/**
 * Default of the catch-up hold (milliseconds): alerts already due when their deadline was planned (a back-dated
 * record, a worker down for days) are held this long, so an officer entering a paper history in sequence is not
 * notified about steps the same session closes a moment later. Workflows started without a hold in their input
 * (every history recorded before it was a setting) use it.
 */
export const DEFAULT_CATCH_UP_HOLD_MS = 60_000;

/**
 * When an alert of `d` with threshold `at` fires: at the threshold, or `holdMs` after a plan made when the
 * threshold had already passed.
 * @returns epoch milliseconds
 */
function fireTime(d: ClockDeadline, at: string, holdMs: number): number {
  const threshold = Date.parse(at);
  const planned = Date.parse(d.plannedAt);
  return threshold < planned ? planned + holdMs : threshold;
}

/** Settings of a project's state machine that come from the workflow input, not from the snapshot. */
export interface ProjectStateOptions {
  /** The catch-up hold, milliseconds (default {@link DEFAULT_CATCH_UP_HOLD_MS}). */
  catchUpHoldMs?: number;
}

/** True when a re-plan gives a clock the same instants it had: its catch-up hold keeps running from the first plan. */
function sameInstants(previous: ClockDeadline, next: ClockDeadline): boolean {
  return (
    previous.dueAt === next.dueAt &&
    previous.yellowAt === next.yellowAt &&
    previous.escalateAt === next.escalateAt &&
    previous.stopped === next.stopped &&
    previous.repeatsBefore === next.repeatsBefore &&
    JSON.stringify(previous.repeatAts) === JSON.stringify(next.repeatAts) &&
    (previous.statutoryDueAt ?? null) === (next.statutoryDueAt ?? null)
  );
}

/** Tolerance for clocks: an occurredAt up to this far ahead of workflow time is taken as now. */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * The instant an action takes effect: `occurredAt` when given (normalised to UTC ISO), else `now`.
 * @throws DomainError ACTION.INVALID when `occurredAt` is malformed, in the future, or before `floor`
 */
export function effectiveInstant(occurredAt: string | null | undefined, now: string, floor: string, floorWhat: string): string {
  if (occurredAt === null || occurredAt === undefined) return now;
  const ms = Date.parse(occurredAt);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(occurredAt) || Number.isNaN(ms)) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `occurredAt '${occurredAt}' is not an ISO 8601 instant with offset, e.g. 2022-04-20T10:00:00+08:00`);
  }
  if (ms > Date.parse(now) + FUTURE_TOLERANCE_MS) throw new DomainError(DomainErrorCode.ActionInvalid, `occurredAt ${occurredAt} is in the future`);
  if (ms < Date.parse(floor)) throw new DomainError(DomainErrorCode.ActionInvalid, `occurredAt ${occurredAt} is before ${floorWhat} (${shanghaiTime(floor)})`);
  return ms > Date.parse(now) ? now : new Date(ms).toISOString();
}

const DONE: ReadonlySet<StepState> = new Set(['approved', 'delivered', 'waived']);

/** True when the step no longer holds its dependents back. */
export function isStepDone(state: StepState): boolean {
  return DONE.has(state);
}

/**
 * The state machine of one project, pure and deterministic: every instant comes in through
 * {@link ActionContext}, so the workflow can drive it on replay. `check*` methods refuse with a
 * {@link DomainError} whose message tells the officer what to do; `apply*` check, change the state and
 * return the timeline entries the change produced.
 */
export class ProjectState {
  /**
   * Whether the statutory-tier alerts and flags of issue 7 run. The workflow turns them off while it replays a
   * history recorded before they existed (Temporal `patched`), so an old history replays command for command.
   */
  issue7 = true;

  /**
   * Whether a re-plan that leaves a clock's instants unchanged keeps its first plan's instant, so the catch-up hold
   * is not restarted (a calendar signal used to restart it). The workflow turns it off while it replays a history
   * recorded before the rule.
   */
  keepsHoldOnUnchangedPlan = true;

  /** The catch-up hold, milliseconds: see {@link DEFAULT_CATCH_UP_HOLD_MS}. */
  readonly catchUpHoldMs: number;

  private constructor(
    readonly definition: TrackDefinition,
    private snap: ProjectSnapshot,
    options: ProjectStateOptions = {},
  ) {
    this.catchUpHoldMs = options.catchUpHoldMs ?? DEFAULT_CATCH_UP_HOLD_MS;
  }

  /**
   * A newly registered project: steps without dependencies are `ready`, the rest `blocked`.
   * @returns the state and its first timeline entries (`project.registered`, one `step.ready` per ready step)
   */
  static register(
    definition: TrackDefinition,
    reg: ProjectRegistration,
    ctx: ActionContext,
    options: { localExcludedPeriodKinds?: Record<string, string> } & ProjectStateOptions = {},
  ): { state: ProjectState; entries: TimelineEntry[] } {
    const readyAtStart = (d: StepDefinition) => d.dependsOn.length === 0 && (d.requiresFacts ?? []).length === 0;
    const steps: StepRecord[] = definition.steps.map((d) => ({
      key: d.key,
      state: readyAtStart(d) ? 'ready' : 'blocked',
      assignee: null,
      readyAt: readyAtStart(d) ? ctx.at : null,
      acceptedAt: null,
      decidedAt: null,
      actor: null,
      comment: null,
      updatedAt: ctx.at,
      waiverDueOn: null,
      clockStops: [],
      deadline: null,
      light: null,
      ...NEW_STEP_FIELDS,
    }));
    const snap: ProjectSnapshot = {
      ...reg,
      approvalRoute: reg.approvalRoute ?? 'filing',
      auxClocks: [],
      facts: [],
      jointExtensions: {},
      localExcludedPeriodKinds: { ...(options.localExcludedPeriodKinds ?? {}) },
      governmentTime: null,
      investmentYuan: reg.investmentYuan === null ? null : canonicalYuan(reg.investmentYuan),
      definitionVersion: definition.version,
      registeredAt: ctx.at,
      registeredBy: ctx.actor.id,
      status: 'active',
      stage: '',
      version: 1,
      timelineSeq: 0,
      lastProgressAt: ctx.at,
      suspendedAt: null,
      closedAt: null,
      steps,
      light: 'green',
      nextDeadline: null,
      forecast: null,
      supervision: null,
      projectClocks: (definition.projectDeadlines ?? []).map((d) => ({
        key: d.key,
        startedOn: null,
        deadline: null,
        light: null,
        endedOn: null,
        calendarDays: null,
        grade: null,
      })),
    };
    const state = new ProjectState(definition, snap, options);
    snap.stage = state.computeStage();
    for (const pc of snap.projectClocks) {
      if ((definition.projectDeadlines ?? []).find((d) => d.key === pc.key)?.fromStep === null) {
        pc.startedOn = shanghaiDateOf(ctx.at);
        pc.light = 'green';
      }
    }
    const entries = [
      state.entry(ctx, 'project.registered', null, null, {
        track: reg.track,
        definition: `${definition.track}@${definition.version}`,
        signedAt: reg.signedAt,
        approvalRoute: snap.approvalRoute,
      }),
      ...steps.filter((s) => s.state === 'ready').map((s) => state.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.ready', s.key, null, {})),
    ];
    return { state, entries };
  }

  /** A project restored from a snapshot (after continue-as-new). The definition must be the pinned one. */
  static restore(definition: TrackDefinition, snapshot: ProjectSnapshot, options: ProjectStateOptions = {}): ProjectState {
    const snap = clone(snapshot);
    // Snapshots carried over from before issue 7 lack its fields: they start empty.
    snap.approvalRoute ??= 'filing';
    snap.auxClocks ??= [];
    snap.facts ??= [];
    snap.jointExtensions ??= {};
    snap.localExcludedPeriodKinds ??= {};
    snap.governmentTime ??= null;
    snap.steps = snap.steps.map((r) => ({ ...NEW_STEP_FIELDS, ...r }));
    return new ProjectState(definition, snap, options);
  }

  /** A deep copy of the whole state. */
  snapshot(): ProjectSnapshot {
    return clone(this.snap);
  }

  get code(): string {
    return this.snap.code;
  }
  get status(): ProjectStatus {
    return this.snap.status;
  }
  get version(): number {
    return this.snap.version;
  }
  get isClosed(): boolean {
    return this.snap.status === 'completed' || this.snap.status === 'cancelled';
  }

  /** The step record of `key`, or undefined. */
  step(key: string): StepRecord | undefined {
    return this.snap.steps.find((s) => s.key === key);
  }

  /** The definition of step `key`, or undefined. */
  stepDefinition(key: string): StepDefinition | undefined {
    return this.definition.steps.find((s) => s.key === key);
  }

  /** Actions the step's current state allows (empty when the project is closed or suspended). */
  availableActions(key: string): StepActionKind[] {
    const rec = this.step(key);
    if (!rec || this.snap.status !== 'active') return [];
    // `renew` is offered only while a validity can still be renewed (the refusal of one that cannot names the rule).
    const renewable = this.openExpiries(key).some((c) => !c.lapsed && c.renewals.length < (this.expiryDefinition(c.key)?.renewals.max ?? 0));
    return STEP_ACTIONS.filter((a) => STEP_TRANSITIONS[a].from.includes(rec.state) && this.applicable(key, a) === null && (a !== 'renew' || renewable));
  }

  /** Why `action` does not apply to step `key` whatever its state (null when it applies). */
  private applicable(key: string, action: StepActionKind): string | null {
    const def = this.stepDefinition(key)!;
    const rec = this.step(key)!;
    switch (action) {
      case 'waive':
        return def.waivable === false ? `step '${key}' (${def.nameZh}) cannot be waived (容缺); approve it once done` : null;
      case 'deliver':
        return def.certificate ? null : 'it issues no certificate to deliver (行政许可法 Art. 44)';
      case 'renew':
        return this.openExpiries(key).length > 0 ? null : 'it has no running validity to renew';
      case 'extend': {
        const group = jointGroupOf(this.definition, key);
        if (group && this.snap.jointExtensions[group.key]) {
          return `the joint group '${group.key}' (${group.nameZh}) was already extended once (${shanghaiTime(this.snap.jointExtensions[group.key]!.at)}); 行政许可法 Art. 42 ¶2 allows one extension`;
        }
        return !group && rec.extension ? `step '${key}' was already extended once (${shanghaiTime(rec.extension.at)}); 行政许可法 Art. 42 allows one extension` : null;
      }
      case 'exclude':
        return openExclusion(rec) ? `it is already in an excluded period (${openExclusion(rec)!.kind}); end it first` : null;
      case 'end_exclusion':
        return openExclusion(rec) ? null : 'it is not in an excluded period';
      default:
        return null;
    }
  }

  /** Expiry clocks of step `key` that still run (not used). */
  private openExpiries(key: string): AuxClockRecord[] {
    return this.snap.auxClocks.filter((c) => c.kind === 'expiry' && c.step === key && c.endedAt === null);
  }

  /**
   * Refuses an action the project or step cannot take now.
   * @param actor who acts; an extension (延期) needs a department head's role (行政许可法 Art. 42 ¶1)
   * @throws DomainError STEP.NOT_FOUND | PROJECT.CLOSED | PROJECT.SUSPENDED | STEP.INVALID_STATE |
   *   STEP.NOT_WAIVABLE | ACTION.INVALID | RULE.REFUSED | ACTOR.NOT_ALLOWED
   */
  checkStepAction(key: string, input: StepActionInput, now: string, actor?: Actor): void {
    const def = this.stepDefinition(key);
    if (!def) {
      throw new DomainError(
        DomainErrorCode.StepNotFound,
        `project ${this.snap.code} has no step '${key}'; its steps are: ${this.definition.steps.map((s) => s.key).join(', ')}`,
      );
    }
    this.checkOpen();
    if (this.snap.status === 'suspended') {
      throw new DomainError(
        DomainErrorCode.ProjectSuspended,
        `project ${this.snap.code} is suspended (special procedure since ${shanghaiTime(this.snap.suspendedAt)}); resume it before acting on its steps`,
      );
    }
    const transition = Object.hasOwn(STEP_TRANSITIONS, input.action) ? STEP_TRANSITIONS[input.action] : undefined;
    if (!transition) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `unknown step action '${String(input.action)}'; use one of: ${STEP_ACTIONS.join(', ')}`);
    }
    const rec = this.step(key)!;
    if (!transition.from.includes(rec.state)) {
      const allowed = this.availableActions(key);
      throw new DomainError(
        DomainErrorCode.StepInvalidState,
        `cannot ${input.action} step '${key}' (${def.nameZh}): it ${this.explainState(rec)}` +
          (allowed.length > 0 ? `; allowed now: ${allowed.join(', ')}` : ''),
      );
    }
    const inapplicable = this.applicable(key, input.action);
    if (inapplicable !== null) {
      if (input.action === 'waive') throw new DomainError(DomainErrorCode.StepNotWaivable, inapplicable);
      if (input.action === 'extend') throw new DomainError(DomainErrorCode.RuleRefused, inapplicable);
      throw new DomainError(DomainErrorCode.StepInvalidState, `cannot ${input.action} step '${key}' (${def.nameZh}): ${inapplicable}`);
    }
    if (COMMENT_REQUIRED.has(input.action) && !hasText(input.comment)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `${input.action} needs a comment: ${commentHint(input.action)}`);
    }
    if (input.action === 'reassign') {
      if (!hasText(input.assignee)) throw new DomainError(DomainErrorCode.ActionInvalid, 'reassign needs an assignee (the officer id the step goes to)');
      if (input.assignee === rec.assignee) {
        throw new DomainError(DomainErrorCode.ActionInvalid, `step '${key}' is already assigned to ${input.assignee}`);
      }
    }
    refuseNul({ comment: input.comment, assignee: input.assignee, approvalRef: input.approvalRef, exclusionKind: input.exclusionKind, expiry: input.expiry });
    const at = effectiveInstant(input.occurredAt, now, rec.updatedAt, `the step's last change`);
    for (const [field, actions] of Object.entries(FIELD_ACTIONS)) {
      const value = (input as unknown as Record<string, unknown>)[field];
      if (value !== undefined && value !== null && !actions.includes(input.action)) {
        throw new DomainError(DomainErrorCode.ActionInvalid, `${field} applies only to ${actions.join(', ')}, not to ${input.action}; leave it out`);
      }
    }
    if (input.noticeOn !== undefined && input.noticeOn !== null) {
      if (!isDate(input.noticeOn)) throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn '${input.noticeOn}' is not a date (YYYY-MM-DD)`);
      const today = shanghaiDateOf(at);
      const since = rec.acceptedAt ?? rec.receivedAt;
      if (input.noticeOn > today) throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn ${input.noticeOn} is after the day of the ${input.action} (${today}); the applicant is told in writing when it happens`);
      if (since && input.noticeOn < shanghaiDateOf(since)) {
        throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn ${input.noticeOn} is before the application was accepted (${shanghaiDateOf(since)})`);
      }
    }
    if (input.action === 'extend') {
      if (actor && !(actor.roles ?? []).includes('department_head')) {
        throw new DomainError(
          DomainErrorCode.ActorNotAllowed,
          `only the head of the department may extend step '${key}' (${def.nameZh}); 行政许可法 Art. 42 ¶1: the extension is approved by the head of the agency`,
        );
      }
      this.checkExtension(key, input);
    }
    if (input.action === 'exclude') {
      const kind = input.exclusionKind ?? '';
      if (!Object.hasOwn(EXCLUDED_PERIOD_KINDS, kind) && !Object.hasOwn(this.snap.localExcludedPeriodKinds, kind)) {
        const kinds = [...Object.keys(EXCLUDED_PERIOD_KINDS), ...Object.keys(this.snap.localExcludedPeriodKinds)];
        throw new DomainError(
          DomainErrorCode.ActionInvalid,
          `exclude needs exclusionKind, one of: ${kinds.join(', ')} (行政许可法 Art. 45, plus the district's local kinds); got '${kind}'`,
        );
      }
      if (input.noticeOn && input.noticeOn > shanghaiDateOf(at)) {
        throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn ${input.noticeOn} is after the excluded period starts (${shanghaiDateOf(at)}); the applicant is told in writing when it starts`);
      }
    }
    if (input.action === 'renew') this.checkRenewal(key, input, at);
    if (input.action === 'approve' && input.contractTerms) {
      if (!(def.expiries ?? []).some((e) => e.contractTerm)) {
        throw new DomainError(DomainErrorCode.ActionInvalid, `contractTerms apply to the land contract's approval, not to step '${key}' (${def.nameZh}); leave them out`);
      }
      for (const [name, v] of Object.entries(input.contractTerms)) {
        if (v !== null && v !== undefined && (!Number.isInteger(v) || v < 1 || v > 120)) {
          throw new DomainError(DomainErrorCode.ActionInvalid, `contractTerms.${name} must be whole months in 1–120, got ${String(v)}`);
        }
      }
      const months = (term: 'preparation' | 'build') =>
        (term === 'preparation' ? input.contractTerms?.preparationMonths : input.contractTerms?.buildMonths) ?? def.expiries!.find((e) => e.contractTerm === term)?.months ?? null;
      const preparation = months('preparation');
      const build = months('build');
      if (preparation !== null && build !== null && preparation > build) {
        throw new DomainError(
          DomainErrorCode.ActionInvalid,
          `contractTerms: the preparation period (${preparation} months) cannot be longer than the build period (${build} months), which includes it`,
        );
      }
    }
  }

  /**
   * Refuses an extension (延期) that the law does not allow: not by a department head (行政许可法 Art. 42 ¶1: the
   * head of the agency approves it), a second one, more working days than the cap (10; 40 for 核准 under the
   * approval regulation Art. 10), or for a joint group without the district government's approval (Art. 42 ¶2).
   * @throws DomainError ACTOR.NOT_ALLOWED | RULE.REFUSED | ACTION.INVALID
   */
  private checkExtension(key: string, input: StepActionInput): void {
    const def = this.stepDefinition(key)!;
    const group = jointGroupOf(this.definition, key);
    const cap = group ? { value: group.extension.value, source: group.extension.source } : extensionCapOf(def, this.snap.approvalRoute);
    const days = input.extensionWorkingDays;
    if (days === undefined || days === null || !Number.isInteger(days) || days < 1) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `extend needs extensionWorkingDays, a whole number of working days from 1 to ${cap.value}`);
    }
    if (days > cap.value) {
      throw new DomainError(DomainErrorCode.RuleRefused, `an extension of step '${key}' (${def.nameZh}) is at most ${cap.value} working days, asked ${days}: ${cap.source}`);
    }
    if (group && !hasText(input.approvalRef)) {
      throw new DomainError(
        DomainErrorCode.RuleRefused,
        `step '${key}' is handled jointly (${group.nameZh}); its limit is extended only with the district government's approval: give approvalRef (${group.extension.source})`,
      );
    }
  }

  /** Refuses a renewal (延续) of a validity beyond its rule: too many, too long, or already lapsed. */
  private checkRenewal(key: string, input: StepActionInput, at: string): void {
    const open = this.openExpiries(key);
    const clock = input.expiry ? open.find((c) => c.key === input.expiry) : open.length === 1 ? open[0] : undefined;
    if (!clock) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `renew needs expiry, one of: ${open.map((c) => c.key).join(', ')}`);
    }
    const ed = this.expiryDefinition(clock.key)!;
    const months = input.renewalMonths;
    if (months === undefined || months === null || !Number.isInteger(months) || months < 1) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `renew needs renewalMonths, whole months (at most ${ed.renewals.maxMonths})`);
    }
    if (clock.renewals.length >= ed.renewals.max) {
      throw new DomainError(
        DomainErrorCode.RuleRefused,
        ed.renewals.max === 0
          ? `${ed.nameZh} (${ed.name}) cannot be renewed: ${ed.source}`
          : `${ed.nameZh} (${ed.name}) was already renewed ${clock.renewals.length} time(s), the most allowed: ${ed.source}`,
      );
    }
    if (months > ed.renewals.maxMonths) {
      throw new DomainError(DomainErrorCode.RuleRefused, `a renewal of ${ed.nameZh} is at most ${ed.renewals.maxMonths} months, asked ${months}: ${ed.source}`);
    }
    if (clock.lapsed || (clock.deadline?.dueAt && Date.parse(at) >= Date.parse(clock.deadline.dueAt))) {
      throw new DomainError(
        DomainErrorCode.RuleRefused,
        `${ed.nameZh} lapsed on ${clock.deadline?.dueOn ?? 'its last day'}; a lapsed validity cannot be renewed, a new decision is needed: ${ed.source}`,
      );
    }
  }

  private expiryDefinition(key: string): ExpiryDefinition | undefined {
    for (const d of this.definition.steps) for (const e of d.expiries ?? []) if (e.key === key) return e;
    return undefined;
  }

  /**
   * Applies an officer's action to a step after {@link checkStepAction}; dependents whose dependencies
   * are now all done become `ready`; the stage follows; approving the final step completes the project.
   * @returns the timeline entries produced, in order
   * @throws DomainError as {@link checkStepAction}
   */
  applyStepAction(key: string, input: StepActionInput, context: ActionContext): TimelineEntry[] {
    this.checkStepAction(key, input, context.at, context.actor);
    const ctx = { ...context, at: effectiveInstant(input.occurredAt, context.at, this.step(key)!.updatedAt, `the step's last change`) };
    const rec = this.step(key)!;
    const def = this.stepDefinition(key)!;
    const transition = STEP_TRANSITIONS[input.action];
    const from = rec.state;
    const comment = hasText(input.comment) ? input.comment : null;
    const data: Record<string, unknown> = { from };
    if (ctx.at !== context.at) data.recordedAt = context.at;
    const extra: TimelineEntry[] = [];
    // The action's own entry comes first on the timeline; `data` is filled in below (the entry holds it).
    const main = this.entry(ctx, `step.${pastTense(input.action)}`, key, comment, data);
    let to: StepState | 'same' = transition.to;
    const noticeOn = input.noticeOn ?? shanghaiDateOf(ctx.at);

    const startApplication = () => {
      rec.decidedAt = null;
      rec.clockStops = [];
      rec.deadline = null;
      rec.extension = null;
      rec.deemedAccepted = false;
      rec.statutoryOverdue = false;
      rec.deliveredAt = null;
    };
    // 行政许可法 Art. 32: no acceptance or supplement notice within 5 working days of receipt → accepted on receipt.
    const acceptanceLate = () => {
      const window = this.auxClock(`acceptance:${key}`);
      return window?.endedAt === null && window.deadline?.dueAt != null && Date.parse(ctx.at) >= Date.parse(window.deadline.dueAt) ? window : null;
    };
    const endWindow = (outcome: string) => {
      const window = this.auxClock(`acceptance:${key}`);
      if (window && window.endedAt === null) {
        window.endedAt = ctx.at;
        window.outcome = outcome;
      }
    };

    switch (input.action) {
      case 'receive':
        startApplication();
        rec.receivedAt = ctx.at;
        rec.acceptedAt = null;
        rec.light = null;
        this.startAuxClock('acceptance', key, key, ctx.at, ACCEPTANCE_WINDOW_WORKING_DAYS, 'working_days', null);
        break;
      case 'accept': {
        if (from !== 'received') {
          // On the spot (当场受理): received and accepted at once.
          startApplication();
          rec.receivedAt = ctx.at;
          rec.acceptedAt = ctx.at;
        } else {
          const late = acceptanceLate();
          rec.acceptedAt = late ? rec.receivedAt : ctx.at;
          if (late) {
            rec.deemedAccepted = true;
            data.deemedAcceptedAt = rec.receivedAt;
            data.rule = DEEMED_RULE;
          }
          endWindow(late ? 'deemed_accepted' : 'accepted');
        }
        rec.light = 'green';
        break;
      }
      case 'return':
        if (from === 'received') {
          const late = acceptanceLate();
          if (late) {
            // The notice came too late to stop acceptance: the application counts as accepted on receipt, and the
            // request stops the running clock from now.
            rec.acceptedAt = rec.receivedAt;
            rec.deemedAccepted = true;
            rec.light = 'green';
            data.deemedAcceptedAt = rec.receivedAt;
            data.rule = DEEMED_RULE;
            rec.clockStops.push({ stoppedAt: ctx.at, resumedAt: null, reason: 'supplement_requested' });
          }
          endWindow(late ? 'deemed_accepted' : 'supplement_requested');
        } else {
          rec.clockStops.push({ stoppedAt: ctx.at, resumedAt: null, reason: 'supplement_requested' });
        }
        break;
      case 'resubmit':
        if (rec.acceptedAt === null) {
          // Supplemented before acceptance: a new receipt, with a new acceptance window.
          to = 'received';
          rec.receivedAt = ctx.at;
          this.startAuxClock('acceptance', key, key, ctx.at, ACCEPTANCE_WINDOW_WORKING_DAYS, 'working_days', null);
        } else {
          closeStops(rec, 'supplement_requested', ctx.at);
        }
        break;
      case 'approve':
        closeStops(rec, 'excluded_period', ctx.at);
        rec.decidedAt = ctx.at;
        if (def.certificate) {
          this.startAuxClock('certificate', key, key, ctx.at, def.certificate.limit.value, def.certificate.limit.unit, null);
          data.certificateDueWithin = { value: def.certificate.limit.value, unit: def.certificate.limit.unit };
        }
        extra.push(...this.startExpiries(def, ctx, input.contractTerms ?? null));
        break;
      case 'deliver': {
        rec.deliveredAt = ctx.at;
        const cert = this.auxClock(`certificate:${key}`);
        if (cert && cert.endedAt === null) {
          const late = cert.deadline?.dueAt != null && Date.parse(ctx.at) >= Date.parse(cert.deadline.dueAt);
          cert.endedAt = ctx.at;
          cert.outcome = late ? 'delivered_late' : 'delivered_on_time';
          cert.light = null;
          data.certificateDueOn = cert.deadline?.dueOn ?? null;
          data.late = late;
        }
        break;
      }
      case 'reject':
        closeStops(rec, 'supplement_requested', ctx.at);
        closeStops(rec, 'excluded_period', ctx.at);
        endWindow('refused');
        rec.decidedAt = ctx.at;
        break;
      case 'waive':
        closeStops(rec, 'supplement_requested', ctx.at);
        closeStops(rec, 'excluded_period', ctx.at);
        endWindow('withdrawn');
        rec.decidedAt = ctx.at;
        rec.waiverDueOn = input.waiverDueOn ?? null;
        if (rec.waiverDueOn) data.waiverDueOn = rec.waiverDueOn;
        break;
      case 'reassign':
        data.previousAssignee = rec.assignee;
        data.assignee = input.assignee;
        rec.assignee = input.assignee!;
        break;
      case 'extend': {
        const group = jointGroupOf(this.definition, key);
        const cap = group ? { value: group.extension.value, source: group.extension.source } : extensionCapOf(def, this.snap.approvalRoute);
        const extension: StepExtension = {
          workingDays: input.extensionWorkingDays!,
          cap: cap.value,
          capSource: cap.source,
          at: ctx.at,
          by: ctx.actor.id,
          reason: comment!,
          applicantNotifiedOn: noticeOn,
          ...(group ? { approvalRef: input.approvalRef! } : {}),
        };
        if (group) this.snap.jointExtensions[group.key] = extension;
        else rec.extension = extension;
        Object.assign(data, { workingDays: extension.workingDays, cap: cap.value, capSource: cap.source, ...(group ? { jointGroup: group.key, approvalRef: input.approvalRef } : {}) });
        extra.push(
          this.entry(ctx, 'applicant.notified', key, comment, {
            notice: 'extension',
            noticeOn,
            workingDays: extension.workingDays,
            text: `${def.nameZh}办理期限延长${extension.workingDays}个工作日，理由：${comment}。The time limit of ${def.name} is extended by ${extension.workingDays} working days: ${comment}`,
          }),
        );
        break;
      }
      case 'exclude': {
        const kind = input.exclusionKind!;
        rec.clockStops.push({ stoppedAt: ctx.at, resumedAt: null, reason: 'excluded_period', kind, noticeOn });
        const local = !Object.hasOwn(EXCLUDED_PERIOD_KINDS, kind);
        const kindZh = local ? this.snap.localExcludedPeriodKinds[kind] : EXCLUDED_PERIOD_KINDS[kind];
        Object.assign(data, { kind, kindZh, noticeOn, rule: local ? 'local rule (configuration)' : '行政许可法 Art. 45' });
        extra.push(
          this.entry(ctx, 'applicant.notified', key, comment, {
            notice: 'excluded_period',
            noticeOn,
            kind,
            text: `${def.nameZh}进入${kindZh}程序，所需时间不计入办理期限。Time for ${kind.replace('_', ' ')} is not counted in the limit of ${def.name}.`,
          }),
        );
        break;
      }
      case 'end_exclusion': {
        const open = openExclusion(rec)!;
        data.kind = open.kind;
        data.since = open.stoppedAt;
        closeStops(rec, 'excluded_period', ctx.at);
        break;
      }
      case 'renew': {
        const open = this.openExpiries(key);
        const clock = input.expiry ? open.find((c) => c.key === input.expiry)! : open[0]!;
        const months = input.renewalMonths!;
        clock.renewals.push({ months, at: ctx.at, by: ctx.actor.id, comment: comment! });
        const previous = clock.fixedDueOn!;
        clock.fixedDueOn = addMonths(previous, months);
        Object.assign(data, { expiry: clock.key, months, fromDueOn: previous, toDueOn: clock.fixedDueOn, renewals: clock.renewals.length });
        break;
      }
    }
    if (to !== 'same') rec.state = to;
    if (rec.state === 'approved' || rec.state === 'delivered' || rec.state === 'waived' || rec.state === 'rejected') rec.light = null;
    data.to = rec.state;
    rec.actor = ctx.actor.id;
    rec.comment = comment;
    rec.updatedAt = ctx.at;

    this.snap.version += 1;
    if (input.action !== 'reassign') this.snap.lastProgressAt = ctx.at;
    const entries = [main, ...extra];
    if (this.snap.supervision?.step === key && to !== 'same') {
      entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'supervision.cleared', key, null, { since: this.snap.supervision.since, state: rec.state }));
      this.snap.supervision = null;
    }
    if (isStepDone(rec.state)) entries.push(...this.unblockDependents(ctx));
    entries.push(...this.followProjectClocks(key, ctx));
    if (input.action === 'approve' || input.action === 'waive') entries.push(...this.endExpiries(key, ctx));
    entries.push(...this.followStage(ctx));
    this.recomputeProjectLight();
    if (key === this.definition.finalStep && rec.state === 'approved') {
      this.snap.status = 'completed';
      this.snap.closedAt = ctx.at;
      entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project.completed', null, null, { stage: this.snap.stage }));
    }
    return entries;
  }

  /**
   * Refuses a project action the project cannot take now.
   * @throws DomainError PROJECT.CLOSED | PROJECT.INVALID_STATE | ACTION.INVALID
   */
  checkProjectAction(input: ProjectActionInput, now: string): void {
    this.checkOpen();
    effectiveInstant(input.occurredAt, now, this.snap.lastProgressAt, "the project's last change");
    refuseNul({ comment: input.comment });
    if (!Object.hasOwn(PROJECT_ACTION_SET, input.action)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `unknown project action '${String(input.action)}'; use one of: ${PROJECT_ACTIONS.join(', ')}`);
    }
    if (input.action === 'escalate' && this.snap.status === 'suspended') {
      throw new DomainError(DomainErrorCode.ProjectSuspended, `project ${this.snap.code} is suspended (special procedure); resume it before escalating`);
    }
    if (input.action === 'suspend' && this.snap.status === 'suspended') {
      throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${this.snap.code} is already suspended (since ${shanghaiTime(this.snap.suspendedAt)})`);
    }
    if (input.action === 'resume' && this.snap.status !== 'suspended') {
      throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${this.snap.code} is not suspended; only a suspended project can be resumed`);
    }
    if (COMMENT_REQUIRED.has(input.action) && !hasText(input.comment)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `${input.action} needs a comment: ${commentHint(input.action)}`);
    }
    if (input.action === 'escalate') this.escalationTarget(input.step ?? null);
  }

  /**
   * The step a 督办 is about: the one named, which must be open, or else the most overdue open step (red, the
   * earliest deadline), else the longest-waiting step in review.
   * @throws DomainError STEP.NOT_FOUND | STEP.INVALID_STATE | PROJECT.INVALID_STATE (nothing open to escalate)
   */
  escalationTarget(step: string | null): StepRecord {
    const open = (r: StepRecord) => ['ready', 'received', 'in_review', 'supplement_requested', 'rejected'].includes(r.state);
    if (step !== null) {
      const rec = this.step(step);
      if (!rec) throw new DomainError(DomainErrorCode.StepNotFound, `project ${this.snap.code} has no step '${step}'`);
      if (!open(rec)) throw new DomainError(DomainErrorCode.StepInvalidState, `cannot escalate step '${step}': it is ${rec.state}, not open`);
      return rec;
    }
    const candidates = this.snap.steps.filter(open);
    const red = candidates.filter((r) => r.light === 'red' && r.deadline?.dueAt).sort((a, b) => Date.parse(a.deadline!.dueAt!) - Date.parse(b.deadline!.dueAt!));
    const inReview = candidates.filter((r) => r.state === 'in_review').sort((a, b) => Date.parse(a.acceptedAt!) - Date.parse(b.acceptedAt!));
    const pick = red[0] ?? inReview[0] ?? candidates[0];
    if (!pick) throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${this.snap.code} has no open step to escalate`);
    return pick;
  }

  /**
   * Records the latest forecast; a change of at-risk status is on the timeline.
   * @returns the entries produced (none when nothing material changed)
   */
  applyForecast(forecast: ProjectForecast, ctx: ActionContext): TimelineEntry[] {
    const before = this.snap.forecast;
    const material = (f: ProjectForecast | null) => (f ? JSON.stringify([f.finishOn, f.atRisk, f.slackWorkingDays, f.deadlines]) : null);
    if (material(before) === material(forecast)) return [];
    this.snap.forecast = forecast;
    this.snap.version += 1;
    if ((before?.atRisk ?? false) === forecast.atRisk) return [];
    return [
      this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, forecast.atRisk ? 'forecast.at_risk' : 'forecast.on_track', null, null, {
        finishOn: forecast.finishOn,
        slackWorkingDays: forecast.slackWorkingDays,
        reason: forecast.reason,
      }),
    ];
  }

  /**
   * Applies a project action after {@link checkProjectAction}. Suspension stops the clock of every step in
   * review; resumption restarts them; cancellation closes the project.
   * @returns the timeline entries produced
   * @throws DomainError as {@link checkProjectAction}
   */
  applyProjectAction(input: ProjectActionInput, context: ActionContext): TimelineEntry[] {
    this.checkProjectAction(input, context.at);
    const ctx = { ...context, at: effectiveInstant(input.occurredAt, context.at, this.snap.lastProgressAt, "the project's last change") };
    const comment = hasText(input.comment) ? input.comment : null;
    const data: Record<string, unknown> = { from: this.snap.status };
    if (ctx.at !== context.at) data.recordedAt = context.at;
    switch (input.action) {
      case 'suspend': {
        this.snap.status = 'suspended';
        this.snap.suspendedAt = ctx.at;
        const stopped = this.snap.steps.filter((s) => s.state === 'in_review');
        for (const s of stopped) s.clockStops.push({ stoppedAt: ctx.at, resumedAt: null, reason: 'project_suspended' });
        data.clocksStopped = stopped.map((s) => s.key);
        break;
      }
      case 'resume': {
        this.snap.status = 'active';
        const resumed = this.snap.steps.filter((s) => s.clockStops.some((c) => c.reason === 'project_suspended' && c.resumedAt === null));
        for (const s of resumed) closeStops(s, 'project_suspended', ctx.at);
        data.clocksResumed = resumed.map((s) => s.key);
        data.suspendedAt = this.snap.suspendedAt;
        this.snap.suspendedAt = null;
        break;
      }
      case 'escalate': {
        const target = this.escalationTarget(input.step ?? null);
        const department = this.stepDefinition(target.key)!.department;
        this.snap.supervision = { step: target.key, department, since: ctx.at, by: ctx.actor.id, comment: comment! };
        data.step = target.key;
        data.department = department;
        this.snap.version += 1;
        return [this.entry(ctx, 'project.escalated', target.key, comment, { ...data, to: this.snap.status })];
      }
      case 'cancel':
        for (const st of this.snap.steps) closeStops(st, 'project_suspended', ctx.at);
        this.snap.status = 'cancelled';
        this.snap.suspendedAt = null;
        this.snap.closedAt = ctx.at;
        break;
    }
    data.to = this.snap.status;
    this.snap.version += 1;
    this.snap.lastProgressAt = ctx.at;
    return [this.entry(ctx, `project.${pastTense(input.action)}`, null, comment, data)];
  }

  /** The auxiliary clock `id` (`acceptance:<step>`, `certificate:<step>`, `expiry:<key>`), if any. */
  auxClock(id: string): AuxClockRecord | undefined {
    return this.snap.auxClocks.find((c) => c.id === id);
  }

  /** Starts (or restarts) an auxiliary clock on the day of `at`. */
  private startAuxClock(kind: AuxClockRecord['kind'], key: string, step: string, at: string, limit: number | null, unit: LimitUnit | null, fixedDueOn: string | null): AuxClockRecord {
    const id = `${kind}:${key}`;
    const clock: AuxClockRecord = {
      id,
      kind,
      key,
      step,
      startedOn: shanghaiDateOf(at),
      limit,
      unit,
      fixedDueOn,
      deadline: null,
      light: kind === 'acceptance' ? null : 'green',
      endedAt: null,
      outcome: null,
      lapsed: false,
      renewals: [],
    };
    this.snap.auxClocks = [...this.snap.auxClocks.filter((c) => c.id !== id), clock];
    return clock;
  }

  /**
   * Starts the expiry clocks of an approved step (research note §2.7): each runs `months` from the decision day
   * (民法典 Art. 202), or the land contract's own term when given, until its `endsAtStep` is approved.
   */
  private startExpiries(def: StepDefinition, ctx: ActionContext, terms: StepActionInput['contractTerms']): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    for (const e of def.expiries ?? []) {
      if (e.route && e.route !== this.snap.approvalRoute) continue;
      if (isStepDone(this.step(e.endsAtStep)!.state)) continue;
      const fromContract = e.contractTerm === 'preparation' ? terms?.preparationMonths : e.contractTerm === 'build' ? terms?.buildMonths : null;
      const months = fromContract ?? e.months;
      const startedOn = shanghaiDateOf(ctx.at);
      const clock = this.startAuxClock('expiry', e.key, def.key, ctx.at, null, null, addMonths(startedOn, months));
      entries.push(
        this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'expiry.started', def.key, null, {
          clock: clock.id,
          expiry: e.key,
          months,
          lastDay: clock.fixedDueOn,
          endsAtStep: e.endsAtStep,
          source: e.source,
        }),
      );
    }
    return entries;
  }

  /** Ends the expiry clocks that `stepKey`'s approval uses (e.g. groundbreaking uses the construction permit's 3 months). */
  private endExpiries(stepKey: string, ctx: ActionContext): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    for (const c of this.snap.auxClocks) {
      if (c.kind !== 'expiry' || c.endedAt !== null || this.expiryDefinition(c.key)?.endsAtStep !== stepKey) continue;
      c.endedAt = ctx.at;
      c.outcome = c.lapsed ? 'used_after_lapse' : 'used';
      c.light = null;
      entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'expiry.used', c.step, null, { clock: c.id, lastDay: c.fixedDueOn, lapsed: c.lapsed }));
    }
    return entries;
  }

  /**
   * Applications received more than 5 working days ago with neither acceptance nor a supplement notice count
   * as accepted on the day they were received (行政许可法 Art. 32): the step goes to review with its clock
   * back-dated to the receipt.
   * @returns a `step.deemed_accepted` entry per step
   */
  applyDeemedAcceptances(nowMs: number, ctx: ActionContext): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    for (const c of this.snap.auxClocks) {
      // Held like an alert when the window had already closed when it was planned (a receipt recorded from paper),
      // so the officer can still enter the notice or acceptance that followed it.
      if (c.kind !== 'acceptance' || c.endedAt !== null || !c.deadline?.dueAt || fireTime(c.deadline, c.deadline.dueAt, this.catchUpHoldMs) > nowMs) continue;
      const rec = this.step(c.step)!;
      if (rec.state !== 'received') continue;
      // It happened when the window closed (24:00 of its last day), whenever the workflow notices it.
      const deemedAt = new Date(Date.parse(c.deadline.dueAt)).toISOString();
      c.endedAt = deemedAt;
      c.outcome = 'deemed_accepted';
      rec.state = 'in_review';
      rec.acceptedAt = rec.receivedAt;
      rec.deemedAccepted = true;
      rec.light = 'green';
      rec.updatedAt = deemedAt;
      this.snap.version += 1;
      entries.push(
        this.entry({ at: deemedAt, actor: SYSTEM_ACTOR }, 'step.deemed_accepted', c.step, null, {
          receivedAt: rec.receivedAt,
          acceptanceDueOn: c.deadline.dueOn,
          acceptedAt: rec.acceptedAt,
          rule: DEEMED_RULE,
          ...(deemedAt !== ctx.at ? { recordedAt: ctx.at } : {}),
        }),
      );
    }
    return entries;
  }

  /**
   * Refuses a fact that cannot be recorded: an unknown kind, a project closed, a fact already recorded, or an
   * instant in the future or before signing.
   * @throws DomainError ACTION.INVALID | PROJECT.CLOSED | PROJECT.INVALID_STATE
   */
  checkFact(fact: { kind: string; occurredAt: string; reference?: string | null; amountYuan?: string | null }, now: string): void {
    this.checkOpen();
    if (!(FACT_KINDS as readonly string[]).includes(fact.kind)) throw new DomainError(DomainErrorCode.ActionInvalid, `unknown fact '${fact.kind}'; known: ${FACT_KINDS.join(', ')}`);
    const waiting = this.definition.steps.filter((d) => (d.requiresFacts ?? []).includes(fact.kind as FactKind));
    if (waiting.length === 0) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `no step of ${this.definition.track}@${this.definition.version} waits for '${fact.kind}'; nothing to record it for`);
    }
    const before = waiting.flatMap((d) => d.dependsOn).filter((k) => !isStepDone(this.step(k)!.state));
    if (before.length > 0) {
      throw new DomainError(
        DomainErrorCode.ProjectInvalidState,
        `'${fact.kind}' follows ${before.map((k) => `${k} (${this.stepDefinition(k)!.nameZh})`).join(', ')}, which ${before.length === 1 ? 'is' : 'are'} not done yet`,
      );
    }
    if (this.snap.facts.some((f) => f.kind === fact.kind)) {
      throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${this.snap.code} already has '${fact.kind}' (recorded ${shanghaiTime(this.snap.facts.find((f) => f.kind === fact.kind)!.recordedAt)})`);
    }
    refuseNul({ reference: fact.reference });
    effectiveInstant(fact.occurredAt, now, `${this.snap.signedAt}T00:00:00+08:00`, 'the signing day');
  }

  /**
   * Records a fact from outside (`POST /events`), e.g. the land price paid in full; steps that waited for it
   * (the land title) become ready when their dependencies are done.
   * @returns the timeline entries produced
   * @throws DomainError as {@link checkFact}
   */
  applyFact(fact: { kind: FactKind; occurredAt: string; reference?: string | null; amountYuan?: string | null }, context: ActionContext): TimelineEntry[] {
    this.checkFact(fact, context.at);
    const at = effectiveInstant(fact.occurredAt, context.at, `${this.snap.signedAt}T00:00:00+08:00`, 'the signing day');
    const record: ProjectFact = { kind: fact.kind, occurredAt: at, recordedAt: context.at, by: context.actor.id, reference: fact.reference ?? null, amountYuan: fact.amountYuan ?? null };
    this.snap.facts.push(record);
    this.snap.version += 1;
    const entries = [this.entry({ at: context.at, actor: context.actor }, `fact.${fact.kind}`, null, null, { ...record })];
    // A step that waited for the fact is ready from when the fact happened, or from its last dependency's decision
    // if that came later (a payment reported after the fact must not make the title ready "now").
    const latest = (a: string, b: string | null) => (b !== null && Date.parse(b) > Date.parse(a) ? b : a);
    entries.push(
      ...this.unblockDependents({ at, actor: SYSTEM_ACTOR }, (def) => def.dependsOn.reduce((t, d) => latest(t, this.step(d)!.decidedAt), at)),
    );
    return entries;
  }

  /** Records the latest government time; true when it changed. */
  applyGovernmentTime(gt: GovernmentTime): boolean {
    const material = (g: GovernmentTime | null) => (g ? JSON.stringify([g.workingDays, g.stepWorkingDaysTotal, g.perStep, g.promises]) : null);
    if (material(this.snap.governmentTime) === material(gt)) return false;
    this.snap.governmentTime = gt;
    this.snap.version += 1;
    return true;
  }

  // ---- Clocks: deadlines, lights, alerts (issue 4). Instants in, no calendar here: plans come from an activity.

  /**
   * The two tiers of a step's clock: the published limit (承诺时限) lights run on and the statutory one
   * (法定时限), the day they count from, and the working days an extension added. A step handled jointly
   * (Art. 42 ¶2) counts its group's limit from the group's first acceptance.
   */
  stepTiers(d: StepDefinition, rec: StepRecord): { start: string; published: { value: number; unit: LimitUnit }; statutory: { value: number; unit: LimitUnit }; extra: number; distinct: boolean; joint: string | null } {
    const group = jointGroupOf(this.definition, d.key);
    if (group) {
      const first = group.steps
        .map((k) => this.step(k)!.acceptedAt)
        .filter((a): a is string => a !== null)
        .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b), rec.acceptedAt!);
      const published = group.publishedLimit ?? group.limit;
      return { start: shanghaiDateOf(first), published, statutory: group.limit, extra: this.snap.jointExtensions[group.key]?.workingDays ?? 0, distinct: true, joint: group.key };
    }
    const statutory = statutoryLimitOf(d);
    return {
      start: shanghaiDateOf(rec.acceptedAt!),
      published: d.limit,
      statutory,
      extra: rec.extension?.workingDays ?? 0,
      distinct: statutory !== d.limit && (statutory.value !== d.limit.value || statutory.unit !== d.limit.unit),
      joint: null,
    };
  }

  /**
   * Clocks that need (re)planning: open step clocks (in review or waiting for a supplement) and started
   * project deadlines whose inputs changed since their last plan, whose planned repeats ran out, or all of
   * them when `force` (after a calendar change).
   * @param years with `force`, only clocks whose deadline falls in (or is unknown and starts before the end
   *   of) one of these years
   */
  clockRequests(force = false, years: number[] = [], notBefore: string | null = null): ClockRequest[] {
    const out: ClockRequest[] = [];
    const consider = (
      id: string,
      start: string,
      limit: ClockRequest['limit'],
      unit: ClockRequest['unit'],
      stops: ClockRequest['stops'],
      policy: ReminderPolicy,
      deadline: ClockDeadline | null,
      fixedDueOn: string | null = null,
      more: Pick<ClockRequest, 'moveOffHoliday' | 'extraWorkingDays' | 'statutory'> = {},
    ) => {
      // Issue 7's inputs join the key only when present, so clocks planned before keep their plans.
      const inputKey = JSON.stringify(Object.keys(more).length > 0 ? [start, limit, unit, stops, policy, fixedDueOn, more] : [start, limit, unit, stops, policy, fixedDueOn]);
      const exhausted = deadline !== null && !deadline.stopped && deadline.repeatAts.length > 0 && deadline.repeatAts.every((_, k) => deadline.fired.includes(`repeat:${deadline.repeatsBefore + k + 1}`));
      const inYears = years.length === 0 || deadline?.dueOn == null || years.some((y) => deadline.dueOn!.startsWith(`${y}-`) || Number(deadline.dueOn!.slice(0, 4)) >= y);
      if (deadline?.inputKey !== inputKey || exhausted || (force && inYears)) {
        // Only when the planned repeats ran out does the next plan start after the ones already fired.
        const repeatsBefore = exhausted && deadline.inputKey === inputKey ? deadline.repeatsBefore + countRepeatsFired(deadline) : 0;
        out.push({ id, start, limit, unit, stops, policy, inputKey, repeatsBefore, ...(fixedDueOn ? { fixedDueOn } : {}), ...more, ...(notBefore ? { notBefore } : {}) });
      }
    };
    for (const d of this.definition.steps) {
      const rec = this.step(d.key)!;
      if (!isClockOpen(rec)) continue;
      const stops = rec.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) }));
      const t = this.stepTiers(d, rec);
      const more: Pick<ClockRequest, 'extraWorkingDays' | 'statutory'> = {};
      const published = { limit: t.published.unit === 'working_days' ? t.published.value + t.extra : t.published.value, extra: t.published.unit === 'working_days' ? 0 : t.extra };
      if (published.extra > 0) more.extraWorkingDays = published.extra;
      if (t.distinct) {
        more.statutory = {
          limit: t.statutory.unit === 'working_days' ? t.statutory.value + t.extra : t.statutory.value,
          unit: t.statutory.unit,
          ...(t.statutory.unit === 'working_days' || t.extra === 0 ? {} : { extraWorkingDays: t.extra }),
        };
      }
      consider(d.key, t.start, published.limit, t.published.unit, stops, { ...this.definition.reminderPolicy, ...d.reminderPolicy }, rec.deadline, null, more);
    }
    for (const c of this.snap.auxClocks) {
      if (c.endedAt !== null || this.isClosed) continue;
      if (c.kind === 'expiry') {
        const ed = this.expiryDefinition(c.key)!;
        consider(c.id, c.startedOn, 1, 'calendar_days', [], expiryPolicy(ed), c.deadline, c.fixedDueOn, { moveOffHoliday: true });
      } else {
        consider(c.id, c.startedOn, c.limit!, c.unit!, [], this.definition.reminderPolicy, c.deadline, null, { moveOffHoliday: false });
      }
    }
    for (const pd of this.definition.projectDeadlines ?? []) {
      const pc = this.snap.projectClocks.find((c) => c.key === pd.key);
      if (!pc || pc.startedOn === null || pc.endedOn !== null || this.isClosed) continue;
      const fixed = this.fixedDueOn(pd.key);
      consider(`project:${pd.key}`, pc.startedOn, pd.limit?.value ?? 1, pd.limit?.unit ?? 'calendar_days', [], this.definition.reminderPolicy, pc.deadline, fixed);
    }
    return out;
  }

  /**
   * Records planned deadlines. A changed deadline is on the timeline (old → new); alerts already fired for an
   * unchanged deadline stay fired. Lights follow at `ctx.at`.
   * @returns the timeline entries produced
   */
  applyClockPlans(plans: Array<{ request: ClockRequest; plan: ClockPlan }>, ctx: ActionContext): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
    for (const { request, plan } of plans) {
      const target = this.clockTarget(request.id);
      if (!target) continue;
      const previous = target.deadline;
      const sameDue = previous !== null && previous.dueAt === plan.dueAt && plan.dueAt !== null;
      const next: ClockDeadline = {
        inputKey: request.inputKey,
        dueOn: plan.dueOn,
        dueAt: plan.dueAt,
        provisional: plan.provisional,
        stopped: plan.stopped,
        yellowAt: plan.yellowAt,
        escalateAt: plan.escalateAt,
        repeatAts: plan.repeatAts,
        repeatsBefore: request.repeatsBefore + (plan.skippedRepeats ?? 0),
        fired: sameDue ? previous.fired : [],
        plannedAt: ctx.at,
        ...(plan.statutoryDueAt !== undefined ? { statutoryDueOn: plan.statutoryDueOn ?? null, statutoryDueAt: plan.statutoryDueAt } : {}),
      };
      // A re-plan that changes no instant (a calendar signal about another year's days) does not restart the hold.
      if (this.keepsHoldOnUnchangedPlan && previous !== null && sameInstants(previous, next)) next.plannedAt = previous.plannedAt;
      // A statutory alert already fired stays fired while the statutory deadline is the same.
      if (previous?.fired.includes('statutory') && previous.statutoryDueAt === next.statutoryDueAt && !next.fired.includes('statutory')) next.fired = [...next.fired, 'statutory'];
      target.deadline = next;
      const step = this.stepOfClock(request.id);
      if (plan.stopped) {
        // Clock held: the deadline is unknown until it resumes; the light is frozen as it stood when it stopped.
        const open = 'clockStops' in target ? (target as StepRecord).clockStops.find((c) => c.resumedAt === null) : undefined;
        if (open && previous && previous.dueAt !== null) target.light = lightAt(previous, target.light, Date.parse(open.stoppedAt), this.catchUpHoldMs, true);
        continue;
      }
      if (previous === null || previous.dueAt === null) {
        if (previous?.dueAt !== plan.dueAt) {
          entries.push(this.entry(sys, previous === null ? 'deadline.set' : 'deadline.resumed', step, null, { clock: request.id, dueOn: plan.dueOn, dueAt: plan.dueAt, provisional: plan.provisional }));
        }
      } else if (previous.dueAt !== plan.dueAt || previous.provisional !== plan.provisional) {
        entries.push(
          this.entry(sys, 'deadline.replanned', step, null, {
            clock: request.id,
            from: { dueOn: previous.dueOn, dueAt: previous.dueAt, provisional: previous.provisional },
            to: { dueOn: plan.dueOn, dueAt: plan.dueAt, provisional: plan.provisional },
          }),
        );
      }
    }
    this.snap.version += 1;
    entries.push(...this.refreshLights(Date.parse(ctx.at), ctx, false));
    return entries;
  }

  /**
   * Sets each open clock's light for instant `nowMs`: red once its deadline has passed, yellow from its
   * yellow threshold, else green; a held clock keeps its light. The project's light is the worst.
   * @returns a `light.changed` entry per clock whose light changed
   */
  refreshLights(nowMs: number, ctx: ActionContext, bump = true): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
    const update = (id: string, holder: { light: Light | null; deadline: ClockDeadline | null }) => {
      const light = lightAt(holder.deadline, holder.light, nowMs, this.catchUpHoldMs);
      if (light !== holder.light) {
        entries.push(this.entry(sys, 'light.changed', this.stepOfClock(id), null, { clock: id, from: holder.light, to: light }));
        holder.light = light;
      }
    };
    for (const rec of this.snap.steps) {
      if (!isClockOpen(rec)) continue;
      update(rec.key, rec);
      // Past the statutory limit (法定时限): a separate, graver state than red on the published limit.
      const d = rec.deadline;
      const statutoryAt = d && !d.stopped ? statutoryDueAtOf(d) : null;
      if (this.issue7 && !rec.statutoryOverdue && d && statutoryAt && nowMs >= fireTime(d, statutoryAt, this.catchUpHoldMs)) {
        rec.statutoryOverdue = true;
        entries.push(this.entry(sys, 'step.statutory_overdue', rec.key, null, { statutoryDueOn: d.statutoryDueOn ?? d.dueOn, statutoryDueAt: statutoryAt }));
      }
    }
    for (const pc of this.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) update(`project:${pc.key}`, pc);
    for (const c of this.snap.auxClocks) {
      if (c.endedAt !== null || c.kind === 'acceptance') continue;
      update(c.id, c);
      if (c.kind === 'expiry' && c.light === 'red' && !c.lapsed) {
        c.lapsed = true;
        const ed = this.expiryDefinition(c.key)!;
        entries.push(this.entry(sys, 'expiry.lapsed', c.step, null, { clock: c.id, expiry: c.key, lastDay: c.deadline?.dueOn ?? c.fixedDueOn, source: ed.source }));
      }
    }
    const before = [this.snap.light, this.snap.nextDeadline];
    this.recomputeProjectLight();
    if (bump && (entries.length > 0 || before[0] !== this.snap.light || before[1] !== this.snap.nextDeadline)) this.snap.version += 1;
    return entries;
  }

  /**
   * Alerts whose instant has come (≤ `nowMs`) and have not fired: yellow, red, escalation (督办) and
   * repeats. When several are due at once for one clock (a back-dated project, a worker down for days),
   * only the gravest is returned; the others are marked fired with it, so nobody gets a stale burst.
   */
  dueAlerts(nowMs: number): Array<DueAlert & { supersedes: string[] }> {
    const out: Array<DueAlert & { supersedes: string[] }> = [];
    if (this.isClosed && this.issue7) return out;
    const policy = this.definition.reminderPolicy;
    // `warnAndLapseOnly`: an expiry clock reminds before its last day and says when it lapsed, with no 督办 repeats.
    const collect = (clockId: string, step: string | null, d: ClockDeadline | null, stepPolicy: ReminderPolicy, warnAndLapseOnly = false) => {
      if (!d || d.stopped || d.dueAt === null) return;
      const candidates: DueAlert[] = [];
      const push = (kind: DueAlert['kind'], alertId: string, at: string | null, overdue: number) => {
        if (at !== null && !d.fired.includes(alertId) && fireTime(d, at, this.catchUpHoldMs) <= nowMs) candidates.push({ clockId, step, kind, alertId, at, dueAt: d.dueAt!, overdueWorkingDays: overdue });
      };
      push('yellow', 'yellow', d.yellowAt, 0);
      push('red', 'red', d.dueAt, 0);
      if (!warnAndLapseOnly) {
        push('escalation', 'escalation', d.escalateAt, stepPolicy.escalateAfterWorkingDays);
        d.repeatAts.forEach((at, k) => {
          const n = d.repeatsBefore + k + 1;
          push('escalation_repeat', `repeat:${n}`, at, stepPolicy.escalateAfterWorkingDays + n * stepPolicy.repeatEveryWorkingDays);
        });
      }
      if (candidates.length === 0) return;
      const gravest = candidates[candidates.length - 1]!;
      out.push({ ...gravest, supersedes: candidates.slice(0, -1).map((c) => c.alertId) });
    };
    for (const def of this.definition.steps) {
      const rec = this.step(def.key)!;
      if (!isClockOpen(rec)) continue;
      collect(def.key, def.key, rec.deadline, { ...policy, ...def.reminderPolicy });
      // The statutory limit passed: its own notice, never folded into the published limit's alerts.
      const d = rec.deadline;
      const statutoryAt = d && !d.stopped ? statutoryDueAtOf(d) : null;
      if (this.issue7 && d && statutoryAt && !d.fired.includes('statutory') && fireTime(d, statutoryAt, this.catchUpHoldMs) <= nowMs) {
        out.push({ clockId: def.key, step: def.key, kind: 'statutory_overdue', alertId: 'statutory', at: statutoryAt, dueAt: statutoryAt, overdueWorkingDays: 0, supersedes: [] });
      }
    }
    for (const pc of this.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) collect(`project:${pc.key}`, null, pc.deadline, policy);
    for (const c of this.snap.auxClocks) {
      if (c.endedAt !== null || c.kind === 'acceptance') continue;
      collect(c.id, c.step, c.deadline, policy, c.kind === 'expiry');
    }
    return out;
  }

  /** Marks alerts fired (and those they superseded); one `alert.fired` timeline entry per alert. */
  markAlertFired(alert: DueAlert & { supersedes: string[] }, recipients: unknown[], ctx: ActionContext): TimelineEntry[] {
    const target = this.clockTarget(alert.clockId);
    if (!target?.deadline) return [];
    target.deadline.fired.push(...alert.supersedes, alert.alertId);
    this.snap.version += 1;
    return [
      this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, alert.kind === 'escalation' || alert.kind === 'escalation_repeat' ? 'escalation.automatic' : 'reminder.sent', alert.step, null, {
        clock: alert.clockId,
        kind: alert.kind,
        dueAt: alert.dueAt,
        thresholdAt: alert.at,
        overdueWorkingDays: alert.overdueWorkingDays,
        recipients,
        ...(alert.supersedes.length > 0 ? { supersedes: alert.supersedes } : {}),
      }),
    ];
  }

  /** The next instant (ms) at which an alert of an open clock comes due, or null when none is planned. */
  nextWakeAt(): number | null {
    let next: number | null = null;
    const consider = (d: ClockDeadline | null, warnAndLapseOnly = false) => {
      if (!d || d.stopped || d.dueAt === null) return;
      const list: Array<[string, string | null]> = [
        ['yellow', d.yellowAt],
        ['red', d.dueAt],
        ...(warnAndLapseOnly
          ? []
          : [['escalation', d.escalateAt] as [string, string | null], ...d.repeatAts.map((at, k) => [`repeat:${d.repeatsBefore + k + 1}`, at] as [string, string])]),
      ];
      for (const [id, at] of list) {
        if (at === null || d.fired.includes(id)) continue;
        const ms = fireTime(d, at, this.catchUpHoldMs);
        if (next === null || ms < next) next = ms;
      }
    };
    const at = (d: ClockDeadline, instant: string) => {
      const ms = fireTime(d, instant, this.catchUpHoldMs);
      if (next === null || ms < next) next = ms;
    };
    for (const rec of this.snap.steps) {
      if (!isClockOpen(rec)) continue;
      consider(rec.deadline);
      const d = rec.deadline;
      const statutoryAt = d && !d.stopped ? statutoryDueAtOf(d) : null;
      if (this.issue7 && d && statutoryAt && !d.fired.includes('statutory')) at(d, statutoryAt);
    }
    for (const pc of this.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) consider(pc.deadline);
    for (const c of this.snap.auxClocks) {
      if (c.endedAt !== null) continue;
      if (c.kind === 'acceptance') {
        // Deemed acceptance is due at the end of the window (not held: the law dates it).
        if (c.deadline?.dueAt && this.step(c.step)?.state === 'received') at(c.deadline, c.deadline.dueAt);
        continue;
      }
      consider(c.deadline, c.kind === 'expiry');
    }
    return next;
  }

  /**
   * The fixed day of a project deadline with a target: its `MM-DD` in the year of signing, or the year
   * plan's day for that year; null for a relative deadline.
   */
  fixedDueOn(key: string): string | null {
    const pd = (this.definition.projectDeadlines ?? []).find((d) => d.key === key);
    if (!pd?.target) return null;
    const year = Number(this.snap.signedAt.slice(0, 4));
    return `${year}-${this.definition.yearPlans?.[year]?.[key] ?? pd.target.monthDay}`;
  }

  /** The step a clock belongs to (null for project deadlines). */
  private stepOfClock(id: string): string | null {
    if (id.startsWith('project:')) return null;
    return this.auxClock(id)?.step ?? id;
  }

  private clockTarget(id: string): { deadline: ClockDeadline | null; light: Light | null } | undefined {
    if (id.startsWith('project:')) return this.snap.projectClocks.find((c) => `project:${c.key}` === id);
    const aux = this.auxClock(id);
    if (aux) return aux.endedAt === null ? aux : undefined;
    const rec = this.step(id);
    return rec && isClockOpen(rec) ? rec : undefined;
  }

  /** Starts a project deadline when its `fromStep` is done; ends and grades it when its `toStep` is approved. */
  private followProjectClocks(stepKey: string, ctx: ActionContext): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const rec = this.step(stepKey)!;
    for (const pd of this.definition.projectDeadlines ?? []) {
      const pc = this.snap.projectClocks.find((c) => c.key === pd.key);
      if (!pc) continue;
      if (pd.fromStep === stepKey && isStepDone(rec.state) && pc.startedOn === null) {
        pc.startedOn = shanghaiDateOf(ctx.at);
        pc.light = 'green';
        entries.push(
          this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project_deadline.started', null, null, {
            clock: `project:${pd.key}`,
            startedOn: pc.startedOn,
            ...(pd.limit ? { limit: pd.limit.value, unit: pd.limit.unit } : { dueOn: this.fixedDueOn(pd.key) }),
          }),
        );
      }
      if (pd.toStep === stepKey && rec.state === 'approved' && pc.startedOn !== null && pc.endedOn === null) {
        pc.endedOn = shanghaiDateOf(ctx.at);
        pc.calendarDays = calendarDaysBetween(pc.startedOn, pc.endedOn);
        pc.grade = pd.grades.find((g) => pc.calendarDays! <= g.maxDays)?.grade ?? pd.lateGrade;
        pc.light = null;
        entries.push(
          this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project_deadline.met', null, null, {
            clock: `project:${pd.key}`,
            startedOn: pc.startedOn,
            endedOn: pc.endedOn,
            calendarDays: pc.calendarDays,
            grade: pc.grade,
          }),
        );
      }
    }
    return entries;
  }

  private recomputeProjectLight(): void {
    const lights: Light[] = [];
    const dues: string[] = [];
    for (const rec of this.snap.steps) {
      if (!isClockOpen(rec)) continue;
      if (rec.light) lights.push(rec.light);
      if (rec.deadline?.dueAt) dues.push(rec.deadline.dueAt);
    }
    for (const pc of this.snap.projectClocks) {
      if (pc.startedOn === null || pc.endedOn !== null) continue;
      if (pc.light) lights.push(pc.light);
      if (pc.deadline?.dueAt) dues.push(pc.deadline.dueAt);
    }
    for (const c of this.snap.auxClocks) {
      if (c.endedAt !== null || c.kind === 'acceptance') continue;
      if (c.light) lights.push(c.light);
      if (c.deadline?.dueAt) dues.push(c.deadline.dueAt);
    }
    this.snap.light = this.isClosed ? 'green' : worstLight(lights);
    this.snap.nextDeadline = this.isClosed || dues.length === 0 ? null : dues.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  }

  private checkOpen(): void {
    if (this.isClosed) {
      throw new DomainError(
        DomainErrorCode.ProjectClosed,
        `project ${this.snap.code} is ${this.snap.status} (since ${shanghaiTime(this.snap.closedAt)}); no further actions are possible`,
      );
    }
  }

  private explainState(rec: StepRecord): string {
    switch (rec.state) {
      case 'blocked': {
        const open = this.stepDefinition(rec.key)!.dependsOn.filter((d) => !isStepDone(this.step(d)!.state));
        const names = open.map((d) => `${d} (${this.stepDefinition(d)!.nameZh})`).join(', ');
        const facts = (this.stepDefinition(rec.key)!.requiresFacts ?? []).filter((f) => !this.snap.facts.some((x) => x.kind === f));
        const factText = facts.map((f) => (f === 'land_price_paid' ? 'the land price is paid in full (土地出让金缴清, recorded through POST /events)' : f)).join(' and ');
        if (open.length === 0) return `is blocked until ${factText}`;
        return `is blocked until ${names} ${open.length === 1 ? 'is' : 'are'} approved or waived${facts.length > 0 ? ` and ${factText}` : ''}`;
      }
      case 'ready':
        return "is waiting for the applicant's submission; receive or accept it first";
      case 'received':
        return `was received (${shanghaiTime(rec.receivedAt)}) and waits for acceptance or a one-time supplement notice`;
      case 'in_review':
        return `is already in review (accepted ${shanghaiTime(rec.acceptedAt)})`;
      case 'supplement_requested':
        return 'is waiting for the applicant to supplement materials (补正); resubmit it first';
      case 'approved':
      case 'delivered':
      case 'waived':
        return `is already ${rec.state} (${shanghaiTime(rec.decidedAt)}) and closed`;
      case 'rejected':
        return `was rejected (${shanghaiTime(rec.decidedAt)}); accept a new application to reopen it`;
    }
  }

  private unblockDependents(context: ActionContext, readyAt?: (def: StepDefinition) => string): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    for (const def of this.definition.steps) {
      const ctx = readyAt ? { ...context, at: readyAt(def) } : context;
      const rec = this.step(def.key)!;
      if (rec.state !== 'blocked') continue;
      const facts = def.requiresFacts ?? [];
      if (def.dependsOn.every((d) => isStepDone(this.step(d)!.state)) && facts.every((f) => this.snap.facts.some((x) => x.kind === f))) {
        rec.state = 'ready';
        rec.readyAt = ctx.at;
        rec.updatedAt = ctx.at;
        entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.ready', def.key, null, { after: def.dependsOn, ...(facts.length > 0 ? { facts } : {}) }));
      }
    }
    return entries;
  }

  private followStage(ctx: ActionContext): TimelineEntry[] {
    const stage = this.computeStage();
    if (stage === this.snap.stage) return [];
    const from = this.snap.stage;
    this.snap.stage = stage;
    return [this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project.stage_changed', null, null, { from, to: stage })];
  }

  /** The earliest stage (in track order) that still has a step not approved or waived; else the last stage. */
  private computeStage(): string {
    for (const stage of this.definition.stages) {
      const open = this.definition.steps.some((d) => d.stage === stage.key && !isStepDone(this.step(d.key)!.state));
      if (open) return stage.key;
    }
    return this.definition.stages[this.definition.stages.length - 1]!.key;
  }

  private entry(ctx: ActionContext, type: string, step: string | null, comment: string | null, data: Record<string, unknown>): TimelineEntry {
    this.snap.timelineSeq += 1;
    return {
      seq: this.snap.timelineSeq,
      at: ctx.at,
      type,
      step,
      actor: ctx.actor.id,
      actorDepartment: ctx.actor.department,
      comment,
      data,
    };
  }
}

/** Fields issue 7 added to a step record, as they start. */
const NEW_STEP_FIELDS = Object.freeze({ receivedAt: null, deemedAccepted: false, extension: null, statutoryOverdue: false, deliveredAt: null });

/** An expiry clock's reminder: `remindWorkingDaysBefore` working days before its last day (the renewal must be applied for in time). */
function expiryPolicy(ed: ExpiryDefinition): ReminderPolicy {
  return { yellowRemainingWorkingDays: ed.remindWorkingDaysBefore, yellowUsedPercent: 100, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 20 };
}

/** Fields of a step action that belong to particular actions; sent with another action they are refused, not ignored. */
const FIELD_ACTIONS: Readonly<Record<string, readonly StepActionKind[]>> = {
  assignee: ['reassign'],
  waiverDueOn: ['waive'],
  extensionWorkingDays: ['extend'],
  approvalRef: ['extend'],
  noticeOn: ['extend', 'exclude'],
  exclusionKind: ['exclude'],
  expiry: ['renew'],
  renewalMonths: ['renew'],
  contractTerms: ['approve'],
};

/** The rule a deemed acceptance follows. */
const DEEMED_RULE = '行政许可法 Art. 32: no acceptance or one-time supplement notice within 5 working days of receipt; accepted from the day of receipt';

/** When a step clock passes its statutory limit: its own planned instant, or its deadline where the two tiers are one. */
function statutoryDueAtOf(d: ClockDeadline): string | null {
  return d.statutoryDueAt !== undefined ? d.statutoryDueAt : d.dueAt;
}

/** The step's open excluded period, if any. */
function openExclusion(rec: StepRecord): ClockStop | undefined {
  return rec.clockStops.find((c) => c.reason === 'excluded_period' && c.resumedAt === null);
}

function isDate(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

/** Deep copy of JSON-shaped state (structuredClone is not available in Temporal's workflow sandbox). */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Canonical form of a decimal yuan amount: `"1500000.50"` → `"1500000.5"`, `"10000000000.00"` →
 * `"10000000000"`, so the workflow and the read model (numeric(20,2)) show the same string.
 */
export function canonicalYuan(amount: string): string {
  return amount.includes('.') ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;
}

/** A step's clock is open while it is accepted and not decided: in review, or waiting for a supplement. */
export function isClockOpen(rec: StepRecord): boolean {
  return rec.acceptedAt !== null && (rec.state === 'in_review' || rec.state === 'supplement_requested');
}

/** The worst of some lights (green when none). */
export function worstLight(lights: Array<Light | null>): Light {
  if (lights.includes('red')) return 'red';
  if (lights.includes('yellow')) return 'yellow';
  return 'green';
}

/**
 * The light of a clock at `nowMs`: red from its deadline, yellow from its threshold; a held clock keeps
 * `current`. Thresholds already past when the deadline was planned (a back-dated record) take effect after
 * the same hold as their alerts, unless `asItWas` asks for the light as it stood at `nowMs` in the record.
 */
function lightAt(d: ClockDeadline | null, current: Light | null, nowMs: number, holdMs: number, asItWas = false): Light {
  if (!d || d.stopped || d.dueAt === null) return current ?? 'green';
  const rank = { green: 0, yellow: 1, red: 2 } as const;
  // The hold never lowers a light already shown (a re-plan of a clock that is already red stays red).
  const at = (threshold: string, level: Light) =>
    asItWas || rank[current ?? 'green'] >= rank[level] ? Date.parse(threshold) : fireTime(d, threshold, holdMs);
  if (nowMs >= at(d.dueAt, 'red')) return 'red';
  if (d.yellowAt !== null && nowMs >= at(d.yellowAt, 'yellow')) return 'yellow';
  return 'green';
}

function countRepeatsFired(d: ClockDeadline): number {
  return d.fired.filter((f) => f.startsWith('repeat:') && Number(f.slice(7)) > d.repeatsBefore).length;
}


/** PostgreSQL text cannot hold NUL: refuse it here too, whatever client sent the Update. */
function refuseNul(fields: Record<string, string | null | undefined>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.includes('\u0000')) throw new DomainError(DomainErrorCode.ActionInvalid, `${name} contains a NUL character; remove it`);
  }
}

/** An ISO instant as people here read it: `2026-11-30 06:31 (+08:00)`. */
export function shanghaiTime(instant: string | null): string {
  if (instant === null) return 'unknown time';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} (+08:00)`;
}

function hasText(v: string | null | undefined): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

function closeStops(rec: StepRecord, reason: ClockStop['reason'], at: string): void {
  for (const stop of rec.clockStops) if (stop.reason === reason && stop.resumedAt === null) stop.resumedAt = at;
}

function commentHint(action: string): string {
  switch (action) {
    case 'return':
      return 'list every material the applicant must supplement (一次性告知)';
    case 'waive':
      return 'name the material waived (容缺) and how it will be supplied';
    case 'reject':
      return 'give the reasons for refusal, owed to the applicant in writing';
    case 'suspend':
      return 'name the special procedure (hearing, expert review, …) and why';
    case 'cancel':
      return 'say why the project is cancelled';
    case 'escalate':
      return 'say what the department must do and by when (督办意见)';
    default:
      return 'say why';
  }
}

/** Timeline type suffix of an action: `approve` → `approved`. */
function pastTense(action: StepActionKind | ProjectActionKind): string {
  const irregular: Record<string, string> = {
    return: 'returned',
    resubmit: 'resubmitted',
    accept: 'accepted',
    reassign: 'reassigned',
    cancel: 'cancelled',
    end_exclusion: 'exclusion_ended',
  };
  return irregular[action] ?? (action.endsWith('e') ? `${action}d` : `${action}ed`);
}
