/*
 * Sub-step groups at run time (all must pass / any may pass): which dependencies are satisfied, which steps are no
 * longer required once an `any` group is satisfied, and what happens to those steps. A definition without groups has
 * every step required (each leads to the final step, a check of the loader), so none of this changes its projects.
 */
import { dependencySatisfied, dependencyStepKeys, stepGroupOf, type StepDefinition, type TrackDefinition } from '../track-definition.js';
import { isStepDone, type ProjectCore } from './core.js';
import { SYSTEM_ACTOR, type ActionContext, type StepRecord, type StepState, type TimelineEntry } from './types.js';

/**
 * The steps still required to reach the final step: the final step, and walking back from each required step every
 * step and group member it depends on — except the members of an `any` group that is already satisfied (one member
 * done is enough: the others are needed by nobody through that group). A step another required step names directly
 * stays required whatever the groups say.
 *
 * @param def the project's definition
 * @param isDone whether a step (by key) is done: approved, delivered or waived
 * @returns the keys of the required steps (done ones included)
 */
export function requiredSteps(def: TrackDefinition, isDone: (stepKey: string) => boolean): Set<string> {
  const byKey = new Map(def.steps.map((s) => [s.key, s]));
  const required = new Set<string>();
  const stack = [def.finalStep];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (required.has(key)) continue;
    required.add(key);
    for (const dep of byKey.get(key)?.dependsOn ?? []) {
      const group = stepGroupOf(def, dep);
      if (!group) stack.push(dep);
      else if (!(group.mode === 'any' && group.steps.some(isDone))) stack.push(...group.steps);
    }
  }
  return required;
}

/**
 * The steps no longer required (不再需要): not done, and needed by no required step ({@link requiredSteps}) — the
 * other members of a satisfied `any` group and whatever only they waited for. Such a step never becomes ready; one
 * that was on a desk (ready, received, in review, waiting for a supplement) is withdrawn to `blocked` with its clocks
 * closed ({@link settleStepGroups}); so it has no clock, no light, no deadline and no place in the work queue, the stuck
 * list or the forecast. Empty for a definition without groups.
 *
 * @param def the project's definition
 * @param stateOf the state of a step (by key)
 */
export function notRequiredSteps(def: TrackDefinition, stateOf: (stepKey: string) => StepState): Set<string> {
  if (!def.stepGroups || def.stepGroups.length === 0) return new Set();
  const isDone = (k: string) => isStepDone(stateOf(k));
  const required = requiredSteps(def, isDone);
  return new Set(def.steps.filter((s) => !required.has(s.key) && !isDone(s.key)).map((s) => s.key));
}

/** {@link notRequiredSteps} of a running project. */
export function notRequiredOf(core: ProjectCore): Set<string> {
  return notRequiredSteps(core.definition, (k) => core.step(k)!.state);
}

/**
 * Whether every dependency of a step is satisfied: each step it names done, each group it names satisfied (all
 * members done, or at least one for an `any` group).
 */
export function dependenciesSatisfied(def: TrackDefinition, step: StepDefinition, stateOf: (stepKey: string) => StepState): boolean {
  return step.dependsOn.every((d) => dependencySatisfied(def, d, (k) => isStepDone(stateOf(k))));
}

/**
 * The dependencies of a step not satisfied yet, each with its Chinese name (a step's or a group's, the group's
 * mode said as 全部通过 / 任一通过), for the words of a refusal or of a blocked step.
 */
export function openDependenciesOf(def: TrackDefinition, step: StepDefinition, stateOf: (stepKey: string) => StepState): Array<{ key: string; nameZh: string }> {
  return step.dependsOn
    .filter((d) => !dependencySatisfied(def, d, (k) => isStepDone(stateOf(k))))
    .map((d) => {
      const group = stepGroupOf(def, d);
      if (group) return { key: d, nameZh: `${group.nameZh}（${group.mode === 'all' ? '全部通过' : '任一通过'}）` };
      return { key: d, nameZh: def.steps.find((s) => s.key === d)?.nameZh ?? d };
    });
}

/** The step keys a set of steps' dependencies name, groups replaced by their members (see {@link dependencyStepKeys}). */
export function dependencyStepKeysOf(def: TrackDefinition, steps: StepDefinition[]): string[] {
  return [...new Set(steps.flatMap((s) => dependencyStepKeys(s, def.stepGroups)))];
}

const DESK_STATES: ReadonlySet<StepState> = new Set(['ready', 'received', 'in_review', 'supplement_requested']);

/**
 * What follows step `key` becoming done, for the sub-step groups it is a member of: a `step_group.satisfied` entry
 * for each group it completes (the last member of an `all` group, the first of an `any` group, naming the steps
 * that are no longer required), and each step no longer required that sat on a desk withdrawn: back to `blocked`,
 * its light cleared, its clock stops ended and its acceptance window ended (outcome `withdrawn`), with a
 * `step.not_required` entry. Nothing for a step in no group.
 *
 * @param key the step that has just become done (approved, delivered or waived)
 * @returns the timeline entries, in order
 */
export function settleStepGroups(core: ProjectCore, key: string, ctx: ActionContext): TimelineEntry[] {
  const def = core.definition;
  const groups = (def.stepGroups ?? []).filter((g) => g.steps.includes(key));
  if (groups.length === 0) return [];
  const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
  const done = (k: string) => isStepDone(core.step(k)!.state);
  const entries: TimelineEntry[] = [];
  const notRequired = notRequiredOf(core);
  for (const g of groups) {
    const others = g.steps.filter((k) => k !== key);
    const completes = g.mode === 'all' ? others.every(done) : !others.some(done);
    if (!completes) continue;
    entries.push(
      core.entry(sys, 'step_group.satisfied', null, null, {
        group: g.key,
        mode: g.mode,
        by: key,
        ...(g.mode === 'any' ? { notRequired: def.steps.filter((s) => notRequired.has(s.key)).map((s) => s.key) } : {}),
      }),
    );
  }
  for (const s of def.steps) {
    const rec = core.step(s.key)!;
    if (notRequired.has(s.key) && DESK_STATES.has(rec.state)) entries.push(...withdraw(core, rec, key, ctx));
  }
  return entries;
}

/** A step no longer required leaves the desk: blocked, no light, its stops and acceptance window ended, a 督办 on it cleared. */
function withdraw(core: ProjectCore, rec: StepRecord, satisfiedBy: string, ctx: ActionContext): TimelineEntry[] {
  const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
  const from = rec.state;
  rec.state = 'blocked';
  rec.light = null;
  rec.updatedAt = ctx.at;
  for (const stop of rec.clockStops) if (stop.resumedAt === null) stop.resumedAt = ctx.at;
  for (const c of core.snap.auxClocks) {
    if (c.step === rec.key && c.kind === 'acceptance' && c.endedAt === null) {
      c.endedAt = ctx.at;
      c.outcome = 'withdrawn';
      c.light = null;
    }
  }
  const entries = [core.entry(sys, 'step.not_required', rec.key, null, { from, satisfiedBy })];
  if (core.snap.supervision?.step === rec.key) {
    entries.push(core.entry(sys, 'supervision.cleared', rec.key, null, { since: core.snap.supervision.since, state: rec.state }));
    core.snap.supervision = null;
  }
  return entries;
}
