/*
 * Instants of one planned deadline: when its thresholds take effect (facts at the threshold; notices after the
 * catch-up hold for a late plan), its light at an instant, and whether a re-plan changed it. Pure functions of a
 * ClockDeadline.
 */
import type { ClockDeadline, Light } from './types.js';

/**
 * When the notice of a threshold `at` of deadline `d` is due: at the threshold, or `holdMs` after a plan made when
 * the threshold had already passed (a back-dated record, a worker down for days), so an officer entering a paper
 * history in sequence is not notified about steps the same session closes a moment later.
 * @returns epoch milliseconds
 */
export function fireTime(d: ClockDeadline, at: string, holdMs: number): number {
  const threshold = Date.parse(at);
  const planned = Date.parse(d.plannedAt);
  return threshold < planned ? planned + holdMs : threshold;
}

/** When a step clock passes its statutory limit (法定时限): its own planned instant, or its deadline where the two tiers are one. */
export function statutoryDueAtOf(d: ClockDeadline): string | null {
  return d.statutoryDueAt !== undefined ? d.statutoryDueAt : d.dueAt;
}

/** True when a re-plan gives a clock the same instants it had: its catch-up hold keeps running from the first plan. */
export function sameInstants(previous: ClockDeadline, next: ClockDeadline): boolean {
  return (
    previous.dueAt === next.dueAt &&
    previous.yellowAt === next.yellowAt &&
    previous.escalateAt === next.escalateAt &&
    previous.stopped === next.stopped &&
    previous.repeatsBefore === next.repeatsBefore &&
    JSON.stringify(previous.repeatAts) === JSON.stringify(next.repeatAts) &&
    (previous.statutoryDueAt ?? null) === (next.statutoryDueAt ?? null)
  );
}

/** The worst of some lights (green when none). */
export function worstLight(lights: Array<Light | null>): Light {
  if (lights.includes('red')) return 'red';
  if (lights.includes('yellow')) return 'yellow';
  return 'green';
}

/**
 * When the fact a threshold `at` of deadline `d` marks takes effect (a light, an overdue flag, a deemed
 * acceptance): at the threshold when facts are recorded at once (a back-dated record shows its true state in the
 * answer that records it), else, in histories recorded before that rule, after the hold like its notice.
 * @param atOnce whether facts take effect at their threshold (ProjectState.factsAtOnce)
 * @returns epoch milliseconds
 */
export function factTime(d: ClockDeadline, at: string, holdMs: number, atOnce: boolean): number {
  return atOnce ? Date.parse(at) : fireTime(d, at, holdMs);
}

/**
 * The light of a clock at `nowMs`: red from its deadline, yellow from its threshold; a held clock keeps
 * `current`. With `asItWas` (facts at once, or a stopped clock's light as it stood when it stopped) the thresholds
 * count as they are; without it (histories recorded before facts were at once), thresholds already past when the
 * deadline was planned take effect after the same hold as their alerts.
 * @param holdMs the catch-up hold, milliseconds
 */
export function lightAt(d: ClockDeadline | null, current: Light | null, nowMs: number, holdMs: number, asItWas = false): Light {
  if (!d || d.stopped || d.dueAt === null) return current ?? 'green';
  const rank = { green: 0, yellow: 1, red: 2 } as const;
  // The hold never lowers a light already shown (a re-plan of a clock that is already red stays red).
  const at = (threshold: string, level: Light) => (asItWas || rank[current ?? 'green'] >= rank[level] ? Date.parse(threshold) : fireTime(d, threshold, holdMs));
  if (nowMs >= at(d.dueAt, 'red')) return 'red';
  if (d.yellowAt !== null && nowMs >= at(d.yellowAt, 'yellow')) return 'yellow';
  return 'green';
}

/** Repeats of 督办 fired under the current plan (beyond those fired under earlier plans of the same deadline). */
export function countRepeatsFired(d: ClockDeadline): number {
  return d.fired.filter((f) => f.startsWith('repeat:') && Number(f.slice(7)) > d.repeatsBefore).length;
}
