import type { ClockPlan } from '../../../libs/calendar/index.js';
import { latestTrackDefinition, ProjectState, type Actor, type ProjectStateOptions } from '../../../libs/domain/index.js';

/*
 * A paper history entered years later: a standard project signed 2022-05-20 whose land pre-review was accepted on paper
 * on 2022-05-26 and is recorded, and its clock planned, on NOW (2026-11-29), long after its limit.
 */

/** The natural-resources officer who records the paper history. */
export const officer: Actor = { id: 'nr-zhou', department: 'natural_resources' };
/** The day the paper history is entered (years after the deadline), epoch ms. */
export const NOW = Date.parse('2026-11-29T10:00:00.000Z');
/** `ms` (epoch ms) as an ISO 8601 instant. */
export const instant = (ms: number): string => new Date(ms).toISOString();
/** The land pre-review's plan: 20 working days from 2022-05-26 (its statutory limit the same), long past on NOW. */
export const PLAN: ClockPlan = {
  dueOn: '2022-06-24',
  dueAt: '2022-06-24T16:00:00.000Z',
  stopped: false,
  provisional: false,
  yellowAt: '2022-06-21T16:00:00.000Z',
  escalateAt: '2022-06-29T16:00:00.000Z',
  repeatAts: [],
};

/** Project `code` registered on paper (2022-05-22), nothing accepted yet. */
export function registeredOnPaper(code: string, options: ProjectStateOptions = {}): ProjectState {
  const reg = { code, name: '补录项目', track: 'standard' as const, district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-05-20' };
  return ProjectState.register(latestTrackDefinition('standard'), reg, { at: '2022-05-22T01:00:00.000Z', actor: officer }, options).state;
}

/** Records the land pre-review's acceptance of 2022-05-26 on NOW and plans its clock (PLAN) then. */
export function acceptPreReviewOnPaper(state: ProjectState): void {
  state.applyStepAction('land_prereview', { action: 'accept', occurredAt: '2022-05-26T10:00:00+08:00' }, { at: instant(NOW), actor: officer });
  state.applyClockPlans([{ request: state.clockRequests()[0]!, plan: PLAN }], { at: instant(NOW), actor: officer });
}
