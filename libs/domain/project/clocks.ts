/*
 * One abstraction for every clock of a project: a step's own clock, the project's deadlines and the auxiliary
 * clocks (acceptance window, certificate delivery, validities). Planning (clock-plans.ts), lights, alerts and
 * wake-ups (clock-lights.ts) all walk the same list and ask the same function for a clock's alerts, so the alerts a
 * clock can fire and the instant of its statutory limit are written once.
 */
import { calendarDaysBetween, shanghaiDateOf, type LimitUnit, type ReminderPolicy } from '../../calendar/index.js';
import { jointGroupOf, statutoryLimitOf, type ExpiryDefinition, type ProjectDeadlineDefinition, type StepDefinition } from '../track-definition.js';
import { fireTime, statutoryDueAtOf } from './clock-time.js';
import { isClockOpen, isStepDone, type ProjectCore } from './core.js';
import { SYSTEM_ACTOR, type ActionContext, type AuxClockRecord, type DueAlert, type ProjectClockRecord, type StepRecord, type TimelineEntry } from './types.js';

/** What a clock times: a step's decision, a project deadline, or one of the auxiliary clocks. */
export type ClockKind = 'step' | 'project' | AuxClockRecord['kind'];

/**
 * One clock. Its deadline tiers (published and statutory, as planned) and its light are its record's `deadline`
 * and `light`, which planning and lights change in place. `open` while it runs: a step accepted and not decided, a
 * project deadline started and not met, an auxiliary clock not ended.
 */
export type Clock = {
  /** A step clock's id is its step key; a project deadline's `deadline:<key>`; an auxiliary clock's `<kind>:<key>`. */
  id: string;
  /** The step it belongs to (null for a project deadline). */
  step: string | null;
  open: boolean;
  /** Its reminder policy: the track's, a step's own overrides, an expiry's reminder before its last day. */
  policy: ReminderPolicy;
} & (
  | { kind: 'step'; record: StepRecord; definition: StepDefinition }
  | { kind: 'project'; record: ProjectClockRecord; definition: ProjectDeadlineDefinition }
  | { kind: AuxClockRecord['kind']; record: AuxClockRecord }
);

/** Prefix of a project deadline's clock id; it cannot be mistaken for a workflow id (`project:<code>`). */
export const PROJECT_CLOCK_PREFIX = 'deadline:';

/**
 * The prefix project deadlines' clock ids had before: plans recorded in running workflows' histories still carry it
 * (the planning activity's results are replayed as recorded), so such ids are read as the new ones.
 */
const LEGACY_PROJECT_CLOCK_PREFIX = 'project:';

/** The clock id of project deadline `key`. */
export function projectClockId(key: string): string {
  return `${PROJECT_CLOCK_PREFIX}${key}`;
}

/** The project deadline key of a project clock id (old or new prefix), or null for another clock. */
export function projectDeadlineKeyOf(clockId: string): string | null {
  for (const prefix of [PROJECT_CLOCK_PREFIX, LEGACY_PROJECT_CLOCK_PREFIX]) if (clockId.startsWith(prefix)) return clockId.slice(prefix.length);
  return null;
}

/** An expiry clock's reminder: `remindWorkingDaysBefore` working days before its last day (the renewal must be applied for in time). */
function expiryPolicy(ed: ExpiryDefinition): ReminderPolicy {
  return { yellowRemainingWorkingDays: ed.remindWorkingDaysBefore, yellowUsedPercent: 100, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 20 };
}

/**
 * Every clock of the project, open or not: step clocks (in the definition's order), project deadlines (started
 * ones), auxiliary clocks (in the order they started).
 */
export function clocksOf(core: ProjectCore): Clock[] {
  const policy = core.definition.reminderPolicy;
  const out: Clock[] = [];
  for (const definition of core.definition.steps) {
    const record = core.step(definition.key)!;
    out.push({ id: definition.key, kind: 'step', step: definition.key, open: isClockOpen(record), policy: { ...policy, ...definition.reminderPolicy }, record, definition });
  }
  for (const record of core.snap.projectClocks) {
    const definition = (core.definition.projectDeadlines ?? []).find((d) => d.key === record.key);
    if (!definition) continue;
    out.push({ id: projectClockId(record.key), kind: 'project', step: null, open: record.startedOn !== null && record.endedOn === null, policy, record, definition });
  }
  for (const record of core.snap.auxClocks) {
    const own = record.kind === 'expiry' ? expiryPolicy(core.expiryDefinition(record.key)!) : policy;
    out.push({ id: record.id, kind: record.kind, step: record.step, open: record.endedAt === null, policy: own, record });
  }
  return out;
}

/** The open clocks (see {@link clocksOf}). */
export function openClocks(core: ProjectCore): Clock[] {
  return clocksOf(core).filter((c) => c.open);
}

/** The clock `id` (a project deadline's by its old prefix too), open or not. */
export function clockById(core: ProjectCore, id: string): Clock | undefined {
  const key = projectDeadlineKeyOf(id);
  const wanted = key === null ? id : projectClockId(key);
  return clocksOf(core).find((c) => c.id === wanted);
}

/**
 * The clock a plan or a fired alert is recorded on: an open clock, or a project deadline whatever its state (a
 * plan asked for before it was met is still recorded on it).
 */
export function clockTarget(core: ProjectCore, id: string): Clock | undefined {
  const clock = clockById(core, id);
  return clock && (clock.open || clock.kind === 'project') ? clock : undefined;
}

/** Whether a clock has a light (an acceptance window has none: it ends in acceptance or deemed acceptance). */
export function isLit(clock: Clock): boolean {
  return clock.kind !== 'acceptance';
}

/** A threshold of a clock: an alert it notifies (yellow … statutory), or the deemed acceptance an acceptance window ends in. */
export interface ClockAlert {
  kind: DueAlert['kind'] | 'deemed_acceptance';
  /** Its id in the deadline's `fired` list (`yellow`, `red`, `escalation`, `repeat:<n>`, `statutory`; `deemed`). */
  alertId: string;
  /** The threshold instant (ISO 8601). */
  at: string;
  /** The deadline it belongs to: the published one, or the statutory one for `statutory_overdue`. */
  dueAt: string;
  /** When it takes effect: the threshold, or after the catch-up hold for a late plan (epoch ms). */
  fireAt: number;
  /** Working days past the deadline, by the policy (0 for yellow and red). */
  overdueWorkingDays: number;
  fired: boolean;
}

/**
 * The thresholds of a clock, in order of gravity, fired or not: yellow, red, escalation (督办) and its repeats for a
 * step, a project deadline and a certificate; yellow (the reminder) and red (lapsed) for a validity; the statutory
 * limit (法定时限) of a step clock while the statutory tier runs; the end of an acceptance window while the
 * application waits (deemed acceptance, 行政许可法 Art. 32). None while the clock is held (stopped) or unplanned.
 */
export function alertsOf(core: ProjectCore, clock: Clock): ClockAlert[] {
  const d = clock.record.deadline;
  if (!d) return [];
  const hold = core.catchUpHoldMs;
  const out: ClockAlert[] = [];
  const push = (kind: ClockAlert['kind'], alertId: string, at: string | null, dueAt: string, overdueWorkingDays: number, fired = d.fired.includes(alertId)) => {
    if (at !== null) out.push({ kind, alertId, at, dueAt, fireAt: fireTime(d, at, hold), overdueWorkingDays, fired });
  };
  if (clock.kind === 'acceptance') {
    if (d.dueAt && core.step(clock.record.step)?.state === 'received') push('deemed_acceptance', 'deemed', d.dueAt, d.dueAt, 0, false);
    return out;
  }
  if (!d.stopped && d.dueAt !== null) {
    push('yellow', 'yellow', d.yellowAt, d.dueAt, 0);
    push('red', 'red', d.dueAt, d.dueAt, 0);
    if (clock.kind !== 'expiry') {
      push('escalation', 'escalation', d.escalateAt, d.dueAt, clock.policy.escalateAfterWorkingDays);
      d.repeatAts.forEach((at, k) => {
        const n = d.repeatsBefore + k + 1;
        push('escalation_repeat', `repeat:${n}`, at, d.dueAt!, clock.policy.escalateAfterWorkingDays + n * clock.policy.repeatEveryWorkingDays);
      });
    }
  }
  // The statutory limit passed: its own notice, never folded into the published limit's alerts.
  const statutoryAt = clock.kind === 'step' && core.statutoryFidelity && !d.stopped ? statutoryDueAtOf(d) : null;
  if (statutoryAt) push('statutory_overdue', 'statutory', statutoryAt, statutoryAt, 0);
  return out;
}

/**
 * The two tiers of a step's clock: the published limit (承诺时限) lights run on and the statutory one
 * (法定时限), the day they count from, and the working days an extension added. A step handled jointly
 * (行政许可法 Art. 42 ¶2) counts its group's limit from the group's first acceptance.
 */
export function stepTiers(
  core: ProjectCore,
  d: StepDefinition,
  rec: StepRecord,
): { start: string; published: { value: number; unit: LimitUnit }; statutory: { value: number; unit: LimitUnit }; extra: number; distinct: boolean; joint: string | null } {
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
 * The fixed day of a project deadline with a target: its `MM-DD` in the year of signing, or the year
 * plan's day for that year; null for a relative deadline.
 */
export function fixedDueOn(core: ProjectCore, key: string): string | null {
  const pd = (core.definition.projectDeadlines ?? []).find((d) => d.key === key);
  if (!pd?.target) return null;
  const year = Number(core.snap.signedAt.slice(0, 4));
  return `${year}-${core.definition.yearPlans?.[year]?.[key] ?? pd.target.monthDay}`;
}

/**
 * The grade of a project deadline met on `endedOn` after `calendarDays` calendar days: the first of its `grades`
 * whose `maxDays` is not exceeded; for a deadline on a fixed date (a year-plan target) without grades, `on_time`
 * when met by that date (Asia/Shanghai); otherwise its `lateGrade`.
 */
function gradeOf(core: ProjectCore, pd: ProjectDeadlineDefinition, endedOn: string, calendarDays: number): string {
  const graded = pd.grades.find((g) => calendarDays <= g.maxDays)?.grade;
  if (graded !== undefined) return graded;
  const dueOn = pd.target && pd.grades.length === 0 ? fixedDueOn(core, pd.key) : null;
  return dueOn !== null && endedOn <= dueOn ? 'on_time' : pd.lateGrade;
}

/**
 * Starts a project deadline when its `fromStep` is done; ends and grades it when its `toStep` is approved.
 * @returns `project_deadline.started` and `project_deadline.met` entries
 */
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
          clock: projectClockId(pd.key),
          startedOn: pc.startedOn,
          ...(pd.limit ? { limit: pd.limit.value, unit: pd.limit.unit } : { dueOn: fixedDueOn(core, pd.key) }),
        }),
      );
    }
    if (pd.toStep === stepKey && rec.state === 'approved' && pc.startedOn !== null && pc.endedOn === null) {
      pc.endedOn = shanghaiDateOf(ctx.at);
      pc.calendarDays = calendarDaysBetween(pc.startedOn, pc.endedOn);
      pc.grade = gradeOf(core, pd, pc.endedOn, pc.calendarDays);
      pc.light = null;
      entries.push(
        core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, 'project_deadline.met', null, null, {
          clock: projectClockId(pd.key),
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
