/*
 * A position from paper (a ledger import): the back-dated step actions that bring a newly registered project to where
 * the ledger says it is, applied in order through the step-action pipeline as officers' Updates run it, with the clocks
 * planned where the Updates' main loop would have planned them. One rule, used by the workflow (which plans through a
 * local activity) and by the activity that plans a whole position at once (which plans on its own calendar).
 */
import type { ClockPlan } from '../../calendar/index.js';
import { DomainError } from '../errors.js';
import type { ProjectState } from './project-state.js';
import { SYSTEM_ACTOR, type Actor, type ClockRequest, type StepActionInput, type TimelineEntry } from './types.js';

/**
 * Actions of a position before which the clocks whose inputs changed are planned: all but an acceptance, which reads
 * no plan and changes no other clock's inputs. A plan then reads the inputs it would have read right after the previous
 * action, so the plans — and the deadline, flags and certificate term a decided step keeps — are the ones the Updates'
 * main loop would have made, with about half the planning.
 */
export const POSITION_PLANNED_BEFORE: ReadonlySet<string> = new Set(['approve', 'reject', 'waive', 'deliver', 'return']);

/** One back-dated action of a position. */
export type PositionAction = StepActionInput & { step: string; actor: Actor };

/** Clock requests with their plans, in the order of the requests. */
export type PlannedClocks = Array<{ request: ClockRequest; plan: ClockPlan }>;

/** The action of a position the domain refused: the position ends before it. */
export interface PositionRefusal {
  /** Index of the action in the position (0-based). */
  index: number;
  step: string;
  action: string;
  occurredAt: string | null;
  /** The domain's stable error code, e.g. `STEP.ILLEGAL_TRANSITION`. */
  code: string;
  message: string;
}

/** What {@link applyPosition} needs from its caller. */
export interface PositionRun<A extends PositionAction> {
  /** The instant of each change (ISO 8601): the workflow's time. */
  now: () => string;
  /** The `notBefore` of the clock requests (the workflow's time under the statutory tier, else null). */
  notBefore: () => string | null;
  /** Plans the requests (a local activity in the workflow, the calendar in the activity that plans ahead). */
  plan: (requests: ClockRequest[]) => Promise<PlannedClocks>;
  /** The entries each change produced (the plans' and the actions'), in order. */
  onEntries: (entries: TimelineEntry[]) => void;
  /** Called after each applied action with its entries (already passed to onEntries). */
  onApplied?: (action: A, entries: TimelineEntry[]) => void;
  /**
   * Whether the lights of the clocks planned before a back-dated action are judged at that action's instant (what the
   * record said then) rather than at `now`. True for every position applied today; false only where a history recorded
   * before that rule is replayed (it then judged them at `now`: a step decided well within its limit showed red and
   * past its statutory limit at the import, for an instant nobody lived through).
   */
  lightsAtAction?: boolean;
}

/**
 * Applies a position's actions in order, planning changed clocks before each action of
 * {@link POSITION_PLANNED_BEFORE} (their lights judged at that action's instant when `run.lightsAtAction`; the open
 * clocks the caller plans after the position are judged at its time); the first action the domain refuses ends the
 * position.
 * @param state the project, changed in place
 * @param position the back-dated actions, in the order they happened
 * @returns the refusal that ended the position, or null when every action was applied
 * @throws whatever `plan` throws, and errors other than DomainError (a bug)
 */
export async function applyPosition<A extends PositionAction>(state: ProjectState, position: readonly A[], run: PositionRun<A>): Promise<PositionRefusal | null> {
  for (const [index, action] of position.entries()) {
    if (POSITION_PLANNED_BEFORE.has(action.action)) {
      const requests = state.clockRequests(false, [], run.notBefore());
      if (requests.length > 0) {
        const at = run.now();
        const plans = await run.plan(requests);
        run.onEntries(state.applyClockPlans(plans, { at, actor: SYSTEM_ACTOR }, run.lightsAtAction ? lightsInstant(action, at) : undefined));
      }
    }
    let entries: TimelineEntry[];
    try {
      entries = state.applyStepAction(action.step, action, { at: run.now(), actor: action.actor });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { index, step: action.step, action: action.action, occurredAt: action.occurredAt ?? null, code: err.code, message: err.message };
    }
    run.onEntries(entries);
    run.onApplied?.(action, entries);
  }
  return null;
}

/**
 * The instant (epoch ms) a position's lights are judged at before `action`: its back-dated instant, or `at` (the
 * workflow's time) when it has none or it is later.
 */
function lightsInstant(action: PositionAction, at: string): number {
  const nowMs = Date.parse(at);
  const occurred = action.occurredAt ? Date.parse(action.occurredAt) : NaN;
  return Number.isFinite(occurred) && occurred < nowMs ? occurred : nowMs;
}

/**
 * The clock requests a project's main loop plans next, once nothing else is pending: its open clocks whose inputs
 * changed (none when it is closed).
 * @param notBefore as {@link PositionRun.notBefore}
 */
export function openClockRequests(state: ProjectState, notBefore: string | null): ClockRequest[] {
  if (state.isClosed || state.clockRequests().length === 0) return [];
  return state.clockRequests(false, [], notBefore);
}

/** Whether two lists of clock requests are the same (a plan made ahead for one serves the other). */
export function sameClockRequests(a: readonly ClockRequest[], b: readonly ClockRequest[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
