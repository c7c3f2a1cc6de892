/*
 * Clocks: deadlines, lights, alerts and wake-ups of a project's step clocks, project deadlines and auxiliary
 * clocks. Instants in, no calendar here: plans come from an activity (activities/clock.activities.ts) and are
 * recorded, so replay never reads the calendar.
 */
import { calendarDaysBetween, shanghaiDateOf, type ClockPlan, type LimitUnit, type ReminderPolicy } from '../../calendar/index.js';
import { jointGroupOf, statutoryLimitOf, type ExpiryDefinition, type StepDefinition } from '../track-definition.js';
import { countRepeatsFired, fireTime, lightAt, sameInstants, statutoryDueAtOf, worstLight } from './clock-time.js';
import { isClockOpen, isStepDone, type ProjectCore } from './core.js';
import { SYSTEM_ACTOR, type ActionContext, type ClockDeadline, type ClockRequest, type DueAlert, type Light, type StepRecord, type TimelineEntry } from './types.js';

/** An expiry clock's reminder: `remindWorkingDaysBefore` working days before its last day (the renewal must be applied for in time). */
function expiryPolicy(ed: ExpiryDefinition): ReminderPolicy {
  return { yellowRemainingWorkingDays: ed.remindWorkingDaysBefore, yellowUsedPercent: 100, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 20 };
}

/**
 * The two tiers of a step's clock: the published limit (承诺时限) lights run on and the statutory one
 * (法定时限), the day they count from, and the working days an extension added. A step handled jointly
 * (Art. 42 ¶2) counts its group's limit from the group's first acceptance.
 */
export function stepTiers(core: ProjectCore, d: StepDefinition, rec: StepRecord): { start: string; published: { value: number; unit: LimitUnit }; statutory: { value: number; unit: LimitUnit }; extra: number; distinct: boolean; joint: string | null } {
  const group = jointGroupOf(core.definition, d.key);
  if (group) {
    const first = group.steps
      .map((k) => core.step(k)!.acceptedAt)
      .filter((a): a is string => a !== null)
      .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b), rec.acceptedAt!);
    const published = group.publishedLimit ?? group.limit;
    return { start: shanghaiDateOf(first), published, statutory: group.limit, extra: core.snap.jointExtensions[group.key]?.workingDays ?? 0, distinct: true, joint: group.key };
  }
  const statutory = statutoryLimitOf(d);
  return {
    start: shanghaiDateOf(rec.acceptedAt!),
    published: d.limit,
    statutory,
    extra: rec.extension?.workingDays ?? 0,
    distinct: statutory !== d.limit && (statutory.value !== d.limit.value || statutory.unit !== d.limit.unit),
    joint: null,
  };
}

/**
 * Clocks that need (re)planning: open step clocks (in review or waiting for a supplement) and started
 * project deadlines whose inputs changed since their last plan, whose planned repeats ran out, or all of
 * them when `force` (after a calendar change).
 * @param years with `force`, only clocks whose deadline falls in (or is unknown and starts before the end
 *   of) one of these years
 */
export function clockRequests(core: ProjectCore, force = false, years: number[] = [], notBefore: string | null = null): ClockRequest[] {
  const out: ClockRequest[] = [];
  const consider = (
    id: string,
    start: string,
    limit: ClockRequest['limit'],
    unit: ClockRequest['unit'],
    stops: ClockRequest['stops'],
    policy: ReminderPolicy,
    deadline: ClockDeadline | null,
    fixedDueOn: string | null = null,
    more: Pick<ClockRequest, 'moveOffHoliday' | 'extraWorkingDays' | 'statutory'> = {},
  ) => {
    // Issue 7's inputs join the key only when present, so clocks planned before keep their plans.
    const inputKey = JSON.stringify(Object.keys(more).length > 0 ? [start, limit, unit, stops, policy, fixedDueOn, more] : [start, limit, unit, stops, policy, fixedDueOn]);
    const exhausted = deadline !== null && !deadline.stopped && deadline.repeatAts.length > 0 && deadline.repeatAts.every((_, k) => deadline.fired.includes(`repeat:${deadline.repeatsBefore + k + 1}`));
    const inYears = years.length === 0 || deadline?.dueOn == null || years.some((y) => deadline.dueOn!.startsWith(`${y}-`) || Number(deadline.dueOn!.slice(0, 4)) >= y);
    if (deadline?.inputKey !== inputKey || exhausted || (force && inYears)) {
      // Only when the planned repeats ran out does the next plan start after the ones already fired.
      const repeatsBefore = exhausted && deadline.inputKey === inputKey ? deadline.repeatsBefore + countRepeatsFired(deadline) : 0;
      out.push({ id, start, limit, unit, stops, policy, inputKey, repeatsBefore, ...(fixedDueOn ? { fixedDueOn } : {}), ...more, ...(notBefore ? { notBefore } : {}) });
    }
  };
  for (const d of core.definition.steps) {
    const rec = core.step(d.key)!;
    if (!isClockOpen(rec)) continue;
    const stops = rec.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) }));
    const t = stepTiers(core, d, rec);
    const more: Pick<ClockRequest, 'extraWorkingDays' | 'statutory'> = {};
    const published = { limit: t.published.unit === 'working_days' ? t.published.value + t.extra : t.published.value, extra: t.published.unit === 'working_days' ? 0 : t.extra };
    if (published.extra > 0) more.extraWorkingDays = published.extra;
    if (t.distinct) {
      more.statutory = {
        limit: t.statutory.unit === 'working_days' ? t.statutory.value + t.extra : t.statutory.value,
        unit: t.statutory.unit,
        ...(t.statutory.unit === 'working_days' || t.extra === 0 ? {} : { extraWorkingDays: t.extra }),
      };
    }
    consider(d.key, t.start, published.limit, t.published.unit, stops, { ...core.definition.reminderPolicy, ...d.reminderPolicy }, rec.deadline, null, more);
  }
  for (const c of core.snap.auxClocks) {
    if (c.endedAt !== null || core.isClosed) continue;
    if (c.kind === 'expiry') {
      const ed = core.expiryDefinition(c.key)!;
      consider(c.id, c.startedOn, 1, 'calendar_days', [], expiryPolicy(ed), c.deadline, c.fixedDueOn, { moveOffHoliday: true });
    } else {
      consider(c.id, c.startedOn, c.limit!, c.unit!, [], core.definition.reminderPolicy, c.deadline, null, { moveOffHoliday: false });
    }
  }
  for (const pd of core.definition.projectDeadlines ?? []) {
    const pc = core.snap.projectClocks.find((c) => c.key === pd.key);
    if (!pc || pc.startedOn === null || pc.endedOn !== null || core.isClosed) continue;
    const fixed = fixedDueOn(core, pd.key);
    consider(`project:${pd.key}`, pc.startedOn, pd.limit?.value ?? 1, pd.limit?.unit ?? 'calendar_days', [], core.definition.reminderPolicy, pc.deadline, fixed);
  }
  return out;
}

/**
 * Records planned deadlines. A changed deadline is on the timeline (old → new); alerts already fired for an
 * unchanged deadline stay fired. Lights follow at `ctx.at`.
 * @returns the timeline entries produced
 */
export function applyClockPlans(core: ProjectCore, plans: Array<{ request: ClockRequest; plan: ClockPlan }>, ctx: ActionContext): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
  for (const { request, plan } of plans) {
    const target = clockTarget(core, request.id);
    if (!target) continue;
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
    const step = stepOfClock(core, request.id);
    if (plan.stopped) {
      // Clock held: the deadline is unknown until it resumes; the light is frozen as it stood when it stopped.
      const open = 'clockStops' in target ? (target as StepRecord).clockStops.find((c) => c.resumedAt === null) : undefined;
      if (open && previous && previous.dueAt !== null) target.light = lightAt(previous, target.light, Date.parse(open.stoppedAt), core.catchUpHoldMs, true);
      continue;
    }
    if (previous === null || previous.dueAt === null) {
      if (previous?.dueAt !== plan.dueAt) {
        entries.push(core.entry(sys, previous === null ? 'deadline.set' : 'deadline.resumed', step, null, { clock: request.id, dueOn: plan.dueOn, dueAt: plan.dueAt, provisional: plan.provisional }));
      }
    } else if (previous.dueAt !== plan.dueAt || previous.provisional !== plan.provisional) {
      entries.push(
        core.entry(sys, 'deadline.replanned', step, null, {
          clock: request.id,
          from: { dueOn: previous.dueOn, dueAt: previous.dueAt, provisional: previous.provisional },
          to: { dueOn: plan.dueOn, dueAt: plan.dueAt, provisional: plan.provisional },
        }),
      );
    }
  }
  core.snap.version += 1;
  entries.push(...refreshLights(core, Date.parse(ctx.at), ctx, false));
  return entries;
}

/**
 * Sets each open clock's light for instant `nowMs`: red once its deadline has passed, yellow from its
 * yellow threshold, else green; a held clock keeps its light. The project's light is the worst.
 * @returns a `light.changed` entry per clock whose light changed
 */
export function refreshLights(core: ProjectCore, nowMs: number, ctx: ActionContext, bump = true): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
  const update = (id: string, holder: { light: Light | null; deadline: ClockDeadline | null }) => {
    const light = lightAt(holder.deadline, holder.light, nowMs, core.catchUpHoldMs);
    if (light !== holder.light) {
      entries.push(core.entry(sys, 'light.changed', stepOfClock(core, id), null, { clock: id, from: holder.light, to: light }));
      holder.light = light;
    }
  };
  for (const rec of core.snap.steps) {
    if (!isClockOpen(rec)) continue;
    update(rec.key, rec);
    // Past the statutory limit (法定时限): a separate, graver state than red on the published limit.
    const d = rec.deadline;
    const statutoryAt = d && !d.stopped ? statutoryDueAtOf(d) : null;
    if (core.statutoryFidelity && !rec.statutoryOverdue && d && statutoryAt && nowMs >= fireTime(d, statutoryAt, core.catchUpHoldMs)) {
      rec.statutoryOverdue = true;
      entries.push(core.entry(sys, 'step.statutory_overdue', rec.key, null, { statutoryDueOn: d.statutoryDueOn ?? d.dueOn, statutoryDueAt: statutoryAt }));
    }
  }
  for (const pc of core.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) update(`project:${pc.key}`, pc);
  for (const c of core.snap.auxClocks) {
    if (c.endedAt !== null || c.kind === 'acceptance') continue;
    update(c.id, c);
    if (c.kind === 'expiry' && c.light === 'red' && !c.lapsed) {
      c.lapsed = true;
      const ed = core.expiryDefinition(c.key)!;
      entries.push(core.entry(sys, 'expiry.lapsed', c.step, null, { clock: c.id, expiry: c.key, lastDay: c.deadline?.dueOn ?? c.fixedDueOn, source: ed.source }));
    }
  }
  const before = [core.snap.light, core.snap.nextDeadline];
  recomputeProjectLight(core);
  if (bump && (entries.length > 0 || before[0] !== core.snap.light || before[1] !== core.snap.nextDeadline)) core.snap.version += 1;
  return entries;
}

/**
 * Alerts whose instant has come (≤ `nowMs`) and have not fired: yellow, red, escalation (督办) and
 * repeats. When several are due at once for one clock (a back-dated project, a worker down for days),
 * only the gravest is returned; the others are marked fired with it, so nobody gets a stale burst.
 */
export function dueAlerts(core: ProjectCore, nowMs: number): Array<DueAlert & { supersedes: string[] }> {
  const out: Array<DueAlert & { supersedes: string[] }> = [];
  if (core.isClosed && core.statutoryFidelity) return out;
  const policy = core.definition.reminderPolicy;
  // `warnAndLapseOnly`: an expiry clock reminds before its last day and says when it lapsed, with no 督办 repeats.
  const collect = (clockId: string, step: string | null, d: ClockDeadline | null, stepPolicy: ReminderPolicy, warnAndLapseOnly = false) => {
    if (!d || d.stopped || d.dueAt === null) return;
    const candidates: DueAlert[] = [];
    const push = (kind: DueAlert['kind'], alertId: string, at: string | null, overdue: number) => {
      if (at !== null && !d.fired.includes(alertId) && fireTime(d, at, core.catchUpHoldMs) <= nowMs) candidates.push({ clockId, step, kind, alertId, at, dueAt: d.dueAt!, overdueWorkingDays: overdue });
    };
    push('yellow', 'yellow', d.yellowAt, 0);
    push('red', 'red', d.dueAt, 0);
    if (!warnAndLapseOnly) {
      push('escalation', 'escalation', d.escalateAt, stepPolicy.escalateAfterWorkingDays);
      d.repeatAts.forEach((at, k) => {
        const n = d.repeatsBefore + k + 1;
        push('escalation_repeat', `repeat:${n}`, at, stepPolicy.escalateAfterWorkingDays + n * stepPolicy.repeatEveryWorkingDays);
      });
    }
    if (candidates.length === 0) return;
    const gravest = candidates[candidates.length - 1]!;
    out.push({ ...gravest, supersedes: candidates.slice(0, -1).map((c) => c.alertId) });
  };
  for (const def of core.definition.steps) {
    const rec = core.step(def.key)!;
    if (!isClockOpen(rec)) continue;
    collect(def.key, def.key, rec.deadline, { ...policy, ...def.reminderPolicy });
    // The statutory limit passed: its own notice, never folded into the published limit's alerts.
    const d = rec.deadline;
    const statutoryAt = d && !d.stopped ? statutoryDueAtOf(d) : null;
    if (core.statutoryFidelity && d && statutoryAt && !d.fired.includes('statutory') && fireTime(d, statutoryAt, core.catchUpHoldMs) <= nowMs) {
      out.push({ clockId: def.key, step: def.key, kind: 'statutory_overdue', alertId: 'statutory', at: statutoryAt, dueAt: statutoryAt, overdueWorkingDays: 0, supersedes: [] });
    }
  }
  for (const pc of core.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) collect(`project:${pc.key}`, null, pc.deadline, policy);
  for (const c of core.snap.auxClocks) {
    if (c.endedAt !== null || c.kind === 'acceptance') continue;
    collect(c.id, c.step, c.deadline, policy, c.kind === 'expiry');
  }
  return out;
}

/** Marks alerts fired (and those they superseded); one `alert.fired` timeline entry per alert. */
export function markAlertFired(core: ProjectCore, alert: DueAlert & { supersedes: string[] }, recipients: unknown[], ctx: ActionContext): TimelineEntry[] {
  const target = clockTarget(core, alert.clockId);
  if (!target?.deadline) return [];
  target.deadline.fired.push(...alert.supersedes, alert.alertId);
  core.snap.version += 1;
  return [
    core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, alert.kind === 'escalation' || alert.kind === 'escalation_repeat' ? 'escalation.automatic' : 'reminder.sent', alert.step, null, {
      clock: alert.clockId,
      kind: alert.kind,
      dueAt: alert.dueAt,
      thresholdAt: alert.at,
      overdueWorkingDays: alert.overdueWorkingDays,
      recipients,
      ...(alert.supersedes.length > 0 ? { supersedes: alert.supersedes } : {}),
    }),
  ];
}

/** The next instant (ms) at which an alert of an open clock comes due, or null when none is planned. */
export function nextWakeAt(core: ProjectCore): number | null {
  let next: number | null = null;
  const consider = (d: ClockDeadline | null, warnAndLapseOnly = false) => {
    if (!d || d.stopped || d.dueAt === null) return;
    const list: Array<[string, string | null]> = [
      ['yellow', d.yellowAt],
      ['red', d.dueAt],
      ...(warnAndLapseOnly
        ? []
        : [['escalation', d.escalateAt] as [string, string | null], ...d.repeatAts.map((at, k) => [`repeat:${d.repeatsBefore + k + 1}`, at] as [string, string])]),
    ];
    for (const [id, at] of list) {
      if (at === null || d.fired.includes(id)) continue;
      const ms = fireTime(d, at, core.catchUpHoldMs);
      if (next === null || ms < next) next = ms;
    }
  };
  const at = (d: ClockDeadline, instant: string) => {
    const ms = fireTime(d, instant, core.catchUpHoldMs);
    if (next === null || ms < next) next = ms;
  };
  for (const rec of core.snap.steps) {
    if (!isClockOpen(rec)) continue;
    consider(rec.deadline);
    const d = rec.deadline;
    const statutoryAt = d && !d.stopped ? statutoryDueAtOf(d) : null;
    if (core.statutoryFidelity && d && statutoryAt && !d.fired.includes('statutory')) at(d, statutoryAt);
  }
  for (const pc of core.snap.projectClocks) if (pc.startedOn !== null && pc.endedOn === null) consider(pc.deadline);
  for (const c of core.snap.auxClocks) {
    if (c.endedAt !== null) continue;
    if (c.kind === 'acceptance') {
      // Deemed acceptance is due at the end of the window (not held: the law dates it).
      if (c.deadline?.dueAt && core.step(c.step)?.state === 'received') at(c.deadline, c.deadline.dueAt);
      continue;
    }
    consider(c.deadline, c.kind === 'expiry');
  }
  return next;
}

/**
 * The fixed day of a project deadline with a target: its `MM-DD` in the year of signing, or the year
 * plan's day for that year; null for a relative deadline.
 */
export function fixedDueOn(core: ProjectCore, key: string): string | null {
  const pd = (core.definition.projectDeadlines ?? []).find((d) => d.key === key);
  if (!pd?.target) return null;
  const year = Number(core.snap.signedAt.slice(0, 4));
  return `${year}-${core.definition.yearPlans?.[year]?.[key] ?? pd.target.monthDay}`;
}

/** The step a clock belongs to (null for project deadlines). */
export function stepOfClock(core: ProjectCore, id: string): string | null {
  if (id.startsWith('project:')) return null;
  return core.auxClock(id)?.step ?? id;
}

export function clockTarget(core: ProjectCore, id: string): { deadline: ClockDeadline | null; light: Light | null } | undefined {
  if (id.startsWith('project:')) return core.snap.projectClocks.find((c) => `project:${c.key}` === id);
  const aux = core.auxClock(id);
  if (aux) return aux.endedAt === null ? aux : undefined;
  const rec = core.step(id);
  return rec && isClockOpen(rec) ? rec : undefined;
}

/** Starts a project deadline when its `fromStep` is done; ends and grades it when its `toStep` is approved. */
export function followProjectClocks(core: ProjectCore, stepKey: string, ctx: ActionContext): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const rec = core.step(stepKey)!;
  for (const pd of core.definition.projectDeadlines ?? []) {
    const pc = core.snap.projectClocks.find((c) => c.key === pd.key);
    if (!pc) continue;
    if (pd.fromStep === stepKey && isStepDone(rec.state) && pc.startedOn === null) {
      pc.startedOn = shanghaiDateOf(ctx.at);
      pc.light = 'green';
      entries.push(
        core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project_deadline.started', null, null, {
          clock: `project:${pd.key}`,
          startedOn: pc.startedOn,
          ...(pd.limit ? { limit: pd.limit.value, unit: pd.limit.unit } : { dueOn: fixedDueOn(core, pd.key) }),
        }),
      );
    }
    if (pd.toStep === stepKey && rec.state === 'approved' && pc.startedOn !== null && pc.endedOn === null) {
      pc.endedOn = shanghaiDateOf(ctx.at);
      pc.calendarDays = calendarDaysBetween(pc.startedOn, pc.endedOn);
      pc.grade = pd.grades.find((g) => pc.calendarDays! <= g.maxDays)?.grade ?? pd.lateGrade;
      pc.light = null;
      entries.push(
        core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project_deadline.met', null, null, {
          clock: `project:${pd.key}`,
          startedOn: pc.startedOn,
          endedOn: pc.endedOn,
          calendarDays: pc.calendarDays,
          grade: pc.grade,
        }),
      );
    }
  }
  return entries;
}

export function recomputeProjectLight(core: ProjectCore): void {
  const lights: Light[] = [];
  const dues: string[] = [];
  for (const rec of core.snap.steps) {
    if (!isClockOpen(rec)) continue;
    if (rec.light) lights.push(rec.light);
    if (rec.deadline?.dueAt) dues.push(rec.deadline.dueAt);
  }
  for (const pc of core.snap.projectClocks) {
    if (pc.startedOn === null || pc.endedOn !== null) continue;
    if (pc.light) lights.push(pc.light);
    if (pc.deadline?.dueAt) dues.push(pc.deadline.dueAt);
  }
  for (const c of core.snap.auxClocks) {
    if (c.endedAt !== null || c.kind === 'acceptance') continue;
    if (c.light) lights.push(c.light);
    if (c.deadline?.dueAt) dues.push(c.deadline.dueAt);
  }
  core.snap.light = core.isClosed ? 'green' : worstLight(lights);
  core.snap.nextDeadline = core.isClosed || dues.length === 0 ? null : dues.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

