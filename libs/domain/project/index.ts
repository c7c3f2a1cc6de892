/*
 * A project's state machine (see project-state.ts, the façade) and the vocabulary, rules and clocks it is made of.
 * Where each concern lives: types.ts (snapshot and inputs), step-actions.ts (the rule table of step actions),
 * step-action-pipeline.ts (how an action is checked and applied), project-actions.ts, facts.ts, aux-clocks.ts
 * (acceptance window, certificate, validities), clocks.ts (the one Clock abstraction: every clock, its alerts),
 * clock-plans.ts (planning requests and plans), clock-lights.ts (lights, due alerts, wake-ups), clock-time.ts,
 * forecast.ts, government-time.ts, position.ts (a ledger's position applied at registration), texts.ts (explanations, hints, notices).
 */
export * from './types.js';
export { ACCEPTANCE_WINDOW_WORKING_DAYS } from './aux-clocks.js';
export { worstLight } from './clock-time.js';
export { PROJECT_CLOCK_PREFIX, projectClockId, projectDeadlineKeyOf, type Clock, type ClockAlert, type ClockKind } from './clocks.js';
export { canonicalYuan, DEFAULT_CATCH_UP_HOLD_MS, effectiveInstant, isClockOpen, isStepDone, type ProjectStateOptions } from './core.js';
export { forecastProject } from './forecast.js';
export { computeGovernmentTime, promiseStatus } from './government-time.js';
export { ProjectState, type StepTiers } from './project-state.js';
export {
  applyPosition,
  openClockRequests,
  sameClockRequests,
  type PlannedClocks,
  type PositionAction,
  type PositionRefusal,
  type PositionRun,
} from './position.js';
export { EXCLUDED_PERIOD_KINDS, STEP_ACTION_RULES, type Refusal, type StepActionRule } from './step-actions.js';
export { dependenciesSatisfied, notRequiredSteps, openDependenciesOf, requiredSteps } from './step-groups.js';
export { shanghaiTime } from './texts.js';
export { checkTrackMigration, migrateTrack, TRACK_MIGRATED, type TrackMigration, type TrackMigrationSummary } from './track-migration.js';
