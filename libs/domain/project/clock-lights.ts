/*
 * What the open clocks show and say as time passes: each clock's light and the project's (the worst), the alerts
 * that have come due, and the next instant the workflow must wake for. All from the same clocks and the same alert
 * list (clocks.ts).
 */
import { factTime, lightAt, statutoryDueAtOf, worstLight } from './clock-time.js';
import { alertsOf, clockTarget, isLit, openClocks, type Clock, type ClockAlert } from './clocks.js';
import type { ProjectCore } from './core.js';
import { SYSTEM_ACTOR, type ActionContext, type ClockDeadline, type DueAlert, type Light, type StepRecord, type TimelineEntry } from './types.js';

/**
 * Sets each open clock's light for instant `nowMs` (epoch ms): red once its deadline has passed, yellow from its
 * yellow threshold, else green; a held clock keeps its light. A step past its statutory limit is flagged; a
 * validity past its last day has lapsed. The project's light is the worst. These are facts: a clock planned after
 * its thresholds passed (a back-dated record) shows them at once; only its notices wait the catch-up hold
 * ({@link dueAlerts}). Histories recorded before that rule (factsAtOnce off) held them like the notices.
 * @param bump whether a change counts as a new version (not when called while recording plans, which bump it)
 * @returns a `light.changed` entry per clock whose light changed, and `step.statutory_overdue` / `expiry.lapsed` entries
 */
export function refreshLights(core: ProjectCore, nowMs: number, ctx: ActionContext, bump = true): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const sys = { at: ctx.at, actor: SYSTEM_ACTOR };
  for (const clock of openClocks(core)) {
    if (!isLit(clock)) continue;
    const holder = clock.record;
    const light = lightAt(holder.deadline, holder.light, nowMs, core.catchUpHoldMs, core.factsAtOnce);
    if (light !== holder.light) {
      entries.push(core.entry(sys, 'light.changed', clock.step, null, { clock: clock.id, from: holder.light, to: light }));
      holder.light = light;
    }
    if (clock.kind === 'step') {
      // Past the statutory limit (法定时限): a separate, graver state than red on the published limit.
      const rec = clock.record;
      const statutory = alertsOf(core, clock).find((a) => a.kind === 'statutory_overdue');
      if (!rec.statutoryOverdue && statutory && nowMs >= factTime(rec.deadline!, statutory.at, core.catchUpHoldMs, core.factsAtOnce)) {
        rec.statutoryOverdue = true;
        entries.push(core.entry(sys, 'step.statutory_overdue', rec.key, null, { statutoryDueOn: rec.deadline!.statutoryDueOn ?? rec.deadline!.dueOn, statutoryDueAt: statutory.at }));
      }
    }
    if (clock.kind === 'expiry' && clock.record.light === 'red' && !clock.record.lapsed) {
      const c = clock.record;
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
 * A step's statutory-overdue flag (超法定时限) judged again when its clock stops or closes at `atMs` (epoch ms): the
 * flag means the statutory limit passed while the clock was open, so it is withdrawn when the statutory instant of
 * `deadline` (the plan the clock ran on until then) comes after `atMs`. That happens when an acceptance recorded late
 * (its date from paper) was judged at the instant it was recorded, and a suspension, supplement request (补正) or
 * decision dated before the limit is recorded after it. The `step.statutory_overdue` entry stays on the timeline (it is
 * what the record said until the later record came), followed by a `step.statutory_overdue_withdrawn` entry.
 * @param deadline the step's plan before the stop (a running one), or its current plan at a decision
 * @param ctx the action that records the stop or decision (the withdrawal entry is the system's, at its instant)
 * @returns the `step.statutory_overdue_withdrawn` entry (statutory last day and instant, and the instant the clock
 *   stopped or closed), or none
 */
export function rejudgeStatutoryOverdue(core: ProjectCore, rec: StepRecord, deadline: ClockDeadline | null, atMs: number, ctx: ActionContext): TimelineEntry[] {
  if (!rec.statutoryOverdue || deadline === null || deadline.stopped) return [];
  const statutoryAt = statutoryDueAtOf(deadline);
  if (statutoryAt === null || Date.parse(statutoryAt) <= atMs) return [];
  if (!core.withdrawsStatutoryOverdue()) return [];
  rec.statutoryOverdue = false;
  const data = { statutoryDueOn: deadline.statutoryDueOn ?? deadline.dueOn, statutoryDueAt: statutoryAt, clockEndedAt: new Date(atMs).toISOString() };
  return [core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'step.statutory_overdue_withdrawn', rec.key, null, data)];
}

/**
 * Alerts whose instant has come (≤ `nowMs`, epoch ms) and have not fired: yellow, red, escalation (督办),
 * repeats, and the statutory limit on its own. When several of a clock's are due at once (a back-dated project, a
 * worker down for days), only the gravest is returned; the others are marked fired with it, so nobody gets a stale
 * burst.
 */
export function dueAlerts(core: ProjectCore, nowMs: number): Array<DueAlert & { supersedes: string[] }> {
  const out: Array<DueAlert & { supersedes: string[] }> = [];
  if (core.isClosed && core.statutoryFidelity) return out;
  for (const clock of openClocks(core)) {
    if (!isLit(clock)) continue;
    const due = alertsOf(core, clock).filter((a) => !a.fired && a.fireAt <= nowMs);
    const toDue = ({ kind, alertId, at, dueAt, overdueWorkingDays }: (typeof due)[number]): DueAlert => ({ clockId: clock.id, step: clock.step, kind: kind as DueAlert['kind'], alertId, at, dueAt, overdueWorkingDays });
    const published = due.filter((a) => a.kind !== 'statutory_overdue');
    const gravest = published[published.length - 1];
    if (gravest) out.push({ ...toDue(gravest), supersedes: published.slice(0, -1).map((a) => a.alertId) });
    for (const statutory of due.filter((a) => a.kind === 'statutory_overdue')) out.push({ ...toDue(statutory), supersedes: [] });
  }
  return out;
}

/**
 * Marks an alert fired (and those it superseded).
 * @param recipients who the notice went to, recorded on the timeline
 * @returns one `reminder.sent` or `escalation.automatic` entry
 */
export function markAlertFired(core: ProjectCore, alert: DueAlert & { supersedes: string[] }, recipients: unknown[], ctx: ActionContext): TimelineEntry[] {
  const deadline = clockTarget(core, alert.clockId)?.record.deadline;
  if (!deadline) return [];
  deadline.fired.push(...alert.supersedes, alert.alertId);
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

/**
 * The next instant (epoch ms) at which a threshold of an open clock comes due (an alert, a deemed acceptance), or null
 * when none is planned. A deemed acceptance is a fact: due at its threshold when facts are at once (see
 * {@link deemedAcceptanceAt}); an alert's notice at its fire instant (after the catch-up hold for a late plan). A
 * light or flag whose threshold is still to come changes at the same instant as its alert.
 */
export function nextWakeAt(core: ProjectCore): number | null {
  let next: number | null = null;
  for (const clock of openClocks(core)) {
    for (const a of alertsOf(core, clock)) {
      const at = a.kind === 'deemed_acceptance' ? deemedAcceptanceAt(core, clock, a) : a.fireAt;
      if (!a.fired && (next === null || at < next)) next = at;
    }
  }
  return next;
}

/**
 * When an acceptance window's deemed acceptance (行政许可法 Art. 32) takes effect: at the window's close when facts
 * are at once, even for a window planned after it closed (a receipt recorded from paper); in histories recorded
 * before that rule, after the catch-up hold.
 * @returns epoch milliseconds
 */
export function deemedAcceptanceAt(core: ProjectCore, clock: Clock, deemed: ClockAlert): number {
  return factTime(clock.record.deadline!, deemed.at, core.catchUpHoldMs, core.factsAtOnce);
}

/** The project's light (the worst of its open clocks', green once closed) and its next deadline (the earliest). */
export function recomputeProjectLight(core: ProjectCore): void {
  const lights: Light[] = [];
  const dues: string[] = [];
  for (const clock of openClocks(core)) {
    if (!isLit(clock)) continue;
    if (clock.record.light) lights.push(clock.record.light);
    if (clock.record.deadline?.dueAt) dues.push(clock.record.deadline.dueAt);
  }
  core.snap.light = core.isClosed ? 'green' : worstLight(lights);
  core.snap.nextDeadline = core.isClosed || dues.length === 0 ? null : dues.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}
