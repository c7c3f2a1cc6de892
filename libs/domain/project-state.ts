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

/** Project-level actions. `suspend` starts a special procedure (特别程序) that stops every running clock. */
export type ProjectActionKind = 'suspend' | 'resume' | 'cancel';

/** Lifecycle of a project. */
export type ProjectStatus = 'active' | 'suspended' | 'completed' | 'cancelled';

export const STEP_ACTIONS: readonly StepActionKind[] = ['accept', 'return', 'resubmit', 'approve', 'waive', 'reject', 'reassign'];
export const PROJECT_ACTIONS: readonly ProjectActionKind[] = ['suspend', 'resume', 'cancel'];
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
const COMMENT_REQUIRED: ReadonlySet<StepActionKind | ProjectActionKind> = new Set(['return', 'waive', 'reject', 'suspend', 'cancel']);

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
}

/** An officer's action on a step. */
export interface StepActionInput {
  action: StepActionKind;
  comment?: string | null;
  /** For `reassign`: the officer id the step goes to. */
  assignee?: string | null;
  /** For `waive`: date (YYYY-MM-DD) by which the missing material is due. */
  waiverDueOn?: string | null;
}

/** A project-level action. */
export interface ProjectActionInput {
  action: ProjectActionKind;
  comment?: string | null;
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
    };
    const state = new ProjectState(definition, snap);
    snap.stage = state.computeStage();
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
  checkStepAction(key: string, input: StepActionInput): void {
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
        `project ${this.snap.code} is suspended (special procedure since ${this.snap.suspendedAt}); resume it before acting on its steps`,
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
  }

  /**
   * Applies an officer's action to a step after {@link checkStepAction}; dependents whose dependencies
   * are now all done become `ready`; the stage follows; approving the final step completes the project.
   * @returns the timeline entries produced, in order
   * @throws DomainError as {@link checkStepAction}
   */
  applyStepAction(key: string, input: StepActionInput, ctx: ActionContext): TimelineEntry[] {
    this.checkStepAction(key, input);
    const rec = this.step(key)!;
    const transition = STEP_TRANSITIONS[input.action];
    const from = rec.state;
    const comment = hasText(input.comment) ? input.comment : null;
    const data: Record<string, unknown> = { from };

    switch (input.action) {
      case 'accept':
        rec.acceptedAt = ctx.at;
        rec.decidedAt = null;
        rec.clockStops = [];
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
    data.to = rec.state;
    rec.actor = ctx.actor.id;
    rec.comment = comment;
    rec.updatedAt = ctx.at;

    this.snap.version += 1;
    if (input.action !== 'reassign') this.snap.lastProgressAt = ctx.at;
    const entries = [this.entry(ctx, `step.${pastTense(input.action)}`, key, comment, data)];
    if (isStepDone(rec.state)) entries.push(...this.unblockDependents(ctx));
    entries.push(...this.followStage(ctx));
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
  checkProjectAction(input: ProjectActionInput): void {
    this.checkOpen();
    if (!Object.hasOwn(PROJECT_ACTION_SET, input.action)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `unknown project action '${String(input.action)}'; use one of: ${PROJECT_ACTIONS.join(', ')}`);
    }
    if (input.action === 'suspend' && this.snap.status === 'suspended') {
      throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${this.snap.code} is already suspended (since ${this.snap.suspendedAt})`);
    }
    if (input.action === 'resume' && this.snap.status !== 'suspended') {
      throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${this.snap.code} is not suspended; only a suspended project can be resumed`);
    }
    if (COMMENT_REQUIRED.has(input.action) && !hasText(input.comment)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `${input.action} needs a comment: ${commentHint(input.action)}`);
    }
  }

  /**
   * Applies a project action after {@link checkProjectAction}. Suspension stops the clock of every step in
   * review; resumption restarts them; cancellation closes the project.
   * @returns the timeline entries produced
   * @throws DomainError as {@link checkProjectAction}
   */
  applyProjectAction(input: ProjectActionInput, ctx: ActionContext): TimelineEntry[] {
    this.checkProjectAction(input);
    const comment = hasText(input.comment) ? input.comment : null;
    const data: Record<string, unknown> = { from: this.snap.status };
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

  private checkOpen(): void {
    if (this.isClosed) {
      throw new DomainError(
        DomainErrorCode.ProjectClosed,
        `project ${this.snap.code} is ${this.snap.status} (since ${this.snap.closedAt}); no further actions are possible`,
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
        return `is already in review (accepted ${rec.acceptedAt})`;
      case 'supplement_requested':
        return 'is waiting for the applicant to supplement materials (补正); resubmit it first';
      case 'approved':
      case 'waived':
        return `is already ${rec.state} (${rec.decidedAt}) and closed`;
      case 'rejected':
        return `was rejected (${rec.decidedAt}); accept a new application to reopen it`;
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
