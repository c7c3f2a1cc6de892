import { DEPARTMENTS, type DepartmentKey } from './departments.js';
import { DomainError } from './errors.js';
import { requiredSteps } from './project/step-groups.js';
import {
  ancestorsOf,
  validateTrackDefinition,
  type LimitUnit,
  type StepDefinition,
  type StepGroupDefinition,
  type TimeLimit,
  type TrackDefinition,
} from './track-definition.js';

/**
 * One problem of a track definition: where it is inside the document (`steps[4].dependsOn[0]`, `finalStep`;
 * `(document)` for the text as a whole) and what is wrong, worded for the person who wrote the file.
 */
export interface TrackDefinitionProblem {
  path: string;
  message: string;
}

/** The outcome of loading or checking a definition: the definition (steps in dependency order, frozen), or every problem found. */
export type TrackLoadResult = { ok: true; definition: TrackDefinition } | { ok: false; problems: TrackDefinitionProblem[] };

/**
 * Checks a definition whose format is already known to be right, as a graph ({@link graphProblems}) and by the
 * domain's own check. This is the check of the shipped files (their format is checked by their unit test), and it lives
 * here, apart from the loader with its schema validator and YAML parser: the workflow sandbox evaluates the modules it
 * imports afresh for every workflow run, and those two libraries are some 150 modules a workflow never uses.
 * @param def a document in the track definition format
 * @returns as the track loader's loadTrackDefinition
 * @throws errors other than DomainError (a bug)
 */
export function checkTrackGraph(def: TrackDefinition): TrackLoadResult {
  const problems = graphProblems(def);
  if (problems.length > 0) return { ok: false, problems };
  try {
    return { ok: true, definition: validateTrackDefinition(def) };
  } catch (e) {
    // The domain's own check agrees with the graph's; a refusal here is a check the graph lacks.
    if (e instanceof DomainError) return { ok: false, problems: [{ path: '(definition)', message: e.message }] };
    throw e;
  }
}

/** `path: message`, the form a person reads. */
export function formatProblem(p: TrackDefinitionProblem): string {
  return `${p.path}: ${p.message}`;
}

/**
 * Departments that are not departments of the district government: customs (海关) is managed vertically and
 * answers to the General Administration of Customs (海关法 Art. 3), so the district government can neither organise
 * its licences into joint handling (行政许可法 Art. 26 ¶2: 本级人民政府) nor approve the joint limit's extension
 * (Art. 42 ¶2: 本级人民政府负责人).
 */
export const OUTSIDE_DISTRICT_GOVERNMENT: readonly DepartmentKey[] = ['customs'];

/** Art. 42 ¶2: jointly handled licences at most 45 days (working days, Art. 82), extended once by at most 15. */
const JOINT_LIMIT_MAX_WORKING_DAYS = 45;
const JOINT_EXTENSION_MAX_WORKING_DAYS = 15;

const q = (s: string | null) => JSON.stringify(s);

/**
 * The checks a JSON Schema cannot express, on a definition whose shape the schema already accepted: keys unique,
 * every reference to a stage or step known, departments known, no dependency cycle (each cycle named), joint
 * groups that the law allows to be joint, sub-step groups that are sound ({@link stepGroupProblems}), a published
 * limit no longer than the statutory one, a final step every other step leads to, project deadlines and year plans
 * that name what exists, a finite critical path.
 *
 * @param def a definition of the schema's shape (not yet ordered or frozen)
 * @returns every problem found, each with its path inside the document; empty when the definition is sound
 */
export function graphProblems(def: TrackDefinition): TrackDefinitionProblem[] {
  const out: TrackDefinitionProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });

  const stageAt = firstIndexes(def.stages.map((s) => s.key), 'stages', 'stage key', add);
  const stepAt = firstIndexes(def.steps.map((s) => s.key), 'steps', 'step key', add);
  const stepRef = (path: string, key: string) => {
    if (!stepAt.has(key)) add(path, `unknown step ${q(key)}${suggestion(key, [...stepAt.keys()])}`);
  };
  const groups = def.stepGroups ?? [];
  const groupAt = firstIndexes(groups.map((g) => g.key), 'stepGroups', 'sub-step group key', add);
  const dependencyRef = (path: string, key: string) => {
    if (groups.length === 0) return stepRef(path, key);
    if (!stepAt.has(key) && !groupAt.has(key)) add(path, `unknown step or sub-step group ${q(key)}${suggestion(key, [...stepAt.keys(), ...groupAt.keys()])}`);
  };

  def.steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    if (!stageAt.has(step.stage)) add(`${at}.stage`, `unknown stage ${q(step.stage)}; stages: ${[...stageAt.keys()].join(', ')}`);
    if (!Object.prototype.hasOwnProperty.call(DEPARTMENTS, step.department)) {
      add(`${at}.department`, `unknown department ${q(step.department)}; known: ${Object.keys(DEPARTMENTS).join(', ')}`);
    }
    const seen = new Set<string>();
    step.dependsOn.forEach((dep, j) => {
      const path = `${at}.dependsOn[${j}]`;
      if (dep === step.key) add(path, `step ${q(step.key)} depends on itself`);
      else dependencyRef(path, dep);
      if (seen.has(dep)) add(path, `dependency ${q(dep)} is listed twice`);
      seen.add(dep);
    });
    if (step.statutoryLimit && longerThan(step.limit, step.statutoryLimit)) {
      add(
        `${at}.limit.value`,
        `the published limit (${days(step.limit)}) is longer than the statutory limit (${days(step.statutoryLimit)}); a published limit may only shorten the statutory one (优化营商环境条例 Art. 35)`,
      );
    }
    const routes = new Set<string>();
    (step.extensionCaps ?? []).forEach((cap, j) => {
      const route = cap.route ?? 'any route';
      if (routes.has(route)) add(`${at}.extensionCaps[${j}]`, `a second extension cap for ${route}; give one per route`);
      routes.add(route);
    });
    (step.expiries ?? []).forEach((e, j) => stepRef(`${at}.expiries[${j}].endsAtStep`, e.endsAtStep));
  });
  firstIndexes(
    def.steps.flatMap((s, i) => (s.expiries ?? []).map((e, j) => ({ key: e.key, path: `steps[${i}].expiries[${j}]` }))),
    null,
    'expiry key',
    add,
  );

  stepGroupProblems(def, stepAt, add);

  for (const cycle of dependencyCycles(def.steps, groups)) {
    const path = cycle.fromGroup ? `stepGroups[${groupAt.get(cycle.from)}].steps[${cycle.index}]` : `steps[${stepAt.get(cycle.from)}].dependsOn[${cycle.index}]`;
    add(path, `dependency cycle: ${cycle.keys.join(' → ')} (each depends on the next${groups.length > 0 ? '; a sub-step group on its members' : ''})`);
  }

  jointGroupProblems(def, stepAt, add);

  firstIndexes((def.governmentTimePromises ?? []).map((p) => p.key), 'governmentTimePromises', 'promise key', add);
  (def.governmentTimePromises ?? []).forEach((p, i) => stepRef(`governmentTimePromises[${i}].untilStep`, p.untilStep));

  const deadlines = def.projectDeadlines ?? [];
  firstIndexes(deadlines.map((d) => d.key), 'projectDeadlines', 'project deadline key', add);
  deadlines.forEach((pd, i) => {
    const at = `projectDeadlines[${i}]`;
    if (pd.fromStep !== null) stepRef(`${at}.fromStep`, pd.fromStep);
    stepRef(`${at}.toStep`, pd.toStep);
    if ((pd.limit === undefined) === (pd.target === undefined)) add(at, 'give exactly one of `limit` (days from the start) or `target` (a day MM-DD of the signing year)');
    pd.grades.forEach((g, j) => {
      if (j > 0 && g.maxDays <= pd.grades[j - 1]!.maxDays) add(`${at}.grades[${j}].maxDays`, `grades must ascend: ${g.maxDays} follows ${pd.grades[j - 1]!.maxDays}`);
    });
  });
  for (const [year, plan] of Object.entries(def.yearPlans ?? {})) {
    for (const key of Object.keys(plan)) {
      if (!deadlines.some((d) => d.key === key && d.target)) {
        add(`yearPlans["${year}"].${key}`, `${q(key)} is not a project deadline with a target day; targets: ${deadlines.filter((d) => d.target).map((d) => d.key).join(', ') || 'none'}`);
      }
    }
  }

  eventMappingProblems(def, stepRef, add);

  if (!stepAt.has(def.finalStep)) {
    add('finalStep', `unknown step ${q(def.finalStep)}${suggestion(def.finalStep, [...stepAt.keys()])}`);
  } else if (out.length === 0) {
    const ancestors = ancestorsOf(def.finalStep, def.steps, def.stepGroups);
    def.steps.forEach((s, i) => {
      if (s.key !== def.finalStep && !ancestors.has(s.key)) add(`steps[${i}]`, `step ${q(s.key)} does not lead to the final step ${q(def.finalStep)}: no step depends on it on the way there`);
    });
    if (out.length === 0) {
      const path = criticalPathOf(def);
      if (!Number.isFinite(path.workingDays) || !Number.isFinite(path.calendarDays)) add('steps', 'the critical path to the final step is not finite');
    }
  }
  return out;
}

/**
 * Event mappings: an `approve` or `deliver` names a known step (a `deliver` one that issues a certificate) and no
 * fact; a `fact` names no step. The event types and fact kinds are closed vocabularies the schema checks.
 */
function eventMappingProblems(def: TrackDefinition, stepRef: (path: string, key: string) => void, add: (path: string, message: string) => void): void {
  for (const [type, m] of Object.entries(def.eventMappings ?? {})) {
    if (!m) continue;
    const at = `eventMappings.${type}`;
    if (m.effect === 'fact') {
      if ('step' in m) add(`${at}.step`, 'a "fact" mapping records a fact and acts on no step; give effect "approve" or "deliver" to act on a step');
      continue;
    }
    if ('fact' in m) add(`${at}.fact`, `an "${m.effect}" mapping acts on its step and records no fact; give effect "fact" to record one`);
    const step = def.steps.find((s) => s.key === m.step);
    if (!step) stepRef(`${at}.step`, m.step);
    else if (m.effect === 'deliver' && !step.certificate) add(`${at}.effect`, `step ${q(m.step)} issues no certificate to deliver; give effect "approve"`);
  }
}

/**
 * Joint groups (行政许可法 Art. 26, 42 ¶2): known steps, each in one group only; steps that run side by side (none
 * depends, directly or not, on another of its group: the shared limit runs from the first acceptance, so a step
 * waiting for another would spend the group's time blocked); no mix of customs with the district's departments;
 * the statutory joint limit at most 45 working days and its extension at most 15, the published one no longer than
 * the statutory one. (A filing such as 竣工验收备案 may join: 国办发〔2019〕11号 puts it in the joint acceptance.)
 */
function jointGroupProblems(def: TrackDefinition, stepAt: Map<string, number>, add: (path: string, message: string) => void): void {
  const groups = def.jointGroups ?? [];
  firstIndexes(groups.map((g) => g.key), 'jointGroups', 'joint group key', add);
  const groupOf = new Map<string, number>();
  const byKey = new Map(def.steps.map((s) => [s.key, s]));
  groups.forEach((g, i) => {
    const at = `jointGroups[${i}]`;
    const known: StepDefinition[] = [];
    g.steps.forEach((key, j) => {
      const path = `${at}.steps[${j}]`;
      const step = byKey.get(key);
      if (!step) return add(path, `unknown step ${q(key)}${suggestion(key, [...stepAt.keys()])}`);
      const other = groupOf.get(key);
      if (other === i) return add(path, `step ${q(key)} is listed twice`);
      if (other !== undefined) return add(path, `step ${q(key)} is already in joint group ${q(groups[other]!.key)} (jointGroups[${other}]); a step is handled jointly in one group only`);
      groupOf.set(key, i);
      known.push(step);
    });
    for (const step of known) {
      const ancestors = ancestorsOf(step.key, def.steps, def.stepGroups);
      const waitsFor = known.find((o) => o !== step && ancestors.has(o.key));
      if (waitsFor) {
        add(
          `${at}.steps[${g.steps.indexOf(step.key)}]`,
          `step ${q(step.key)} depends on ${q(waitsFor.key)} of the same joint group; jointly handled steps run side by side under one limit from the first acceptance (行政许可法 Art. 42 ¶2), so none may wait for another`,
        );
      }
    }
    const departments = new Set(known.map((s) => s.department));
    const outside = [...departments].filter((d) => OUTSIDE_DISTRICT_GOVERNMENT.includes(d));
    if (outside.length > 0 && outside.length < departments.size) {
      add(
        `${at}.steps`,
        `mixes ${outside.map((d) => `${d} (${DEPARTMENTS[d].nameZh})`).join(', ')} with the district's departments; ${outside.join(', ')} is managed vertically (海关法 Art. 3), and the district government can neither organise it into joint handling nor approve the joint extension (行政许可法 Art. 26 ¶2, 42 ¶2)`,
      );
    }
    if (g.limit.unit !== 'working_days' || g.limit.value > JOINT_LIMIT_MAX_WORKING_DAYS) {
      add(`${at}.limit`, `the statutory joint limit is at most ${JOINT_LIMIT_MAX_WORKING_DAYS} working days (行政许可法 Art. 42 ¶2, Art. 82), got ${days(g.limit)}`);
    }
    if (g.extension.value > JOINT_EXTENSION_MAX_WORKING_DAYS) {
      add(`${at}.extension.value`, `the joint extension is at most ${JOINT_EXTENSION_MAX_WORKING_DAYS} working days (行政许可法 Art. 42 ¶2), got ${g.extension.value}`);
    }
    if (g.publishedLimit && longerThan(g.publishedLimit, g.limit)) {
      add(`${at}.publishedLimit.value`, `the published joint limit (${days(g.publishedLimit)}) is longer than the statutory one (${days(g.limit)})`);
    }
  });
}

/**
 * Sub-step groups (all must pass / any may pass): a key no step has (`dependsOn` names both), members that are
 * known steps, each listed once, a step an alternative in at most one `any` group (its not-being-required must
 * follow from one group only), and a group some step depends on. Empty groups are refused by the schema
 * (`minItems`); cycles through a group are found with the step cycles.
 */
function stepGroupProblems(def: TrackDefinition, stepAt: Map<string, number>, add: (path: string, message: string) => void): void {
  const groups = def.stepGroups ?? [];
  const anyGroupOf = new Map<string, number>();
  groups.forEach((g, i) => {
    const at = `stepGroups[${i}]`;
    if (stepAt.has(g.key)) add(`${at}.key`, `sub-step group key ${q(g.key)} is also the key of a step (steps[${stepAt.get(g.key)}]); \`dependsOn\` could not tell them apart`);
    if (g.steps.length === 0) add(`${at}.steps`, 'a sub-step group needs at least one step');
    const seen = new Set<string>();
    g.steps.forEach((key, j) => {
      const path = `${at}.steps[${j}]`;
      if (!stepAt.has(key)) return add(path, `unknown step ${q(key)}${suggestion(key, [...stepAt.keys()])}`);
      if (seen.has(key)) return add(path, `step ${q(key)} is listed twice`);
      seen.add(key);
      if (g.mode !== 'any') return;
      const other = anyGroupOf.get(key);
      if (other !== undefined) {
        return add(
          path,
          `step ${q(key)} is already an alternative in the any-group ${q(groups[other]!.key)} (stepGroups[${other}]); a step may be in one group of mode "any" only, so that whether it is still required follows from one group`,
        );
      }
      anyGroupOf.set(key, i);
    });
    if (!def.steps.some((s) => s.dependsOn.includes(g.key))) add(at, `no step depends on sub-step group ${q(g.key)}; name it in a step's dependsOn`);
  });
  // A project deadline must end at a step that is always required: one an `any` group can make unnecessary may never
  // be approved, and the deadline's clock would run (and turn red) for ever.
  const optional = new Map<string, string>();
  for (const g of groups.filter((x) => x.mode === 'any')) {
    for (const member of g.steps) {
      const required = requiredSteps(def, (k) => k === member);
      for (const s of def.steps) if (s.key !== member && !required.has(s.key) && !optional.has(s.key)) optional.set(s.key, g.key);
    }
  }
  (def.projectDeadlines ?? []).forEach((pd, i) => {
    const group = optional.get(pd.toStep);
    if (group !== undefined) {
      add(
        `projectDeadlines[${i}].toStep`,
        `step ${q(pd.toStep)} may not be required (sub-step group ${q(group)} of mode "any" can be satisfied without it), so the deadline might never end; end it at a step that is always required, e.g. ${q(def.finalStep)}`,
      );
    }
  });
}

/**
 * The critical path to the final step (关键路径): the chain of dependencies whose limits add up to the longest
 * time, each step counted at its published limit. Working and calendar days are summed apart (their sum on the
 * official calendar needs a start date); chains are compared at 7 calendar days per 5 working days. A sub-step group
 * named as a dependency takes its members' longest chain (mode `all`: every member must pass) or their shortest
 * (mode `any`: the quickest alternative is enough).
 *
 * @param def a definition without dependency cycles whose final step exists
 * @returns the step keys from the first to the final step, and the working and calendar days along them
 */
export function criticalPathOf(def: TrackDefinition): { steps: string[]; workingDays: number; calendarDays: number } {
  const byKey = new Map(def.steps.map((s) => [s.key, s]));
  type Path = { steps: string[]; workingDays: number; calendarDays: number; weight: number };
  const memo = new Map<string, Path>();
  const longest = (key: string): Path => {
    const known = memo.get(key);
    if (known) return known;
    const step = byKey.get(key)!;
    let best: Path = { steps: [], workingDays: 0, calendarDays: 0, weight: 0 };
    for (const dep of step.dependsOn) {
      const p = viaGroup(dep) ?? longest(dep);
      if (p.weight > best.weight || best.steps.length === 0) best = p;
    }
    const add = { working_days: 0, calendar_days: 0 } as Record<LimitUnit, number>;
    add[step.limit.unit] = step.limit.value;
    const path: Path = {
      steps: [...best.steps, key],
      workingDays: best.workingDays + add.working_days,
      calendarDays: best.calendarDays + add.calendar_days,
      weight: best.weight + add.working_days * 1.4 + add.calendar_days,
    };
    memo.set(key, path);
    return path;
  };
  /** The chain through a sub-step group: the longest member's (all) or the shortest member's (any); null for a step key. */
  const viaGroup = (key: string): Path | null => {
    const group = (def.stepGroups ?? []).find((g) => g.key === key);
    if (!group) return null;
    let chosen: Path | null = null;
    for (const member of group.steps) {
      const p = longest(member);
      if (chosen === null || (group.mode === 'all' ? p.weight > chosen.weight : p.weight < chosen.weight)) chosen = p;
    }
    return chosen ?? { steps: [], workingDays: 0, calendarDays: 0, weight: 0 };
  };
  const { steps, workingDays, calendarDays } = longest(def.finalStep);
  return { steps, workingDays, calendarDays };
}

/**
 * Each back edge of a depth-first walk in declaration order over steps and sub-step groups (a step points to what its
 * `dependsOn` names, a group to its members): the node it starts from (`fromGroup` when a group), its index in
 * `dependsOn` or in the group's `steps`, and the cycle's keys.
 */
function dependencyCycles(steps: StepDefinition[], groups: readonly StepGroupDefinition[] = []): Array<{ from: string; fromGroup: boolean; index: number; keys: string[] }> {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const groupByKey = new Map(groups.filter((g) => !byKey.has(g.key)).map((g) => [g.key, g]));
  const edges = (key: string) => byKey.get(key)?.dependsOn ?? groupByKey.get(key)!.steps;
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const out: Array<{ from: string; fromGroup: boolean; index: number; keys: string[] }> = [];
  const visit = (key: string) => {
    state.set(key, 'visiting');
    stack.push(key);
    edges(key).forEach((dep, index) => {
      if (dep === key || (!byKey.has(dep) && !groupByKey.has(dep))) return;
      if (state.get(dep) === 'visiting') out.push({ from: key, fromGroup: !byKey.has(key), index, keys: [...stack.slice(stack.indexOf(dep)), dep] });
      else if (!state.has(dep)) visit(dep);
    });
    stack.pop();
    state.set(key, 'done');
  };
  for (const s of steps) if (!state.has(s.key)) visit(s.key);
  return out;
}

/**
 * Index of each key's first occurrence; a later occurrence is a problem at its own path. `list` names the array
 * (`steps` gives `steps[3].key`); null when each item carries its own path.
 */
function firstIndexes(
  items: Array<string | { key: string; path: string }>,
  list: string | null,
  what: string,
  add: (path: string, message: string) => void,
): Map<string, number> {
  const at = new Map<string, number>();
  items.forEach((item, i) => {
    const key = typeof item === 'string' ? item : item.key;
    const path = typeof item === 'string' ? `${list}[${i}].key` : `${item.path}.key`;
    const first = at.get(key);
    if (first !== undefined) {
      const firstPath = typeof items[first] === 'string' ? `${list}[${first}]` : (items[first] as { path: string }).path;
      add(path, `duplicate ${what} ${q(key)} (first at ${firstPath})`);
    } else at.set(key, i);
  });
  return at;
}

/** A published limit longer than the statutory one, compared when both count the same unit. */
function longerThan(a: TimeLimit, b: TimeLimit): boolean {
  return a.unit === b.unit && a.value > b.value;
}

function days(l: Pick<TimeLimit, 'value' | 'unit'>): string {
  return `${l.value} ${l.unit === 'working_days' ? 'working' : 'calendar'} days`;
}

/** `; did you mean "x"?` for a key one or two edits from a known one (a typo such as `lnad_title`). */
function suggestion(key: string, known: string[]): string {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? `; did you mean ${q(best)}?` : '';
}

/** Damerau–Levenshtein (optimal string alignment) distance: a swap of two neighbouring letters counts 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
