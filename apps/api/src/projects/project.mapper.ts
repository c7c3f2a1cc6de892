import { shanghaiDateOf, usedAsOf, type IsoDate, type WorkingDayCalendar } from '../../../../libs/calendar/index.js';
import {
  allTrackDefinitions,
  canonicalYuan,
  DEFAULT_EXTENSION_CAP,
  FACT_NAMES,
  isStepDone,
  type ApprovalRoute,
  type AuxClockRecord,
  type ClockDeadline,
  type StepClockStop,
  type ExpiryDefinition,
  type FactKind,
  type GovernmentTime,
  type LimitUnit,
  type ProjectClockRecord,
  type ProjectFact,
  type ProjectForecast,
  type Supervision,
  type ProjectView,
  type StepExtension,
  type StepState,
  type StepView,
  type TimelineEntry,
} from '../../../../libs/domain/index.js';
import { statutoryDueOf, type ProjectStepEntity, type ProjectWithSteps, type StepStatutoryDocument, type TimelineEntryEntity } from '../../../../libs/persistence/index.js';
import { toShanghaiIso } from '../common/time.js';
import type {
  AwaitedFactDto,
  CertificateDto,
  ClockStopDto,
  ExpiryDto,
  ForecastDto,
  GovernmentTimeDto,
  LedgerDto,
  ProjectDeadlineDto,
  ProjectDto,
  ProjectFactDto,
  StepDto,
  StepExtensionDto,
  SupervisionDto,
  TimelineEntryDto,
} from './dto/project.response.js';

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
  /** What the published clock counts (start day, limit, extension); absent on rows written before issue 7. */
  clockInput: StepView['clockInput'];
  clockStops: Array<{ stoppedAt: string; resumedAt: string | null }>;
}

/** Step states whose ledger is shown: an open clock (to today) or a decided step (to the decision day). */
const LEDGER_STATES = ['in_review', 'supplement_requested', 'approved', 'delivered', 'waived', 'rejected'];

/**
 * The step's ledger (issue 4): working days used and remaining, clock-stopped days and working days
 * overdue, as of today (`ctx.today`, Asia/Shanghai) for an open clock or as of the decision day for a decided
 * step; null before acceptance, without `ctx`, or when the calendar cannot serve the years. It counts what the
 * deadline counts (the step's `clockInput`): from the clock's start day (a joint group's first acceptance,
 * 行政许可法 Art. 42 ¶2), the published limit in its unit, plus an extension (延期, Art. 42): added to a
 * working-day limit, or moving a calendar-day limit's last day by working days. Without `clockInput`, from the
 * acceptance day with `limit`. Counting as libs/calendar `usedAsOf` (民法典 Art. 201–203; 行政许可法 Art. 32, 82).
 */
export function ledgerOf(step: LedgerInput, ctx: LedgerContext | undefined): LedgerDto | null {
  if (!ctx || step.acceptedAt === null || !LEDGER_STATES.includes(step.state)) return null;
  const asOf = step.decidedAt !== null && step.state !== 'in_review' && step.state !== 'supplement_requested' ? shanghaiDateOf(step.decidedAt) : ctx.today;
  const input = step.clockInput;
  const start = input ? (input.start as IsoDate) : shanghaiDateOf(step.acceptedAt);
  const unit = (input?.unit ?? step.limit.unit) as LimitUnit;
  const extra = input?.extraWorkingDays ?? 0;
  const limit = input ? (unit === 'working_days' ? input.limit + extra : input.limit) : step.limit.value;
  try {
    const status = usedAsOf(
      {
        start,
        limit,
        unit,
        stops: step.clockStops.map((c) => ({ from: shanghaiDateOf(c.stoppedAt), to: c.resumedAt === null ? null : shanghaiDateOf(c.resumedAt) })),
      },
      asOf,
      ctx.calendar,
    );
    let { remainingWorkingDays, overdueWorkingDays } = status;
    if (unit === 'calendar_days' && extra > 0 && status.dueOn !== null) {
      // The extension moves the calendar-day limit's last day by working days (as the planned deadline does).
      const dueOn = ctx.calendar.addWorkingDays(status.dueOn, extra);
      remainingWorkingDays = status.asOf >= dueOn ? 0 : ctx.calendar.workingDaysBetween(status.asOf > start ? status.asOf : start, dueOn);
      overdueWorkingDays = status.asOf > dueOn ? ctx.calendar.workingDaysBetween(dueOn, status.asOf) : 0;
    }
    return {
      asOf: status.asOf,
      usedDays: status.usedDays,
      usedWorkingDays: status.usedWorkingDays,
      remainingWorkingDays,
      clockStoppedDays: status.clockStoppedDays,
      overdueWorkingDays,
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

function statutoryDueFields(d: ClockDeadline | Record<string, unknown> | null): { statutoryDueOn: string | null; statutoryDueAt: string | null } {
  const due = statutoryDueOf(d);
  return { statutoryDueOn: due.dueOn, statutoryDueAt: iso(due.dueAt) };
}

function extensionDto(e: StepExtension | null): StepExtensionDto | null {
  if (!e) return null;
  return {
    workingDays: e.workingDays,
    cap: e.cap,
    capSource: e.capSource,
    at: iso(e.at)!,
    by: e.by,
    reason: e.reason,
    applicantNotifiedOn: e.applicantNotifiedOn,
    approvalRef: e.approvalRef ?? null,
  };
}

function certificateDto(c: StepFields['certificate']): CertificateDto | null {
  if (!c) return null;
  return { name: c.name, nameZh: c.nameZh, dueOn: c.dueOn, deliveredAt: iso(c.deliveredAt), outcome: c.outcome, light: c.light };
}

/** Expiry definitions of every released track, by `track:key` (a key means the same validity in every version). */
const EXPIRY_DEFINITIONS = new Map<string, ExpiryDefinition>(
  allTrackDefinitions().flatMap((d) => d.steps.flatMap((s) => (s.expiries ?? []).map((e) => [`${d.track}:${e.key}`, e] as const))),
);

function expiryDto(c: AuxClockRecord, track: string): ExpiryDto {
  const def = EXPIRY_DEFINITIONS.get(`${track}:${c.key}`);
  const dl = c.deadline;
  return {
    key: c.key,
    name: def?.name ?? c.key,
    nameZh: def?.nameZh ?? c.key,
    step: c.step,
    startedOn: c.startedOn,
    dueOn: dl?.dueOn ?? c.fixedDueOn,
    dueAt: iso(dl?.dueAt ?? null),
    light: c.endedAt === null ? c.light : null,
    lapsed: c.lapsed,
    endedAt: iso(c.endedAt),
    outcome: c.outcome,
    renewals: c.renewals.map((r) => ({ months: r.months, at: iso(r.at)!, by: r.by, comment: r.comment })),
    renewalsAllowed: def?.renewals.max ?? 0,
    source: def?.source ?? null,
  };
}

function factDto(f: ProjectFact): ProjectFactDto {
  return { kind: f.kind, occurredAt: iso(f.occurredAt)!, recordedAt: iso(f.recordedAt)!, by: f.by, reference: f.reference, amountYuan: f.amountYuan };
}

function governmentTimeDto(g: GovernmentTime | null): GovernmentTimeDto | null {
  if (!g) return null;
  return {
    asOf: g.asOf,
    workingDays: g.workingDays,
    stepWorkingDaysTotal: g.stepWorkingDaysTotal,
    perStep: { ...g.perStep },
    promises: g.promises.map((p) => ({
      key: p.key,
      name: p.name,
      nameZh: p.nameZh,
      limit: p.limit,
      unit: p.unit,
      unitAsWritten: p.unitAsWritten,
      source: p.source,
      usedWorkingDays: p.usedWorkingDays,
      remaining: p.remaining,
      exceeded: p.exceeded,
    })),
  };
}

/**
 * The statutory terms of a read-model step row: its `statutory` document, or — for a row written before issue 7,
 * whose definition (standard@1–2, bonded_zone@1) had no separate statutory tier, joint group, extension caps
 * or certificates — the terms those definitions imply: the statutory limit is the published one (the row's
 * limit columns), the extension cap is 行政许可法 Art. 42 ¶1's 10 working days, no joint group, no certificate.
 */
function statutoryOfRow(s: ProjectStepEntity): StepStatutoryDocument {
  if (s.statutory) return s.statutory;
  return {
    statutoryLimit: { value: s.limitValue, unit: s.limitUnit as StepView['limit']['unit'], source: s.limitSource, confidence: s.limitConfidence as StepView['limitConfidence'], unitAsWritten: null },
    limitUnitAsWritten: null,
    jointGroup: null,
    extensionCap: { value: DEFAULT_EXTENSION_CAP.value, source: DEFAULT_EXTENSION_CAP.source },
    extension: null,
    certificate: null,
  };
}

/** Facts each step of every released track waits for (`requiresFacts`), by `track@version:step`. */
const REQUIRED_FACTS = new Map<string, readonly FactKind[]>(
  allTrackDefinitions().flatMap((d) => d.steps.filter((s) => (s.requiresFacts ?? []).length > 0).map((s) => [`${d.track}@${d.version}:${s.key}`, s.requiresFacts!] as const)),
);

/**
 * What a step is read against beyond its own fields, so the view and the read model answer alike: its project's
 * track and pinned definition version (which facts the step waits for), the facts the project has recorded, and the
 * state of each step it depends on.
 */
export interface StepSurroundings {
  track: string;
  definitionVersion: number;
  facts: Array<Pick<ProjectFact, 'kind' | 'occurredAt'>>;
  dependencyStates: Record<string, string>;
}

/** The surroundings of every step of a project, from its facts and its steps' states. */
function surroundingsOf(p: { track: string; definitionVersion: number; facts: ProjectFact[] }, steps: Array<{ key: string; state: string }>): StepSurroundings {
  return { track: p.track, definitionVersion: p.definitionVersion, facts: p.facts, dependencyStates: Object.fromEntries(steps.map((s) => [s.key, s.state])) };
}

/**
 * Why a step is held back: while it is blocked, its dependencies not yet done (approved, delivered, waived); and every
 * fact its pinned definition makes it wait for (e.g. the land title waits for the land price paid in full, 不动产登记
 * 暂行条例实施细则 Art. 34), with whether the project has it and when it happened.
 */
function holdsOf(s: { key: string; state: string; dependsOn: string[] }, around: StepSurroundings): { blockedBy: string[]; waitsFor: AwaitedFactDto[] } {
  const blockedBy = s.state === 'blocked' ? s.dependsOn.filter((d) => !isStepDone((around.dependencyStates[d] ?? 'blocked') as StepState)) : [];
  const waitsFor = (REQUIRED_FACTS.get(`${around.track}@${around.definitionVersion}:${s.key}`) ?? []).map((kind): AwaitedFactDto => {
    const fact = around.facts.find((f) => f.kind === kind);
    return { kind, name: FACT_NAMES[kind].name, nameZh: FACT_NAMES[kind].nameZh, satisfied: fact !== undefined, at: fact ? iso(fact.occurredAt) : null };
  });
  return { blockedBy, waitsFor };
}

/** Every stage key of every released track, for filter validation. */
export const ALL_STAGE_KEYS: string[] = [...new Set(allTrackDefinitions().flatMap((d) => d.stages.map((s) => s.key)))];

const STAGE_NAMES = new Map<string, { name: string; nameZh: string }>(
  allTrackDefinitions().flatMap((d) => d.stages.map((s) => [`${d.track}:${s.key}`, s] as const)),
);

const iso = (v: Date | string | null): string | null => toShanghaiIso(v);
const stops = (raw: unknown[]): ClockStopDto[] =>
  (raw as StepClockStop[]).map((c) => ({
    stoppedAt: iso(c.stoppedAt)!,
    resumedAt: iso(c.resumedAt),
    reason: c.reason,
    ...(c.kind === undefined ? {} : { kind: c.kind }),
    ...(c.noticeOn === undefined ? {} : { noticeOn: c.noticeOn }),
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
  limitUnitAsWritten: string | null;
  statutoryLimit: StepView['statutoryLimit'];
  jointGroup: string | null;
  extensionCap: StepView['extensionCap'];
  extension: StepExtension | null;
  receivedAt: Date | string | null;
  deemedAccepted: boolean;
  statutoryOverdue: boolean;
  certificate: (Omit<NonNullable<StepView['certificate']>, 'deliveredAt'> & { deliveredAt: Date | string | null }) | null;
  governmentWorkingDays: number | null;
  clockInput: StepView['clockInput'];
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

function stepDto(s: StepFields, around: StepSurroundings, ctx: LedgerContext | undefined): StepDto {
  const clockStops = s.clockStops as Array<{ stoppedAt: string; resumedAt: string | null; reason: string }>;
  return {
    key: s.key,
    name: s.name,
    nameZh: s.nameZh,
    stage: s.stage,
    department: s.department,
    state: s.state,
    dependsOn: s.dependsOn,
    ...holdsOf(s, around),
    limit: s.limit,
    limitSource: s.limitSource,
    limitConfidence: s.limitConfidence,
    limitUnitAsWritten: s.limitUnitAsWritten,
    statutoryLimit: {
      value: s.statutoryLimit.value,
      unit: s.statutoryLimit.unit,
      source: s.statutoryLimit.source,
      confidence: s.statutoryLimit.confidence,
      unitAsWritten: s.statutoryLimit.unitAsWritten,
    },
    ...statutoryDueFields(s.deadline),
    statutoryOverdue: s.statutoryOverdue,
    jointGroup: s.jointGroup,
    extensionCap: { value: s.extensionCap.value, source: s.extensionCap.source },
    extension: extensionDto(s.extension),
    receivedAt: iso(s.receivedAt),
    deemedAccepted: s.deemedAccepted,
    certificate: certificateDto(s.certificate),
    governmentWorkingDays: s.governmentWorkingDays,
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
    statutoryOverdueSteps: v.statutoryOverdueSteps,
    approvalRoute: v.approvalRoute,
    expiries: v.expiries.map((e) => expiryDto(e, v.track)),
    facts: v.facts.map(factDto),
    governmentTime: governmentTimeDto(v.governmentTime),
    version: v.version,
    lastProgressAt: iso(v.lastProgressAt)!,
    suspendedAt: iso(v.suspendedAt),
    closedAt: iso(v.closedAt),
    steps,
  };
}

/** The workflow's view of a project, as the API shows it. */
export function projectFromView(v: ProjectView, ctx?: LedgerContext): ProjectDto {
  const around = surroundingsOf(v, v.steps);
  return projectDto(v, v.steps.map((s) => stepDto(s, around, ctx)));
}

/**
 * A read-model step row, as the API shows it; `around` holds what the row alone does not say (its project's
 * definition, facts and the states of the steps it depends on).
 */
export function stepFromRow(s: ProjectStepEntity, around: StepSurroundings, ctx?: LedgerContext): StepDto {
  const statutory = statutoryOfRow(s);
  return stepDto(
    {
      ...s,
      ...statutory,
      key: s.stepKey,
      limit: { value: s.limitValue, unit: s.limitUnit },
      certificate: statutory.certificate ? { ...statutory.certificate, deliveredAt: s.deliveredAt } : null,
    },
    around,
    ctx,
  );
}

/**
 * A read-model project row with its steps, as the API shows it. The row stores `at_risk` and
 * `under_supervision` from its forecast and supervision, so the DTO derives them as for the view.
 */
export function projectFromRow(p: ProjectWithSteps, ctx?: LedgerContext): ProjectDto {
  const stage = STAGE_NAMES.get(`${p.track}:${p.stage}`);
  const around = surroundingsOf(p, p.steps.map((x) => ({ key: x.stepKey, state: x.state })));
  return projectDto(
    {
      ...p,
      investmentYuan: p.investmentYuan === null ? null : canonicalYuan(p.investmentYuan),
      stageName: stage?.name ?? p.stage,
      stageNameZh: stage?.nameZh ?? p.stage,
      projectClocks: p.projectClocks as ProjectClockRecord[],
      forecast: p.forecast as ProjectForecast | null,
      supervision: p.supervision as Supervision | null,
      approvalRoute: p.approvalRoute as ApprovalRoute,
    },
    p.steps.map((s) => stepFromRow(s, around, ctx)),
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
