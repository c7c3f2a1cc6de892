/*
 * Project-level actions: a special procedure (特别程序) stops every running clock until it is resumed; a
 * supervisor's 督办 puts one open step under supervision until it moves; cancellation closes the project.
 */
import { DomainError, DomainErrorCode } from '../errors.js';
import { closeStops, effectiveInstant, hasText, refuseNul, type ProjectCore } from './core.js';
import { settleForecast } from './forecast.js';
import { commentHint, pastTense, shanghaiTime } from './texts.js';
import { PROJECT_ACTIONS, type ActionContext, type ProjectActionInput, type ProjectActionKind, type StepRecord, type TimelineEntry } from './types.js';

/** Project actions that must carry a comment: the reason is owed in writing (special procedure, cancellation, 督办意见). */
const NEEDS_COMMENT: ReadonlySet<ProjectActionKind> = new Set(['suspend', 'cancel', 'escalate']);

/** States of a step a 督办 can be about: not yet decided (or refused and open to a new application). */
const ESCALATABLE: ReadonlySet<StepRecord['state']> = new Set(['ready', 'received', 'in_review', 'supplement_requested', 'rejected']);

/**
 * Refuses a project action the project cannot take now.
 * @param now the workflow's instant (ISO 8601): an `occurredAt` may not be after it
 * @throws DomainError PROJECT.CLOSED | PROJECT.INVALID_STATE | PROJECT.SUSPENDED | ACTION.INVALID | STEP.NOT_FOUND | STEP.INVALID_STATE
 */
export function checkProjectAction(core: ProjectCore, input: ProjectActionInput, now: string): void {
  core.checkOpen();
  effectiveInstant(input.occurredAt, now, core.snap.lastProgressAt, "the project's last change");
  refuseNul({ comment: input.comment });
  if (!(PROJECT_ACTIONS as readonly string[]).includes(input.action)) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `unknown project action '${String(input.action)}'; use one of: ${PROJECT_ACTIONS.join(', ')}`);
  }
  const code = core.snap.code;
  if (input.action === 'escalate' && core.snap.status === 'suspended') {
    throw new DomainError(DomainErrorCode.ProjectSuspended, `project ${code} is suspended (special procedure); resume it before escalating`);
  }
  if (input.action === 'suspend' && core.snap.status === 'suspended') {
    throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${code} is already suspended (since ${shanghaiTime(core.snap.suspendedAt)})`);
  }
  if (input.action === 'resume' && core.snap.status !== 'suspended') {
    throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${code} is not suspended; only a suspended project can be resumed`);
  }
  if (NEEDS_COMMENT.has(input.action) && !hasText(input.comment)) {
    throw new DomainError(DomainErrorCode.ActionInvalid, `${input.action} needs a comment: ${commentHint(input.action)}`);
  }
  if (input.action === 'escalate') escalationTarget(core, input.step ?? null);
}

/**
 * The step a 督办 is about: the one named, which must be open, or else the most overdue open step (red, the
 * earliest deadline), else the longest-waiting step in review.
 * @throws DomainError STEP.NOT_FOUND | STEP.INVALID_STATE | PROJECT.INVALID_STATE (nothing open to escalate)
 */
export function escalationTarget(core: ProjectCore, step: string | null): StepRecord {
  const open = (r: StepRecord) => ESCALATABLE.has(r.state);
  if (step !== null) {
    const rec = core.step(step);
    if (!rec) throw new DomainError(DomainErrorCode.StepNotFound, `project ${core.snap.code} has no step '${step}'`);
    if (!open(rec)) throw new DomainError(DomainErrorCode.StepInvalidState, `cannot escalate step '${step}': it is ${rec.state}, not open`);
    return rec;
  }
  const candidates = core.snap.steps.filter(open);
  const red = candidates.filter((r) => r.light === 'red' && r.deadline?.dueAt).sort((a, b) => Date.parse(a.deadline!.dueAt!) - Date.parse(b.deadline!.dueAt!));
  const inReview = candidates.filter((r) => r.state === 'in_review').sort((a, b) => Date.parse(a.acceptedAt!) - Date.parse(b.acceptedAt!));
  const pick = red[0] ?? inReview[0] ?? candidates[0];
  if (!pick) throw new DomainError(DomainErrorCode.ProjectInvalidState, `project ${core.snap.code} has no open step to escalate`);
  return pick;
}

/**
 * Applies a project action after {@link checkProjectAction}. Suspension stops the clock of every step in
 * review; resumption restarts them; cancellation closes the project.
 * @returns the timeline entries produced
 * @throws DomainError as {@link checkProjectAction}
 */
export function applyProjectAction(core: ProjectCore, input: ProjectActionInput, context: ActionContext): TimelineEntry[] {
  checkProjectAction(core, input, context.at);
  const snap = core.snap;
  const ctx = { ...context, at: effectiveInstant(input.occurredAt, context.at, snap.lastProgressAt, "the project's last change") };
  const comment = hasText(input.comment) ? input.comment : null;
  const data: Record<string, unknown> = { from: snap.status };
  if (ctx.at !== context.at) data.recordedAt = context.at;
  switch (input.action) {
    case 'suspend': {
      // 特别程序: every running clock stops until the project resumes.
      snap.status = 'suspended';
      snap.suspendedAt = ctx.at;
      const stopped = snap.steps.filter((s) => s.state === 'in_review');
      for (const s of stopped) s.clockStops.push({ stoppedAt: ctx.at, resumedAt: null, reason: 'project_suspended' });
      data.clocksStopped = stopped.map((s) => s.key);
      break;
    }
    case 'resume': {
      snap.status = 'active';
      const resumed = snap.steps.filter((s) => s.clockStops.some((c) => c.reason === 'project_suspended' && c.resumedAt === null));
      for (const s of resumed) closeStops(s, 'project_suspended', ctx.at);
      data.clocksResumed = resumed.map((s) => s.key);
      data.suspendedAt = snap.suspendedAt;
      snap.suspendedAt = null;
      break;
    }
    case 'escalate': {
      // 督办: the step is under supervision until it moves (the workflow notifies the department head).
      const target = escalationTarget(core, input.step ?? null);
      const department = core.stepDefinition(target.key)!.department;
      snap.supervision = { step: target.key, department, since: ctx.at, by: ctx.actor.id, comment: comment! };
      data.step = target.key;
      data.department = department;
      snap.version += 1;
      return [core.entry(ctx, 'project.escalated', target.key, comment, { ...data, to: snap.status })];
    }
    case 'cancel':
      for (const st of snap.steps) closeStops(st, 'project_suspended', ctx.at);
      snap.status = 'cancelled';
      snap.suspendedAt = null;
      snap.closedAt = ctx.at;
      settleForecast(core);
      break;
  }
  data.to = snap.status;
  snap.version += 1;
  snap.lastProgressAt = ctx.at;
  return [core.entry(ctx, `project.${pastTense(input.action)}`, null, comment, data)];
}
