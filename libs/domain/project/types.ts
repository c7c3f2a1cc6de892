/*
 * The project's vocabulary and the shapes of its state: states and actions, the records the workflow carries across
 * continue-as-new (a snapshot) and the inputs of actions. Pure types and constants; the rules live beside them.
 */
import type { ClockStop, LimitUnit, ReminderPolicy } from '../../calendar/index.js';
import type { DepartmentKey } from '../departments.js';
import type { ApprovalRoute, FactKind, TrackKey } from '../track-definition.js';

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

/**
 * A recorded stop of a step's clock: a supplement request (补正), a project suspension (特别程序) or an excluded
 * period (行政许可法 Art. 45). Instants, ISO 8601. The calendar counts it as a {@link ClockStop} of days.
 */
export interface StepClockStop {
  stoppedAt: string;
  resumedAt: string | null;
  reason: 'supplement_requested' | 'project_suspended' | 'excluded_period';
  /** For an excluded period: its kind (Art. 45 or a local kind) and the date of the written notice. */
  kind?: string;
  noticeOn?: string;
}

/** Traffic light of a clock: green on time, yellow warning, red overdue (DESIGN.md §4 Lights). */
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
  /** The slack is below the forecast's margin on a deadline whose clock runs (see `started`). */
  atRisk: boolean;
  /**
   * The deadline's clock runs: a fixed day (the bonded zone's year end), or a relative deadline whose start step is
   * decided. A relative deadline not started yet moves with its start, so it is reported but never at risk.
   * Absent in forecasts recorded before it was introduced (read: started).
   */
  started?: boolean;
  /**
   * The step that drives the forecast on this deadline: the first step not yet done on the critical path to it (the
   * longest chain of remaining work), with its department; null when every step on the path is done.
   */
  step?: string | null;
  department?: string | null;
}

/**
 * The at-risk forecast: the earliest finish of the remaining work — the critical path through the
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
  /**
   * The step that drives the at-risk verdict (of the tightest deadline at risk) and its department; null when not at
   * risk. Absent in forecasts recorded before it was introduced.
   */
  step?: string | null;
  department?: string | null;
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
 * A clock that runs beside the steps' own: the acceptance window after receipt (5 working days,
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
 * Government time (政府审批用时, 浙政办发〔2018〕73号): the working days agencies held the file — from acceptance to
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

/** What the planning activity needs for one clock. `id` is the clock's (a step key, `deadline:<key>`, `<kind>:<key>`). */
export interface ClockRequest {
  id: string;
  start: string;
  limit: number;
  unit: LimitUnit;
  stops: ClockStop[];
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
  statutory?: { limit: number; unit: LimitUnit; extraWorkingDays?: number };
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
  clockStops: StepClockStop[];
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
  /** Acceptance windows, certificate deliveries and expiry clocks. */
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
