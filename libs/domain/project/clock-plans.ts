/*
 * Planning: what each open clock asks the planning activity for (a ClockRequest), and recording the plans it
 * answers (deadline, thresholds, statutory tier), with the timeline entries a new or moved deadline makes.
 */
import { shanghaiDateOf, type ClockPlan } from '../../calendar/index.js';
import { countedLimit } from '../ledger.js';
import { countRepeatsFired, lightAt, sameInstants } from './clock-time.js';
import { refreshLights, rejudgeStatutoryOverdue } from './clock-lights.js';
import { clockTarget, fixedDueOn, openClocks, stepTiers, type Clock } from './clocks.js';
import type { ProjectCore } from './core.js';
import { SYSTEM_ACTOR, type ActionContext, type ClockDeadline, type ClockRequest, type TimelineEntry } from './types.js';

/** What a clock is planned from (a request without its bookkeeping). */
type PlanInput = Pick<ClockRequest, 'start' | 'limit' | 'unit' | 'stops' | 'policy'> & {
  fixedDueOn: string | null;
  more: Pick<ClockRequest, 'moveOffHoliday' | 'extraWorkingDays' | 'statutory'>;
};

/** The planning input of an open clock; null for a project deadline or auxiliary clock of a closed project. */
function planInputOf(core: ProjectCore, clock: Clock): PlanInput | null {
  switch (clock.kind) {
    case 'step': {
      const rec = clock.record;
      const stops = rec.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) }));
      const t = stepTiers(core, clock.definition, rec);
      const more: PlanInput['more'] = {};
      // How an extension enters each tier (行政许可法 Art. 42) is the ledger's rule. Key order feeds the inputKey.
      const published = countedLimit(t.published, t.extra);
      if (published.shiftWorkingDays > 0) more.extraWorkingDays = published.shiftWorkingDays;
      if (t.distinct) {
        const statutory = countedLimit(t.statutory, t.extra);
        more.statutory = {
          limit: statutory.limit,
          unit: statutory.unit,
          ...(statutory.shiftWorkingDays > 0 ? { extraWorkingDays: statutory.shiftWorkingDays } : {}),
        };
      }
      return { start: t.start, limit: published.limit, unit: t.published.unit, stops, policy: clock.policy, fixedDueOn: null, more };
    }
    case 'project': {
      if (core.isClosed) return null;
      const pd = clock.definition;
      return { start: clock.record.startedOn!, limit: pd.limit?.value ?? 1, unit: pd.limit?.unit ?? 'calendar_days', stops: [], policy: clock.policy, fixedDueOn: fixedDueOn(core, pd.key), more: {} };
    }
    case 'expiry':
      if (core.isClosed) return null;
      // 民法典 Art. 203: a validity whose last day is a holiday ends on the next working day.
      return { start: clock.record.startedOn, limit: 1, unit: 'calendar_days', stops: [], policy: clock.policy, fixedDueOn: clock.record.fixedDueOn, more: { moveOffHoliday: true } };
    default:
      if (core.isClosed) return null;
      return { start: clock.record.startedOn, limit: clock.record.limit!, unit: clock.record.unit!, stops: [], policy: clock.policy, fixedDueOn: null, more: { moveOffHoliday: false } };
  }
}

/** Requests keep the order plans were always recorded in: step clocks, auxiliary clocks, project deadlines. */
const PLANNING_ORDER = (c: Clock): number => (c.kind === 'step' ? 0 : c.kind === 'project' ? 2 : 1);

/**
 * Clocks that need (re)planning: open clocks whose inputs changed since their last plan, whose planned repeats ran
 * out, or all of them when `force` (after a calendar change).
 * @param years with `force`, only clocks whose deadline falls in (or is unknown and starts before the end
 *   of) one of these years
 * @param notBefore the workflow's instant: repeats of 督办 already due are skipped in whole plans
 */
export function clockRequests(core: ProjectCore, force = false, years: number[] = [], notBefore: string | null = null): ClockRequest[] {
  const out: ClockRequest[] = [];
  const clocks = openClocks(core).sort((a, b) => PLANNING_ORDER(a) - PLANNING_ORDER(b));
  for (const clock of clocks) {
    const input = planInputOf(core, clock);
    if (input === null) continue;
    const { start, limit, unit, stops, policy, fixedDueOn: fixed, more } = input;
    const deadline: ClockDeadline | null = clock.record.deadline;
    // Inputs added with the statutory tier join the key only when present, so clocks planned before keep their plans.
    const inputKey = JSON.stringify(Object.keys(more).length > 0 ? [start, limit, unit, stops, policy, fixed, more] : [start, limit, unit, stops, policy, fixed]);
    const exhausted = deadline !== null && !deadline.stopped && deadline.repeatAts.length > 0 && deadline.repeatAts.every((_, k) => deadline.fired.includes(`repeat:${deadline.repeatsBefore + k + 1}`));
    const inYears = years.length === 0 || deadline?.dueOn == null || years.some((y) => deadline.dueOn!.startsWith(`${y}-`) || Number(deadline.dueOn!.slice(0, 4)) >= y);
    if (deadline?.inputKey !== inputKey || exhausted || (force && inYears)) {
      // Only when the planned repeats ran out does the next plan start after the ones already fired.
      const repeatsBefore = exhausted && deadline.inputKey === inputKey ? deadline.repeatsBefore + countRepeatsFired(deadline) : 0;
      out.push({ id: clock.id, start, limit, unit, stops, policy, inputKey, repeatsBefore, ...(fixed ? { fixedDueOn: fixed } : {}), ...more, ...(notBefore ? { notBefore } : {}) });
    }
  }
  return out;
}

/**
 * Records planned deadlines. A changed deadline is on the timeline (old → new); alerts already fired for an
 * unchanged deadline stay fired; a re-plan that changes no instant keeps its first plan's instant (the catch-up
 * hold is not restarted). Lights follow at `lightsAtMs`, by default `ctx.at`.
 * @param lightsAtMs the instant (epoch ms) the lights are judged at: earlier than `ctx.at` for a position from paper,
 *   whose next back-dated action is the instant the record moves to (see applyPosition)
 * @returns the timeline entries produced
 */
export function applyClockPlans(
  core: ProjectCore,
  plans: Array<{ request: ClockRequest; plan: ClockPlan }>,
  ctx: ActionContext,
  lightsAtMs: number = Date.parse(ctx.at),
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
  for (const { request, plan } of plans) {
    const clock = clockTarget(core, request.id);
    if (!clock) continue;
    const target = clock.record;
    const previous = target.deadline;
    const sameDue = previous !== null && previous.dueAt === plan.dueAt && plan.dueAt !== null;
    const next: ClockDeadline = {
      inputKey: request.inputKey,
      dueOn: plan.dueOn,
      dueAt: plan.dueAt,
      provisional: plan.provisional,
      stopped: plan.stopped,
      yellowAt: plan.yellowAt,
      escalateAt: plan.escalateAt,
      repeatAts: plan.repeatAts,
      repeatsBefore: request.repeatsBefore + (plan.skippedRepeats ?? 0),
      fired: sameDue ? previous.fired : [],
      plannedAt: ctx.at,
      ...(plan.statutoryDueAt !== undefined ? { statutoryDueOn: plan.statutoryDueOn ?? null, statutoryDueAt: plan.statutoryDueAt } : {}),
    };
    // A re-plan that changes no instant (a calendar signal about another year's days) does not restart the hold.
    if (core.keepsHoldOnUnchangedPlan && previous !== null && sameInstants(previous, next)) next.plannedAt = previous.plannedAt;
    // A statutory alert already fired stays fired while the statutory deadline is the same.
    if (previous?.fired.includes('statutory') && previous.statutoryDueAt === next.statutoryDueAt && !next.fired.includes('statutory')) next.fired = [...next.fired, 'statutory'];
    target.deadline = next;
    if (plan.stopped) {
      // Clock held: the deadline is unknown until it resumes; the light is frozen as it stood when it stopped.
      const open = clock.kind === 'step' ? clock.record.clockStops.find((c) => c.resumedAt === null) : undefined;
      if (open && previous && previous.dueAt !== null) {
        target.light = lightAt(previous, target.light, Date.parse(open.stoppedAt), core.catchUpHoldMs, true);
        if (clock.kind === 'step') entries.push(...rejudgeStatutoryOverdue(core, clock.record, previous, Date.parse(open.stoppedAt), ctx));
      }
      continue;
    }
    if (previous === null || previous.dueAt === null) {
      if (previous?.dueAt !== plan.dueAt) {
        entries.push(core.entry(sys, previous === null ? 'deadline.set' : 'deadline.resumed', clock.step, null, { clock: clock.id, dueOn: plan.dueOn, dueAt: plan.dueAt, provisional: plan.provisional }));
      }
    } else if (previous.dueAt !== plan.dueAt || previous.provisional !== plan.provisional) {
      entries.push(
        core.entry(sys, 'deadline.replanned', clock.step, null, {
          clock: clock.id,
          from: { dueOn: previous.dueOn, dueAt: previous.dueAt, provisional: previous.provisional },
          to: { dueOn: plan.dueOn, dueAt: plan.dueAt, provisional: plan.provisional },
        }),
      );
    }
  }
  core.snap.version += 1;
  entries.push(...refreshLights(core, lightsAtMs, ctx, false));
  return entries;
}
