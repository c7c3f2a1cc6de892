import { allTrackDefinitions, canonicalYuan, type ProjectView, type StepView, type TimelineEntry } from '../../../../libs/domain/index.js';
import type { ProjectStepEntity, ProjectWithSteps, TimelineEntryEntity } from '../../../../libs/persistence/index.js';
import { toShanghaiIso } from '../common/time.js';
import type { ClockStopDto, ProjectDto, StepDto, TimelineEntryDto } from './dto/project.response.js';

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

/** A step of the workflow's view, as the API shows it. */
export function stepFromView(s: StepView): StepDto {
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
    dueAt: null,
    light: null,
    actor: s.actor,
    comment: s.comment,
    waiverDueOn: s.waiverDueOn,
    clockStops: stops(s.clockStops),
    availableActions: s.availableActions,
    updatedAt: iso(s.updatedAt)!,
  };
}

/** The workflow's view of a project, as the API shows it. */
export function projectFromView(v: ProjectView): ProjectDto {
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
    light: null,
    nextDeadline: null,
    version: v.version,
    lastProgressAt: iso(v.lastProgressAt)!,
    suspendedAt: iso(v.suspendedAt),
    closedAt: iso(v.closedAt),
    steps: v.steps.map(stepFromView),
  };
}

/** A read-model step row, as the API shows it. */
export function stepFromRow(s: ProjectStepEntity): StepDto {
  return {
    key: s.stepKey,
    name: s.name,
    nameZh: s.nameZh,
    stage: s.stage,
    department: s.department,
    state: s.state,
    dependsOn: s.dependsOn,
    limit: { value: s.limitValue, unit: s.limitUnit },
    limitSource: s.limitSource,
    limitConfidence: s.limitConfidence,
    assignee: s.assignee,
    readyAt: iso(s.readyAt),
    acceptedAt: iso(s.acceptedAt),
    decidedAt: iso(s.decidedAt),
    dueAt: null,
    light: null,
    actor: s.actor,
    comment: s.comment,
    waiverDueOn: s.waiverDueOn,
    clockStops: stops(s.clockStops),
    availableActions: s.availableActions,
    updatedAt: iso(s.updatedAt)!,
  };
}

/** A read-model project row with its steps, as the API shows it. */
export function projectFromRow(p: ProjectWithSteps): ProjectDto {
  const stage = STAGE_NAMES.get(`${p.track}:${p.stage}`);
  return {
    code: p.code,
    name: p.name,
    track: p.track,
    definition: `${p.track}@${p.definitionVersion}`,
    district: p.district,
    investor: p.investor,
    investmentYuan: p.investmentYuan === null ? null : canonicalYuan(p.investmentYuan),
    signedAt: p.signedAt,
    registeredAt: iso(p.registeredAt)!,
    registeredBy: p.registeredBy,
    stage: p.stage,
    stageName: stage?.name ?? p.stage,
    stageNameZh: stage?.nameZh ?? p.stage,
    status: p.status,
    light: null,
    nextDeadline: null,
    version: p.version,
    lastProgressAt: iso(p.lastProgressAt)!,
    suspendedAt: iso(p.suspendedAt),
    closedAt: iso(p.closedAt),
    steps: p.steps.map(stepFromRow),
  };
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
