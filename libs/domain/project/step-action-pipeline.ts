/*
 * How a step action runs: the checks every action has (the project open and active, the state, the rule's
 * precondition, the comment, the fields, the instant), then the rule's own check; on apply, the rule's change and
 * what follows every change (dependents unblocked, project deadlines, stage, light, completion).
 */
import { shanghaiDateOf } from '../../calendar/index.js';
import { DomainError, DomainErrorCode } from '../errors.js';
import { endExpiries, replacesDeemedAcceptance, withdrawDeemedAcceptance } from './aux-clocks.js';
import { recomputeProjectLight, rejudgeStatutoryOverdue } from './clock-lights.js';
import { followProjectClocks } from './clocks.js';
import { settleForecast } from './forecast.js';
import { clone, effectiveInstant, hasText, isDate, isStepDone, ProjectCore, refuseNul } from './core.js';
import { FIELD_ACTIONS, STEP_ACTION_RULES, type StepActionApply } from './step-actions.js';
import { commentHint, explainState, pastTense, shanghaiTime } from './texts.js';
import { notRequiredOf, openDependenciesOf, settleStepGroups } from './step-groups.js';
import { STEP_ACTIONS, SYSTEM_ACTOR, type ActionContext, type Actor, type StepActionInput, type StepActionKind, type StepRecord, type TimelineEntry } from './types.js';

/** Actions the step's current state allows (empty when the project is closed or suspended, or the step no longer required). */
export function availableActions(core: ProjectCore, key: string): StepActionKind[] {
  const rec = core.step(key);
  if (!rec || core.snap.status !== 'active' || notRequiredOf(core).has(key)) return [];
  // `renew` is offered only while a validity can still be renewed (the refusal of one that cannot names the rule).
  const renewable = core.openExpiries(key).some((c) => !c.lapsed && c.renewals.length < (core.expiryDefinition(c.key)?.renewals.max ?? 0));
  return STEP_ACTIONS.filter((a) => {
    const rule = STEP_ACTION_RULES[a];
    return rule.from.includes(rec.state) && (rule.precondition?.(core, key) ?? null) === null && (a !== 'renew' || renewable);
  });
}

/**
 * Refuses an action the project or step cannot take now.
 * @param now the workflow's instant (ISO 8601): an `occurredAt` may not be after it
 * @param actor who acts (who may extend, 延期, is `EXTENSION_APPROVAL`, checked by the API's policy)
 * @throws DomainError STEP.NOT_FOUND | PROJECT.CLOSED | PROJECT.SUSPENDED | STEP.INVALID_STATE |
 *   STEP.NOT_WAIVABLE | ACTION.INVALID | RULE.REFUSED
 */
export function checkStepAction(core: ProjectCore, key: string, input: StepActionInput, now: string, actor?: Actor): void {
  const def = core.stepDefinition(key);
  if (!def) {
    throw new DomainError(
      DomainErrorCode.StepNotFound,
      `project ${core.snap.code} has no step '${key}'; its steps are: ${core.definition.steps.map((s) => s.key).join(', ')}`,
    );
  }
  core.checkOpen();
  if (core.snap.status === 'suspended') {
    throw new DomainError(
      DomainErrorCode.ProjectSuspended,
      `project ${core.snap.code} is suspended (special procedure since ${shanghaiTime(core.snap.suspendedAt)}); resume it before acting on its steps`,
    );
  }
  const rule = Object.hasOwn(STEP_ACTION_RULES, input.action) ? STEP_ACTION_RULES[input.action] : undefined;
  if (!rule) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `unknown step action '${String(input.action)}'; use one of: ${STEP_ACTIONS.join(', ')}`);
  }
  const rec = core.step(key)!;
  if (notRequiredOf(core).has(key)) {
    throw new DomainError(
      DomainErrorCode.StepInvalidState,
      `cannot ${input.action} step '${key}' (${def.nameZh}): it is no longer required (不再需要): another way through its sub-step group is done`,
    );
  }
  if (replacesDeemedAcceptance(core, key, input.action, input.occurredAt)) {
    // Checked against the step as the receipt left it (an acceptance or notice from paper inside the window).
    const trial = new ProjectCore(core.definition, clone(core.snap), { catchUpHoldMs: core.catchUpHoldMs });
    trial.statutoryFidelity = core.statutoryFidelity;
    trial.keepsHoldOnUnchangedPlan = core.keepsHoldOnUnchangedPlan;
    withdrawDeemedAcceptance(trial, key);
    checkStepAction(trial, key, input, now, actor);
    return;
  }
  if (!rule.from.includes(rec.state)) {
    const allowed = availableActions(core, key);
    throw new DomainError(
      DomainErrorCode.StepInvalidState,
      `cannot ${input.action} step '${key}' (${def.nameZh}): it ${explainState(rec, blockedContext(core, rec))}` + (allowed.length > 0 ? `; allowed now: ${allowed.join(', ')}` : ''),
    );
  }
  const refusal = rule.precondition?.(core, key) ?? null;
  if (refusal !== null) throw new DomainError(refusal.code, refusal.message);
  if (rule.needsComment && !hasText(input.comment)) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `${input.action} needs a comment: ${commentHint(input.action)}`);
  }
  refuseNul({ comment: input.comment, assignee: input.assignee, approvalRef: input.approvalRef, exclusionKind: input.exclusionKind, expiry: input.expiry });
  const at = effectiveInstant(input.occurredAt, now, rec.updatedAt, `the step's last change`);
  for (const [field, actions] of FIELD_ACTIONS) {
    const value = input[field];
    if (value !== undefined && value !== null && !actions.includes(input.action)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `${field} applies only to ${actions.join(', ')}, not to ${input.action}; leave it out`);
    }
  }
  if (input.noticeOn !== undefined && input.noticeOn !== null) {
    if (!isDate(input.noticeOn)) throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn '${input.noticeOn}' is not a date (YYYY-MM-DD)`);
    const today = shanghaiDateOf(at);
    const since = rec.acceptedAt ?? rec.receivedAt;
    if (input.noticeOn > today) throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn ${input.noticeOn} is after the day of the ${input.action} (${today}); the applicant is told in writing when it happens`);
    if (since && input.noticeOn < shanghaiDateOf(since)) {
      throw new DomainError(DomainErrorCode.ActionInvalid, `noticeOn ${input.noticeOn} is before the application was accepted (${shanghaiDateOf(since)})`);
    }
  }
  rule.check?.({ core, key, def, rec, input, at, actor });
}

/**
 * Applies an officer's action to a step after {@link checkStepAction}; dependents whose dependencies
 * are now all done become `ready`; the stage follows; approving the final step completes the project.
 * @returns the timeline entries produced, in order
 * @throws DomainError as {@link checkStepAction}
 */
export function applyStepAction(core: ProjectCore, key: string, input: StepActionInput, context: ActionContext): TimelineEntry[] {
  checkStepAction(core, key, input, context.at, context.actor);
  const replaced = replacesDeemedAcceptance(core, key, input.action, input.occurredAt) ? withdrawDeemedAcceptance(core, key) : null;
  const ctx = { ...context, at: effectiveInstant(input.occurredAt, context.at, core.step(key)!.updatedAt, `the step's last change`) };
  const rec = core.step(key)!;
  const rule = STEP_ACTION_RULES[input.action];
  const from = rec.state;
  const comment = hasText(input.comment) ? input.comment : null;
  const data: Record<string, unknown> = { from };
  if (ctx.at !== context.at) data.recordedAt = context.at;
  if (replaced !== null) data.replacesDeemedAcceptance = replaced;
  // The action's own entry comes first on the timeline; `data` is filled in below (the entry holds it).
  const main = core.entry(ctx, `step.${pastTense(input.action)}`, key, comment, data);
  const to = typeof rule.to === 'function' ? rule.to(rec) : rule.to;
  const scope: StepActionApply = { core, key, def: core.stepDefinition(key)!, rec, input, from, ctx, comment, noticeOn: input.noticeOn ?? shanghaiDateOf(ctx.at), data, extra: [] };
  rule.apply(scope);

  if (to !== 'same') rec.state = to;
  // Decided before its statutory limit passed (a decision from paper recorded late): not overdue after all; the
  // withdrawal is the system's, stamped when it is recorded.
  const withdrawn: TimelineEntry[] = [];
  if (rec.state === 'approved' || rec.state === 'delivered' || rec.state === 'waived' || rec.state === 'rejected') {
    rec.light = null;
    if (from === 'in_review') withdrawn.push(...rejudgeStatutoryOverdue(core, rec, rec.deadline, Date.parse(ctx.at), context));
  }
  data.to = rec.state;
  rec.actor = ctx.actor.id;
  rec.comment = comment;
  rec.updatedAt = ctx.at;

  core.snap.version += 1;
  if (input.action !== 'reassign') core.snap.lastProgressAt = ctx.at;
  const entries = [main, ...scope.extra, ...withdrawn];
  if (core.snap.supervision?.step === key && to !== 'same') {
    entries.push(core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'supervision.cleared', key, null, { since: core.snap.supervision.since, state: rec.state }));
    core.snap.supervision = null;
  }
  if (isStepDone(rec.state)) entries.push(...core.unblockDependents(ctx), ...settleStepGroups(core, key, ctx));
  entries.push(...followProjectClocks(core, key, ctx));
  if (rule.endsExpiries) entries.push(...endExpiries(core, key, ctx));
  entries.push(...core.followStage(ctx));
  recomputeProjectLight(core);
  if (key === core.definition.finalStep && rec.state === 'approved') {
    core.snap.status = 'completed';
    core.snap.closedAt = ctx.at;
    settleForecast(core);
    entries.push(core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project.completed', null, null, { stage: core.snap.stage }));
  }
  return entries;
}

/** What a blocked step waits for: its open dependencies and the facts not recorded yet. */
function blockedContext(core: ProjectCore, rec: StepRecord): Parameters<typeof explainState>[1] {
  if (rec.state !== 'blocked') return { openDependencies: [], missingFacts: [] };
  const def = core.stepDefinition(rec.key)!;
  return {
    openDependencies: openDependenciesOf(core.definition, def, (k) => core.step(k)!.state),
    missingFacts: (def.requiresFacts ?? []).filter((f) => !core.snap.facts.some((x) => x.kind === f)),
  };
}
