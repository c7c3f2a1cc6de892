import { calendarDaysBetween, shanghaiDateOf, type ClockPlan, type ReminderPolicy } from '../calendar/index.js';
import type { DepartmentKey } from './departments.js';
import { DomainError, DomainErrorCode } from './errors.js';
import type { StepDefinition, TrackDefinition, TrackKey } from './track-definition.js';

/**
 * Step states (DESIGN.md §4): `blocked` (dependencies open) → `ready` (waiting for the applicant's
 * submission) → `in_review` (accepted 受理, the department's clock runs) ⇄ `supplement_requested`
 * (补正, clock stopped) → `approved` | `waived` (容缺) | `rejected`.
 */
export type StepState = 'blocked' | 'ready' | 'in_review' | 'supplement_requested' | 'approved' | 'waived' | 'rejected';

/** Officer actions on a step. */
export type StepActionKind = 'accept' | 'return' | 'resubmit' | 'approve' | 'waive' | 'reject' | 'reassign';

/**
 * Project-level actions. `suspend` starts a special procedure (特别程序) that stops every running clock;
 * `escalate` is a supervisor's 督办 on one open step.
 */
export type ProjectActionKind = 'suspend' | 'resume' | 'cancel' | 'escalate';

/** Lifecycle of a project. */
export type ProjectStatus = 'active' | 'suspended' | 'completed' | 'cancelled';

export const STEP_ACTIONS: readonly StepActionKind[] = ['accept', 'return', 'resubmit', 'approve', 'waive', 'reject', 'reassign'];
export const PROJECT_ACTIONS: readonly ProjectActionKind[] = ['suspend', 'resume', 'cancel', 'escalate'];
const PROJECT_ACTION_SET = Object.fromEntries(PROJECT_ACTIONS.map((a) => [a, true]));
export const STEP_STATES: readonly StepState[] = ['blocked', 'ready', 'in_review', 'supplement_requested', 'approved', 'waived', 'rejected'];

/**
 * The step transition table: which states an action may start from, and the state it leads to
 * (`same` leaves the state as it is). `accept` from `rejected` is a new application after a refusal.
 */
export const STEP_TRANSITIONS: Readonly<Record<StepActionKind, { from: readonly StepState[]; to: StepState | 'same' }>> = {
  accept: /*   受理 */ { from: ['ready', 'rejected'], to: 'in_review' },
  return: /*   补正 */ { from: ['in_review'], to: 'supplement_requested' },
  resubmit: /* 补正后重新提交 */ { from: ['supplement_requested'], to: 'in_review' },
  approve: /*  办结 */ { from: ['in_review'], to: 'approved' },
  waive: /*    容缺 */ { from: ['ready', 'in_review', 'supplement_requested'], to: 'waived' },
  reject: /*   不予许可 */ { from: ['in_review', 'supplement_requested'], to: 'rejected' },
  reassign: /* 改派 */ { from: ['blocked', 'ready', 'in_review', 'supplement_requested', 'rejected'], to: 'same' },
};

/** Actions that must carry a comment: the applicant is owed the reason in writing. */
const COMMENT_REQUIRED: ReadonlySet<StepActionKind | ProjectActionKind> = new Set(['return', 'waive', 'reject', 'suspend', 'cancel', 'escalate']);

/** Who acts: an officer id and the department it acts for (null for the system or unknown). */
export interface Actor {
  id: string;
  department: DepartmentKey | null;
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
  reason: 'supplement_requested' | 'project_suspended';
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
  /** Alerts fired for this deadline: `yellow`, `red`, `escalation`, `repeat:<n>`. */
  fired: string[];
  plannedAt: string;
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
}

/** A threshold passed: the notice the workflow puts in the outbox. */
export interface DueAlert {
  clockId: string;
  step: string | null;
  kind: 'yellow' | 'red' | 'escalation' | 'escalation_repeat';
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
}

/** An officer's action on a step. */
export interface StepActionInput {
  action: StepActionKind;
  comment?: string | null;
  /** For `reassign`: the officer id the step goes to. */
  assignee?: string | null;
  /** For `waive`: date (YYYY-MM-DD) by which the missing material is due. */
  waiverDueOn?: string | null;
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
 * Alerts already due when their deadline was planned (a back-dated record, a worker down for days) are
 * held this long, so an officer entering a paper history in sequence is not notified about steps the same
 * session closes a moment later.
 */
export const CATCH_UP_HOLD_MS = 60_000;

/** When an alert of `d` with threshold `at` fires: at the threshold, or held after a late plan. */
function fireTime(d: ClockDeadline, at: string): number {
  const threshold = Date.parse(at);
  const planned = Date.parse(d.plannedAt);
  return threshold < planned ? planned + CATCH_UP_HOLD_MS : threshold;
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

const DONE: ReadonlySet<StepState> = new Set(['approved', 'waived']);

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
  private constructor(
    readonly definition: TrackDefinition,
    private snap: ProjectSnapshot,
  ) {}

  /**
   * A newly registered project: steps without dependencies are `ready`, the rest `blocked`.
   * @returns the state and its first timeline entries (`project.registered`, one `step.ready` per ready step)
   */
  static register(definition: TrackDefinition, reg: ProjectRegistration, ctx: ActionContext): { state: ProjectState; entries: TimelineEntry[] } {
    const steps: StepRecord[] = definition.steps.map((d) => ({
      key: d.key,
      state: d.dependsOn.length === 0 ? 'ready' : 'blocked',
      assignee: null,
      readyAt: d.dependsOn.length === 0 ? ctx.at : null,
      acceptedAt: null,
      decidedAt: null,
      actor: null,
      comment: null,
      updatedAt: ctx.at,
      waiverDueOn: null,
      clockStops: [],
      deadline: null,
      light: null,
    }));
    const snap: ProjectSnapshot = {
      ...reg,
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
    const state = new ProjectState(definition, snap);
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
      }),
      ...steps.filter((s) => s.state === 'ready').map((s) => state.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.ready', s.key, null, {})),
    ];
    return { state, entries };
  }

  /** A project restored from a snapshot (after continue-as-new). The definition must be the pinned one. */
  static restore(definition: TrackDefinition, snapshot: ProjectSnapshot): ProjectState {
    return new ProjectState(definition, clone(snapshot));
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
    const def = this.stepDefinition(key)!;
    return STEP_ACTIONS.filter((a) => STEP_TRANSITIONS[a].from.includes(rec.state) && !(a === 'waive' && def.waivable === false));
  }

  /**
   * Refuses an action the project or step cannot take now.
   * @throws DomainError STEP.NOT_FOUND | PROJECT.CLOSED | PROJECT.SUSPENDED | STEP.INVALID_STATE |
   *   STEP.NOT_WAIVABLE | ACTION.INVALID
   */
  checkStepAction(key: string, input: StepActionInput, now: string = new Date(Date.now()).toISOString()): void {
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
    if (input.action === 'waive' && def.waivable === false) {
      throw new DomainError(DomainErrorCode.StepNotWaivable, `step '${key}' (${def.nameZh}) cannot be waived (容缺); approve it once done`);
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
    refuseNul({ comment: input.comment, assignee: input.assignee });
    effectiveInstant(input.occurredAt, now, rec.updatedAt, `the step's last change`);
  }

  /**
   * Applies an officer's action to a step after {@link checkStepAction}; dependents whose dependencies
   * are now all done become `ready`; the stage follows; approving the final step completes the project.
   * @returns the timeline entries produced, in order
   * @throws DomainError as {@link checkStepAction}
   */
  applyStepAction(key: string, input: StepActionInput, context: ActionContext): TimelineEntry[] {
    this.checkStepAction(key, input, context.at);
    const ctx = { ...context, at: effectiveInstant(input.occurredAt, context.at, this.step(key)!.updatedAt, `the step's last change`) };
    const rec = this.step(key)!;
    const transition = STEP_TRANSITIONS[input.action];
    const from = rec.state;
    const comment = hasText(input.comment) ? input.comment : null;
    const data: Record<string, unknown> = { from };
    if (ctx.at !== context.at) data.recordedAt = context.at;

    switch (input.action) {
      case 'accept':
        rec.acceptedAt = ctx.at;
        rec.decidedAt = null;
        rec.clockStops = [];
        rec.deadline = null;
        rec.light = 'green';
        break;
      case 'return':
        rec.clockStops.push({ stoppedAt: ctx.at, resumedAt: null, reason: 'supplement_requested' });
        break;
      case 'resubmit':
        closeStops(rec, 'supplement_requested', ctx.at);
        break;
      case 'approve':
        rec.decidedAt = ctx.at;
        break;
      case 'reject':
        closeStops(rec, 'supplement_requested', ctx.at);
        rec.decidedAt = ctx.at;
        break;
      case 'waive':
        closeStops(rec, 'supplement_requested', ctx.at);
        rec.decidedAt = ctx.at;
        rec.waiverDueOn = input.waiverDueOn ?? null;
        if (rec.waiverDueOn) data.waiverDueOn = rec.waiverDueOn;
        break;
      case 'reassign':
        data.previousAssignee = rec.assignee;
        data.assignee = input.assignee;
        rec.assignee = input.assignee!;
        break;
    }
    if (transition.to !== 'same') rec.state = transition.to;
    if (rec.state === 'approved' || rec.state === 'waived' || rec.state === 'rejected') rec.light = null;
    data.to = rec.state;
    rec.actor = ctx.actor.id;
    rec.comment = comment;
    rec.updatedAt = ctx.at;

    this.snap.version += 1;
    if (input.action !== 'reassign') this.snap.lastProgressAt = ctx.at;
    const entries = [this.entry(ctx, `step.${pastTense(input.action)}`, key, comment, data)];
    if (this.snap.supervision?.step === key && transition.to !== 'same') {
      entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'supervision.cleared', key, null, { since: this.snap.supervision.since, state: rec.state }));
      this.snap.supervision = null;
    }
    if (isStepDone(rec.state)) entries.push(...this.unblockDependents(ctx));
    entries.push(...this.followProjectClocks(key, ctx));
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
  checkProjectAction(input: ProjectActionInput, now: string = new Date(Date.now()).toISOString()): void {
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
    const open = (r: StepRecord) => ['ready', 'in_review', 'supplement_requested', 'rejected'].includes(r.state);
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

  // ---- Clocks: deadlines, lights, alerts (issue 4). Instants in, no calendar here: plans come from an activity.

  /**
   * Clocks that need (re)planning: open step clocks (in review or waiting for a supplement) and started
   * project deadlines whose inputs changed since their last plan, whose planned repeats ran out, or all of
   * them when `force` (after a calendar change).
   * @param years with `force`, only clocks whose deadline falls in (or is unknown and starts before the end
   *   of) one of these years
   */
  clockRequests(force = false, years: number[] = []): ClockRequest[] {
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
    ) => {
      const inputKey = JSON.stringify([start, limit, unit, stops, policy, fixedDueOn]);
      const exhausted = deadline !== null && !deadline.stopped && deadline.repeatAts.length > 0 && deadline.repeatAts.every((_, k) => deadline.fired.includes(`repeat:${deadline.repeatsBefore + k + 1}`));
      const inYears = years.length === 0 || deadline?.dueOn == null || years.some((y) => deadline.dueOn!.startsWith(`${y}-`) || Number(deadline.dueOn!.slice(0, 4)) >= y);
      if (deadline?.inputKey !== inputKey || exhausted || (force && inYears)) {
        // Only when the planned repeats ran out does the next plan start after the ones already fired.
        const repeatsBefore = exhausted && deadline.inputKey === inputKey ? deadline.repeatsBefore + countRepeatsFired(deadline) : 0;
        out.push({ id, start, limit, unit, stops, policy, inputKey, repeatsBefore, ...(fixedDueOn ? { fixedDueOn } : {}) });
      }
    };
    for (const d of this.definition.steps) {
      const rec = this.step(d.key)!;
      if (!isClockOpen(rec)) continue;
      const stops = rec.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) }));
      consider(d.key, shanghaiDateOf(rec.acceptedAt!), d.limit.value, d.limit.unit, stops, { ...this.definition.reminderPolicy, ...d.reminderPolicy }, rec.deadline);
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
        repeatsBefore: request.repeatsBefore,
        fired: sameDue ? previous.fired : [],
        plannedAt: ctx.at,
      };
      target.deadline = next;
      const step = request.id.startsWith('project:') ? null : request.id;
      if (plan.stopped) {
        // Clock held: the deadline is unknown until it resumes; the light is frozen as it stood when it stopped.
        const open = 'clockStops' in target ? (target as StepRecord).clockStops.find((c) => c.resumedAt === null) : undefined;
        if (open && previous && previous.dueAt !== null) target.light = lightAt(previous, target.light, Date.parse(open.stoppedAt), true);
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
      const light = lightAt(holder.deadline, holder.light, nowMs);
      if (light !== holder.light) {
        entries.push(this.entry(sys, 'light.changed', id.startsWith('project:') ? null : id, null, { clock: id, from: holder.light, to: light }));
        holder.light = light;
      }
    };
    for (const rec of this.snap.steps) if (isClockOpen(rec)) update(rec.key, rec);
    for (const pc of this.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) update(`project:${pc.key}`, pc);
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
    const policy = this.definition.reminderPolicy;
    const collect = (clockId: string, step: string | null, d: ClockDeadline | null, stepPolicy: ReminderPolicy) => {
      if (!d || d.stopped || d.dueAt === null) return;
      const candidates: DueAlert[] = [];
      const push = (kind: DueAlert['kind'], alertId: string, at: string | null, overdue: number) => {
        if (at !== null && !d.fired.includes(alertId) && fireTime(d, at) <= nowMs) candidates.push({ clockId, step, kind, alertId, at, dueAt: d.dueAt!, overdueWorkingDays: overdue });
      };
      push('yellow', 'yellow', d.yellowAt, 0);
      push('red', 'red', d.dueAt, 0);
      push('escalation', 'escalation', d.escalateAt, stepPolicy.escalateAfterWorkingDays);
      d.repeatAts.forEach((at, k) => {
        const n = d.repeatsBefore + k + 1;
        push('escalation_repeat', `repeat:${n}`, at, stepPolicy.escalateAfterWorkingDays + n * stepPolicy.repeatEveryWorkingDays);
      });
      if (candidates.length === 0) return;
      const gravest = candidates[candidates.length - 1]!;
      out.push({ ...gravest, supersedes: candidates.slice(0, -1).map((c) => c.alertId) });
    };
    for (const def of this.definition.steps) {
      const rec = this.step(def.key)!;
      if (isClockOpen(rec)) collect(def.key, def.key, rec.deadline, { ...policy, ...def.reminderPolicy });
    }
    for (const pc of this.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) collect(`project:${pc.key}`, null, pc.deadline, policy);
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
    const consider = (d: ClockDeadline | null) => {
      if (!d || d.stopped || d.dueAt === null) return;
      const list: Array<[string, string | null]> = [
        ['yellow', d.yellowAt],
        ['red', d.dueAt],
        ['escalation', d.escalateAt],
        ...d.repeatAts.map((at, k) => [`repeat:${d.repeatsBefore + k + 1}`, at] as [string, string]),
      ];
      for (const [id, at] of list) {
        if (at === null || d.fired.includes(id)) continue;
        const ms = fireTime(d, at);
        if (next === null || ms < next) next = ms;
      }
    };
    for (const rec of this.snap.steps) if (isClockOpen(rec)) consider(rec.deadline);
    for (const pc of this.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) consider(pc.deadline);
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

  private clockTarget(id: string): { deadline: ClockDeadline | null; light: Light | null } | undefined {
    if (id.startsWith('project:')) return this.snap.projectClocks.find((c) => `project:${c.key}` === id);
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
        return `is blocked until ${names} ${open.length === 1 ? 'is' : 'are'} approved or waived`;
      }
      case 'ready':
        return "is waiting for the applicant's submission; accept it first";
      case 'in_review':
        return `is already in review (accepted ${shanghaiTime(rec.acceptedAt)})`;
      case 'supplement_requested':
        return 'is waiting for the applicant to supplement materials (补正); resubmit it first';
      case 'approved':
      case 'waived':
        return `is already ${rec.state} (${shanghaiTime(rec.decidedAt)}) and closed`;
      case 'rejected':
        return `was rejected (${shanghaiTime(rec.decidedAt)}); accept a new application to reopen it`;
    }
  }

  private unblockDependents(ctx: ActionContext): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    for (const def of this.definition.steps) {
      const rec = this.step(def.key)!;
      if (rec.state !== 'blocked') continue;
      if (def.dependsOn.every((d) => isStepDone(this.step(d)!.state))) {
        rec.state = 'ready';
        rec.readyAt = ctx.at;
        rec.updatedAt = ctx.at;
        entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.ready', def.key, null, { after: def.dependsOn }));
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
function lightAt(d: ClockDeadline | null, current: Light | null, nowMs: number, asItWas = false): Light {
  if (!d || d.stopped || d.dueAt === null) return current ?? 'green';
  const rank = { green: 0, yellow: 1, red: 2 } as const;
  // The hold never lowers a light already shown (a re-plan of a clock that is already red stays red).
  const at = (threshold: string, level: Light) =>
    asItWas || rank[current ?? 'green'] >= rank[level] ? Date.parse(threshold) : fireTime(d, threshold);
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
  };
  return irregular[action] ?? (action.endsWith('e') ? `${action}d` : `${action}ed`);
}
