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
  TrackDefinition,
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
  /**
   * Step actions that bring the new project to a position it already had on paper (a ledger import), each back-dated
   * with its `occurredAt` and carrying its own idempotency key: applied in order in the run's first task, through the
   * same checks and changes as {@link stepActionUpdate}, each step's clock planned after the action that changes it.
   * The first refused action ends the list ({@link importedPositionQuery} tells which and why). Absent: none.
   */
  position?: StepActionRequest[];
  /**
   * The definition the project runs on, whole, when it is one published at run time (the API resolves
   * `registration.track` at `definitionVersion` from its track registry), so the run never depends on what the
   * registry holds later and its history carries it; it is carried across continue-as-new
   * ({@link ContinuedProjectInput.definition}). Absent: the shipped definition of `registration.track` at
   * `definitionVersion`, which is in the workflow's code and never changes (a shipped version stays as long as a
   * project may pin it). Histories recorded while the API passed shipped definitions too carry them and replay so.
   */
  definition?: TrackDefinition;
}

/** How far the {@link NewProjectInput.position} of a registration was applied. */
export interface ImportedPosition {
  /** Actions applied, from the first. */
  applied: number;
  /** The action refused (its index in the list, step, action, instant) with the domain's code and reason; null when none was. */
  refused: { index: number; step: string; action: string; occurredAt: string | null; code: string; message: string } | null;
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
  /**
   * The audit trail already written to the read model, carried over so the workflow can always answer its whole
   * timeline ({@link auditTrailQuery}); absent in runs continued before the workflow kept it (their earlier entries are
   * in the earlier runs' histories).
   */
  auditTrail?: TimelineEntry[];
  /** The idempotency key of each officer's or system's write, by the `seq` of the first entry it produced. */
  auditRequests?: Array<[number, IdempotencyKey]>;
  /** The smallest `seq` the carried trail knows (1: the whole trail); see {@link AuditTrailPage.firstKnownSeq}. */
  auditFirstSeq?: number;
  /**
   * The definition the project runs on, whole, when it is not the one shipped with the code under the snapshot's track
   * and version (a project moved by {@link migrateTrackUpdate}, or started on a definition published at run time).
   * Absent: the shipped definition of `snapshot.track` at `snapshot.definitionVersion` (every run continued before).
   */
  definition?: TrackDefinition;
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

/**
 * Moving a running project to a newer version of its track (an admin or a head of the project office): the target
 * definition travels whole in the request, so a replay never depends on what the track registry holds later.
 */
export interface TrackMigrationRequest {
  /** The definition to move to: same track, higher version (validated by the API's track loader). */
  definition: TrackDefinition;
  comment?: string | null;
  actor: Actor;
  /** The write's idempotency key (wire name `requestId`, recorded in histories). */
  requestId: IdempotencyKey;
}

/**
 * Sent by the API for `POST /projects/{code}/track-migration`; the validator refuses another track, a version not
 * newer, a finished project and a mapping the project cannot take (TRACK.MIGRATION_REFUSED naming the steps).
 */
export const migrateTrackUpdate = defineUpdate<ActionResult, [TrackMigrationRequest]>('migrateTrack');

/** Sent by the API right after registration: answers once the read model holds the project. */
export const awaitSyncedUpdate = defineUpdate<ProjectSnapshot, []>('awaitSynced');

/**
 * Sent by the API after an administrator loads a year's official holiday notice (PUT /calendar/{year}):
 * the workflow re-plans its open deadlines that fall in those years and records each change.
 */
export const calendarChangedSignal = defineSignal<[{ years: number[] }]>('calendarChanged');

/** Live detail of the project, straight from workflow state. */
export const detailQuery = defineQuery<ProjectView>('detail');

/** A page request of {@link auditTrailQuery}: entries with `seq` above `afterSeq` (default 0), at most `limit` (default and cap 1000). */
export interface AuditTrailRequest {
  afterSeq?: number;
  limit?: number;
}

/** The largest page {@link auditTrailQuery} answers, so an answer stays far below the server's payload limit. */
export const AUDIT_TRAIL_PAGE_MAX = 1000;

/** One page of a project's audit trail as the workflow knows it. */
export interface AuditTrailPage {
  /** Timeline entries in `seq` order: the registration, every action, every automatic event (written or not yet). */
  entries: TimelineEntry[];
  /** For the page's entries that an Update produced: `[seq of its first entry, idempotency key]`. */
  requests: Array<[number, IdempotencyKey]>;
  /**
   * The smallest `seq` this run knows (1 when it knows the whole trail); larger in a run continued before the workflow
   * kept its trail: the entries below it are in the earlier runs (query them by run id while within retention).
   */
  firstKnownSeq: number;
  /** The `seq` of the last entry the project produced (0: none). */
  lastSeq: number;
  /** True when entries after this page exist (ask again with `afterSeq` = the page's last `seq`). */
  hasMore: boolean;
}

/**
 * The project's audit trail straight from workflow state, paged: what rebuilds the read model's timeline after its
 * loss. Answered by closed runs too, while within the namespace's retention.
 */
export const auditTrailQuery = defineQuery<AuditTrailPage, [AuditTrailRequest?]>('auditTrail');

/** How far the registration's position was applied (null for a run started without one, or continued). */
export const importedPositionQuery = defineQuery<ImportedPosition | null>('importedPosition');

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
