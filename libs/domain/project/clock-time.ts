/*
 * Instants of one planned deadline: when its thresholds take effect (after the catch-up hold for a late plan),
 * its light at an instant, and whether a re-plan changed it. Pure functions of a ClockDeadline.
 */
import type { ClockDeadline, Light } from './types.js';

/**
 * When a threshold `at` of deadline `d` takes effect: at the threshold, or `holdMs` after a plan made when the
 * threshold had already passed (a back-dated record, a worker down for days).
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
 * The light of a clock at `nowMs`: red from its deadline, yellow from its threshold; a held clock keeps
 * `current`. Thresholds already past when the deadline was planned (a back-dated record) take effect after
 * the same hold as their alerts, unless `asItWas` asks for the light as it stood at `nowMs` in the record.
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
