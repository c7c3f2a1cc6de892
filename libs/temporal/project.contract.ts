/*
 * The contract between the API and the project workflow: task queue, workflow type and id scheme, and
 * every Update, Signal and Query. Both sides import this file, and it is bundled into the workflow
 * sandbox, so it imports only @temporalio/workflow, @temporalio/common and pure domain types.
 * Message names are wire names: never rename one once released.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  FactKind,
  ProjectActionInput,
  ProjectRegistration,
  ProjectSnapshot,
  ProjectView,
  StepActionInput,
  TimelineEntry,
} from '../domain/index.js';

/** Task queue the project workers poll. */
export const TASK_QUEUE = 'project-approvals';

/** Workflow type name (the exported workflow function's name). */
export const PROJECT_WORKFLOW_TYPE = 'projectWorkflow';

/*
 * Three ids travel with a request, each with its own name:
 * - the idempotency key ({@link IdempotencyKey}) of one write, which the workflow deduplicates Updates by;
 * - the registration key ({@link RegistrationKey}), the idempotency key the project was registered with;
 * - the correlation id (`X-Request-Id`, the log's `req.id`, a problem's `correlationId`), which never reaches the
 *   workflow.
 * The Update and input fields that carry the first two are serialized as `requestId`: that name is recorded in the
 * histories of running workflows, so it stays on the wire; the types below say which of the two a field holds.
 */

/**
 * The idempotency key of one write: `idem:` and the hash of the caller's `Idempotency-Key` scoped to the caller,
 * or a fresh UUID when the request carried none. The workflow answers a repeated key with the first result and
 * no second effect (across continue-as-new too); the API also uses it as the Update id.
 */
export type IdempotencyKey = string;

/** The idempotency key of the request that registered a project, so a retried `POST /projects` recognises its own start. */
export type RegistrationKey = IdempotencyKey;

/** Workflow id of a project: one execution per project code, never reused. */
export function projectWorkflowId(code: string): string {
  return `project:${code}`;
}

/** Input of a new project's workflow: the registration, the pinned definition version and who registered it. */
export interface NewProjectInput {
  kind: 'new';
  registration: ProjectRegistration;
  definitionVersion: number;
  registeredBy: Actor;
  /** The registration key (wire name `requestId`, recorded in histories); null when none was given. */
  requestId: RegistrationKey | null;
  /** Continue-as-new once history has this many events (besides the server's suggestion); for operators and tests. */
  continueAsNewAfterEvents?: number;
  /** When the project was really registered, if earlier than now (ISO 8601); not before the signing day. */
  occurredAt?: string | null;
  /** The district's local kinds of excluded period (configuration, e.g. `{ public_notice: '公示' }`). */
  localExcludedPeriodKinds?: Record<string, string>;
  /**
   * How long alerts already due when their deadline is planned are held, milliseconds (configuration
   * CATCH_UP_HOLD_MS); absent: the domain's default of 60 000, which every history recorded before it was a setting used.
   */
  catchUpHoldMs?: number;
}

/** Input after continue-as-new: the whole state, the timeline not yet written and the recent idempotency keys. */
export interface ContinuedProjectInput {
  kind: 'continued';
  snapshot: ProjectSnapshot;
  /** The registration key carried over (wire name `requestId`, recorded in histories). */
  requestId: RegistrationKey | null;
  pendingTimeline: TimelineEntry[];
  syncedVersion: number;
  /** Recent idempotency keys with the timeline entries their Update produced (wire name `recentRequests`). */
  recentRequests: Array<[IdempotencyKey, TimelineEntry[]]>;
  continueAsNewAfterEvents?: number;
  /** The catch-up hold the run started with, carried over (see {@link NewProjectInput.catchUpHoldMs}). */
  catchUpHoldMs?: number;
}

/** Input of {@link PROJECT_WORKFLOW_TYPE}. */
export type ProjectWorkflowInput = NewProjectInput | ContinuedProjectInput;

/**
 * What an Update answers: the project's state after the action (a snapshot; join it with its definition
 * through `viewOfSnapshot`) and the timeline entries the action produced.
 */
export interface ActionResult {
  project: ProjectSnapshot;
  entries: TimelineEntry[];
}

/** An officer's action on one step. */
export interface StepActionRequest extends StepActionInput {
  step: string;
  actor: Actor;
  /** The write's idempotency key (wire name `requestId`, recorded in histories). */
  requestId: IdempotencyKey;
}

/** A project-level action (suspend, resume, cancel). */
export interface ProjectActionRequest extends ProjectActionInput {
  actor: Actor;
  /** The write's idempotency key (wire name `requestId`, recorded in histories). */
  requestId: IdempotencyKey;
}

/** A fact from outside the departments (`POST /events`, system role), e.g. the land price paid in full. */
export interface ProjectFactRequest {
  kind: FactKind;
  /** When it happened (ISO 8601 instant with offset); not in the future, not before signing. */
  occurredAt: string;
  reference?: string | null;
  /** Amount paid, decimal yuan. */
  amountYuan?: string | null;
  actor: Actor;
  /** The write's idempotency key (wire name `requestId`, recorded in histories). */
  requestId: IdempotencyKey;
}

/** Sent by the API for an inbound fact; the validator refuses an unknown, repeated or ill-dated one. */
export const projectFactUpdate = defineUpdate<ActionResult, [ProjectFactRequest]>('projectFact');

/** Sent by the API for an officer's step action; the validator refuses illegal ones with a reason. */
export const stepActionUpdate = defineUpdate<ActionResult, [StepActionRequest]>('stepAction');

/** Sent by the API for suspend, resume and cancel. */
export const projectActionUpdate = defineUpdate<ActionResult, [ProjectActionRequest]>('projectAction');

/** Sent by the API right after registration: answers once the read model holds the project. */
export const awaitSyncedUpdate = defineUpdate<ProjectSnapshot, []>('awaitSynced');

/**
 * Sent by the API after an administrator loads a year's official holiday notice (PUT /calendar/{year}):
 * the workflow re-plans its open deadlines that fall in those years and records each change.
 */
export const calendarChangedSignal = defineSignal<[{ years: number[] }]>('calendarChanged');

/** Live detail of the project, straight from workflow state. */
export const detailQuery = defineQuery<ProjectView>('detail');

/** The project's registration key (null when none); asked by the API when a registration finds the workflow started. */
export const registrationKeyQuery = defineQuery<RegistrationKey | null>('registrationRequest');

/** Search attributes the workflow upserts, so the Temporal UI and `temporal workflow list` serve operators. */
export const SEARCH_ATTRIBUTES = {
  projectStage: defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD),
  projectTrack: defineSearchAttributeKey('ProjectTrack', SearchAttributeType.KEYWORD),
  district: defineSearchAttributeKey('District', SearchAttributeType.KEYWORD),
  light: defineSearchAttributeKey('Light', SearchAttributeType.KEYWORD),
  overdueSteps: defineSearchAttributeKey('OverdueSteps', SearchAttributeType.INT),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
} as const;

/**
 * Name, CLI type and API indexed-value type of each custom search attribute, for registering them on a
 * server (`--search-attribute Name=Type`, or the operator service: 2 Keyword, 3 Int, 6 Datetime).
 */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: ReadonlyArray<{ name: string; type: 'Keyword' | 'Int' | 'Datetime'; indexedValueType: number }> = [
  { name: 'ProjectStage', type: 'Keyword', indexedValueType: 2 },
  { name: 'ProjectTrack', type: 'Keyword', indexedValueType: 2 },
  { name: 'District', type: 'Keyword', indexedValueType: 2 },
  { name: 'Light', type: 'Keyword', indexedValueType: 2 },
  { name: 'OverdueSteps', type: 'Int', indexedValueType: 3 },
  { name: 'NextDeadline', type: 'Datetime', indexedValueType: 6 },
];
