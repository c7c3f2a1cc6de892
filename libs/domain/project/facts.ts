/*
 * Facts recorded from outside the steps (`POST /events`, e.g. the land price paid in full, 土地出让金缴清): steps
 * that wait for a fact (the land title) become ready once it is recorded and their dependencies are done.
 */
import { DomainError, DomainErrorCode } from '../errors.js';
import { FACT_KINDS, type FactKind } from '../track-definition.js';
import { effectiveInstant, refuseNul, type ProjectCore } from './core.js';
import { dependencyStepKeysOf, openDependenciesOf } from './step-groups.js';
import { shanghaiTime } from './texts.js';
import { SYSTEM_ACTOR, type ActionContext, type ProjectFact, type TimelineEntry } from './types.js';

/**
 * Refuses a fact that cannot be recorded: an unknown kind, a project closed, a fact already recorded, or an
 * instant in the future or before signing.
 * @throws DomainError ACTION.INVALID | PROJECT.CLOSED | PROJECT.INVALID_STATE
 */
export function checkFact(core: ProjectCore, fact: { kind: string; occurredAt: string; reference?: string | null; amountYuan?: string | null }, now: string): void {
  core.checkOpen();
  if (!(FACT_KINDS as readonly string[]).includes(fact.kind)) throw new DomainError(DomainErrorCode.ActionInvalid, `unknown fact '${fact.kind}'; known: ${FACT_KINDS.join(', ')}`);
  const waiting = core.definition.steps.filter((d) => (d.requiresFacts ?? []).includes(fact.kind as FactKind));
  if (waiting.length === 0) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `no step of ${core.definition.track}@${core.definition.version} waits for '${fact.kind}'; nothing to record it for`);
  }
  const before = waiting.flatMap((d) => openDependenciesOf(core.definition, d, (k) => core.step(k)!.state));
  if (before.length > 0) {
    throw new DomainError(
      DomainErrorCode.ProjectInvalidState,
      `'${fact.kind}' follows ${before.map((d) => `${d.key} (${d.nameZh})`).join(', ')}, which ${before.length === 1 ? 'is' : 'are'} not done yet`,
    );
  }
  if (core.snap.facts.some((f) => f.kind === fact.kind)) {
    throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${core.snap.code} already has '${fact.kind}' (recorded ${shanghaiTime(core.snap.facts.find((f) => f.kind === fact.kind)!.recordedAt)})`);
  }
  refuseNul({ reference: fact.reference });
  effectiveInstant(fact.occurredAt, now, `${core.snap.signedAt}T00:00:00+08:00`, 'the signing day');
}

/**
 * Records a fact from outside (`POST /events`), e.g. the land price paid in full; steps that waited for it
 * (the land title) become ready when their dependencies are done.
 * @returns the timeline entries produced
 * @throws DomainError as {@link checkFact}
 */
export function applyFact(core: ProjectCore, fact: { kind: FactKind; occurredAt: string; reference?: string | null; amountYuan?: string | null }, context: ActionContext): TimelineEntry[] {
  checkFact(core, fact, context.at);
  const at = effectiveInstant(fact.occurredAt, context.at, `${core.snap.signedAt}T00:00:00+08:00`, 'the signing day');
  const record: ProjectFact = { kind: fact.kind, occurredAt: at, recordedAt: context.at, by: context.actor.id, reference: fact.reference ?? null, amountYuan: fact.amountYuan ?? null };
  core.snap.facts.push(record);
  core.snap.version += 1;
  const entries = [core.entry({ at: context.at, actor: context.actor }, `fact.${fact.kind}`, null, null, { ...record })];
  // A step that waited for the fact is ready from when the fact happened, or from its last dependency's decision
  // if that came later (a payment reported after the fact must not make the title ready "now").
  const latest = (a: string, b: string | null) => (b !== null && Date.parse(b) > Date.parse(a) ? b : a);
  entries.push(
    ...core.unblockDependents({ at, actor: SYSTEM_ACTOR }, (def) => dependencyStepKeysOf(core.definition, [def]).reduce((t, d) => latest(t, core.step(d)!.decidedAt), at)),
  );
  return entries;
}
