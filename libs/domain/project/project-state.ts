/*
 * The façade of a project's state machine: the one class the workflow, the activities and the tests drive. It
 * registers and restores projects and delegates each concern to its module: step actions (step-actions.ts, the
 * rule table; step-action-pipeline.ts), project actions, facts, clocks, the forecast and government time.
 */
import { shanghaiDateOf, type ClockPlan } from '../../calendar/index.js';
import type { StepDefinition, TrackDefinition } from '../track-definition.js';
import { applyDeemedAcceptances } from './aux-clocks.js';
import { applyClockPlans, clockRequests } from './clock-plans.js';
import { dueAlerts, markAlertFired, nextWakeAt, refreshLights } from './clock-lights.js';
import { fixedDueOn, stepTiers } from './clocks.js';
import { canonicalYuan, clone, NEW_STEP_FIELDS, ProjectCore, type ProjectStateOptions } from './core.js';
import { applyFact, checkFact } from './facts.js';
import { applyForecast } from './forecast.js';
import { applyGovernmentTime } from './government-time.js';
import { applyProjectAction, checkProjectAction, escalationTarget } from './project-actions.js';
import { applyStepAction, availableActions, checkStepAction } from './step-action-pipeline.js';
import {
  SYSTEM_ACTOR,
  type ActionContext,
  type Actor,
  type AuxClockRecord,
  type ClockRequest,
  type DueAlert,
  type GovernmentTime,
  type ProjectActionInput,
  type ProjectForecast,
  type ProjectRegistration,
  type ProjectSnapshot,
  type ProjectStatus,
  type StepActionInput,
  type StepActionKind,
  type StepRecord,
  type TimelineEntry,
} from './types.js';
import type { FactKind } from '../track-definition.js';

/** The tiers of a step's clock: see {@link ProjectState.stepTiers}. */
export type StepTiers = ReturnType<typeof stepTiers>;

/**
 * The state machine of one project, pure and deterministic: every instant comes in through
 * {@link ActionContext} (or a `now` argument), so the workflow can drive it on replay. `check*` methods refuse
 * with a DomainError whose message tells the officer what to do; `apply*` check, change the state and return the
 * timeline entries the change produced.
 */
export class ProjectState {
  private constructor(private readonly core: ProjectCore) {}

  /**
   * A newly registered project: steps without dependencies are `ready`, the rest `blocked`.
   * @param options the district's local kinds of excluded period and the settings of the workflow input
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
    const core = new ProjectCore(definition, snap, options);
    snap.stage = core.computeStage();
    for (const pc of snap.projectClocks) {
      if ((definition.projectDeadlines ?? []).find((d) => d.key === pc.key)?.fromStep === null) {
        pc.startedOn = shanghaiDateOf(ctx.at);
        pc.light = 'green';
      }
    }
    const entries = [
      core.entry(ctx, 'project.registered', null, null, {
        track: reg.track,
        definition: `${definition.track}@${definition.version}`,
        signedAt: reg.signedAt,
        approvalRoute: snap.approvalRoute,
      }),
      ...steps.filter((s) => s.state === 'ready').map((s) => core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.ready', s.key, null, {})),
    ];
    return { state: new ProjectState(core), entries };
  }

  /**
   * A project restored from a snapshot (after continue-as-new). The definition must be the pinned one.
   * @param options the settings of the workflow input (not part of the snapshot)
   */
  static restore(definition: TrackDefinition, snapshot: ProjectSnapshot, options: ProjectStateOptions = {}): ProjectState {
    const snap = clone(snapshot);
    // Snapshots carried over from before the statutory tier lack its fields: they start empty.
    snap.approvalRoute ??= 'filing';
    snap.auxClocks ??= [];
    snap.facts ??= [];
    snap.jointExtensions ??= {};
    snap.localExcludedPeriodKinds ??= {};
    snap.governmentTime ??= null;
    snap.steps = snap.steps.map((r) => ({ ...NEW_STEP_FIELDS, ...r }));
    return new ProjectState(new ProjectCore(definition, snap, options));
  }

  /** The pinned track definition. */
  get definition(): TrackDefinition {
    return this.core.definition;
  }

  /**
   * Whether the statutory-tier alerts and flags run (法定时限 alerts, the overdue flag; the workflow also gates
   * deemed acceptance and government time on it). The workflow turns them off while it replays a history recorded
   * before they existed (Temporal `patched`), so an old history replays command for command.
   */
  get statutoryFidelity(): boolean {
    return this.core.statutoryFidelity;
  }
  set statutoryFidelity(on: boolean) {
    this.core.statutoryFidelity = on;
  }

  /**
   * Whether a re-plan that leaves a clock's instants unchanged keeps its first plan's instant, so the catch-up hold
   * is not restarted (a calendar signal used to restart it). The workflow turns it off while it replays a history
   * recorded before the rule.
   */
  get keepsHoldOnUnchangedPlan(): boolean {
    return this.core.keepsHoldOnUnchangedPlan;
  }
  set keepsHoldOnUnchangedPlan(on: boolean) {
    this.core.keepsHoldOnUnchangedPlan = on;
  }

  /**
   * Whether what a back-dated record makes true is true at once: lights, overdue and statutory-overdue flags, lapsed
   * validities and deemed acceptances of a clock planned after its thresholds passed take effect at their thresholds;
   * only the notices wait the catch-up hold. The workflow turns it off while it replays a history recorded before the
   * rule (then they were held like their notices).
   */
  get factsAtOnce(): boolean {
    return this.core.factsAtOnce;
  }
  set factsAtOnce(on: boolean) {
    this.core.factsAtOnce = on;
  }

  /**
   * Whether a step's statutory-overdue flag (超法定时限), raised when a back-dated acceptance was judged at the instant
   * it was recorded, is withdrawn once a back-dated suspension, supplement request (补正) or decision shows the clock
   * stopped or closed before its statutory limit passed (see rejudgeStatutoryOverdue). A function, asked only when a
   * flag would be withdrawn: the workflow answers it from a patch marker recorded at that point, so histories recorded
   * before the rule replay with the flag kept.
   */
  get withdrawsStatutoryOverdue(): () => boolean {
    return this.core.withdrawsStatutoryOverdue;
  }
  set withdrawsStatutoryOverdue(ask: () => boolean) {
    this.core.withdrawsStatutoryOverdue = ask;
  }

  /** The catch-up hold, milliseconds (a setting of the workflow input). */
  get catchUpHoldMs(): number {
    return this.core.catchUpHoldMs;
  }

  /** A deep copy of the whole state. */
  snapshot(): ProjectSnapshot {
    return clone(this.core.snap);
  }

  get code(): string {
    return this.core.snap.code;
  }
  get status(): ProjectStatus {
    return this.core.snap.status;
  }
  get version(): number {
    return this.core.snap.version;
  }
  get isClosed(): boolean {
    return this.core.isClosed;
  }

  /** The step record of `key`, or undefined. */
  step(key: string): StepRecord | undefined {
    return this.core.step(key);
  }

  /** The definition of step `key`, or undefined. */
  stepDefinition(key: string): StepDefinition | undefined {
    return this.core.stepDefinition(key);
  }

  /** Actions the step's current state allows (empty when the project is closed or suspended). */
  availableActions(key: string): StepActionKind[] {
    return availableActions(this.core, key);
  }

  /**
   * Refuses an action the project or step cannot take now (the step-action rule table and the checks every action has).
   * @param now the workflow's instant (ISO 8601)
   * @param actor who acts (who may extend, 延期, is `EXTENSION_APPROVAL`, checked by the API's policy)
   * @throws DomainError STEP.NOT_FOUND | PROJECT.CLOSED | PROJECT.SUSPENDED | STEP.INVALID_STATE |
   *   STEP.NOT_WAIVABLE | ACTION.INVALID | RULE.REFUSED
   */
  checkStepAction(key: string, input: StepActionInput, now: string, actor?: Actor): void {
    checkStepAction(this.core, key, input, now, actor);
  }

  /**
   * Applies an officer's action to a step after checking it; dependents, project deadlines, stage and light follow.
   * @returns the timeline entries produced, in order
   * @throws DomainError as {@link checkStepAction}
   */
  applyStepAction(key: string, input: StepActionInput, context: ActionContext): TimelineEntry[] {
    return applyStepAction(this.core, key, input, context);
  }

  /**
   * Refuses a project action the project cannot take now.
   * @param now the workflow's instant (ISO 8601)
   * @throws DomainError PROJECT.CLOSED | PROJECT.INVALID_STATE | PROJECT.SUSPENDED | ACTION.INVALID
   */
  checkProjectAction(input: ProjectActionInput, now: string): void {
    checkProjectAction(this.core, input, now);
  }

  /**
   * The step a 督办 is about: the one named, or the most overdue open step.
   * @throws DomainError STEP.NOT_FOUND | STEP.INVALID_STATE | PROJECT.INVALID_STATE
   */
  escalationTarget(step: string | null): StepRecord {
    return escalationTarget(this.core, step);
  }

  /**
   * Applies a project action (suspend, resume, escalate, cancel) after checking it.
   * @returns the timeline entries produced
   */
  applyProjectAction(input: ProjectActionInput, context: ActionContext): TimelineEntry[] {
    return applyProjectAction(this.core, input, context);
  }

  /** Records the latest at-risk forecast; a change of at-risk status is on the timeline. */
  applyForecast(forecast: ProjectForecast, ctx: ActionContext): TimelineEntry[] {
    return applyForecast(this.core, forecast, ctx);
  }

  /**
   * Refuses a fact that cannot be recorded.
   * @param now the workflow's instant (ISO 8601)
   * @throws DomainError ACTION.INVALID | PROJECT.CLOSED | PROJECT.INVALID_STATE
   */
  checkFact(fact: { kind: string; occurredAt: string; reference?: string | null; amountYuan?: string | null }, now: string): void {
    checkFact(this.core, fact, now);
  }

  /** Records a fact from outside (`POST /events`); steps that waited for it become ready. */
  applyFact(fact: { kind: FactKind; occurredAt: string; reference?: string | null; amountYuan?: string | null }, context: ActionContext): TimelineEntry[] {
    return applyFact(this.core, fact, context);
  }

  /** Records the latest government time; true when it changed. */
  applyGovernmentTime(gt: GovernmentTime): boolean {
    return applyGovernmentTime(this.core, gt);
  }

  /** The auxiliary clock `id` (`acceptance:<step>`, `certificate:<step>`, `expiry:<key>`), if any. */
  auxClock(id: string): AuxClockRecord | undefined {
    return this.core.auxClock(id);
  }

  /** Applications neither accepted nor returned within 5 working days count as accepted on receipt (行政许可法 Art. 32). */
  applyDeemedAcceptances(nowMs: number, ctx: ActionContext): TimelineEntry[] {
    return applyDeemedAcceptances(this.core, nowMs, ctx);
  }

  /** The published and statutory tiers of a step's clock, the day they count from and the extension's working days. */
  stepTiers(d: StepDefinition, rec: StepRecord): StepTiers {
    return stepTiers(this.core, d, rec);
  }

  /**
   * Clocks that need (re)planning by the planning activity.
   * @param force re-plan every open clock (after a calendar change), limited to `years` when given
   * @param notBefore the workflow's instant: repeats already due are skipped in whole plans
   */
  clockRequests(force = false, years: number[] = [], notBefore: string | null = null): ClockRequest[] {
    return clockRequests(this.core, force, years, notBefore);
  }

  /** Records planned deadlines; a changed deadline is on the timeline; lights follow at `lightsAtMs` (epoch ms), by default `ctx.at`. */
  applyClockPlans(plans: Array<{ request: ClockRequest; plan: ClockPlan }>, ctx: ActionContext, lightsAtMs?: number): TimelineEntry[] {
    return applyClockPlans(this.core, plans, ctx, lightsAtMs);
  }

  /** Sets each open clock's light for `nowMs` (epoch ms); a `light.changed` entry per change. */
  refreshLights(nowMs: number, ctx: ActionContext, bump = true): TimelineEntry[] {
    return refreshLights(this.core, nowMs, ctx, bump);
  }

  /** Alerts whose instant has come (≤ `nowMs`, epoch ms) and have not fired, the gravest per clock. */
  dueAlerts(nowMs: number): Array<DueAlert & { supersedes: string[] }> {
    return dueAlerts(this.core, nowMs);
  }

  /** Marks an alert fired (and those it superseded); one timeline entry. */
  markAlertFired(alert: DueAlert & { supersedes: string[] }, recipients: unknown[], ctx: ActionContext): TimelineEntry[] {
    return markAlertFired(this.core, alert, recipients, ctx);
  }

  /** The next instant (epoch ms) at which an alert of an open clock comes due, or null when none is planned. */
  nextWakeAt(): number | null {
    return nextWakeAt(this.core);
  }

  /** The fixed day of a project deadline with a target (its `MM-DD` in the year of signing), or null. */
  fixedDueOn(key: string): string | null {
    return fixedDueOn(this.core, key);
  }
}
