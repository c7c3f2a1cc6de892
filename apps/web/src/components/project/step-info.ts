import type { Schemas } from '../../api/client';
import { DONE_STATES } from './step-graph-option';

/** A fact from outside the steps that a step waits for (e.g. 土地出让价款缴清), as the API answers it. */
export type AwaitedFact = Schemas['AwaitedFactDto'];

/** A step as the page reads it (the API's StepDto). */
export type PageStep = Schemas['StepDto'];

/** The step's name in the page's language (`nameZh` in Chinese, `name` in English). */
export function stepName(step: Pick<Schemas['StepDto'], 'name' | 'nameZh'>, lang: string): string {
  return lang.startsWith('zh') ? step.nameZh : step.name;
}

/** A sub-step group of the project's definition (all or any of its steps must pass), as the API answers it. */
export type StepGroup = Schemas['StepGroupDto'];

/** Why a step cannot start yet: the dependencies still open and the outside facts not yet recorded. */
export interface BlockedReasons {
  /** Steps it waits for, in the track's order. */
  steps: Schemas['StepDto'][];
  /** Sub-step groups it waits for, each with its members not yet done (in the track's order). */
  groups: Array<{ group: StepGroup; open: Schemas['StepDto'][] }>;
  /** Facts it waits for (not yet recorded). */
  facts: AwaitedFact[];
}

/**
 * Why `step` is held back. Only a `blocked` step waits for steps: the API's `blockedBy` (its `dependsOn` not yet
 * approved, delivered or waived; worked out here if an older answer lacks it), where a key may name a sub-step group
 * of `groups` (then its members not yet done are listed with it). A step no longer required (`notRequired`) waits for
 * nothing. Facts: the step's `waitsFor` not yet satisfied (e.g. the land title waits for the land price paid in full,
 * even once the land contract is approved).
 * @param groups the project's sub-step groups (`ProjectDto.stepGroups`; none for most tracks)
 * @returns empty lists when nothing holds the step back
 */
export function blockedReasons(step: PageStep, steps: readonly Schemas['StepDto'][], groups: readonly StepGroup[] = []): BlockedReasons {
  const facts = (step.waitsFor ?? []).filter((f) => !f.satisfied);
  if (step.state !== 'blocked' || step.notRequired) return { steps: [], groups: [], facts };
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const keys = step.blockedBy ?? step.dependsOn.filter((d) => !DONE_STATES.has(byKey.get(d)?.state ?? ''));
  const open = new Set(keys);
  const waitedGroups = groups
    .filter((g) => open.has(g.key))
    .map((group) => ({ group, open: steps.filter((s) => group.steps.includes(s.key) && !DONE_STATES.has(s.state)) }));
  return { steps: steps.filter((s) => open.has(s.key)), groups: waitedGroups, facts };
}
