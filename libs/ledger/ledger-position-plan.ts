/*
 * Where an imported project stands, as the actions that bring a newly registered project there: the registration on
 * its signing day, then each step's acceptance (受理) on its acceptance day and its decision on its decision day,
 * back-dated with `occurredAt` so that clocks, deadlines, lights and government time count from the historical days.
 * Pure: the API sends the actions through the same path as an officer's (ProjectsService).
 */
import type { TrackDefinition } from '../domain/index.js';
import type { StepPosition } from './ledger-import-rows.js';

/** One action of the plan: the step, the action and its fields, the instant it happened (ISO 8601, +08:00). */
export interface PlannedAction {
  step: string;
  action: 'accept' | 'return' | 'approve' | 'deliver' | 'waive' | 'reject';
  occurredAt: string;
  comment: string | null;
}

/** The plan of a row: the registration's instant, then the actions in the order they are sent. */
export interface PositionPlan {
  registeredAt: string;
  actions: PlannedAction[];
}

/** Comments the actions that need one carry (the ledger does not say more). */
const IMPORTED_COMMENT: Readonly<Partial<Record<PlannedAction['action'], string>>> = {
  return: '补正（台账导入，原补正材料见纸质件）',
  waive: '容缺（台账导入，容缺材料见纸质件）',
  reject: '不予许可（台账导入，理由见纸质决定书）',
};

/** The working-day time the day's first imported event is given (09:00 Asia/Shanghai); later ones a minute apart. */
const DAY_START_MINUTES = 9 * 60;

/** The instant of the `n`-th event of `day` (0-based): 09:00 + n minutes, Asia/Shanghai. */
function instantOf(day: string, n: number): string {
  const minutes = DAY_START_MINUTES + n;
  return `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+08:00`;
}

/** The actions that bring one step to its position, each with its day: acceptance first, then the decision. */
function stepActions(p: StepPosition): { day: string; action: PlannedAction['action'] }[] {
  const accepted = p.acceptedOn;
  const decided = p.decidedOn;
  const accept = (day: string | null) => (day === null ? [] : [{ day, action: 'accept' as const }]);
  switch (p.state) {
    case 'in_review':
      return accept(accepted);
    case 'supplement_requested':
      return [...accept(accepted), { day: accepted!, action: 'return' }];
    case 'approved':
      return [...accept(accepted ?? decided), { day: decided!, action: 'approve' }];
    case 'delivered':
      return [...accept(accepted ?? decided), { day: decided!, action: 'approve' }, { day: decided!, action: 'deliver' }];
    case 'rejected':
      return [...accept(accepted ?? decided), { day: decided!, action: 'reject' }];
    case 'waived':
      return [{ day: decided!, action: 'waive' }];
    default:
      return []; // blocked, ready, received: where a registered project's steps start (received is not back-dated)
  }
}

/**
 * The plan that registers a project on its signing day (09:00) and brings its steps to `position`: every action sorted
 * by day; within a day, steps in the track's definition order (which lists a step after those it depends on) and a
 * step's acceptance before its decision; the n-th event of a day at 09:00 + n minutes (the registration is the first of
 * its day). Days before the signing day are refused by the registration's own rule and by the workflow, which reports
 * them; this plan only orders.
 */
export function planPosition(signedAt: string, position: readonly StepPosition[], definition: TrackDefinition): PositionPlan {
  const order = new Map(definition.steps.map((s, i) => [s.key, i]));
  const events = position.flatMap((p) =>
    stepActions(p).map((a, i) => ({ step: p.step, rank: order.get(p.step) ?? 0, i, ...a })),
  );
  events.sort((a, b) => a.day.localeCompare(b.day) || a.rank - b.rank || a.i - b.i);
  const perDay = new Map<string, number>([[signedAt, 1]]);
  const actions = events.map((e) => {
    const n = perDay.get(e.day) ?? 0;
    perDay.set(e.day, n + 1);
    return { step: e.step, action: e.action, occurredAt: instantOf(e.day, n), comment: IMPORTED_COMMENT[e.action] ?? null };
  });
  return { registeredAt: instantOf(signedAt, 0), actions };
}
