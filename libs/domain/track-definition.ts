import type { ReminderPolicy } from '../calendar/index.js';
import { DEPARTMENTS, type DepartmentKey } from './departments.js';
import { DomainError, DomainErrorCode } from './errors.js';

/** Tracks a project can follow (DESIGN.md §4). */
export type TrackKey = 'standard' | 'bonded_zone';

/** Unit of a time limit: working days on the official calendar, or calendar days. */
export type LimitUnit = 'working_days' | 'calendar_days';

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
  /** Keys of the steps that must be approved or waived before this one becomes `ready`. */
  dependsOn: string[];
  limit: TimeLimit;
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
  /** A hard deadline the at-risk forecast checks (issue 5). */
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
  /** Reminder and escalation thresholds of the track's step clocks (issue 4). */
  reminderPolicy: ReminderPolicy;
  /** The project's own deadlines. */
  projectDeadlines: ProjectDeadlineDefinition[];
  /** Per signing year, targets (`MM-DD`) of fixed project deadlines that differ from the definition's. */
  yearPlans?: Record<number, Record<string, string>>;
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
  for (const step of def.steps) {
    for (const dep of step.dependsOn) {
      if (!stepKeys.has(dep)) problems.push(`step '${step.key}' depends on unknown step '${dep}'`);
      if (dep === step.key) problems.push(`step '${step.key}' depends on itself`);
    }
    if (new Set(step.dependsOn).size !== step.dependsOn.length) problems.push(`step '${step.key}' lists a dependency twice`);
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

  const order = topologicalOrder(def.steps);
  if (order === null) throw invalid(def, [`the dependencies contain a cycle: ${findCycle(def.steps).join(' → ')}`]);

  const ancestors = ancestorsOf(def.finalStep, def.steps);
  const orphans = def.steps.filter((s) => s.key !== def.finalStep && !ancestors.has(s.key)).map((s) => s.key);
  if (orphans.length > 0) problems.push(`steps not leading to the final step '${def.finalStep}': ${orphans.join(', ')}`);
  if (problems.length > 0) throw invalid(def, problems);

  return deepFreeze({
    ...def,
    steps: order.map((s) => ({ ...s, dependsOn: [...s.dependsOn], limit: { ...s.limit } })),
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

function ancestorsOf(key: string, steps: StepDefinition[]): Set<string> {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const seen = new Set<string>();
  const stack = [...(byKey.get(key)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...(byKey.get(k)?.dependsOn ?? []));
  }
  return seen;
}

/** `track@version`, the id a project pins. */
export function definitionId(def: Pick<TrackDefinition, 'track' | 'version'>): string {
  return `${def.track}@${def.version}`;
}
