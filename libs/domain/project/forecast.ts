import { addDays, shanghaiDateOf, usedAsOf, type LimitUnit, type WorkingDayCalendar } from '../../calendar/index.js';
import { stepGroupOf, type TrackDefinition } from '../track-definition.js';
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
 * When a dependency finishes, and through which step: a step's own finish; a sub-step group of mode `all` at its
 * last member's finish, of mode `any` at its first done member's decision, or, none done, at its earliest member's
 * finish (the quickest alternative).
 */
function dependencyFinish(def: TrackDefinition, dep: string, finish: Map<string, string>, done: Set<string>): [finishOn: string, via: string] {
  const group = stepGroupOf(def, dep);
  if (!group) return [finish.get(dep)!, dep];
  const doneMembers = group.steps.filter((k) => done.has(k));
  const candidates = group.mode === 'any' && doneMembers.length > 0 ? doneMembers : group.steps;
  let best: [string, string] | null = null;
  for (const k of candidates) {
    const f = finish.get(k)!;
    if (best === null || (group.mode === 'all' ? f > best[0] : f < best[0])) best = [f, k];
  }
  return best!;
}

/** Options of {@link forecastProject}. */
export interface ForecastOptions {
  /**
   * A started hard deadline is at risk when the forecast leaves fewer than this many working days of slack before it
   * (default 0: at risk only when the remaining work, at the published limits, runs past it).
   */
  marginWorkingDays?: number;
}

/**
 * The at-risk forecast of a project (DESIGN.md §4 Stuck, at risk): the earliest finish of its remaining work — the
 * critical path through the remaining steps of the DAG, each at its published limit (承诺时限, the step's `limit`; 优化营商环境条例
 * Art. 35 — not the statutory one) or its `forecastDuration`, on the working-day calendar, counted from the day its
 * dependencies finish or today, clock stops excluded — compared with its hard deadlines (the bonded zone's year end,
 * the standard track's 90-day groundbreaking promise).
 *
 * - a decided step finished on its decision day;
 * - a step in review finishes on its planned deadline (or today, when that has passed);
 * - a step whose clock is stopped finishes its remaining days counted from today;
 * - any other step starts when its dependencies finish (not before today) and takes its duration.
 *
 * A deadline is at risk when its clock runs (a fixed day, or a relative deadline whose start step is decided) and the
 * slack is below `options.marginWorkingDays`. A relative deadline not started yet (the 90 days from the land contract
 * while the land is still being sold) moves with its start, and the district prepares its work in the sale window
 * (拿地即开工: pre-service during the sale, a plan from land to groundbreaking on deal day; research note §2.6), so
 * it is reported with its slack but not flagged. Each deadline names the step that drives it: the first step not
 * done on the longest chain of remaining work to it.
 *
 * @param today Asia/Shanghai date the forecast is made on
 * @returns the forecast; `atRisk` when a started hard deadline is short of the margin, with the reason naming the step
 *   that drives it (of the tightest such deadline in `step`/`department`); slack in working days
 */
export function forecastProject(
  def: TrackDefinition,
  snap: ProjectSnapshot,
  calendar: WorkingDayCalendar,
  today: string,
  computedAt: string,
  options: ForecastOptions = {},
): ProjectForecast {
  const margin = options.marginWorkingDays ?? 0;
  const finish = new Map<string, string>();
  /** The dependency whose finish a not-started step waits for (the critical predecessor), when it is after today. */
  const critical = new Map<string, string>();
  const done = new Set<string>();
  for (const step of def.steps) {
    const rec = snap.steps.find((s) => s.key === step.key)!;
    if (isStepDone(rec.state)) {
      done.add(step.key);
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
    let depsDone = today;
    for (const d of step.dependsOn) {
      const [f, via] = dependencyFinish(def, d, finish, done);
      if (f > depsDone) {
        depsDone = f;
        critical.set(step.key, via);
      }
    }
    finish.set(step.key, plus(depsDone, step.forecastDuration ?? step.limit, calendar));
  }
  /** The first step not done on the critical chain ending at `key`, or null when the chain is done. */
  const drivingStep = (key: string): string | null => {
    let driver: string | null = null;
    for (let cur: string | undefined = key; cur !== undefined && !done.has(cur); cur = critical.get(cur)) driver = cur;
    return driver;
  };
  const departmentOf = (key: string | null): string | null => (key === null ? null : (def.steps.find((s) => s.key === key)?.department ?? null));

  const deadlines: ForecastDeadline[] = [];
  const year = Number(snap.signedAt.slice(0, 4));
  for (const pd of def.projectDeadlines ?? []) {
    if (!pd.hard) continue;
    const pc = snap.projectClocks.find((c) => c.key === pd.key);
    if (pc?.endedOn) continue; // met
    let dueOn: string;
    let started = true;
    if (pd.target) dueOn = `${year}-${def.yearPlans?.[year]?.[pd.key] ?? pd.target.monthDay}`;
    else if (pc?.deadline?.dueOn) dueOn = pc.deadline.dueOn;
    else {
      // counted from registration, or its start step is decided
      started = pd.fromStep === null || done.has(pd.fromStep) || (pc?.startedOn ?? null) !== null;
      const start = pc?.startedOn ?? (pd.fromStep ? finish.get(pd.fromStep)! : today);
      dueOn = plus(start, pd.limit!, calendar);
    }
    const forecastOn = finish.get(pd.toStep)!;
    const slackWorkingDays = forecastOn <= dueOn ? calendar.workingDaysBetween(forecastOn, dueOn) : -calendar.workingDaysBetween(dueOn, forecastOn);
    const step = drivingStep(pd.toStep);
    deadlines.push({
      key: pd.key,
      name: pd.nameZh,
      dueOn,
      forecastOn,
      slackWorkingDays,
      atRisk: started && slackWorkingDays < margin,
      started,
      step,
      department: departmentOf(step),
    });
  }
  const tightest = (list: ForecastDeadline[]) => list.reduce<ForecastDeadline | null>((a, d) => (a === null || d.slackWorkingDays < a.slackWorkingDays ? d : a), null);
  const late = deadlines.filter((d) => d.atRisk);
  const driver = tightest(late);
  const stepName = (key: string | null | undefined) => {
    const s = key ? def.steps.find((x) => x.key === key) : undefined;
    return s ? { zh: `，关键步骤：${s.nameZh}（${s.department}）`, en: `, driven by ${s.key} (${s.department})` } : { zh: '', en: '' };
  };
  return {
    computedAt,
    finishOn: finish.get(def.finalStep) ?? null,
    atRisk: late.length > 0,
    reason:
      late.length === 0
        ? null
        : late
            .map((d) => {
              const n = stepName(d.step);
              const by = d.slackWorkingDays < 0 ? `晚于期限 ${d.dueOn}（${-d.slackWorkingDays} 个工作日）` : `距期限 ${d.dueOn} 仅余 ${d.slackWorkingDays} 个工作日`;
              const byEn = d.slackWorkingDays < 0 ? `is after the deadline ${d.dueOn} by ${-d.slackWorkingDays} working days` : `leaves ${d.slackWorkingDays} working days before the deadline ${d.dueOn}`;
              return `${d.name}：预计 ${d.forecastOn} 完成，${by}${n.zh} / forecast ${d.forecastOn} ${byEn}${n.en}`;
            })
            .join('; '),
    slackWorkingDays: tightest(deadlines)?.slackWorkingDays ?? null,
    deadlines,
    step: driver?.step ?? null,
    department: driver?.department ?? null,
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

/**
 * Settles the forecast of a project that has just closed (completed or cancelled): no work remains, so no deadline
 * is at risk any more. The last forecast's finish, deadlines and slack stay, for the record; the workflow forecasts
 * only open projects, so without this a project completed while flagged would stay flagged (and in the stuck list).
 */
export function settleForecast(core: ProjectCore): void {
  const f = core.snap.forecast;
  if (!f?.atRisk) return;
  core.snap.forecast = { ...f, atRisk: false, reason: null, step: null, department: null, deadlines: f.deadlines.map((d) => ({ ...d, atRisk: false })) };
}
