import type { IsoDate, WorkingDayCalendar } from '../../../../libs/calendar/index.js';
import {
  computeGovernmentTime,
  dependencySatisfied,
  FACT_NAMES,
  findTrackDefinition,
  isStepDone,
  memoOverTracks,
  notRequiredSteps,
  statutoryDueOf,
  stepLedger,
  type AuxClockRecord,
  type ClockDeadline,
  type StepClockStop,
  type ExpiryDefinition,
  type FactKind,
  type GovernmentTime,
  type ProjectClockRecord,
  type ProjectDeadlineDefinition,
  type ProjectFact,
  type ProjectForecast,
  type ProjectView,
  type StepExtension,
  type StepState,
  type StepView,
  type Supervision,
  type TimelineEntry,
  type TrackKey,
} from '../../../../libs/domain/index.js';
import {
  projectViewOfRow,
  stepViewOfRow,
  type ProjectStepEntity,
  type ProjectWithSteps,
  type TimelineEntryEntity,
} from '../../../../libs/persistence/index.js';
import { toShanghaiIso } from '../common/time.js';
import type {
  AwaitedFactDto,
  CertificateDto,
  ClockStopDto,
  ExpiryDto,
  ForecastDto,
  GovernmentTimeDto,
  ProjectDeadlineDto,
  ProjectDto,
  ProjectFactDto,
  StepDto,
  StepExtensionDto,
  SupervisionDto,
  TimelineEntryDto,
} from './dto/project.response.js';

/*
 * Response mappers of the projects API: the workflow's view of a project (live) and the read model's rows (read back
 * into the same view by libs/persistence) become one DTO through one builder per shape, so both answer alike. The
 * rules (the ledger, the statutory deadline) are the domain's; this file chooses and formats the fields.
 */

function forecastDto(v: ProjectForecast | null): ForecastDto | null {
  if (!v) return null;
  return { finishOn: v.finishOn, atRisk: v.atRisk, reason: v.reason, slackWorkingDays: v.slackWorkingDays, deadlines: v.deadlines, computedAt: iso(v.computedAt)! };
}

function supervisionDto(v: Supervision | null): SupervisionDto | null {
  if (!v) return null;
  return { step: v.step, department: v.department, since: iso(v.since)!, by: v.by, comment: v.comment };
}

/** The calendar and the day (Asia/Shanghai) the ledger numbers are computed for. */
export interface LedgerContext {
  calendar: WorkingDayCalendar;
  today: IsoDate;
}

function deadlineFields(dl: ClockDeadline | null): { dueOn: string | null; dueAt: string | null; provisional: boolean } {
  return { dueOn: dl?.dueOn ?? null, dueAt: iso(dl?.dueAt ?? null), provisional: dl?.provisional ?? false };
}

/** Project deadline definitions of every released track (shipped and published), by track (a key means the same deadline in every version). */
const PROJECT_DEADLINES = memoOverTracks((defs) => {
  const byTrack = new Map<TrackKey, ProjectDeadlineDefinition[]>();
  for (const d of defs) byTrack.set(d.track, [...(byTrack.get(d.track) ?? []), ...d.projectDeadlines]);
  return byTrack;
});

function projectDeadlines(clocks: ProjectClockRecord[], track: TrackKey): ProjectDeadlineDto[] {
  const defs = PROJECT_DEADLINES().get(track) ?? [];
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

function statutoryDueFields(d: ClockDeadline | null): { statutoryDueOn: string | null; statutoryDueAt: string | null } {
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

function certificateDto(c: StepView['certificate']): CertificateDto | null {
  if (!c) return null;
  return { name: c.name, nameZh: c.nameZh, dueOn: c.dueOn, deliveredAt: iso(c.deliveredAt), outcome: c.outcome, light: c.light };
}

/** Expiry definitions of every released track (shipped and published), by `track:key` (a key means the same validity in every version). */
const EXPIRY_DEFINITIONS = memoOverTracks(
  (defs) => new Map<string, ExpiryDefinition>(defs.flatMap((d) => d.steps.flatMap((s) => (s.expiries ?? []).map((e) => [`${d.track}:${e.key}`, e] as const)))),
);

function expiryDto(c: AuxClockRecord, track: TrackKey): ExpiryDto {
  const def = EXPIRY_DEFINITIONS().get(`${track}:${c.key}`);
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

/** Facts each step of every released track (shipped and published) waits for (`requiresFacts`), by `track@version:step`. */
const REQUIRED_FACTS = memoOverTracks(
  (defs) =>
    new Map<string, readonly FactKind[]>(
      defs.flatMap((d) => d.steps.filter((s) => (s.requiresFacts ?? []).length > 0).map((s) => [`${d.track}@${d.version}:${s.key}`, s.requiresFacts!] as const)),
    ),
);

/**
 * What a step is read against beyond its own fields, so the view and the read model answer alike: its project's
 * track and pinned definition version (which facts the step waits for), the facts the project has recorded, and the
 * state of each step it depends on.
 */
export interface StepSurroundings {
  track: TrackKey;
  definitionVersion: number;
  facts: Array<Pick<ProjectFact, 'kind' | 'occurredAt'>>;
  dependencyStates: Record<string, StepState>;
}

/** The surroundings of every step of a project, from its facts and its steps' states. */
function surroundingsOf(p: ProjectView): StepSurroundings {
  return { track: p.track, definitionVersion: p.definitionVersion, facts: p.facts, dependencyStates: Object.fromEntries(p.steps.map((s) => [s.key, s.state])) };
}

/**
 * Why a step is held back: while it is blocked, its dependencies not yet satisfied (steps not approved, delivered or
 * waived; sub-step groups not satisfied, read with the pinned definition); and every fact its pinned definition makes
 * it wait for (e.g. the land title waits for the land price paid in full, 不动产登记暂行条例实施细则 Art. 34), with
 * whether the project has it and when it happened. A blocked step no longer required (the other way through its `any`
 * group is done) is held back by nothing and says `notRequired`; that needs every step's state in the surroundings
 * (a project's, not a task row's, where a blocked step never appears).
 */
function holdsOf(s: StepView, around: StepSurroundings): { blockedBy: string[]; waitsFor: AwaitedFactDto[]; notRequired?: true } {
  const def = s.state === 'blocked' ? findTrackDefinition(around.track, around.definitionVersion) : undefined;
  const stateOf = (k: string): StepState => around.dependencyStates[k] ?? 'blocked';
  const notRequired = def?.stepGroups?.length ? notRequiredSteps(def, stateOf).has(s.key) : false;
  const blockedBy = s.state === 'blocked' && !notRequired ? s.dependsOn.filter((d) => !dependencySatisfied(def ?? {}, d, (k) => isStepDone(stateOf(k)))) : [];
  const waitsFor = (REQUIRED_FACTS().get(`${around.track}@${around.definitionVersion}:${s.key}`) ?? []).map((kind): AwaitedFactDto => {
    const fact = around.facts.find((f) => f.kind === kind);
    return { kind, name: FACT_NAMES[kind].name, nameZh: FACT_NAMES[kind].nameZh, satisfied: fact !== undefined, at: fact ? iso(fact.occurredAt) : null };
  });
  return { blockedBy, waitsFor, ...(notRequired ? { notRequired: true as const } : {}) };
}


const iso = (v: Date | string | null): string | null => toShanghaiIso(v);
const stops = (clockStops: StepClockStop[]): ClockStopDto[] =>
  clockStops.map((c) => ({
    stoppedAt: iso(c.stoppedAt)!,
    resumedAt: iso(c.resumedAt),
    reason: c.reason,
    ...(c.kind === undefined ? {} : { kind: c.kind }),
    ...(c.noticeOn === undefined ? {} : { noticeOn: c.noticeOn }),
  }));

/**
 * The one step DTO builder: a step's view (from the workflow, or read back from its row) with what it is read against
 * and, given a calendar and a day, its ledger (the domain's `stepLedger`).
 */
function stepDto(s: StepView, around: StepSurroundings, ctx: LedgerContext | undefined): StepDto {
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
    ledger: ctx ? stepLedger(s, ctx.today, ctx.calendar) : null,
    actor: s.actor,
    comment: s.comment,
    waiverDueOn: s.waiverDueOn,
    clockStops: stops(s.clockStops),
    availableActions: s.availableActions,
    updatedAt: iso(s.updatedAt)!,
  };
}

/** The one project DTO builder: a project's view with its steps (see {@link stepDto}). */
function projectDto(v: ProjectView, ctx: LedgerContext | undefined): ProjectDto {
  const around = surroundingsOf(v);
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
    steps: v.steps.map((s) => stepDto(s, around, ctx)),
    ...stepGroupsOf(v),
  };
}

/** The pinned definition's sub-step groups (`stepGroups`), when it has any; nothing for a definition without. */
function stepGroupsOf(v: ProjectView): Pick<ProjectDto, 'stepGroups'> {
  const groups = findTrackDefinition(v.track, v.definitionVersion)?.stepGroups ?? [];
  return groups.length === 0 ? {} : { stepGroups: groups.map((g) => ({ key: g.key, name: g.name, nameZh: g.nameZh, mode: g.mode, steps: [...g.steps] })) };
}

/**
 * A project row as a list shows it with view=basic: the fields of {@link projectFromRow} but the steps and sub-step
 * groups, which the row's own columns do not need (`p.steps` may be empty: they are not read).
 */
export function projectBasicFromRow(p: ProjectWithSteps): Omit<ProjectDto, 'steps' | 'stepGroups'> {
  const { steps: _steps, stepGroups: _groups, ...basic } = projectDto(projectViewOfRow(p), undefined);
  return basic;
}

/** The workflow's view of a project, as the API shows it; with `ctx`, each step's ledger as of `ctx.today`. */
export function projectFromView(v: ProjectView, ctx?: LedgerContext): ProjectDto {
  return projectDto(v, ctx);
}

/**
 * A read-model step row, as the API shows it; `around` holds what the row alone does not say (its project's
 * definition, facts and the states of the steps it depends on).
 */
export function stepFromRow(s: ProjectStepEntity, around: StepSurroundings, ctx?: LedgerContext): StepDto {
  return stepDto(stepViewOfRow(s), around, ctx);
}

/** A read-model project row with its steps, as the API shows it (the row read back into the project's view). */
export function projectFromRow(p: ProjectWithSteps, ctx?: LedgerContext): ProjectDto {
  return projectDto(projectViewOfRow(p), ctx);
}

/**
 * A project's government time (政府审批用时) counted to `ctx.today` (Asia/Shanghai), from its read-model row: the
 * domain's computeGovernmentTime over the row's steps on `ctx.calendar` (steps accepted after that day count nothing,
 * steps decided after it count up to it). The row holds the figure the workflow last computed (as of its last day);
 * this one is for a report counted to another day. Null for a project signed after the day; the row's own figure
 * when its track definition is not known to this process.
 * @throws CalendarError for years the calendar cannot serve
 */
export function governmentTimeOfRow(p: ProjectWithSteps, ctx: LedgerContext): GovernmentTimeDto | null {
  const view = projectViewOfRow(p);
  if (view.signedAt > ctx.today) return null;
  const def = findTrackDefinition(view.track, view.definitionVersion);
  return governmentTimeDto(def ? computeGovernmentTime(def, view, ctx.calendar, ctx.today) : view.governmentTime);
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
