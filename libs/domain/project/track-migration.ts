/*
 * Moving a running project to a newer version of its track (迁移到新版本): an explicit, audited action that maps the
 * project's steps onto the new definition. Pure: the workflow runs it in an Update, with the target definition whole
 * in the Update's argument, so a replay never depends on what the track registry holds later.
 */
import { shanghaiDateOf } from '../../calendar/index.js';
import { DomainError, DomainErrorCode } from '../errors.js';
import { definitionId, dependencySatisfied, type StepDefinition, type TrackDefinition } from '../track-definition.js';
import { clone, isStepDone, NEW_STEP_FIELDS, ProjectCore } from './core.js';
import { ProjectState } from './project-state.js';
import type { ActionContext, ProjectSnapshot, StepRecord, StepState, TimelineEntry } from './types.js';

/** The timeline entry a migration writes (with actor and time, like every officer's action). */
export const TRACK_MIGRATED = 'project.track_migrated';

/** States in which a department holds the application: the step is in progress and cannot be dropped. */
const IN_PROGRESS: ReadonlySet<StepState> = new Set(['received', 'in_review', 'supplement_requested']);

/** What a migration did to each step and project deadline; the data of the {@link TRACK_MIGRATED} entry. */
export interface TrackMigrationSummary {
  /** `track@version` before and after. */
  from: string;
  to: string;
  fromVersion: number;
  toVersion: number;
  /** Steps in both versions, carried over with their state, dates, clocks and timeline. */
  carried: string[];
  /** Steps only in the new version, with the state they start in (`ready` or `blocked`, by their dependencies). */
  added: Array<{ step: string; state: StepState }>;
  /** Steps only in the old version, dropped (none was in progress), with the state they had. */
  dropped: Array<{ step: string; state: StepState }>;
  /** Carried steps that were `ready` (nothing submitted yet) and wait again for a dependency the new version adds. */
  reblocked: string[];
  /** Carried steps whose department or limits the new version changes, with what changed (old → new). */
  changed: Array<{ step: string; changes: Record<string, { from: unknown; to: unknown }> }>;
  /** Project deadlines only in the new version (started as if the track had always had them) and those dropped. */
  deadlinesAdded: string[];
  deadlinesDropped: string[];
}

/** The outcome of {@link migrateTrack}: the project on the new definition, its timeline entries and the summary. */
export interface TrackMigration {
  state: ProjectState;
  entries: TimelineEntry[];
  summary: TrackMigrationSummary;
}

function refused(message: string): DomainError {
  return new DomainError(DomainErrorCode.TrackMigrationRefused, message);
}

/**
 * Refuses a migration the project cannot take: a closed project; another track; a version not newer than the pinned
 * one; a step the new version removes while a department holds its application (received, in review, supplement
 * requested), or whose certificate delivery or validity still runs; a validity still running whose definition the
 * new version removes; a new version whose final step is already done (the project would be complete by a version
 * change, not by a decision).
 * @param state the project as it is (its pinned definition is `state.definition`)
 * @param target the definition to move to, whole
 * @throws DomainError PROJECT.CLOSED | TRACK.MIGRATION_REFUSED, naming the steps and what to do
 */
export function checkTrackMigration(state: ProjectState, target: TrackDefinition): void {
  const source = state.definition;
  const snap = state.snapshot();
  if (state.isClosed) {
    throw new DomainError(DomainErrorCode.ProjectClosed, `project ${snap.code} is ${snap.status}; a finished project keeps the version it ran on (${definitionId(source)})`);
  }
  if (target.track !== source.track) {
    throw refused(`project ${snap.code} runs on track '${source.track}'; it can move only to a newer version of that track, not to '${target.track}'`);
  }
  if (target.version <= source.version) {
    throw refused(`project ${snap.code} already runs on ${definitionId(source)}; version ${target.version} is not newer — choose a version above ${source.version}`);
  }
  const targetKeys = new Set(target.steps.map((d) => d.key));
  const problems: string[] = [];
  for (const rec of snap.steps) {
    if (targetKeys.has(rec.key)) continue;
    if (IN_PROGRESS.has(rec.state)) {
      problems.push(`step ${rec.key} is ${rec.state} but version ${target.version} has no such step: decide or return it first`);
    }
    const open = snap.auxClocks.filter((c) => c.step === rec.key && c.endedAt === null);
    if (open.length > 0) {
      problems.push(`step ${rec.key} is removed in version ${target.version} but its ${open.map((c) => c.id).join(', ')} still runs: deliver the certificate or close the validity first`);
    }
  }
  const targetExpiries = new Set(target.steps.flatMap((d) => (d.expiries ?? []).map((e) => e.key)));
  for (const c of snap.auxClocks) {
    if (c.kind === 'expiry' && c.endedAt === null && targetKeys.has(c.step) && !targetExpiries.has(c.key)) {
      problems.push(`validity ${c.key} of step ${c.step} still runs but version ${target.version} does not define it`);
    }
  }
  const final = snap.steps.find((s) => s.key === target.finalStep);
  if (final && isStepDone(final.state)) {
    problems.push(`the final step of version ${target.version}, ${target.finalStep}, is already ${final.state}: the project would be complete by a version change`);
  }
  if (problems.length > 0) throw refused(`project ${snap.code} cannot move from ${definitionId(source)} to ${definitionId(target)}: ${problems.join('; ')}`);
}

/**
 * Moves a running project to a newer version of its track, after {@link checkTrackMigration}. The rules:
 * - A step in both versions is carried over as it is: state, dates, assignee, clock stops, deadline, extension.
 *   Done steps stay done (a decision taken is not undone by a version change), even where the new version gives them a
 *   dependency not done yet. A carried step that was only `ready` (nothing submitted) and now depends on a step not
 *   done, or on a fact not recorded, goes back to `blocked` (reported as `reblocked`); one already received or in
 *   review stays with its department. A carried `blocked` step becomes `ready` when its new dependencies are done.
 * - A step only in the new version starts `blocked`, or `ready` (with a `step.ready` entry) when its dependencies and
 *   facts are done, exactly as on registration or after a dependency's decision; its clocks start when it is
 *   received and accepted, as for any step.
 * - A step only in the old version is dropped (refused while in progress, see the check); its timeline stays.
 * - A carried step whose department changes loses its assignee: an officer of the old department cannot act for the
 *   new one. A carried step whose limit changes keeps its clock's start (its acceptance, stops and extension) and
 *   takes the new limit: the department accepted the application on that day, so the time already used counts, and
 *   the limit is the rule in force now (the same is done for an official calendar change: the start stays, the
 *   deadline is re-planned). The workflow's planning re-plans such a clock and records `deadline.replanned`.
 * - Certificates and validities the new version adds to a step already decided are not started after the fact: the
 *   decision was taken and handed over under the old version's rules.
 * - A project deadline only in the new version starts as if the track had always had it: on the day its start step
 *   was decided (or the registration day); one whose end step is already approved stays unstarted (it was met before
 *   it existed). A project deadline the new version removes is dropped.
 * @param state the project as it is; it is not changed
 * @param target the definition to move to, whole (validated by the track loader)
 * @param ctx when and by whom (an admin or a head of the project office); `comment` says why
 * @returns the project on the new definition (with the old one's workflow settings), the entries (`project.track_migrated`
 *   first, then any `step.ready` and `project.stage_changed`) and the summary
 * @throws DomainError as {@link checkTrackMigration}
 */
export function migrateTrack(state: ProjectState, target: TrackDefinition, ctx: ActionContext, comment: string | null = null): TrackMigration {
  checkTrackMigration(state, target);
  const source = state.definition;
  const snap: ProjectSnapshot = state.snapshot();
  const old = new Map(snap.steps.map((r) => [r.key, r]));
  const sourceDef = new Map(source.steps.map((d) => [d.key, d]));
  const targetKeys = new Set(target.steps.map((d) => d.key));
  const carried: string[] = [];
  const addedKeys: string[] = [];
  const changed: TrackMigrationSummary['changed'] = [];

  snap.steps = target.steps.map((d): StepRecord => {
    const rec = old.get(d.key);
    if (!rec) {
      addedKeys.push(d.key);
      return { ...freshStep(d.key, ctx.at) };
    }
    carried.push(d.key);
    const was = sourceDef.get(d.key)!;
    const changes = stepChanges(was, d);
    if (Object.keys(changes).length > 0) changed.push({ step: d.key, changes });
    return changes.department && rec.assignee !== null ? { ...rec, assignee: null } : rec;
  });
  const dropped = [...old.values()].filter((r) => !targetKeys.has(r.key)).map((r) => ({ step: r.key, state: r.state }));
  const droppedKeys = new Set(dropped.map((d) => d.step));
  // Ended clocks of dropped steps, and ended validities the new version no longer defines, go with them.
  const targetExpiries = new Set(target.steps.flatMap((d) => (d.expiries ?? []).map((e) => e.key)));
  snap.auxClocks = snap.auxClocks.filter((c) => !droppedKeys.has(c.step) && (c.kind !== 'expiry' || targetExpiries.has(c.key)));
  if (snap.supervision?.step && droppedKeys.has(snap.supervision.step)) snap.supervision = null;

  // A carried step waiting for a submission waits again for what the new version puts before it.
  const done = (key: string) => isStepDone(snap.steps.find((s) => s.key === key)!.state);
  const reblocked: string[] = [];
  for (const d of target.steps) {
    const rec = snap.steps.find((s) => s.key === d.key)!;
    if (rec.state !== 'ready' || addedKeys.includes(d.key)) continue;
    const factsMissing = (d.requiresFacts ?? []).some((f) => !snap.facts.some((x) => x.kind === f));
    if (d.dependsOn.every((dep) => dependencySatisfied(target, dep, done)) && !factsMissing) continue;
    rec.state = 'blocked';
    rec.readyAt = null;
    rec.updatedAt = ctx.at;
    reblocked.push(d.key);
  }

  // Project deadlines.
  const oldClocks = new Map(snap.projectClocks.map((c) => [c.key, c]));
  const deadlinesAdded: string[] = [];
  snap.projectClocks = (target.projectDeadlines ?? []).map((pd) => {
    const kept = oldClocks.get(pd.key);
    if (kept) return kept;
    deadlinesAdded.push(pd.key);
    const from = pd.fromStep === null ? snap.registeredAt : snap.steps.find((s) => s.key === pd.fromStep && isStepDone(s.state))?.decidedAt ?? null;
    const met = snap.steps.find((s) => s.key === pd.toStep)?.state === 'approved';
    const startedOn = from !== null && !met ? shanghaiDateOf(from) : null;
    return { key: pd.key, startedOn, deadline: null, light: startedOn === null ? null : 'green', endedOn: null, calendarDays: null, grade: null };
  });
  const deadlinesDropped = [...oldClocks.keys()].filter((k) => !(target.projectDeadlines ?? []).some((pd) => pd.key === k));

  snap.definitionVersion = target.version;
  snap.version += 1;
  const core = new ProjectCore(target, snap, { catchUpHoldMs: state.catchUpHoldMs });
  const summary: TrackMigrationSummary = {
    from: definitionId(source),
    to: definitionId(target),
    fromVersion: source.version,
    toVersion: target.version,
    carried,
    added: [],
    dropped,
    reblocked,
    changed,
    deadlinesAdded,
    deadlinesDropped,
  };
  const migrated = core.entry(ctx, TRACK_MIGRATED, null, comment, {});
  const entries = [migrated, ...core.unblockDependents(ctx), ...core.followStage(ctx)];
  summary.added = addedKeys.map((step) => ({ step, state: core.step(step)!.state }));
  migrated.data = clone(summary) as unknown as Record<string, unknown>;

  const next = ProjectState.restore(target, core.snap, { catchUpHoldMs: state.catchUpHoldMs });
  next.statutoryFidelity = state.statutoryFidelity;
  next.keepsHoldOnUnchangedPlan = state.keepsHoldOnUnchangedPlan;
  next.factsAtOnce = state.factsAtOnce;
  next.withdrawsStatutoryOverdue = state.withdrawsStatutoryOverdue;
  return { state: next, entries, summary };
}

/** A step record as a step new to the project starts: blocked, nothing recorded (the rules unblock it). */
function freshStep(key: string, at: string): StepRecord {
  return {
    key,
    state: 'blocked',
    assignee: null,
    readyAt: null,
    acceptedAt: null,
    decidedAt: null,
    actor: null,
    comment: null,
    updatedAt: at,
    waiverDueOn: null,
    clockStops: [],
    deadline: null,
    light: null,
    ...NEW_STEP_FIELDS,
  };
}

/** What the new version changes about a carried step that its officers notice: department, limits, dependencies. */
function stepChanges(was: StepDefinition, now: StepDefinition): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  if (was.department !== now.department) out.department = { from: was.department, to: now.department };
  const limit = (d: StepDefinition) => `${d.limit.value} ${d.limit.unit}`;
  if (limit(was) !== limit(now)) out.limit = { from: limit(was), to: limit(now) };
  const statutory = (d: StepDefinition) => (d.statutoryLimit ? `${d.statutoryLimit.value} ${d.statutoryLimit.unit}` : limit(d));
  if (statutory(was) !== statutory(now)) out.statutoryLimit = { from: statutory(was), to: statutory(now) };
  const deps = (d: StepDefinition) => [...d.dependsOn].sort();
  if (JSON.stringify(deps(was)) !== JSON.stringify(deps(now))) out.dependsOn = { from: deps(was), to: deps(now) };
  return out;
}
