import {
  DomainError,
  getTrackDefinition,
  isStepDone,
  ProjectState,
  type ActionContext,
  type Actor,
  type ProjectActionInput,
  type ProjectRegistration,
  type StepActionInput,
  type StepActionKind,
  type StepState,
  type TimelineEntry,
} from '../../../libs/domain/index.js';

/** The released `standard` track, as a project pins it. */
export const STANDARD = getTrackDefinition('standard', 1);

/** A real project of the 2022 Yuecheng report (code format of the national platform). */
export const REGISTRATION: ProjectRegistration = {
  code: '2022-330602-39-03-000101',
  name: 'Smart equipment plant, phase I',
  track: 'standard',
  district: 'Binhai New Area',
  investor: 'Shaoxing Example Machinery Co., Ltd.',
  investmentYuan: '1250000000.00',
  signedAt: '2022-03-15',
};

export const OFFICER: Actor = { id: 'officer-li', department: 'natural_resources', roles: ['officer'] };
/** The head of natural resources: extensions (延期) are the head's (行政许可法 Art. 42). */
export const HEAD: Actor = { id: 'head-zhou', department: 'natural_resources', roles: ['department_head'] };
export const REGISTRAR: Actor = { id: 'office-wang', department: 'project_office' };

/** A waivable step with exactly one dependency (land_prereview), used for the state × action table. */
export const PROBE_STEP = 'land_auction';

/** A well-formed input for each step action (comments and assignee present), so only the state decides. */
export function inputFor(action: StepActionKind): StepActionInput {
  switch (action) {
    case 'reassign':
      return { action, assignee: 'officer-zhao' };
    case 'waive':
      return { action, comment: 'land survey report waived; applicant commits to supply it', waiverDueOn: '2022-06-30' };
    case 'extend':
      return { action, comment: 'expert opinions of two bureaux needed', extensionWorkingDays: 5 };
    case 'exclude':
      return { action, comment: 'site inspection by the survey institute', exclusionKind: 'inspection' };
    case 'renew':
      return { action, comment: 'renewal applied for in time', renewalMonths: 3 };
    default:
      return { action, comment: `${action}: reason given to the applicant` };
  }
}

/**
 * A registered `standard` project driven through real actions. Every action gets its own instant, one hour
 * after the previous, and every timeline entry produced is kept in `timeline`.
 */
export class StandardProject {
  readonly state: ProjectState;
  readonly timeline: TimelineEntry[] = [];
  private ticks = 0;

  constructor() {
    const { state, entries } = ProjectState.register(STANDARD, REGISTRATION, this.next(REGISTRAR));
    this.state = state;
    this.timeline.push(...entries);
  }

  /** The context of the next action: a fresh instant, strictly after every earlier one. */
  next(actor: Actor = OFFICER): ActionContext {
    const at = new Date(Date.UTC(2022, 2, 15, 1) + this.ticks * 3_600_000).toISOString();
    this.ticks += 1;
    return { at, actor };
  }

  /** The instant the next action will carry. */
  peekAt(): string {
    return new Date(Date.UTC(2022, 2, 15, 1) + this.ticks * 3_600_000).toISOString();
  }

  act(step: string, input: StepActionInput | StepActionKind): TimelineEntry[] {
    const i = typeof input === 'string' ? inputFor(input) : input;
    const entries = this.state.applyStepAction(step, i, this.next(i.action === 'extend' ? HEAD : OFFICER));
    this.timeline.push(...entries);
    return entries;
  }

  project(input: ProjectActionInput): TimelineEntry[] {
    const entries = this.state.applyProjectAction(input, this.next(REGISTRAR));
    this.timeline.push(...entries);
    return entries;
  }

  stateOf(step: string): StepState {
    const rec = this.state.step(step);
    if (!rec) throw new Error(`fixture: no step '${step}'`);
    return rec.state;
  }

  /** Accepts and approves the step. */
  approve(step: string): void {
    this.act(step, 'accept');
    this.act(step, 'approve');
  }

  /** Approves, in dependency order, every dependency of `step` that is not yet approved or waived. */
  completeDependencies(step: string): void {
    for (const dep of STANDARD.steps.find((s) => s.key === step)!.dependsOn) {
      if (isStepDone(this.stateOf(dep))) continue;
      this.completeDependencies(dep);
      this.approve(dep);
    }
  }

  /** Drives `step` to `target` through the actions an officer would take. */
  bringTo(step: string, target: StepState): this {
    if (target !== 'blocked') this.completeDependencies(step);
    switch (target) {
      case 'blocked':
      case 'ready':
        break;
      case 'received':
        this.act(step, 'receive');
        break;
      case 'in_review':
        this.act(step, 'accept');
        break;
      case 'supplement_requested':
        this.act(step, 'accept');
        this.act(step, 'return');
        break;
      case 'approved':
        this.approve(step);
        break;
      case 'delivered':
        this.approve(step);
        this.act(step, 'deliver');
        break;
      case 'waived':
        this.act(step, 'waive');
        break;
      case 'rejected':
        this.act(step, 'accept');
        this.act(step, 'reject');
        break;
    }
    if (this.stateOf(step) !== target) throw new Error(`fixture: ${step} is ${this.stateOf(step)}, wanted ${target}`);
    return this;
  }

  /** Approves every step in track order, the final one last: the project completes. */
  walkToCompletion(): void {
    for (const def of STANDARD.steps) if (!isStepDone(this.stateOf(def.key))) this.approve(def.key);
  }
}

/** The DomainError `fn` throws; fails the test when it throws something else or nothing. */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}
