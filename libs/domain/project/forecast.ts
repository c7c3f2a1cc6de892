import { addDays, shanghaiDateOf, usedAsOf, type LimitUnit, type WorkingDayCalendar } from '../../calendar/index.js';
import type { TrackDefinition } from '../track-definition.js';
import { isClockOpen, isStepDone, type ProjectCore } from './core.js';
import { SYSTEM_ACTOR, type ActionContext, type ForecastDeadline, type ProjectForecast, type ProjectSnapshot, type TimelineEntry } from './types.js';

type Span = { value: number; unit: LimitUnit };

/** `date` plus a span: working days on the calendar, or calendar days ending on a working day (民法典 Art. 203). */
function plus(date: string, span: Span, calendar: WorkingDayCalendar): string {
  if (span.unit === 'working_days') return calendar.addWorkingDays(date, span.value);
  const end = addDays(date, span.value);
  return calendar.isWorkingDay(end) ? end : calendar.nextWorkingDay(end);
}

const later = (a: string, b: string): string => (a >= b ? a : b);

/**
 * The at-risk forecast of a project (DESIGN.md §4 Stuck, at risk): the earliest finish of its remaining work — the critical path
 * through the remaining steps of the DAG, each at its limit (or its `forecastDuration`) on the working-day
 * calendar, counted from the day its dependencies finish or today, clock stops excluded — compared with its
 * hard deadlines (the bonded zone's year end, the standard track's 90-day groundbreaking promise).
 *
 * - a decided step finished on its decision day;
 * - a step in review finishes on its planned deadline (or today, when that has passed);
 * - a step whose clock is stopped finishes its remaining days counted from today;
 * - any other step starts when its dependencies finish (not before today) and takes its duration.
 *
 * @param today Asia/Shanghai date the forecast is made on
 * @returns the forecast; `atRisk` when a hard deadline is not met, with the reason; slack in working days
 */
export function forecastProject(def: TrackDefinition, snap: ProjectSnapshot, calendar: WorkingDayCalendar, today: string, computedAt: string): ProjectForecast {
  const finish = new Map<string, string>();
  for (const step of def.steps) {
    const rec = snap.steps.find((s) => s.key === step.key)!;
    if (isStepDone(rec.state)) {
      finish.set(step.key, shanghaiDateOf(rec.decidedAt ?? rec.updatedAt));
      continue;
    }
    if (isClockOpen(rec) && rec.deadline?.dueOn && !rec.deadline.stopped) {
      finish.set(step.key, later(rec.deadline.dueOn, today));
      continue;
    }
    if (isClockOpen(rec) && rec.acceptedAt) {
      const status = usedAsOf(
        {
          start: shanghaiDateOf(rec.acceptedAt),
          limit: step.limit.value,
          unit: step.limit.unit,
          stops: rec.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) })),
        },
        today,
        calendar,
      );
      finish.set(step.key, plus(today, { value: Math.max(status.remainingDays, 0), unit: step.limit.unit }, calendar));
      continue;
    }
    const depsDone = step.dependsOn.map((d) => finish.get(d)!).reduce(later, today);
    finish.set(step.key, plus(depsDone, step.forecastDuration ?? step.limit, calendar));
  }

  const deadlines: ForecastDeadline[] = [];
  const year = Number(snap.signedAt.slice(0, 4));
  for (const pd of def.projectDeadlines ?? []) {
    if (!pd.hard) continue;
    const pc = snap.projectClocks.find((c) => c.key === pd.key);
    if (pc?.endedOn) continue; // met
    let dueOn: string;
    if (pd.target) dueOn = `${year}-${def.yearPlans?.[year]?.[pd.key] ?? pd.target.monthDay}`;
    else if (pc?.deadline?.dueOn) dueOn = pc.deadline.dueOn;
    else {
      const start = pc?.startedOn ?? (pd.fromStep ? finish.get(pd.fromStep)! : today);
      dueOn = plus(start, pd.limit!, calendar);
    }
    const forecastOn = finish.get(pd.toStep)!;
    const slackWorkingDays = forecastOn <= dueOn ? calendar.workingDaysBetween(forecastOn, dueOn) : -calendar.workingDaysBetween(dueOn, forecastOn);
    deadlines.push({ key: pd.key, name: pd.nameZh, dueOn, forecastOn, slackWorkingDays, atRisk: forecastOn > dueOn });
  }
  const tightest = deadlines.reduce<ForecastDeadline | null>((a, d) => (a === null || d.slackWorkingDays < a.slackWorkingDays ? d : a), null);
  const late = deadlines.filter((d) => d.atRisk);
  return {
    computedAt,
    finishOn: finish.get(def.finalStep) ?? null,
    atRisk: late.length > 0,
    reason:
      late.length === 0
        ? null
        : late
            .map((d) => `${d.name}：预计 ${d.forecastOn} 完成，晚于期限 ${d.dueOn}（${-d.slackWorkingDays} 个工作日）/ forecast ${d.forecastOn} is after the deadline ${d.dueOn} by ${-d.slackWorkingDays} working days`)
            .join('; '),
    slackWorkingDays: tightest?.slackWorkingDays ?? null,
    deadlines,
  };
}

/**
 * Records the latest forecast; a change of at-risk status is on the timeline.
 * @returns the entries produced (none when nothing material changed)
 */
export function applyForecast(core: ProjectCore, forecast: ProjectForecast, ctx: ActionContext): TimelineEntry[] {
  const before = core.snap.forecast;
  const material = (f: ProjectForecast | null) => (f ? JSON.stringify([f.finishOn, f.atRisk, f.slackWorkingDays, f.deadlines]) : null);
  if (material(before) === material(forecast)) return [];
  core.snap.forecast = forecast;
  core.snap.version += 1;
  if ((before?.atRisk ?? false) === forecast.atRisk) return [];
  return [
    core.entry({ at: ctx.at, actor: SYSTEM_ACTOR }, forecast.atRisk ? 'forecast.at_risk' : 'forecast.on_track', null, null, {
      finishOn: forecast.finishOn,
      slackWorkingDays: forecast.slackWorkingDays,
      reason: forecast.reason,
    }),
  ];
}
