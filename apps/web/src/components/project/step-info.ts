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

/** Why a step cannot start yet: the dependencies still open and the outside facts not yet recorded. */
export interface BlockedReasons {
  /** Steps it waits for, in the track's order. */
  steps: Schemas['StepDto'][];
  /** Facts it waits for (not yet recorded). */
  facts: AwaitedFact[];
}

/**
 * Why `step` is held back. Only a `blocked` step waits for steps: the API's `blockedBy` (its `dependsOn` not yet
 * approved, delivered or waived; worked out here if an older answer lacks it). Facts: the step's `waitsFor` not yet
 * satisfied (e.g. the land title waits for the land price paid in full, even once the land contract is approved).
 * @returns empty lists when nothing holds the step back
 */
export function blockedReasons(step: PageStep, steps: readonly Schemas['StepDto'][]): BlockedReasons {
  const facts = (step.waitsFor ?? []).filter((f) => !f.satisfied);
  if (step.state !== 'blocked') return { steps: [], facts };
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const keys = step.blockedBy ?? step.dependsOn.filter((d) => !DONE_STATES.has(byKey.get(d)?.state ?? ''));
  const open = new Set(keys);
  return { steps: steps.filter((s) => open.has(s.key)), facts };
}
