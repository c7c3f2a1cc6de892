import { shanghaiDateOf, usedAsOf, type WorkingDayCalendar } from '../../../../libs/calendar/index.js';
import { allTrackDefinitions, canonicalYuan, type ClockDeadline, type ProjectClockRecord, type ProjectForecast, type Supervision, type ProjectView, type StepView, type TimelineEntry } from '../../../../libs/domain/index.js';
import type { ProjectStepEntity, ProjectWithSteps, TimelineEntryEntity } from '../../../../libs/persistence/index.js';
import { toShanghaiIso } from '../common/time.js';
import type { ClockStopDto, ForecastDto, LedgerDto, ProjectDeadlineDto, ProjectDto, StepDto, SupervisionDto, TimelineEntryDto } from './dto/project.response.js';

function forecastDto(f: ProjectForecast | Record<string, unknown> | null): ForecastDto | null {
  if (!f) return null;
  const v = f as ProjectForecast;
  return { finishOn: v.finishOn, atRisk: v.atRisk, reason: v.reason, slackWorkingDays: v.slackWorkingDays, deadlines: v.deadlines, computedAt: iso(v.computedAt)! };
}

function supervisionDto(s: Supervision | Record<string, unknown> | null): SupervisionDto | null {
  if (!s) return null;
  const v = s as Supervision;
  return { step: v.step, department: v.department, since: iso(v.since)!, by: v.by, comment: v.comment };
}

/** The calendar and the day (Asia/Shanghai) the ledger numbers are computed for. */
export interface LedgerContext {
  calendar: WorkingDayCalendar;
  today: string;
}

interface LedgerInput {
  state: string;
  acceptedAt: Date | string | null;
  decidedAt: Date | string | null;
  limit: { value: number; unit: string };
  clockStops: Array<{ stoppedAt: string; resumedAt: string | null }>;
}


/**
 * The step's ledger (issue 4): working days used and remaining, clock-stopped days and working days
 * overdue, as of today for an open clock or as of the decision for a decided step; null before acceptance.
 * Counting as libs/calendar `usedAsOf` (民法典 Art. 201–203; 行政许可法 Art. 32, 82).
 */
export function ledgerOf(step: LedgerInput, ctx: LedgerContext | undefined): LedgerDto | null {
  if (!ctx || step.acceptedAt === null || !['in_review', 'supplement_requested', 'approved', 'waived', 'rejected'].includes(step.state)) return null;
  const asOf = step.decidedAt !== null && step.state !== 'in_review' && step.state !== 'supplement_requested' ? shanghaiDateOf(step.decidedAt) : ctx.today;
  try {
    const status = usedAsOf(
      {
        start: shanghaiDateOf(step.acceptedAt),
        limit: step.limit.value,
        unit: step.limit.unit as 'working_days' | 'calendar_days',
        stops: step.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) })),
      },
      asOf,
      ctx.calendar,
    );
    return {
      asOf: status.asOf,
      usedDays: status.usedDays,
      usedWorkingDays: status.usedWorkingDays,
      remainingWorkingDays: status.remainingWorkingDays,
      clockStoppedDays: status.clockStoppedDays,
      overdueWorkingDays: status.overdueWorkingDays,
    };
  } catch {
    return null; // a year the calendar cannot serve: the deadline fields still show what was planned
  }
}

function deadlineFields(d: ClockDeadline | Record<string, unknown> | null): { dueOn: string | null; dueAt: string | null; provisional: boolean } {
  const dl = d as ClockDeadline | null;
  return { dueOn: dl?.dueOn ?? null, dueAt: iso(dl?.dueAt ?? null), provisional: dl?.provisional ?? false };
}

function projectDeadlines(clocks: ProjectClockRecord[], track: string): ProjectDeadlineDto[] {
  const defs = allTrackDefinitions().filter((d) => d.track === track).flatMap((d) => d.projectDeadlines);
  return clocks.map((c) => {
    const def = defs.find((d) => d.key === c.key);
    return {
      key: c.key,
      name: def?.name ?? c.key,
      nameZh: def?.nameZh ?? c.key,
      limit: def?.limit ? { value: def.limit.value, unit: def.limit.unit } : null,
      startedOn: c.startedOn,
      ...deadlineFields(c.deadline),
      light: c.light,
      endedOn: c.endedOn,
      calendarDays: c.calendarDays,
      grade: c.grade,
    };
  });
}

/** Every stage key of every released track, for filter validation. */
export const ALL_STAGE_KEYS: string[] = [...new Set(allTrackDefinitions().flatMap((d) => d.stages.map((s) => s.key)))];

const STAGE_NAMES = new Map<string, { name: string; nameZh: string }>(
  allTrackDefinitions().flatMap((d) => d.stages.map((s) => [`${d.track}:${s.key}`, s] as const)),
);

const iso = (v: Date | string | null): string | null => toShanghaiIso(v);
const stops = (raw: unknown[]): ClockStopDto[] =>
  (raw as Array<{ stoppedAt: string; resumedAt: string | null; reason: string }>).map((c) => ({
    stoppedAt: iso(c.stoppedAt)!,
    resumedAt: iso(c.resumedAt),
    reason: c.reason,
  }));

/**
 * What a step's DTO is built from, whether it comes from the workflow's view or from a read-model row (whose
 * instants are Dates and whose JSON columns are untyped).
 */
interface StepFields {
  key: string;
  name: string;
  nameZh: string;
  stage: string;
  department: string;
  state: string;
  dependsOn: string[];
  limit: { value: number; unit: string };
  limitSource: string;
  limitConfidence: string;
  assignee: string | null;
  readyAt: Date | string | null;
  acceptedAt: Date | string | null;
  decidedAt: Date | string | null;
  deadline: ClockDeadline | Record<string, unknown> | null;
  light: string | null;
  actor: string | null;
  comment: string | null;
  waiverDueOn: string | null;
  clockStops: unknown[];
  availableActions: string[];
  updatedAt: Date | string;
}

/** What a project's DTO is built from (the workflow's view, or a read-model row shaped like it). */
type ProjectFields = Omit<ProjectView, 'registeredAt' | 'lastProgressAt' | 'suspendedAt' | 'closedAt' | 'nextDeadline' | 'steps' | 'track' | 'status' | 'light'> & {
  track: string;
  status: string;
  light: string;
  registeredAt: Date | string;
  lastProgressAt: Date | string;
  suspendedAt: Date | string | null;
  closedAt: Date | string | null;
  nextDeadline: Date | string | null;
};

function stepDto(s: StepFields, ctx: LedgerContext | undefined): StepDto {
  const clockStops = s.clockStops as Array<{ stoppedAt: string; resumedAt: string | null; reason: string }>;
  return {
    key: s.key,
    name: s.name,
    nameZh: s.nameZh,
    stage: s.stage,
    department: s.department,
    state: s.state,
    dependsOn: s.dependsOn,
    limit: s.limit,
    limitSource: s.limitSource,
    limitConfidence: s.limitConfidence,
    assignee: s.assignee,
    readyAt: iso(s.readyAt),
    acceptedAt: iso(s.acceptedAt),
    decidedAt: iso(s.decidedAt),
    ...deadlineFields(s.deadline),
    light: s.light,
    ledger: ledgerOf({ ...s, clockStops }, ctx),
    actor: s.actor,
    comment: s.comment,
    waiverDueOn: s.waiverDueOn,
    clockStops: stops(clockStops),
    availableActions: s.availableActions,
    updatedAt: iso(s.updatedAt)!,
  };
}

function projectDto(v: ProjectFields, steps: StepDto[]): ProjectDto {
  return {
    code: v.code,
    name: v.name,
    track: v.track,
    definition: `${v.track}@${v.definitionVersion}`,
    district: v.district,
    investor: v.investor,
    investmentYuan: v.investmentYuan,
    signedAt: v.signedAt,
    registeredAt: iso(v.registeredAt)!,
    registeredBy: v.registeredBy,
    stage: v.stage,
    stageName: v.stageName,
    stageNameZh: v.stageNameZh,
    status: v.status,
    light: v.light,
    nextDeadline: iso(v.nextDeadline),
    projectDeadlines: projectDeadlines(v.projectClocks, v.track),
    atRisk: v.forecast?.atRisk ?? false,
    forecast: forecastDto(v.forecast),
    underSupervision: v.supervision !== null,
    supervision: supervisionDto(v.supervision),
    overdueSteps: v.overdueSteps,
    version: v.version,
    lastProgressAt: iso(v.lastProgressAt)!,
    suspendedAt: iso(v.suspendedAt),
    closedAt: iso(v.closedAt),
    steps,
  };
}

/** A step of the workflow's view, as the API shows it. */
export function stepFromView(s: StepView, ctx?: LedgerContext): StepDto {
  return stepDto(s, ctx);
}

/** The workflow's view of a project, as the API shows it. */
export function projectFromView(v: ProjectView, ctx?: LedgerContext): ProjectDto {
  return projectDto(v, v.steps.map((s) => stepDto(s, ctx)));
}

/** A read-model step row, as the API shows it. */
export function stepFromRow(s: ProjectStepEntity, ctx?: LedgerContext): StepDto {
  return stepDto({ ...s, key: s.stepKey, limit: { value: s.limitValue, unit: s.limitUnit } }, ctx);
}

/**
 * A read-model project row with its steps, as the API shows it. The row stores `at_risk` and
 * `under_supervision` from its forecast and supervision, so the DTO derives them as for the view.
 */
export function projectFromRow(p: ProjectWithSteps, ctx?: LedgerContext): ProjectDto {
  const stage = STAGE_NAMES.get(`${p.track}:${p.stage}`);
  return projectDto(
    {
      ...p,
      investmentYuan: p.investmentYuan === null ? null : canonicalYuan(p.investmentYuan),
      stageName: stage?.name ?? p.stage,
      stageNameZh: stage?.nameZh ?? p.stage,
      projectClocks: p.projectClocks as ProjectClockRecord[],
      forecast: p.forecast as ProjectForecast | null,
      supervision: p.supervision as Supervision | null,
    },
    p.steps.map((s) => stepFromRow(s, ctx)),
  );
}

/** A timeline entry (from the workflow or the read model), as the API shows it. */
export function timelineEntry(e: TimelineEntry | TimelineEntryEntity): TimelineEntryDto {
  const step = 'stepKey' in e ? e.stepKey : e.step;
  return {
    seq: e.seq,
    at: iso(e.at)!,
    type: e.type,
    step,
    actor: e.actor,
    actorDepartment: e.actorDepartment,
    comment: e.comment,
    data: e.data,
  };
}
