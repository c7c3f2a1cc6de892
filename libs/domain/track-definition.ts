import type { LimitUnit, ReminderPolicy } from '../calendar/index.js';
import { DEPARTMENTS, type DepartmentKey } from './departments.js';
import { DomainError, DomainErrorCode } from './errors.js';

/**
 * Key of a track a project can follow (DESIGN.md §4), e.g. `standard`: tracks are data, so the set is open (the
 * shipped definitions plus those published at run time). A key matches {@link TRACK_KEY_PATTERN}; check foreign
 * input with {@link isTrackKey}. No code path branches on a key: behaviour comes from the definition.
 */
export type TrackKey = string;

/** A track key: snake_case, a lowercase letter then 1–31 lowercase letters, digits or underscores (2–32 characters, the read model's column). */
export const TRACK_KEY_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;

/** Whether `value` is a well-formed track key ({@link TRACK_KEY_PATTERN}); it says nothing of whether such a track exists. */
export function isTrackKey(value: unknown): value is TrackKey {
  return typeof value === 'string' && TRACK_KEY_PATTERN.test(value);
}

/** Unit of a time limit: the calendar's (working days on the official calendar, or calendar days). */
export type { LimitUnit };

/** How sure we are of a shipped limit (see ../shared/research/statutory-limits.md). */
export type Confidence = 'high' | 'medium' | 'low';

/** A step's time limit, counted from acceptance (受理), with the rule it comes from. */
export interface TimeLimit {
  /** Number of days, 1–3650. */
  value: number;
  unit: LimitUnit;
  /** Law and article, or the district's published list, the figure follows. */
  source: string;
  confidence: Confidence;
  /**
   * The unit exactly as the source writes it when the source leaves it open, e.g. `日` (建筑法 Art. 8 "七日",
   * 环境影响评价法 Art. 22 "六十日"): `unit` is then the district's setting for this step, not the statute's
   * (research note §2.1 Art. 82, §3 item 10). Absent when the source states the unit.
   */
  unitAsWritten?: string;
}

/** How a project is brought into the investment system: 备案 (filing, the normal route) or 核准 (approval, catalogue projects). */
export type ApprovalRoute = 'filing' | 'approval';
export const APPROVAL_ROUTES: readonly ApprovalRoute[] = ['filing', 'approval'];

/**
 * How far a department head may extend a running step's limit, once (延期): 行政许可法 Art. 42 ¶1 gives 10
 * working days; the project approval regulation Art. 10 gives 40 for 核准. `route` limits a cap to one route.
 */
export interface ExtensionCap {
  value: number;
  unit: 'working_days';
  source: string;
  route?: ApprovalRoute;
}

/** The default extension cap of 行政许可法 Art. 42 ¶1. */
export const DEFAULT_EXTENSION_CAP: ExtensionCap = Object.freeze({
  value: 10,
  unit: 'working_days',
  source: '行政许可法 Art. 42 ¶1: the head of the agency may extend by 10 working days, the applicant told the reason',
});

/**
 * A certificate handed over after the decision (送达, 行政许可法 Art. 44: within 10 working days of the
 * decision). The step is `approved` at the decision and `delivered` at the hand-over.
 */
export interface CertificateDefinition {
  name: string;
  nameZh: string;
  limit: TimeLimit;
}

/** Art. 44's delivery limit: 10 working days from the decision. */
export const ART_44_DELIVERY: TimeLimit = Object.freeze({
  value: 10,
  unit: 'working_days',
  source: '行政许可法 Art. 44: certificate issued and delivered within 10 working days of the decision',
  confidence: 'high',
});

/**
 * A validity that runs after a decision and lapses unless the work it allows starts (expiry clock): e.g. a
 * project approval lapses 2 years after the decision if groundbreaking has not happened. Counted in calendar
 * months per 民法典 Art. 202 (the corresponding day of the last month, or its last day), moved to the next
 * working day when that day is a holiday (Art. 203).
 */
export interface ExpiryDefinition {
  key: string;
  name: string;
  nameZh: string;
  /** Months from the decision day (or from the land contract's terms, see `contractTerm`). */
  months: number;
  /** Take the months from the land contract's terms given when the step was approved, when given. */
  contractTerm?: 'preparation' | 'build';
  /** The validity is used up (ends, met) when this step is approved. */
  endsAtStep: string;
  /** How many renewals (延续/延期) the issuing department may grant, and at most how many months each. */
  renewals: { max: number; maxMonths: number };
  /** Working days before the lapse at which the reminder (yellow) goes out: the renewal must be applied for in time. */
  remindWorkingDaysBefore: number;
  /** Only for projects on this route (e.g. 核准's 2 years). */
  route?: ApprovalRoute;
  source: string;
  confidence: Confidence;
}

/** A fact that comes from outside the departments' steps (`POST /events`), e.g. the land price paid in full. */
export type FactKind = 'land_price_paid';
export const FACT_KINDS: readonly FactKind[] = ['land_price_paid'];

/**
 * Event types other systems send (`POST /events`), in contract order: the keys an event mapping may name.
 * A track's definition may map them to its steps ({@link TrackDefinition.eventMappings}).
 */
export const INBOUND_EVENT_TYPES = [
  'project_filed',
  'land_contract_signed',
  'land_price_paid',
  'land_title_registered',
  'planning_permit_issued',
  'eia_approved',
  'construction_permit_issued',
  'customs_acceptance_passed',
] as const;
export type InboundEventType = (typeof INBOUND_EVENT_TYPES)[number];

/**
 * What an inbound event of one type does on a track: `fact` records the named fact (which steps may wait for);
 * `approve` brings the step to approved through an officer's accept and approve, back-dated to when the event
 * happened; `deliver` approves, then delivers the step's certificate when it issues one. `data`: the event's data
 * fields the effect passes on; `source`: the document or practice the effect follows.
 */
export type EventMappingDefinition =
  | { effect: 'fact'; fact: FactKind; data: string[]; source: string }
  | { effect: 'approve' | 'deliver'; step: string; data: string[]; source: string };

/**
 * What each fact is called. land_price_paid: the land price (土地出让价款) paid in full, which the real-estate
 * registration of the land title waits for (不动产登记暂行条例实施细则 Art. 34: proof of payment of the land price).
 */
export const FACT_NAMES: Readonly<Record<FactKind, { name: string; nameZh: string }>> = Object.freeze({
  land_price_paid: { name: 'land price paid in full', nameZh: '土地出让价款缴清' },
});

/**
 * Steps handled jointly (统一办理、联合办理、集中办理, 行政许可法 Art. 26, 42 ¶2): they share one limit counted
 * from the first acceptance among them, 45 working days, extendable once by 15 with the approval of the
 * district government.
 */
export interface JointGroupDefinition {
  key: string;
  name: string;
  nameZh: string;
  steps: string[];
  /** The statutory joint limit (45 working days). */
  limit: TimeLimit;
  /** The district's published, shorter joint limit, if any; the lights run on it. */
  publishedLimit?: TimeLimit;
  /** The one extension and who approves it. */
  extension: { value: number; unit: 'working_days'; source: string };
}

/**
 * How a sub-step group is satisfied: `all` its steps done (e.g. the fire and civil-defence sign-offs that must all
 * pass before acceptance), or `any` one of them (e.g. a soil risk assessment concluding no remediation is needed,
 * OR remediation with its effect evaluation).
 */
export type StepGroupMode = 'all' | 'any';
export const STEP_GROUP_MODES: readonly StepGroupMode[] = ['all', 'any'];

/**
 * A sub-step group (子事项组): steps that a dependency names together by the group's key. A step whose `dependsOn`
 * names the group waits until the group is satisfied: every member done (`all`), or at least one (`any`); done
 * means approved, delivered or waived, as for a step. Members are steps only (not other groups). In an `any`
 * group, once one member is done the others are no longer required: they never become ready, a running one is
 * withdrawn (its clock closed), and neither lights, the stuck list nor the forecast count them (see
 * `requiredSteps` in project/step-groups.ts).
 */
export interface StepGroupDefinition {
  /** Stable key, snake_case; distinct from every step key, so that `dependsOn` can name it. */
  key: string;
  name: string;
  nameZh: string;
  mode: StepGroupMode;
  /** Keys of the member steps (at least one). */
  steps: string[];
}

/**
 * A promise about government time (政府审批用时): the working days agencies held the file, over the steps up
 * to `untilStep`, e.g. Zhejiang's 100 days before groundbreaking.
 */
export interface GovernmentTimePromise {
  key: string;
  name: string;
  nameZh: string;
  /** The promise covers this step and every step it depends on, directly or not. */
  untilStep: string;
  limit: TimeLimit;
}

/** A stage of a track (e.g. 立项用地规划许可). Stages are ordered; a project is in the earliest open one. */
export interface StageDefinition {
  key: string;
  name: string;
  nameZh: string;
}

/** One approval step of a track. */
export interface StepDefinition {
  /** Stable key, snake_case; part of URLs (`/steps/{key}/actions`). */
  key: string;
  name: string;
  nameZh: string;
  /** Key of the stage it belongs to. */
  stage: string;
  /** Department whose officers act on it. */
  department: DepartmentKey;
  /**
   * Keys of the steps that must be approved or waived before this one becomes `ready`, or of sub-step groups
   * ({@link StepGroupDefinition}) that must be satisfied.
   */
  dependsOn: string[];
  /**
   * The district's published limit (承诺时限, 优化营商环境条例 Art. 35), counted from acceptance (受理): lights and
   * reminders run on it. Where the district publishes nothing shorter, it is the statutory limit.
   */
  limit: TimeLimit;
  /** The statutory limit (法定时限); passing it is `statutory_overdue`. Default: `limit`. */
  statutoryLimit?: TimeLimit;
  /** Extension caps (延期); default {@link DEFAULT_EXTENSION_CAP}. */
  extensionCaps?: ExtensionCap[];
  /** The certificate delivered after approval (Art. 44), if the step issues one. */
  certificate?: CertificateDefinition;
  /** Validities that run after the decision and lapse (expiry clocks). */
  expiries?: ExpiryDefinition[];
  /**
   * Why the step's time is not government time (政府审批用时): it is the applicant's own work (construction, the
   * builder's completion acceptance and filing, production) or a statutory sale procedure (the land auction,
   * excluded under 行政许可法 Art. 45). Absent: an agency holds the file from acceptance to decision.
   */
  notGovernmentTime?: string;
  /** Facts that must be recorded (`POST /events`) before the step becomes ready, e.g. the land price paid. */
  requiresFacts?: FactKind[];
  /** Whether 容缺 (waiver of missing material) may close it. Default true. */
  waivable?: boolean;
  /** Overrides of the track's reminder policy for this step. */
  reminderPolicy?: Partial<ReminderPolicy>;
  /**
   * Time the at-risk forecast allows for the step from ready to done, when it is not its limit: e.g. the
   * construction period, or 1 working day for confirming a groundbreaking the permits already allow.
   */
  forecastDuration?: { value: number; unit: LimitUnit; source: string };
}

/**
 * A deadline of the project itself, from one step's decision to another's, e.g. groundbreaking within 90
 * calendar days of the land contract (拿地即开工), with grades for how fast it went.
 */
export interface ProjectDeadlineDefinition {
  key: string;
  name: string;
  nameZh: string;
  /** The clock starts on the day this step is approved or waived; null: at registration. */
  fromStep: string | null;
  /** The clock ends when this step is approved. */
  toStep: string;
  /** A limit counted from the start… */
  limit?: TimeLimit;
  /**
   * …or a fixed day of the signing year (`MM-DD`), e.g. 12-31 for 当年开工、当年竣工、当年验收; a year plan of the
   * track may move it. A fixed day is not moved off a holiday: the year end is the year end.
   */
  target?: { monthDay: string; source: string; confidence: Confidence };
  /** A hard deadline: the at-risk forecast checks whether the remaining work fits before it. */
  hard?: boolean;
  /** Ascending: the first whose `maxDays` (calendar days from start to end) is not exceeded gives the grade. */
  grades: Array<{ maxDays: number; grade: string }>;
  /** Grade when every `maxDays` is exceeded. */
  lateGrade: string;
}

/** A versioned track definition: data, validated when loaded; a project pins `track@version` at start. */
export interface TrackDefinition {
  track: TrackKey;
  /** Positive integer; bump it for any change a running project must not see. */
  version: number;
  name: string;
  nameZh: string;
  stages: StageDefinition[];
  steps: StepDefinition[];
  /** The step whose approval completes the project (e.g. groundbreaking 开工). */
  finalStep: string;
  /** Reminder and escalation thresholds of the track's step clocks (yellow, red, 督办 and its repeats). */
  reminderPolicy: ReminderPolicy;
  /** The project's own deadlines. */
  projectDeadlines: ProjectDeadlineDefinition[];
  /** Per signing year, targets (`MM-DD`) of fixed project deadlines that differ from the definition's. */
  yearPlans?: Record<number, Record<string, string>>;
  /** Steps handled jointly under one limit (Art. 42 ¶2). */
  jointGroups?: JointGroupDefinition[];
  /** Promises about government time (政府审批用时). */
  governmentTimePromises?: GovernmentTimePromise[];
  /** Sub-step groups (all must pass / any may pass) that `dependsOn` may name. */
  stepGroups?: StepGroupDefinition[];
  /**
   * Event mappings (外部事件映射): what each inbound event type does to which step of this track. When present it is
   * the whole mapping of the definition (a type it does not list affects nothing); when absent, the shipped mapping
   * of the track's key applies (tracks/event-mappings.json).
   */
  eventMappings?: Partial<Record<InboundEventType, EventMappingDefinition>>;
}

/** The statutory limit of a step (法定时限): its `statutoryLimit`, else its `limit`. */
export function statutoryLimitOf(step: StepDefinition): TimeLimit {
  return step.statutoryLimit ?? step.limit;
}

/**
 * The extension cap that applies to a step for a project on `route`: the route's own cap, else a cap without a
 * route, else {@link DEFAULT_EXTENSION_CAP} (行政许可法 Art. 42 ¶1, 10 working days).
 */
export function extensionCapOf(step: StepDefinition, route: ApprovalRoute): ExtensionCap {
  const caps = step.extensionCaps ?? [];
  return caps.find((c) => c.route === route) ?? caps.find((c) => c.route === undefined) ?? DEFAULT_EXTENSION_CAP;
}

/** The joint group a step belongs to, if any. */
export function jointGroupOf(def: TrackDefinition, stepKey: string): JointGroupDefinition | undefined {
  return def.jointGroups?.find((g) => g.steps.includes(stepKey));
}

/** The sub-step group `key`, if the definition has one ({@link StepGroupDefinition}). */
export function stepGroupOf(def: Pick<TrackDefinition, 'stepGroups'>, key: string): StepGroupDefinition | undefined {
  return def.stepGroups?.find((g) => g.key === key);
}

/**
 * The step keys a step's dependencies name: each step key as it is, each sub-step group's key replaced by its
 * members, without repeats, in order. For a definition without groups, `dependsOn` itself.
 * @param step the step (only its `dependsOn` is read)
 * @param groups the definition's sub-step groups
 */
export function dependencyStepKeys(step: Pick<StepDefinition, 'dependsOn'>, groups: readonly StepGroupDefinition[] | undefined): string[] {
  if (!groups || groups.length === 0) return step.dependsOn;
  const out = new Set<string>();
  for (const dep of step.dependsOn) for (const k of groups.find((g) => g.key === dep)?.steps ?? [dep]) out.add(k);
  return [...out];
}

/**
 * Whether one dependency (a step key or a sub-step group key) is satisfied: a step when done; a group of mode
 * `all` when every member is done, of mode `any` when at least one is.
 * @param isDone whether a step (by key) is done (approved, delivered or waived)
 */
export function dependencySatisfied(def: Pick<TrackDefinition, 'stepGroups'>, dep: string, isDone: (stepKey: string) => boolean): boolean {
  const group = stepGroupOf(def, dep);
  if (!group) return isDone(dep);
  return group.mode === 'all' ? group.steps.every(isDone) : group.steps.some(isDone);
}

const KEY_PATTERN = /^[a-z][a-z0-9_]{1,63}$/;

/**
 * Checks a track definition: unique stage and step keys of the right shape, known stages and departments,
 * existing dependencies, no cycle, limits within 1–3650 days with a source, and a final step that every
 * other step leads to (so no step is left outside the path to completion).
 *
 * @param def the definition to check
 * @returns the same definition, steps in a topological order (dependencies first), frozen
 * @throws DomainError `DEFINITION.INVALID` naming every problem found
 */
export function validateTrackDefinition(def: TrackDefinition): TrackDefinition {
  const problems: string[] = [];
  if (!Number.isInteger(def.version) || def.version < 1) problems.push(`version must be a positive integer, got ${def.version}`);

  const stageKeys = new Set<string>();
  for (const s of def.stages) {
    if (!KEY_PATTERN.test(s.key)) problems.push(`stage key '${s.key}' must be snake_case`);
    if (stageKeys.has(s.key)) problems.push(`stage key '${s.key}' is used twice`);
    stageKeys.add(s.key);
  }

  const stepKeys = new Set<string>();
  for (const step of def.steps) {
    if (!KEY_PATTERN.test(step.key)) problems.push(`step key '${step.key}' must be snake_case`);
    if (stepKeys.has(step.key)) problems.push(`step key '${step.key}' is used twice`);
    stepKeys.add(step.key);
    if (!stageKeys.has(step.stage)) problems.push(`step '${step.key}' names unknown stage '${step.stage}'`);
    if (!Object.prototype.hasOwnProperty.call(DEPARTMENTS, step.department)) {
      problems.push(`step '${step.key}' names unknown department '${step.department}'`);
    }
    const { limit } = step;
    if (!Number.isInteger(limit.value) || limit.value < 1 || limit.value > 3650) {
      problems.push(`step '${step.key}' has limit ${limit.value}; it must be a whole number of days in 1–3650`);
    }
    if (limit.unit !== 'working_days' && limit.unit !== 'calendar_days') problems.push(`step '${step.key}' has unknown limit unit '${limit.unit}'`);
    if (!limit.source || limit.source.trim().length === 0) problems.push(`step '${step.key}' has a limit without a source`);
  }
  const groupKeys = new Set((def.stepGroups ?? []).map((g) => g.key));
  for (const g of def.stepGroups ?? []) {
    if (stepKeys.has(g.key)) problems.push(`sub-step group key '${g.key}' is also a step key`);
    if (g.steps.length === 0) problems.push(`sub-step group '${g.key}' has no steps`);
    for (const k of g.steps) if (!stepKeys.has(k)) problems.push(`sub-step group '${g.key}' names unknown step '${k}'`);
  }
  for (const step of def.steps) {
    for (const dep of step.dependsOn) {
      if (!stepKeys.has(dep) && !groupKeys.has(dep)) problems.push(`step '${step.key}' depends on unknown step '${dep}'`);
      if (dep === step.key) problems.push(`step '${step.key}' depends on itself`);
    }
    if (new Set(step.dependsOn).size !== step.dependsOn.length) problems.push(`step '${step.key}' lists a dependency twice`);
  }
  for (const step of def.steps) {
    const checkLimit = (what: string, l: TimeLimit) => {
      if (!Number.isInteger(l.value) || l.value < 1 || l.value > 3650) problems.push(`step '${step.key}' has ${what} ${l.value}; it must be a whole number of days in 1–3650`);
      if (l.unit !== 'working_days' && l.unit !== 'calendar_days') problems.push(`step '${step.key}' has ${what} with unknown unit '${l.unit}'`);
      if (!l.source || l.source.trim().length === 0) problems.push(`step '${step.key}' has ${what} without a source`);
    };
    if (step.statutoryLimit) {
      checkLimit('statutory limit', step.statutoryLimit);
      if (step.statutoryLimit.unit === step.limit.unit && step.statutoryLimit.value < step.limit.value) {
        problems.push(`step '${step.key}' publishes ${step.limit.value} days, longer than its statutory ${step.statutoryLimit.value}; a published limit may only shorten the statutory one (优化营商环境条例 Art. 35)`);
      }
    }
    if (step.certificate) checkLimit('certificate limit', step.certificate.limit);
    for (const cap of step.extensionCaps ?? []) {
      if (!Number.isInteger(cap.value) || cap.value < 1 || cap.value > 60) problems.push(`step '${step.key}' has extension cap ${cap.value}; it must be 1–60 working days`);
    }
    for (const e of step.expiries ?? []) {
      if (!KEY_PATTERN.test(e.key)) problems.push(`expiry key '${e.key}' of step '${step.key}' must be snake_case`);
      if (!stepKeys.has(e.endsAtStep)) problems.push(`expiry '${e.key}' of step '${step.key}' ends at unknown step '${e.endsAtStep}'`);
      if (!Number.isInteger(e.months) || e.months < 1 || e.months > 120) problems.push(`expiry '${e.key}' must run 1–120 months`);
    }
  }
  const grouped = new Set<string>();
  for (const g of def.jointGroups ?? []) {
    if (g.steps.length < 2) problems.push(`joint group '${g.key}' needs at least two steps`);
    for (const k of g.steps) {
      if (!stepKeys.has(k)) problems.push(`joint group '${g.key}' names unknown step '${k}'`);
      if (grouped.has(k)) problems.push(`step '${k}' is in two joint groups`);
      grouped.add(k);
    }
  }
  for (const p of def.governmentTimePromises ?? []) {
    if (!stepKeys.has(p.untilStep)) problems.push(`government-time promise '${p.key}' names unknown step '${p.untilStep}'`);
  }
  if (!stepKeys.has(def.finalStep)) problems.push(`final step '${def.finalStep}' is not a step of the track`);
  for (const pd of def.projectDeadlines ?? []) {
    if (pd.fromStep !== null && !stepKeys.has(pd.fromStep)) problems.push(`project deadline '${pd.key}' starts at unknown step '${pd.fromStep}'`);
    if (!stepKeys.has(pd.toStep)) problems.push(`project deadline '${pd.key}' ends at unknown step '${pd.toStep}'`);
    if ((pd.limit === undefined) === (pd.target === undefined)) problems.push(`project deadline '${pd.key}' needs exactly one of limit or target`);
    if (pd.target && !/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(pd.target.monthDay)) problems.push(`project deadline '${pd.key}' has target '${pd.target.monthDay}', not MM-DD`);
  }
  for (const [year, plan] of Object.entries(def.yearPlans ?? {})) {
    for (const [key, monthDay] of Object.entries(plan)) {
      if (!(def.projectDeadlines ?? []).some((d) => d.key === key && d.target)) problems.push(`year plan ${year} names '${key}', which is not a fixed project deadline`);
      if (!/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(monthDay)) problems.push(`year plan ${year} has '${monthDay}' for '${key}', not MM-DD`);
    }
  }
  if (problems.length > 0) throw invalid(def, problems);

  const expanded = def.steps.map((s) => ({ ...s, dependsOn: dependencyStepKeys(s, def.stepGroups) }));
  const expandedOrder = topologicalOrder(expanded);
  if (expandedOrder === null) throw invalid(def, [`the dependencies contain a cycle: ${findCycle(expanded).join(' → ')}`]);
  const order = expandedOrder.map((e) => def.steps.find((s) => s.key === e.key)!);

  const ancestors = ancestorsOf(def.finalStep, def.steps, def.stepGroups);
  const orphans = def.steps.filter((s) => s.key !== def.finalStep && !ancestors.has(s.key)).map((s) => s.key);
  if (orphans.length > 0) problems.push(`steps not leading to the final step '${def.finalStep}': ${orphans.join(', ')}`);
  if (problems.length > 0) throw invalid(def, problems);

  return deepFreeze({
    ...def,
    steps: order.map((s) => ({ ...s, dependsOn: [...s.dependsOn], limit: { ...s.limit } })),
    jointGroups: (def.jointGroups ?? []).map((g) => ({ ...g, steps: [...g.steps] })),
    governmentTimePromises: (def.governmentTimePromises ?? []).map((p) => ({ ...p })),
    ...(def.stepGroups ? { stepGroups: def.stepGroups.map((g) => ({ ...g, steps: [...g.steps] })) } : {}),
    stages: def.stages.map((s) => ({ ...s })),
    reminderPolicy: { ...def.reminderPolicy },
    projectDeadlines: (def.projectDeadlines ?? []).map((d) => ({ ...d, grades: d.grades.map((g) => ({ ...g })) })),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function invalid(def: TrackDefinition, problems: string[]): DomainError {
  return new DomainError(DomainErrorCode.DefinitionInvalid, `track definition ${def.track}@${def.version} is invalid: ${problems.join('; ')}`);
}

/** Kahn's algorithm, stable in declaration order; null when there is a cycle. */
function topologicalOrder(steps: StepDefinition[]): StepDefinition[] | null {
  const remaining = new Map(steps.map((s) => [s.key, new Set(s.dependsOn)]));
  const out: StepDefinition[] = [];
  while (remaining.size > 0) {
    const next = steps.find((s) => remaining.has(s.key) && remaining.get(s.key)!.size === 0);
    if (!next) return null;
    remaining.delete(next.key);
    for (const deps of remaining.values()) deps.delete(next.key);
    out.push(next);
  }
  return out;
}

function findCycle(steps: StepDefinition[]): string[] {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (key: string): string[] | null => {
    const at = visiting.indexOf(key);
    if (at >= 0) return [...visiting.slice(at), key];
    if (done.has(key)) return null;
    visiting.push(key);
    for (const dep of byKey.get(key)?.dependsOn ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(key);
    return null;
  };
  for (const s of steps) {
    const cycle = visit(s.key);
    if (cycle) return cycle;
  }
  return [];
}

/**
 * The keys of every step `key` depends on, directly or through others (its ancestors in the dependency graph), not
 * including itself; a sub-step group named in `dependsOn` counts as its member steps (every member, whatever the
 * group's mode); unknown keys are skipped. Terminates on cycles.
 * @param groups the definition's sub-step groups (none: `dependsOn` names steps only)
 */
export function ancestorsOf(key: string, steps: StepDefinition[], groups?: readonly StepGroupDefinition[]): Set<string> {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const depsOf = (k: string) => {
    const s = byKey.get(k);
    return s ? dependencyStepKeys(s, groups) : [];
  };
  const seen = new Set<string>();
  const stack = [...depsOf(key)];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...depsOf(k));
  }
  return seen;
}

/** `track@version`, the id a project pins. */
export function definitionId(def: Pick<TrackDefinition, 'track' | 'version'>): string {
  return `${def.track}@${def.version}`;
}
