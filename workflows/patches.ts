/*
 * Patch ids of the project workflow (Temporal `patched`). Each id is recorded in the histories of the workflows that
 * ran the patched code, so it can never change: a renamed id would make those histories replay the old branch.
 * Remove a patch only once no running or replayed history predates it.
 */

/**
 * The statutory tier (法定时限) and what came with it: statutory-overdue alerts and flags, deemed acceptance after
 * the 5-working-day window (行政许可法 Art. 32), government time (政府审批用时) recorded on the project, and the
 * skipping of 督办 repeats already due in whole plans. Histories recorded before it replay without them. The id
 * is the one recorded in those histories.
 */
export const STATUTORY_FIDELITY_PATCH = 'issue-7-statutory-fidelity';

/**
 * A re-plan that leaves a clock's instants unchanged (a calendar signal about another year's days) keeps its first
 * plan's instant, so the catch-up hold is not restarted. Histories recorded before it replay with the restart.
 */
export const HOLD_KEPT_ON_UNCHANGED_PLAN_PATCH = 'catch-up-hold-kept-on-unchanged-plan';

/**
 * What a back-dated record makes true is true at once: lights, overdue and statutory-overdue flags, lapsed validities
 * and deemed acceptances of a clock planned after its thresholds passed take effect in the answer that records it;
 * only the notices wait the catch-up hold (one per clock). Histories recorded before it replay with those held too.
 */
export const FACTS_AT_ONCE_PATCH = 'back-dated-facts-at-once';

/**
 * Moving a running project to a newer version of its track (the `migrateTrack` Update, libs/domain/project/
 * track-migration.ts). No history recorded before it holds such an Update, so no branch reads it today; it marks the
 * histories whose projects moved under the first mapping rules, so that a later change of those rules can keep this
 * branch for them.
 */
export const TRACK_MIGRATION_PATCH = 'track-migration';

/**
 * A registration's position (a ledger import) is planned ahead by one local activity (`planPosition`): each planning
 * whose requests equal the ones planned ahead takes that plan, any other asks `planClocks`. Histories recorded before
 * it replay with one `planClocks` per planning of the position.
 */
export const POSITION_PLANNED_AHEAD_PATCH = 'position-planned-ahead';

/**
 * A registration's position judges the lights of the clocks planned before each back-dated action at that action's
 * instant, not at the import's: a step decided within its limit no longer leaves `light.changed → red` and
 * `step.statutory_overdue` entries on the timeline. Histories recorded before it replay with the lights judged at the
 * registration's instant.
 */
export const POSITION_LIGHTS_AT_ACTION_PATCH = 'position-lights-at-action';

/**
 * Every behaviour patched above at once, behind one marker (all but TRACK_MIGRATION_PATCH, a mark recorded where a
 * project moves, not a behaviour): a run started now records this one id instead of one per patch. Each `patched` call of a new run records a marker and, in the Temporal core, an upsert of the
 * `TemporalChangeVersion` search attribute, so five of them were ten history events, and a visibility write each, in
 * every project's first workflow task. A history recorded before it lacks this marker and asks each patch above as it
 * did; a history recorded with it answers every one of them true. Patches added after it are asked on their own.
 */
export const PATCHES_OF_2026_12_PATCH = 'patches-of-2026-12';

/**
 * A step's statutory-overdue flag (超法定时限) raised by a late-recorded acceptance is withdrawn when a later-recorded
 * suspension, supplement request (补正) or decision dated before the statutory limit shows the limit did not pass while
 * the clock was open (libs/domain/project/clock-lights.ts, rejudgeStatutoryOverdue). Asked on its own, where a flag
 * would be withdrawn, so its marker is recorded only in the histories it changes; histories recorded before it replay
 * with the flag kept.
 */
export const STATUTORY_OVERDUE_WITHDRAWN_PATCH = 'statutory-overdue-withdrawn-before-limit';
