import type { DepartmentKey } from './departments.js';
import type { ClockDeadline, ClockStop, Light, ProjectClockRecord, ProjectForecast, Supervision, ProjectSnapshot, ProjectState, ProjectStatus, StepActionKind, StepState } from './project-state.js';
import type { Confidence, LimitUnit, TrackKey } from './track-definition.js';

/** A step as clients see it: its definition joined with its live record. Instants ISO 8601, dates YYYY-MM-DD. */
export interface StepView {
  key: string;
  name: string;
  nameZh: string;
  stage: string;
  department: DepartmentKey;
  state: StepState;
  dependsOn: string[];
  limit: { value: number; unit: LimitUnit };
  limitSource: string;
  limitConfidence: Confidence;
  assignee: string | null;
  readyAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  actor: string | null;
  comment: string | null;
  waiverDueOn: string | null;
  clockStops: ClockStop[];
  /** The clock's planned deadline (null before acceptance or until planned). */
  deadline: ClockDeadline | null;
  light: Light | null;
  availableActions: StepActionKind[];
  updatedAt: string;
}

/** A project as clients see it (the Query's answer and what the read model stores). */
export interface ProjectView {
  code: string;
  name: string;
  track: TrackKey;
  definitionVersion: number;
  district: string;
  investor: string | null;
  investmentYuan: string | null;
  signedAt: string;
  registeredAt: string;
  registeredBy: string;
  stage: string;
  stageName: string;
  stageNameZh: string;
  status: ProjectStatus;
  version: number;
  lastProgressAt: string;
  suspendedAt: string | null;
  closedAt: string | null;
  light: Light;
  nextDeadline: string | null;
  projectClocks: ProjectClockRecord[];
  forecast: ProjectForecast | null;
  supervision: Supervision | null;
  /** Steps whose light is red. */
  overdueSteps: number;
  steps: StepView[];
}

/**
 * Joins a project's live state with its pinned definition, steps in the definition's order.
 * @param state the project's state machine
 * @returns the view; a deep copy, safe to hand out
 */
export function toProjectView(state: ProjectState): ProjectView {
  const def = state.definition;
  const snap: ProjectSnapshot = state.snapshot();
  const stage = def.stages.find((s) => s.key === snap.stage)!;
  return {
    code: snap.code,
    name: snap.name,
    track: snap.track,
    definitionVersion: snap.definitionVersion,
    district: snap.district,
    investor: snap.investor,
    investmentYuan: snap.investmentYuan,
    signedAt: snap.signedAt,
    registeredAt: snap.registeredAt,
    registeredBy: snap.registeredBy,
    stage: snap.stage,
    stageName: stage.name,
    stageNameZh: stage.nameZh,
    status: snap.status,
    version: snap.version,
    lastProgressAt: snap.lastProgressAt,
    suspendedAt: snap.suspendedAt,
    closedAt: snap.closedAt,
    light: snap.light,
    nextDeadline: snap.nextDeadline,
    projectClocks: snap.projectClocks,
    forecast: snap.forecast ?? null,
    supervision: snap.supervision ?? null,
    overdueSteps: snap.steps.filter((r) => r.light === 'red').length,
    steps: def.steps.map((d) => {
      const rec = snap.steps.find((s) => s.key === d.key)!;
      return {
        key: d.key,
        name: d.name,
        nameZh: d.nameZh,
        stage: d.stage,
        department: d.department,
        state: rec.state,
        dependsOn: [...d.dependsOn],
        limit: { value: d.limit.value, unit: d.limit.unit },
        limitSource: d.limit.source,
        limitConfidence: d.limit.confidence,
        assignee: rec.assignee,
        readyAt: rec.readyAt,
        acceptedAt: rec.acceptedAt,
        decidedAt: rec.decidedAt,
        actor: rec.actor,
        comment: rec.comment,
        waiverDueOn: rec.waiverDueOn,
        clockStops: rec.clockStops,
        deadline: rec.deadline,
        light: rec.light,
        availableActions: state.availableActions(d.key),
        updatedAt: rec.updatedAt,
      };
    }),
  };
}
