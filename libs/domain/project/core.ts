/*
 * The state every rule works on: the pinned definition, the snapshot and the settings from the workflow input,
 * with the lookups and the timeline numbering the rules share. Internal to libs/domain/project: callers use the
 * ProjectState façade.
 */
import { DomainError, DomainErrorCode } from '../errors.js';
import type { ExpiryDefinition, StepDefinition, TrackDefinition } from '../track-definition.js';
import { dependenciesSatisfied, notRequiredOf } from './step-groups.js';
import { shanghaiTime } from './texts.js';
import { SYSTEM_ACTOR, type ActionContext, type AuxClockRecord, type ProjectSnapshot, type StepClockStop, type StepRecord, type StepState, type TimelineEntry } from './types.js';

/**
 * Default of the catch-up hold (milliseconds): alerts already due when their deadline was planned (a back-dated
 * record, a worker down for days) are held this long, so an officer entering a paper history in sequence is not
 * notified about steps the same session closes a moment later. Workflows started without a hold in their input
 * (every history recorded before it was a setting) use it.
 */
export const DEFAULT_CATCH_UP_HOLD_MS = 60_000;

/** Settings of a project's state machine that come from the workflow input, not from the snapshot. */
export interface ProjectStateOptions {
  /** The catch-up hold, milliseconds (default {@link DEFAULT_CATCH_UP_HOLD_MS}). */
  catchUpHoldMs?: number;
}

/** Fields added to the step record after the first release, as they start (snapshots from before lack them). */
export const NEW_STEP_FIELDS = Object.freeze({ receivedAt: null, deemedAccepted: false, extension: null, statutoryOverdue: false, deliveredAt: null });

/**
 * A project's definition and mutable snapshot, with the settings and lookups the rules share. Every change goes
 * through a rule module; this class only finds, numbers and derives.
 */
export class ProjectCore {
  /** The catch-up hold, milliseconds: see {@link DEFAULT_CATCH_UP_HOLD_MS}. */
  readonly catchUpHoldMs: number;
  /** Whether the statutory tier runs (alerts, flags, deemed acceptance): see ProjectState.statutoryFidelity. */
  statutoryFidelity = true;
  /** Whether a re-plan that changes no instant keeps the first plan's instant: see ProjectState.keepsHoldOnUnchangedPlan. */
  keepsHoldOnUnchangedPlan = true;
  /** Whether lights, overdue flags and deemed acceptances of a late plan are facts at once (only notices held): see ProjectState.factsAtOnce. */
  factsAtOnce = true;
  /**
   * Whether a statutory-overdue flag is withdrawn when a back-dated stop or decision shows the limit did not pass while
   * the clock was open: see ProjectState.withdrawsStatutoryOverdue. Asked only when a flag would be withdrawn.
   */
  withdrawsStatutoryOverdue: () => boolean = () => true;

  constructor(
    readonly definition: TrackDefinition,
    readonly snap: ProjectSnapshot,
    options: ProjectStateOptions = {},
  ) {
    this.catchUpHoldMs = options.catchUpHoldMs ?? DEFAULT_CATCH_UP_HOLD_MS;
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

  /** The auxiliary clock `id` (`acceptance:<step>`, `certificate:<step>`, `expiry:<key>`), if any. */
  auxClock(id: string): AuxClockRecord | undefined {
    return this.snap.auxClocks.find((c) => c.id === id);
  }

  /** Expiry clocks of step `key` that still run (not used). */
  openExpiries(key: string): AuxClockRecord[] {
    return this.snap.auxClocks.filter((c) => c.kind === 'expiry' && c.step === key && c.endedAt === null);
  }

  /** The expiry (validity) definition `key`, from whichever step starts it. */
  expiryDefinition(key: string): ExpiryDefinition | undefined {
    for (const d of this.definition.steps) for (const e of d.expiries ?? []) if (e.key === key) return e;
    return undefined;
  }

  /**
   * Refuses any action on a closed project.
   * @throws DomainError PROJECT.CLOSED
   */
  checkOpen(): void {
    if (this.isClosed) {
      throw new DomainError(
        DomainErrorCode.ProjectClosed,
        `project ${this.snap.code} is ${this.snap.status} (since ${shanghaiTime(this.snap.closedAt)}); no further actions are possible`,
      );
    }
  }

  /**
   * Steps whose dependencies are all satisfied (steps done, sub-step groups satisfied) and whose required facts are
   * recorded become `ready`; a step no longer required (another member of its `any` group is done) never does.
   * @param readyAt when a step became ready, if not `context.at` (a fact reported after it happened)
   * @returns a `step.ready` entry per step
   */
  unblockDependents(context: ActionContext, readyAt?: (def: StepDefinition) => string): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const notRequired = notRequiredOf(this);
    const stateOf = (k: string) => this.step(k)!.state;
    for (const def of this.definition.steps) {
      const ctx = readyAt ? { ...context, at: readyAt(def) } : context;
      const rec = this.step(def.key)!;
      if (rec.state !== 'blocked' || notRequired.has(def.key)) continue;
      const facts = def.requiresFacts ?? [];
      if (dependenciesSatisfied(this.definition, def, stateOf) && facts.every((f) => this.snap.facts.some((x) => x.kind === f))) {
        rec.state = 'ready';
        rec.readyAt = ctx.at;
        rec.updatedAt = ctx.at;
        entries.push(this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.ready', def.key, null, { after: def.dependsOn, ...(facts.length > 0 ? { facts } : {}) }));
      }
    }
    return entries;
  }

  /** Moves the project to the stage its steps are in; a `project.stage_changed` entry when it moved. */
  followStage(ctx: ActionContext): TimelineEntry[] {
    const stage = this.computeStage();
    if (stage === this.snap.stage) return [];
    const from = this.snap.stage;
    this.snap.stage = stage;
    return [this.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project.stage_changed', null, null, { from, to: stage })];
  }

  /**
   * The earliest stage (in track order) that still has a step not approved or waived (a step no longer required
   * does not hold its stage open); else the last stage.
   */
  computeStage(): string {
    const notRequired = notRequiredOf(this);
    for (const stage of this.definition.stages) {
      const open = this.definition.steps.some((d) => d.stage === stage.key && !isStepDone(this.step(d.key)!.state) && !notRequired.has(d.key));
      if (open) return stage.key;
    }
    return this.definition.stages[this.definition.stages.length - 1]!.key;
  }

  /** The next timeline entry (its `seq` one more than the last). */
  entry(ctx: ActionContext, type: string, step: string | null, comment: string | null, data: Record<string, unknown>): TimelineEntry {
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

const DONE: ReadonlySet<StepState> = new Set(['approved', 'delivered', 'waived']);

/** True when the step no longer holds its dependents back. */
export function isStepDone(state: StepState): boolean {
  return DONE.has(state);
}

/** A step's clock is open while it is accepted and not decided: in review, or waiting for a supplement. */
export function isClockOpen(rec: StepRecord): boolean {
  return rec.acceptedAt !== null && (rec.state === 'in_review' || rec.state === 'supplement_requested');
}

/** Tolerance for clocks: an occurredAt up to this far ahead of workflow time is taken as now. */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * The instant an action takes effect: `occurredAt` when given (normalised to UTC ISO), else `now`.
 * @param now the workflow's instant (ISO 8601)
 * @param floor the earliest allowed instant, named `floorWhat` in the refusal
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

/** The step's open excluded period, if any. */
export function openExclusion(rec: StepRecord): StepClockStop | undefined {
  return rec.clockStops.find((c) => c.reason === 'excluded_period' && c.resumedAt === null);
}

/** Ends the step's open stops of `reason` at `at`. */
export function closeStops(rec: StepRecord, reason: StepClockStop['reason'], at: string): void {
  for (const stop of rec.clockStops) if (stop.reason === reason && stop.resumedAt === null) stop.resumedAt = at;
}

/** True for a `YYYY-MM-DD` that is a real date. */
export function isDate(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

/** True for a string with something besides white space. */
export function hasText(v: string | null | undefined): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/**
 * PostgreSQL text cannot hold NUL: refuse it here too, whatever client sent the Update.
 * @throws DomainError ACTION.INVALID naming the field
 */
export function refuseNul(fields: Record<string, string | null | undefined>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.includes('\u0000')) throw new DomainError(DomainErrorCode.ActionInvalid, `${name} contains a NUL character; remove it`);
  }
}

/** Deep copy of JSON-shaped state (structuredClone is not available in Temporal's workflow sandbox). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Canonical form of a decimal yuan amount: `"1500000.50"` → `"1500000.5"`, `"10000000000.00"` →
 * `"10000000000"`, so the workflow and the read model (numeric(20,2)) show the same string.
 */
export function canonicalYuan(amount: string): string {
  return amount.includes('.') ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;
}
