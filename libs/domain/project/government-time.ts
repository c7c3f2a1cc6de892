/*
 * Government time (政府审批用时): the working days agencies held a project's files, counted on the calendar by an
 * activity and recorded on the project.
 */
import { parseIsoDate, shanghaiDateOf, type IsoDate, type WorkingDayCalendar } from '../../calendar/index.js';
import { ancestorsOf, type GovernmentTimePromise, type TrackDefinition } from '../track-definition.js';
import type { ProjectCore } from './core.js';
import type { GovernmentTime, ProjectSnapshot, StepRecord } from './types.js';

/** What government time is counted from: the project's close and its steps' acceptance, decision and clock stops. */
export type GovernmentTimeInput = Pick<ProjectSnapshot, 'closedAt'> & { steps: ReadonlyArray<Pick<StepRecord, 'key' | 'acceptedAt' | 'decidedAt' | 'clockStops'>> };

/**
 * Government time (政府审批用时) of a project as of `today`: the working days agencies held its
 * files. A step holds the file from its acceptance (受理; a deemed acceptance counts from receipt) to its
 * decision, or to `today` while open; the acceptance day itself is not counted (民法典 Art. 201), days its
 * clock was stopped (supplement request 补正, project suspension 特别程序, excluded period Art. 45) are not
 * counted, nor the applicant's and preparation time before acceptance, nor steps that are the applicant's own work
 * or a sale procedure (`notGovernmentTime`: construction, the builder's completion acceptance, the land auction). A working day on which several agencies
 * held files counts once for the project (`workingDays`) and once per step (`stepWorkingDaysTotal`).
 * Promises (Zhejiang: 100 days before groundbreaking, 浙政办发〔2018〕73号; 90 days for the whole process) are
 * measured over the steps up to their `untilStep`.
 *
 * @param def the project's pinned definition
 * @param snapshot the project's state (a snapshot, or a read-model row's view: only its close and steps are read)
 * @param calendar the working-day calendar (official notices plus provisional years)
 * @param today Asia/Shanghai date to count to for open steps (the close day is used for a closed project)
 * @returns working days, per step and per promise
 * @throws CalendarError for years the calendar cannot serve
 */
export function computeGovernmentTime(def: TrackDefinition, snapshot: GovernmentTimeInput, calendar: WorkingDayCalendar, today: IsoDate): GovernmentTime {
  const asOf = snapshot.closedAt ? minDate(shanghaiDateOf(snapshot.closedAt), today) : today;
  const last = parseIsoDate(asOf);
  const perStep: Record<string, number> = {};
  const daysOf = new Map<string, Set<number>>();
  const excluded = new Set(def.steps.filter((d) => d.notGovernmentTime).map((d) => d.key));
  for (const rec of snapshot.steps) {
    if (rec.acceptedAt === null || excluded.has(rec.key)) continue;
    const from = parseIsoDate(shanghaiDateOf(rec.acceptedAt));
    const to = Math.min(rec.decidedAt ? parseIsoDate(shanghaiDateOf(rec.decidedAt)) : last, last);
    const stops = rec.clockStops.map((c) => ({
      from: parseIsoDate(shanghaiDateOf(c.stoppedAt)),
      to: c.resumedAt === null ? Number.POSITIVE_INFINITY : parseIsoDate(shanghaiDateOf(c.resumedAt)),
    }));
    const days = new Set<number>();
    for (let day = from + 1; day <= to; day++) {
      if (!calendar.isWorkingDayNumber(day)) continue;
      if (stops.some((s) => s.from < day && day <= s.to)) continue;
      days.add(day);
    }
    perStep[rec.key] = days.size;
    daysOf.set(rec.key, days);
  }
  const union = (keys: Iterable<string>) => {
    const all = new Set<number>();
    for (const k of keys) for (const d of daysOf.get(k) ?? []) all.add(d);
    return all.size;
  };
  const promises = (def.governmentTimePromises ?? []).map((p) => promiseStatus(p, union(new Set([p.untilStep, ...ancestorsOf(p.untilStep, def.steps, def.stepGroups)]))));
  return {
    asOf,
    workingDays: union(daysOf.keys()),
    stepWorkingDaysTotal: Object.values(perStep).reduce((a, b) => a + b, 0),
    perStep,
    promises,
  };
}

/**
 * Where a project stands against one government-time promise.
 * @param promise the promise of the track definition
 * @param usedWorkingDays government working days over the promise's steps
 * @returns the promise with the days used, remaining (negative once exceeded) and whether it is exceeded
 */
export function promiseStatus(promise: GovernmentTimePromise, usedWorkingDays: number): GovernmentTime['promises'][number] {
  return {
    key: promise.key,
    name: promise.name,
    nameZh: promise.nameZh,
    limit: promise.limit.value,
    unit: promise.limit.unit,
    unitAsWritten: promise.limit.unitAsWritten ?? null,
    source: promise.limit.source,
    usedWorkingDays,
    remaining: promise.limit.value - usedWorkingDays,
    exceeded: usedWorkingDays > promise.limit.value,
  };
}

function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

/** Records the latest government time; true when it changed. */
export function applyGovernmentTime(core: ProjectCore, gt: GovernmentTime): boolean {
  const material = (g: GovernmentTime | null) => (g ? JSON.stringify([g.workingDays, g.stepWorkingDaysTotal, g.perStep, g.promises]) : null);
  if (material(core.snap.governmentTime) === material(gt)) return false;
  core.snap.governmentTime = gt;
  core.snap.version += 1;
  return true;
}
