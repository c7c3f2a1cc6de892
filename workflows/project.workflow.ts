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
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProjectActivities } from '../activities/project.activities.js';
import {
  DomainError,
  ProjectState,
  getTrackDefinition,
  toProjectView,
  type ProjectView,
  type TimelineEntry,
} from '../libs/domain/index.js';
import {
  awaitSyncedUpdate,
  detailQuery,
  projectActionUpdate,
  registrationRequestQuery,
  SEARCH_ATTRIBUTES,
  stepActionUpdate,
  type ActionResult,
  type ProjectWorkflowInput,
} from '../libs/temporal/project.contract.js';

// Read-model writes retry until PostgreSQL is back: the action is already durable in history.
const { syncReadModel } = proxyActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How long an Update waits for its change to reach the read model before answering anyway. */
const SYNC_WAIT = '10 seconds';
/** This many recent request ids are remembered, so a repeated request answers without a second effect. */
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
  // Request id → timeline entries it produced: a repeated request answers them again, with no second effect.
  const recent = new Map<string, TimelineEntry[]>();

  if (input.kind === 'new') {
    const definition = getTrackDefinition(input.registration.track, input.definitionVersion);
    const registered = ProjectState.register(definition, input.registration, { at: now(), actor: input.registeredBy });
    state = registered.state;
    pending = registered.entries;
    syncedVersion = 0;
  } else {
    state = ProjectState.restore(getTrackDefinition(input.snapshot.track, input.snapshot.definitionVersion), input.snapshot);
    pending = input.pendingTimeline;
    syncedVersion = input.syncedVersion;
    for (const [id, entries] of input.recentRequests) recent.set(id, entries);
  }
  const requestId = input.requestId;

  const answerAfterSync = async (id: string, entries: TimelineEntry[]): Promise<ActionResult> => {
    pending.push(...entries);
    recent.set(id, entries);
    if (recent.size > RECENT_REQUESTS) recent.delete(recent.keys().next().value!);
    const project = state.snapshot();
    await condition(() => syncedVersion >= project.version, SYNC_WAIT);
    return { project, entries };
  };
  const repeatAnswer = (id: string): ActionResult | undefined => {
    const entries = recent.get(id);
    return entries ? { project: state.snapshot(), entries } : undefined;
  };

  setHandler(detailQuery, () => toProjectView(state));
  setHandler(registrationRequestQuery, () => requestId);

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
        refuseAsFailure(() => state.checkStepAction(req.step, req));
      },
    },
  );

  setHandler(
    projectActionUpdate,
    async (req) => {
      const repeated = repeatAnswer(req.requestId);
      if (repeated) return repeated;
      const entries = refuseAsFailure(() => state.applyProjectAction(req, { at: now(), actor: req.actor }));
      return answerAfterSync(req.requestId, entries);
    },
    {
      validator: (req) => {
        if (recent.has(req.requestId)) return;
        refuseAsFailure(() => state.checkProjectAction(req));
      },
    },
  );

  setHandler(awaitSyncedUpdate, async () => {
    const version = state.version;
    await condition(() => syncedVersion >= version, SYNC_WAIT);
    return state.snapshot();
  });

  let indexedStage = '';
  for (;;) {
    await condition(() => syncedVersion < state.version || state.isClosed || workflowInfo().continueAsNewSuggested);

    if (syncedVersion < state.version) {
      const snapshot = state.snapshot();
      const batch = pending.slice();
      await syncReadModel({ snapshot, entries: batch });
      pending.splice(0, batch.length);
      syncedVersion = snapshot.version;
      if (snapshot.stage !== indexedStage) {
        upsertSearchAttributes([
          { key: SEARCH_ATTRIBUTES.projectStage, value: snapshot.stage },
          { key: SEARCH_ATTRIBUTES.projectTrack, value: snapshot.track },
          { key: SEARCH_ATTRIBUTES.district, value: snapshot.district },
        ]);
        indexedStage = snapshot.stage;
      }
      continue;
    }

    if (state.isClosed) {
      // Let in-flight Updates answer before the run ends.
      await condition(allHandlersFinished);
      if (syncedVersion < state.version) continue;
      return toProjectView(state);
    }

    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (syncedVersion < state.version) continue;
      await continueAsNew<typeof projectWorkflow>({
        kind: 'continued',
        snapshot: state.snapshot(),
        requestId,
        pendingTimeline: pending,
        syncedVersion,
        recentRequests: [...recent.entries()],
      });
    }
  }
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
