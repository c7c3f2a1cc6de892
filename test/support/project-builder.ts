import { getTrackDefinition, latestTrackDefinition, type StepDefinition, type TrackDefinition, type TrackKey } from '../../libs/domain/index.js';
import { officer, registration, type ActionBody, type ApiClient, type Caller, type ProjectBody } from './api-client.js';

/** A state a test may want a step in (DESIGN.md §4), reached over HTTP the way officers reach it. */
export type TargetState = 'ready' | 'in_review' | 'supplement_requested' | 'approved' | 'delivered' | 'waived' | 'rejected';

/** How {@link driveStep} acts. */
export interface DriveOptions {
  /** Who acts; by default an officer of the step's department (`<department>-officer`). */
  caller?: Caller;
  /** `occurredAt` of every action sent (a back-dated paper record), else now. */
  occurredAt?: string;
  /** Comment of the final action (return, waive and reject need one; a plausible one is used otherwise). */
  comment?: string;
  /** Extra fields of the final action (e.g. `waiverDueOn`). */
  extra?: Record<string, unknown>;
}

/** The actions that take a `ready` step to each state, in order. */
const PATH: Record<TargetState, string[]> = {
  ready: [],
  in_review: ['accept'],
  supplement_requested: ['accept', 'return'],
  approved: ['accept', 'approve'],
  delivered: ['accept', 'approve', 'deliver'],
  waived: ['waive'],
  rejected: ['accept', 'reject'],
};

const DEFAULT_COMMENT: Record<string, string> = {
  return: '请补正：用地范围红线图（测试）',
  waive: '容缺：材料后补（测试）',
  reject: '不符合国土空间规划（测试）',
};

/** The definition a project body says it pinned (`standard@3`), else the latest of its track. */
function definitionOf(project: ProjectBody): TrackDefinition {
  const [track, version] = String(project.definition ?? project.track).split('@');
  return version ? getTrackDefinition(track as TrackKey, Number(version)) : latestTrackDefinition(track as TrackKey);
}

/** `key` and every step it depends on, transitively, dependencies first. */
function withDependencies(def: TrackDefinition, key: string): StepDefinition[] {
  const byKey = new Map(def.steps.map((s) => [s.key, s]));
  const out: StepDefinition[] = [];
  const visit = (k: string): void => {
    if (out.some((s) => s.key === k)) return;
    const step = byKey.get(k);
    if (!step) throw new Error(`no step ${k} in ${def.track}@${def.version}`);
    for (const d of step.dependsOn) visit(d);
    out.push(step);
  };
  visit(key);
  return out;
}

/**
 * Drives step `key` of the registered project `code` to `state` over HTTP: first every step it depends on
 * (transitively) is accepted and approved (reporting the land price paid where a step waits for it), then the
 * step takes the actions of its path (accept, return, approve, deliver, waive or reject). Steps already done are
 * left as they are. Fails the test when the API refuses an action.
 * @returns the answer of the last action sent (undefined when nothing had to be sent)
 */
export async function driveStep(api: ApiClient, code: string, key: string, state: TargetState, opts: DriveOptions = {}): Promise<ActionBody | undefined> {
  const project = await api.projectOk(code);
  const steps = withDependencies(definitionOf(project), key);
  const current = new Map(project.steps.map((s) => [s.key, s.state]));
  const when = opts.occurredAt ? { occurredAt: opts.occurredAt } : {};
  const callerOf = (s: StepDefinition): Caller => opts.caller ?? officer(`${s.department}-officer`, s.department);
  let last: ActionBody | undefined;
  for (const dep of steps.slice(0, -1)) {
    if (['approved', 'delivered', 'waived'].includes(current.get(dep.key) ?? '')) continue;
    if (dep.requiresFacts?.includes('land_price_paid')) await api.landPricePaid(code);
    if (current.get(dep.key) !== 'in_review') await api.act(code, dep.key, 'accept', callerOf(dep), when);
    last = await api.act(code, dep.key, 'approve', callerOf(dep), when);
  }
  const step = steps.at(-1)!;
  const actions = PATH[state];
  if (actions.length > 0 && step.requiresFacts?.includes('land_price_paid')) await api.landPricePaid(code);
  for (const [i, action] of actions.entries()) {
    const final = i === actions.length - 1;
    const comment = final ? (opts.comment ?? DEFAULT_COMMENT[action]) : DEFAULT_COMMENT[action];
    last = await api.act(code, step.key, action, callerOf(step), { ...when, ...(comment ? { comment } : {}), ...(final ? opts.extra : {}) });
  }
  return last;
}

/**
 * Registers project `code` (the plausible {@link registration} body with `overrides`) and drives each step named in
 * `steps` to its state with {@link driveStep}, in the order given.
 * @returns the project as the read model answers it afterwards
 */
export async function buildProject(
  api: ApiClient,
  code: string,
  overrides: Record<string, unknown> = {},
  steps: Record<string, TargetState> = {},
  opts: DriveOptions = {},
): Promise<ProjectBody> {
  await api.registerOk(code, overrides);
  for (const [key, state] of Object.entries(steps)) await driveStep(api, code, key, state, opts);
  return api.projectOk(code);
}

export { registration };
