/*
 * One workflow per signed project (id `project:<code>`): it holds the project's state machine, takes
 * officers' actions as Updates (validators refuse illegal ones with a reason, so they never enter history),
 * answers the live detail as a Query, and writes every change to the read model through an activity —
 * one writer, in version order, so PostgreSQL never goes back to an older state.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClockActivities } from '../activities/clock.activities.js';
import { endOfShanghaiDay, toShanghaiDate } from '../libs/calendar/index.js';
import type { NotificationActivities, NotificationRequest } from '../libs/temporal/notification.contract.js';
import type { ProjectActivities } from '../activities/project.activities.js';
import {
  DomainError,
  ProjectState,
  SYSTEM_ACTOR,
  alertNotice,
  applyPosition,
  checkTrackMigration,
  openClockRequests,
  escalationNotice,
  getTrackDefinition,
  isShippedTrackDefinition,
  migrateTrack,
  toProjectView,
  sameClockRequests,
  type ClockRequest,
  type PlannedClocks,
  type ProjectView,
  type TimelineEntry,
  type TrackDefinition,
} from '../libs/domain/index.js';
import {
  auditTrailQuery,
  awaitSyncedUpdate,
  calendarChangedSignal,
  detailQuery,
  migrateTrackUpdate,
  projectActionUpdate,
  projectFactUpdate,
  registrationKeyQuery,
  SEARCH_ATTRIBUTES,
  stepActionUpdate,
  importedPositionQuery,
  type ActionResult,
  type IdempotencyKey,
  type ImportedPosition,
  type ProjectWorkflowInput,
} from '../libs/temporal/project.contract.js';
import {
  FACTS_AT_ONCE_PATCH,
  HOLD_KEPT_ON_UNCHANGED_PLAN_PATCH,
  PATCHES_OF_2026_12_PATCH,
  POSITION_LIGHTS_AT_ACTION_PATCH,
  POSITION_PLANNED_AHEAD_PATCH,
  STATUTORY_FIDELITY_PATCH,
  STATUTORY_OVERDUE_WITHDRAWN_PATCH,
  TRACK_MIGRATION_PATCH,
} from './patches.js';
import { AuditTrail } from './audit-trail.js';

// Read-model writes and planning are short, idempotent and run on the worker that holds the workflow: local
// activities, one workflow task instead of server round trips, so an officer's answer comes quickly. The
// outbox is a regular activity. All retry until PostgreSQL is back: the cause is already durable in history.
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { syncReadModel, planClocks, planPosition, forecast } = proxyLocalActivities<ProjectActivities & ClockActivities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY,
});
const { enqueueNotification } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '30 seconds', retry: RETRY });

/** How long an Update waits for its change to reach the read model before answering anyway. */
const SYNC_WAIT = '10 seconds';
/** This many recent idempotency keys are remembered, so a repeated write answers without a second effect. */
const RECENT_REQUESTS = 200;

/**
 * The project workflow.
 * @param input a new registration, or the carried-over state after continue-as-new
 * @returns the final view once the project is completed (groundbreaking confirmed) or cancelled
 */
export async function projectWorkflow(input: ProjectWorkflowInput): Promise<ProjectView> {
  let state: ProjectState;
  let pending: TimelineEntry[];
  let syncedVersion: number;
  // Idempotency key of an Update → the timeline entries it produced: a repeat answers them again, with no second effect.
  const recent = new Map<IdempotencyKey, TimelineEntry[]>();
  // Notices of supervisors' escalations, sent by the main loop (handlers only record them).
  const notices: NotificationRequest[] = [];
  // The audit trail: every entry written to the read model (pending ones are joined in by the query), carried over.
  const audit = new AuditTrail(input);

  if (input.kind === 'new') {
    // The definition comes whole in the input (published or shipped), else the shipped one of the pinned version.
    const definition = input.definition ?? getTrackDefinition(input.registration.track, input.definitionVersion);
    // A back-dated registration is checked by the API (not before the signing day, not in the future).
    const at = input.occurredAt ? new Date(Math.min(Date.parse(input.occurredAt), Date.now())).toISOString() : now();
    const registered = ProjectState.register(
      definition,
      input.registration,
      { at, actor: input.registeredBy },
      { localExcludedPeriodKinds: input.localExcludedPeriodKinds ?? {}, catchUpHoldMs: input.catchUpHoldMs },
    );
    state = registered.state;
    pending = registered.entries;
    syncedVersion = 0;
  } else {
    const definition = input.definition ?? getTrackDefinition(input.snapshot.track, input.snapshot.definitionVersion);
    state = ProjectState.restore(definition, input.snapshot, { catchUpHoldMs: input.catchUpHoldMs });
    pending = input.pendingTimeline;
    syncedVersion = input.syncedVersion;
    for (const [key, entries] of input.recentRequests) recent.set(key, entries);
  }
  // The patches of a run that records PATCHES_OF_2026_12_PATCH are all on, behind that one marker; a history recorded
  // before it answers each patch from its own marker.
  const allPatched = patched(PATCHES_OF_2026_12_PATCH);
  const isPatched = (id: string): boolean => allPatched || patched(id);
  // The statutory tier (alerts, deemed acceptance, government time) runs for histories recorded after it.
  const statutoryFidelity = isPatched(STATUTORY_FIDELITY_PATCH);
  state.statutoryFidelity = statutoryFidelity;
  state.keepsHoldOnUnchangedPlan = isPatched(HOLD_KEPT_ON_UNCHANGED_PLAN_PATCH);
  // Lights, flags and deemed acceptances of a back-dated record at once; only its notices wait the catch-up hold.
  state.factsAtOnce = isPatched(FACTS_AT_ONCE_PATCH);
  // Asked where a flag would be withdrawn (a patch added after PATCHES_OF_2026_12_PATCH is asked on its own).
  state.withdrawsStatutoryOverdue = () => patched(STATUTORY_OVERDUE_WITHDRAWN_PATCH);
  // The definition carried over continue-as-new (and to the forecast) when the run was given one: at the start, or by
  // a migration; absent, the shipped one of the snapshot's track and version.
  let carriedDefinition: TrackDefinition | undefined = input.definition;
  const carried = (): { definition?: TrackDefinition } => (carriedDefinition !== undefined ? { definition: carriedDefinition } : {});
  // What the activities are given: a shipped definition they find in their own registry by its track and version, so
  // only one published at run time travels in their input (a definition is about 14 KB of JSON, once per activity).
  const forActivities = (): { definition?: TrackDefinition } =>
    carriedDefinition !== undefined && !isShippedTrackDefinition(carriedDefinition.track, carriedDefinition.version) ? carried() : {};
  // The wire field is `requestId` (recorded in histories); it holds the registration key.
  const registrationKey = input.requestId;
  const continueAsNewAfterEvents = input.continueAsNewAfterEvents ?? null;
  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || (continueAsNewAfterEvents !== null && workflowInfo().historyLength >= continueAsNewAfterEvents);

  // An applied write: on the audit trail with its key, and among the recent keys a repeat is answered from.
  const remember = (key: IdempotencyKey, entries: TimelineEntry[]): void => {
    audit.recordRequest(key, entries);
    recent.set(key, entries);
    if (recent.size > RECENT_REQUESTS) recent.delete(recent.keys().next().value!);
  };

  const answerAfterSync = async (key: IdempotencyKey, entries: TimelineEntry[]): Promise<ActionResult> => {
    pending.push(...entries);
    remember(key, entries);
    const version = state.version;
    // Answer once the read model holds the change (and the deadline it planned), so the officer reads it back.
    await condition(() => syncedVersion >= version, SYNC_WAIT);
    return { project: state.snapshot(), entries };
  };
  const repeatAnswer = (key: IdempotencyKey): ActionResult | undefined => {
    const entries = recent.get(key);
    return entries ? { project: state.snapshot(), entries } : undefined;
  };

  setHandler(detailQuery, () => toProjectView(state));
  setHandler(registrationKeyQuery, () => registrationKey);
  // A registration with a position (a ledger import) reports how far it was applied.
  let imported: ImportedPosition | null = null;
  setHandler(importedPositionQuery, () => imported);
  setHandler(auditTrailQuery, (req) => audit.page(req, pending, state.snapshot().timelineSeq));

  setHandler(
    stepActionUpdate,
    async (req) => {
      const repeated = repeatAnswer(req.requestId);
      if (repeated) return repeated;
      const entries = refuseAsFailure(() => state.applyStepAction(req.step, req, { at: now(), actor: req.actor }));
      return answerAfterSync(req.requestId, entries);
    },
    {
      validator: (req) => {
        if (recent.has(req.requestId)) return;
        refuseAsFailure(() => state.checkStepAction(req.step, req, now(), req.actor));
      },
    },
  );

  setHandler(
    projectFactUpdate,
    async (req) => {
      const repeated = repeatAnswer(req.requestId);
      if (repeated) return repeated;
      const entries = refuseAsFailure(() => state.applyFact(req, { at: now(), actor: req.actor }));
      return answerAfterSync(req.requestId, entries);
    },
    {
      validator: (req) => {
        if (recent.has(req.requestId)) return;
        refuseAsFailure(() => state.checkFact(req, now()));
      },
    },
  );

  setHandler(
    projectActionUpdate,
    async (req) => {
      const repeated = repeatAnswer(req.requestId);
      if (repeated) return repeated;
      const entries = refuseAsFailure(() => state.applyProjectAction(req, { at: now(), actor: req.actor }));
      // 督办 notifies the responsible department's head (the alert policy's escalation notice; the project is on the
      // supervisors' list until the step moves).
      const escalated = entries.find((e) => e.type === 'project.escalated');
      if (escalated) notices.push(escalationNotice(state, escalated));
      return answerAfterSync(req.requestId, entries);
    },
    {
      validator: (req) => {
        if (recent.has(req.requestId)) return;
        refuseAsFailure(() => state.checkProjectAction(req, now()));
      },
    },
  );

  // Moving to a newer version of the track: the definition comes whole in the request and is carried from then on.
  setHandler(
    migrateTrackUpdate,
    async (req) => {
      const repeated = repeatAnswer(req.requestId);
      if (repeated) return repeated;
      // Marks the histories whose projects moved under these mapping rules, so a later change of the rules can branch.
      patched(TRACK_MIGRATION_PATCH);
      const migration = refuseAsFailure(() => migrateTrack(state, req.definition, { at: now(), actor: req.actor }, req.comment ?? null));
      state = migration.state;
      carriedDefinition = req.definition;
      return answerAfterSync(req.requestId, migration.entries);
    },
    {
      validator: (req) => {
        if (recent.has(req.requestId)) return;
        refuseAsFailure(() => checkTrackMigration(state, req.definition));
      },
    },
  );

  // Years whose official notice was loaded: their open deadlines are re-planned (null: none pending).
  let replanYears: number[] | null = null;
  setHandler(calendarChangedSignal, ({ years }) => {
    replanYears = [...(replanYears ?? []), ...years];
  });

  setHandler(awaitSyncedUpdate, async () => {
    const version = state.version;
    await condition(() => syncedVersion >= version, SYNC_WAIT);
    return state.snapshot();
  });

  // Plans made ahead (a registration's position): each is taken by the planning whose requests it was made for, in
  // order; the first planning that differs drops the rest and asks planClocks, as every planning does without them.
  let plannedAhead: PlannedClocks[] = [];
  const plan = async (requests: ClockRequest[]): Promise<PlannedClocks> => {
    const ahead = plannedAhead.shift();
    if (ahead !== undefined && sameClockRequests(ahead.map((p) => p.request), requests)) return ahead;
    plannedAhead = [];
    return planClocks(requests);
  };

  // A position from paper (a ledger import): its back-dated actions, in order, through the step-action pipeline as
  // the Updates run it, with the clocks planned where their main loop would have planned them (libs/domain
  // applyPosition). Where the history allows it, the whole position is planned ahead by one local activity, at the
  // instant the position is applied (one instant for all of it, so the plans ahead are the ones asked for), and the
  // open clocks are planned with it; otherwise each planning asks planClocks and the main loop plans the open clocks.
  if (input.kind === 'new' && input.position !== undefined) {
    const progress: ImportedPosition = { applied: 0, refused: null };
    imported = progress;
    const ahead = isPatched(POSITION_PLANNED_AHEAD_PATCH);
    const lightsAtAction = isPatched(POSITION_LIGHTS_AT_ACTION_PATCH);
    const at = now();
    const notBefore = statutoryFidelity ? at : null;
    if (ahead) {
      plannedAhead = await planPosition({
        snapshot: state.snapshot(),
        position: input.position,
        at,
        statutoryFidelity,
        keepsHoldOnUnchangedPlan: state.keepsHoldOnUnchangedPlan,
        factsAtOnce: state.factsAtOnce,
        ...(input.catchUpHoldMs !== undefined ? { catchUpHoldMs: input.catchUpHoldMs } : {}),
        ...forActivities(),
      });
    }
    progress.refused = await applyPosition(state, input.position, {
      now: ahead ? () => at : now,
      notBefore: ahead ? () => notBefore : () => (statutoryFidelity ? now() : null),
      plan,
      lightsAtAction,
      onEntries: (entries) => pending.push(...entries),
      onApplied: (req, entries) => {
        remember(req.requestId, entries);
        progress.applied++;
      },
    });
    const open = ahead ? openClockRequests(state, notBefore) : [];
    if (open.length > 0) pending.push(...state.applyClockPlans(await plan(open), { at, actor: SYSTEM_ACTOR }));
  }

  let indexed = '';
  let forecastedVersion = -1;
  let forecastDay = '';
  const system = () => ({ at: now(), actor: SYSTEM_ACTOR });
  for (;;) {
    const needsPlanning = () => replanYears !== null || (!state.isClosed && state.clockRequests().length > 0);
    // The forecast moves with each change and with each new day (work not done today starts tomorrow).
    const needsForecast = () => !state.isClosed && (state.version !== forecastedVersion || forecastDay !== toShanghaiDate(Date.now()));
    const wakeAt = state.isClosed ? null : Math.min(state.nextWakeAt() ?? Infinity, nextShanghaiMidnight(Date.now()));
    // Durable timer: sleep until the next threshold (yellow, red, escalation, repeat) or the next day, unless
    // something happens.
    const woken = () => syncedVersion < state.version || needsPlanning() || notices.length > 0 || state.isClosed || shouldContinueAsNew();
    if (wakeAt === null) await condition(woken);
    else if (wakeAt > Date.now()) await condition(woken, wakeAt - Date.now());

    // 1. Plan clocks whose inputs changed (acceptance, supplement, suspension) or whose calendar year changed.
    if (needsPlanning()) {
      const years = replanYears;
      replanYears = null;
      const requests = state.clockRequests(years !== null, years ?? [], statutoryFidelity ? now() : null);
      if (requests.length > 0) pending.push(...state.applyClockPlans(await plan(requests), system()));
    }

    // 2. Alerts whose instant has come go to the outbox, once each (dedupe key per deadline and alert), and the
    //    notices of supervisors' escalations.
    for (const alert of state.dueAlerts(Date.now())) {
      const notice = alertNotice(state, alert); // recipients, kind and words: the domain's alert policy
      await enqueueNotification(notice);
      pending.push(...state.markAlertFired(alert, notice.recipients, system()));
    }
    while (notices.length > 0) {
      await enqueueNotification(notices[0]!);
      notices.shift();
    }
    pending.push(...state.refreshLights(Date.now(), system()));
    // Applications neither accepted nor returned within 5 working days count as accepted on receipt (Art. 32).
    if (statutoryFidelity) {
      const deemed = state.applyDeemedAcceptances(Date.now(), system());
      if (deemed.length > 0) {
        pending.push(...deemed);
        continue; // plan the clocks that now run from the receipt
      }
    }

    // 3. The at-risk forecast: the critical path of the remaining work against the hard deadlines.
    if (needsForecast()) {
      const { governmentTime, ...forecasted } = await forecast({ snapshot: state.snapshot(), at: now(), ...forActivities() });
      pending.push(...state.applyForecast(forecasted, system()));
      if (statutoryFidelity && governmentTime) state.applyGovernmentTime(governmentTime);
      forecastedVersion = state.version;
      forecastDay = toShanghaiDate(Date.now());
    } else if (statutoryFidelity && state.isClosed && forecastedVersion !== state.version) {
      // The project closed: its government time is counted once more, up to the close, and stays.
      const { governmentTime } = await forecast({ snapshot: state.snapshot(), at: now(), ...forActivities() });
      if (governmentTime) state.applyGovernmentTime(governmentTime);
      forecastedVersion = state.version;
    }

    // 3. Write the read model, one writer, in version order.
    if (syncedVersion < state.version) {
      const snapshot = state.snapshot();
      const batch = pending.slice();
      await syncReadModel({ snapshot, entries: batch, ...forActivities() });
      pending.splice(0, batch.length);
      audit.recordWritten(batch);
      syncedVersion = snapshot.version;
      const overdue = snapshot.steps.filter((x) => x.light === 'red').length;
      const index = JSON.stringify([snapshot.stage, snapshot.light, overdue, snapshot.nextDeadline]);
      if (index !== indexed) {
        upsertSearchAttributes([
          { key: SEARCH_ATTRIBUTES.projectStage, value: snapshot.stage },
          { key: SEARCH_ATTRIBUTES.projectTrack, value: snapshot.track },
          { key: SEARCH_ATTRIBUTES.district, value: snapshot.district },
          { key: SEARCH_ATTRIBUTES.light, value: snapshot.light },
          { key: SEARCH_ATTRIBUTES.overdueSteps, value: overdue },
          { key: SEARCH_ATTRIBUTES.nextDeadline, value: snapshot.nextDeadline ? new Date(snapshot.nextDeadline) : null },
        ]);
        indexed = index;
      }
      continue;
    }

    if (state.isClosed) {
      // Let in-flight Updates answer before the run ends.
      await condition(allHandlersFinished);
      if (syncedVersion < state.version) continue;
      return toProjectView(state);
    }

    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      if (syncedVersion < state.version || replanYears !== null || notices.length > 0) continue;
      await continueAsNew<typeof projectWorkflow>({
        kind: 'continued',
        snapshot: state.snapshot(),
        requestId: registrationKey,
        pendingTimeline: pending,
        syncedVersion,
        recentRequests: [...recent.entries()],
        ...audit.carryOver(),
        continueAsNewAfterEvents: continueAsNewAfterEvents ?? undefined,
        ...(input.catchUpHoldMs !== undefined ? { catchUpHoldMs: input.catchUpHoldMs } : {}),
        ...(carriedDefinition !== undefined ? { definition: carriedDefinition } : {}),
      });
    }
  }
}

/** The next 00:00 Asia/Shanghai after an instant (ms). */
function nextShanghaiMidnight(ms: number): number {
  return Date.parse(endOfShanghaiDay(toShanghaiDate(ms)));
}

/** Workflow time (deterministic: the time of the current workflow task), as an ISO 8601 instant. */
function now(): string {
  return new Date(Date.now()).toISOString();
}

/**
 * Runs a domain check or change; a DomainError becomes a non-retryable ApplicationFailure whose `type` is
 * the stable domain code, so the API can map it to 404/409 with the reason as detail.
 */
function refuseAsFailure<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError) throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true });
    throw err;
  }
}
