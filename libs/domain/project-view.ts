import type { DepartmentKey } from './departments.js';
import type {
  AuxClockRecord,
  ClockDeadline,
  GovernmentTime,
  Light,
  ProjectClockRecord,
  ProjectFact,
  ProjectForecast,
  Supervision,
  ProjectSnapshot,
  ProjectState,
  ProjectStatus,
  StepActionKind,
  StepClockStop,
  StepExtension,
  StepState,
  StepTiers,
} from './project/index.js';
import { notRequiredSteps } from './project/step-groups.js';
import { extensionCapOf, jointGroupOf, statutoryLimitOf, type ApprovalRoute, type Confidence, type LimitUnit, type TrackKey } from './track-definition.js';

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
  /** The unit as the source writes it when it leaves it open (`日`): `limit.unit` is then the district's setting. */
  limitUnitAsWritten: string | null;
  /** The statutory limit (法定时限) and its source; equal to `limit` where the district publishes nothing shorter. */
  statutoryLimit: { value: number; unit: LimitUnit; source: string; confidence: Confidence; unitAsWritten: string | null };
  /** The joint group (Art. 42 ¶2) whose shared limit the step counts against, if any. */
  jointGroup: string | null;
  /** The most an extension may add (working days) and its rule. */
  extensionCap: { value: number; source: string };
  extension: StepExtension | null;
  receivedAt: string | null;
  /** True when acceptance was deemed on receipt (行政许可法 Art. 32). */
  deemedAccepted: boolean;
  /** Past the statutory limit while open (a graver state than red). */
  statutoryOverdue: boolean;
  /** The certificate this step issues (Art. 44), its delivery clock and when it was delivered. */
  certificate: { name: string; nameZh: string; dueOn: string | null; deliveredAt: string | null; outcome: string | null; light: Light | null } | null;
  /** Working days the agency held this step's file (government time). */
  governmentWorkingDays: number | null;
  /**
   * What the step's published clock counts while it has one (accepted): the day it starts (the joint group's first
   * acceptance for a joint step), the limit in its unit and the working days an extension adds. The ledger uses it.
   */
  clockInput: { start: string; limit: number; unit: LimitUnit; extraWorkingDays: number } | null;
  assignee: string | null;
  readyAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  actor: string | null;
  comment: string | null;
  waiverDueOn: string | null;
  clockStops: StepClockStop[];
  /** The clock's planned deadline (null before acceptance or until planned). */
  deadline: ClockDeadline | null;
  light: Light | null;
  availableActions: StepActionKind[];
  updatedAt: string;
  /**
   * Present (true) when the step is no longer required: another member of its `any` sub-step group is done. It is
   * `blocked` for good, has no clock or light, and no action is available. Absent for every other step.
   */
  notRequired?: true;
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
  /** Steps past their statutory limit (法定时限). */
  statutoryOverdueSteps: number;
  approvalRoute: ApprovalRoute;
  /** Validities running after decisions (expiry clocks), with their renewals. */
  expiries: AuxClockRecord[];
  /** Facts recorded from outside (`POST /events`). */
  facts: ProjectFact[];
  /** Government time (政府审批用时), null until first computed. */
  governmentTime: GovernmentTime | null;
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
  const notRequired = notRequiredSteps(def, (k) => snap.steps.find((s) => s.key === k)!.state);
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
    statutoryOverdueSteps: snap.steps.filter((r) => r.statutoryOverdue && (r.state === 'in_review' || r.state === 'supplement_requested')).length,
    approvalRoute: snap.approvalRoute,
    expiries: snap.auxClocks.filter((c) => c.kind === 'expiry'),
    facts: snap.facts,
    governmentTime: snap.governmentTime,
    steps: def.steps.map((d) => {
      const rec = snap.steps.find((s) => s.key === d.key)!;
      const st = statutoryLimitOf(d);
      const group = jointGroupOf(def, d.key);
      const cert = snap.auxClocks.find((c) => c.id === `certificate:${d.key}`);
      const cap = group ? { value: group.extension.value, source: group.extension.source } : extensionCapOf(d, snap.approvalRoute);
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
        limitUnitAsWritten: d.limit.unitAsWritten ?? null,
        statutoryLimit: group
          ? { value: group.limit.value, unit: group.limit.unit, source: group.limit.source, confidence: group.limit.confidence, unitAsWritten: null }
          : { value: st.value, unit: st.unit, source: st.source, confidence: st.confidence, unitAsWritten: st.unitAsWritten ?? null },
        jointGroup: group?.key ?? null,
        extensionCap: { value: cap.value, source: cap.source },
        extension: group ? (snap.jointExtensions[group.key] ?? null) : rec.extension,
        receivedAt: rec.receivedAt,
        deemedAccepted: rec.deemedAccepted,
        statutoryOverdue: rec.statutoryOverdue,
        certificate: d.certificate
          ? { name: d.certificate.name, nameZh: d.certificate.nameZh, dueOn: cert?.deadline?.dueOn ?? null, deliveredAt: rec.deliveredAt, outcome: cert?.outcome ?? null, light: cert?.endedAt === null ? cert.light : null }
          : null,
        governmentWorkingDays: snap.governmentTime?.perStep[d.key] ?? null,
        clockInput: rec.acceptedAt === null ? null : clockInputOf(state.stepTiers(d, rec)),
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
        ...(notRequired.has(d.key) ? { notRequired: true as const } : {}),
      };
    }),
  };
}

/** The published clock's input from a step's tiers (see ProjectState.stepTiers). */
function clockInputOf(t: StepTiers): StepView['clockInput'] {
  return { start: t.start, limit: t.published.value, unit: t.published.unit, extraWorkingDays: t.extra };
}
