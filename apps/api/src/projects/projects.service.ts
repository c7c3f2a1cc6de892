import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, ServiceError, WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import {
  DomainError,
  DomainErrorCode,
  parseProjectCode,
  allTrackDefinitions,
  isShippedTrackDefinition,
  type Actor,
  type FactKind,
  type TrackDefinition,
  type TrackKey,
  viewOfSnapshot,
  type ProjectSnapshot,
  type ProjectView,
} from '../../../../libs/domain/index.js';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { ProjectReadModelRepository, TrackRegistry, type PageRequest } from '../../../../libs/persistence/index.js';
import {
  awaitSyncedUpdate,
  detailQuery,
  migrateTrackUpdate,
  PROJECT_WORKFLOW_TYPE,
  projectActionUpdate,
  projectFactUpdate,
  projectWorkflowId,
  registrationKeyQuery,
  stepActionUpdate,
  TASK_QUEUE,
  type IdempotencyKey,
  type NewProjectInput,
  type StepActionRequest,
} from '../../../../libs/temporal/project.contract.js';
import type { projectWorkflow } from '../../../../workflows/project.workflow.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { toShanghaiDate, type CalendarSource } from '../../../../libs/calendar/index.js';
import { CALENDAR_SOURCE, ledgerContext } from '../database/calendar-source.provider.js';
import { ProjectRegistrations } from '../events/project-registrations.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';
import type { ListProjectsQueryDto } from './dto/list-projects.query.js';
import type { ProjectActionDto } from './dto/project-action.dto.js';
import type { ActionResultDto, ProjectDto, ProjectListItemDto, TimelineEntryDto } from './dto/project.response.js';
import type { RegisterProjectDto } from './dto/register-project.dto.js';
import type { StepActionDto } from './dto/step-action.dto.js';
import type { TrackMigrationDto } from './dto/track-migration.dto.js';
import { projectBasicFromRow, projectFromRow, projectFromView, timelineEntry } from './project.mapper.js';
import { projectRegistration } from './project-registration.js';
import { inSpan } from '../../../../libs/observability/tracing.js';

/**
 * Registers projects and passes officers' actions to their workflows; reads come from the read model.
 * Owns the workflow-id scheme (`project:<code>`). Refusals keep the workflow validator's reason.
 */
@Injectable()
export class ProjectsService {
  private readonly logger = new Logger('ProjectsService');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly readModel: ProjectReadModelRepository,
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
    private readonly config: ConfigService<AppConfig, true>,
    @Optional() private readonly registrations?: ProjectRegistrations,
    @Optional() private readonly tracks?: TrackRegistry,
  ) {}

  /**
   * Starts the workflow of a newly signed project on the latest definition of its track (or `trackVersion`), shipped or
   * published; a published one is passed whole in the workflow's input (a shipped one is in the workflow's code, and
   * a shipped version never changes, so the input leaves its ~19 KB out of every project's history), and answers once the read model holds it. The project gets the route (备案 by default) and the district's local kinds of excluded
   * period (LOCAL_EXCLUDED_PERIOD_KINDS) and the catch-up hold (CATCH_UP_HOLD_MS) as they are now.
   * `position` (a ledger import): back-dated step actions the workflow applies in its first task, each with its own
   * idempotency key; how far they went is the workflow's importedPosition query.
   * @throws DomainError PROJECT.INVALID_CODE (400), PROJECT.ALREADY_EXISTS (409)
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) for a track, or a version of it, that was never released, naming those that were;
   *   for a signing day after today (Asia/Shanghai), or an occurredAt in the future or before the signing day
   */
  async register(dto: RegisterProjectDto, actor: Actor, idempotencyKey: IdempotencyKey, position?: StepActionRequest[]): Promise<ProjectDto> {
    parseProjectCode(dto.code);
    const definition = await this.pinnedDefinition(dto.track ?? 'standard', dto.trackVersion);
    // A project is registered once it is signed (as the ledger import refuses a signing day after the day it runs).
    const today = toShanghaiDate(Date.now());
    if (dto.signedAt > today) {
      const why = `signedAt ${dto.signedAt} is after today (${today}, Asia/Shanghai); register the project once it is signed`;
      throw new ApiProblem(ApiErrorCode.RequestUnprocessable, why, [{ field: 'signedAt', message: why }]);
    }
    if (dto.occurredAt !== undefined) {
      const at = Date.parse(dto.occurredAt);
      const refuse = (why: string) => new ApiProblem(ApiErrorCode.RequestUnprocessable, why, [{ field: 'occurredAt', message: why }]);
      if (Number.isNaN(at) || at > Date.now() + 60_000) throw refuse(`occurredAt ${dto.occurredAt} is in the future; leave it out to register now`);
      if (at < Date.parse(`${dto.signedAt}T00:00:00+08:00`)) throw refuse(`occurredAt ${dto.occurredAt} is before the signing day ${dto.signedAt}`);
    }
    const input: NewProjectInput = {
      kind: 'new',
      registration: projectRegistration(dto, definition),
      definitionVersion: definition.version,
      registeredBy: actor,
      // The registration key: this request's idempotency key, so a retry can recognise the start as its own.
      requestId: idempotencyKey,
      occurredAt: dto.occurredAt ?? null,
      localExcludedPeriodKinds: { ...this.config.get('LOCAL_EXCLUDED_PERIOD_KINDS', { infer: true }) },
      catchUpHoldMs: this.config.get('CATCH_UP_HOLD_MS', { infer: true }),
      ...(position !== undefined ? { position } : {}),
      ...(isShippedTrackDefinition(definition.track, definition.version) ? {} : { definition }),
    };
    const workflowId = projectWorkflowId(dto.code);
    // The start and the Update that waits for the read model go in one request (Update-with-Start): the workflow's first
    // task registers the project, applies any position, writes the read model and answers, with no second round trip.
    const start = new WithStartWorkflowOperation<typeof projectWorkflow>(PROJECT_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    let snapshot: ProjectSnapshot | null;
    try {
      snapshot = await this.temporal.workflow.executeUpdateWithStart(awaitSyncedUpdate, { startWorkflowOperation: start });
    } catch (err) {
      const started = await start.workflowHandle().then(
        () => true,
        () => false,
      );
      if (started) {
        // Started, but the answer did not come: the live state is asked below.
        if (!(err instanceof WorkflowNotFoundError || err instanceof ServiceError)) throw err;
        snapshot = null;
      } else {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        // A retry of the very request that started it (same Idempotency-Key) answers as the first did.
        const existing = this.temporal.workflow.getHandle<typeof projectWorkflow>(workflowId);
        const startedBy = idempotencyKey.startsWith('idem:') ? await existing.query(registrationKeyQuery).catch(() => null) : null;
        if (startedBy !== idempotencyKey) {
          throw new DomainError(DomainErrorCode.ProjectAlreadyExists, `project ${dto.code} is already registered; open it at /api/v1/projects/${dto.code}`);
        }
        snapshot = await existing.executeUpdate(awaitSyncedUpdate).catch(async (e: unknown) => {
          if (e instanceof WorkflowNotFoundError || e instanceof ServiceError) return null;
          throw e;
        });
      }
    }
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(workflowId);
    const project = projectFromView(snapshot ? await this.viewOf(snapshot) : await handle.query(detailQuery), await ledgerContext(this.calendar));
    // Events other systems sent before the project was registered (parked) are applied now, in occurredAt order.
    await this.registrations?.registered(dto.code);
    return project;
  }

  /**
   * The project and its steps from the read model.
   * @throws DomainError PROJECT.INVALID_CODE (400), PROJECT.NOT_FOUND (404)
   */
  async detail(code: string): Promise<ProjectDto> {
    parseProjectCode(code);
    const row = await this.readModel.findProject(code);
    if (!row) throw notFound(code);
    return projectFromRow(row, await ledgerContext(this.calendar));
  }

  /** Projects matching the filters, one page: each with its steps, or without them for `view=basic`. */
  async list(q: ListProjectsQueryDto): Promise<ListEnvelope<ProjectListItemDto>> {
    const basic = q.view === 'basic';
    const { items, total } = await this.readModel.listProjects(
      { stage: q.stage, track: q.track, department: q.department, district: q.district, status: q.status, light: q.light, dueFrom: q.dueFrom, dueTo: q.dueTo },
      { page: q.page, pageSize: q.pageSize },
      !basic,
    );
    if (basic) return { items: items.map(projectBasicFromRow), total, page: q.page, pageSize: q.pageSize };
    const ctx = await ledgerContext(this.calendar);
    return { items: items.map((p) => projectFromRow(p, ctx)), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * The project's audit trail in order.
   * @throws DomainError PROJECT.INVALID_CODE (400), PROJECT.NOT_FOUND (404)
   */
  async timeline(code: string, page: PageRequest): Promise<ListEnvelope<TimelineEntryDto>> {
    parseProjectCode(code);
    const { items, total } = await this.readModel.timeline(code, page);
    if (total === 0 && !(await this.readModel.exists(code))) throw notFound(code);
    return { items: items.map(timelineEntry), total, ...page };
  }

  /**
   * An officer's action on a step, as a workflow Update; `idempotencyKey` deduplicates repeats. The statutory fields
   * (extension, excluded period, notice day, renewal, contract terms) go to the domain as given.
   * @throws DomainError/Temporal refusals mapped to 404 (unknown project or step), 409 (wrong state, closed, invalid),
   *   422 RULE.REFUSED (an extension over the cap or a second one, a renewal beyond its rule); who may act is the policy's
   *   (403 AUTH.FORBIDDEN before this is called)
   */
  async stepAction(code: string, step: string, dto: StepActionDto, actor: Actor, idempotencyKey: IdempotencyKey): Promise<ActionResultDto> {
    parseProjectCode(code);
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(code));
    const result = await this.whenOpen(code, () =>
      handle.executeUpdate(stepActionUpdate, {
        args: [
          {
            step,
            action: dto.action,
            comment: dto.comment ?? null,
            assignee: dto.assignee ?? null,
            waiverDueOn: dto.waiverDueOn ?? null,
            occurredAt: dto.occurredAt ?? null,
            extensionWorkingDays: dto.extensionWorkingDays ?? null,
            approvalRef: dto.approvalRef ?? null,
            noticeOn: dto.noticeOn ?? null,
            exclusionKind: dto.exclusionKind ?? null,
            expiry: dto.expiry ?? null,
            renewalMonths: dto.renewalMonths ?? null,
            contractTerms: dto.contractTerms
              ? { preparationMonths: dto.contractTerms.preparationMonths ?? null, buildMonths: dto.contractTerms.buildMonths ?? null }
              : null,
            actor,
            requestId: idempotencyKey,
          },
        ],
        updateId: idempotencyKey,
      }),
    );
    return inSpan('answer mapping', async () => {
      const view = await this.viewOf(result.project);
      const project = projectFromView(view, await ledgerContext(this.calendar));
      return { project, step: project.steps.find((s) => s.key === step)!, entries: result.entries.map(timelineEntry) };
    });
  }

  /**
   * A project-level action (suspend, resume, cancel) as a workflow Update.
   * @throws as {@link stepAction}
   */
  async projectAction(code: string, dto: ProjectActionDto, actor: Actor, idempotencyKey: IdempotencyKey): Promise<ActionResultDto> {
    parseProjectCode(code);
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(code));
    const result = await this.whenOpen(code, () =>
      handle.executeUpdate(projectActionUpdate, {
        args: [{ action: dto.action, comment: dto.comment ?? null, step: dto.step ?? null, occurredAt: dto.occurredAt ?? null, actor, requestId: idempotencyKey }],
        updateId: idempotencyKey,
      }),
    );
    return { project: projectFromView(await this.viewOf(result.project), await ledgerContext(this.calendar)), entries: result.entries.map(timelineEntry) };
  }

  /**
   * Records a fact from another system (`POST /events`, e.g. the land price paid in full) on the project's workflow,
   * as a workflow Update; `idempotencyKey` (from the Idempotency-Key) deduplicates repeats, so a replay has no second effect.
   * Input: the project code, the fact (kind, when it happened as an ISO 8601 instant with offset, an optional
   * reference and amount in decimal yuan), the system caller and the write's idempotency key.
   * @returns the project after the fact and the timeline entries it produced (e.g. `fact.land_price_paid`, and
   *   `step.ready` of a step that waited for it)
   * @throws DomainError PROJECT.INVALID_CODE (400), PROJECT.NOT_FOUND (404), PROJECT.CLOSED (409); the workflow's
   *   refusals: PROJECT.INVALID_STATE (409, the fact is already recorded), ACTION.INVALID (409, an unknown kind, a
   *   day in the future or before signing)
   */
  async recordFact(
    code: string,
    fact: { kind: FactKind; occurredAt: string; reference: string | null; amountYuan: string | null },
    actor: Actor,
    idempotencyKey: IdempotencyKey,
  ): Promise<ActionResultDto> {
    parseProjectCode(code);
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(code));
    const result = await this.whenOpen(code, () => handle.executeUpdate(projectFactUpdate, { args: [{ ...fact, actor, requestId: idempotencyKey }], updateId: idempotencyKey }));
    return { project: projectFromView(await this.viewOf(result.project), await ledgerContext(this.calendar)), entries: result.entries.map(timelineEntry) };
  }

  /**
   * Moves a running project to a newer version of its track (the workflow's migrateTrack Update, with the target
   * definition whole): done steps carry over, new steps start blocked or ready by their dependencies, and the
   * migration is on the timeline (`project.track_migrated`, with actor, time and the mapping) and in the log.
   * Input: the project code, `{ toVersion, comment? }`, the caller (an admin or a head of the project office: policy
   * project.migrate_track, checked before) and the write's idempotency key (a repeat answers the first result).
   * @returns the project on the new version and the entries the migration produced
   * @throws DomainError PROJECT.INVALID_CODE (400), PROJECT.NOT_FOUND (404), PROJECT.CLOSED (409),
   *   TRACK.MIGRATION_REFUSED (422: no such version of the track, not newer, a removed step in progress…; the detail says which)
   */
  async migrateTrack(code: string, dto: TrackMigrationDto, actor: Actor, idempotencyKey: IdempotencyKey): Promise<ActionResultDto> {
    parseProjectCode(code);
    const row = await this.readModel.findProject(code);
    if (!row) throw notFound(code);
    const definition = await this.trackVersion(row.track, dto.toVersion);
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(code));
    const result = await this.whenOpen(code, () =>
      handle.executeUpdate(migrateTrackUpdate, { args: [{ definition, comment: dto.comment ?? null, actor, requestId: idempotencyKey }], updateId: idempotencyKey }),
    );
    const migrated = result.entries.find((e) => e.type === 'project.track_migrated');
    if (migrated) {
      const { from, to, added, dropped, reblocked } = migrated.data as { from: string; to: string; added: unknown[]; dropped: unknown[]; reblocked: unknown[] };
      this.logger.log(`project ${code} moved from ${from} to ${to} by ${actor.id}: ${added.length} steps added, ${dropped.length} dropped, ${reblocked.length} waiting again`);
    }
    return { project: projectFromView(await this.viewOf(result.project), await ledgerContext(this.calendar)), entries: result.entries.map(timelineEntry) };
  }

  /**
   * The view of a snapshot joined with its pinned definition, which the track registry reloads first when this process
   * lacks it (a version another API instance published).
   * @throws DomainError DEFINITION.NOT_FOUND when no such definition was ever released
   */
  private async viewOf(snapshot: ProjectSnapshot): Promise<ProjectView> {
    if (this.tracks) await this.tracks.definition(snapshot.track, snapshot.definitionVersion).catch(() => undefined);
    return viewOfSnapshot(snapshot);
  }

  /**
   * The definition a new project pins: `track` at `version`, or its latest version, from the track registry (shipped and
   * published; without a registry, the shipped ones).
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) naming the known tracks, or the track's versions
   */
  private async pinnedDefinition(track: TrackKey, version: number | undefined): Promise<TrackDefinition> {
    const all = this.tracks ? await this.tracks.all() : allTrackDefinitions();
    const refuse = (field: string, message: string) => new ApiProblem(ApiErrorCode.RequestUnprocessable, message, [{ field, message }]);
    const versions = all.filter((d) => d.track === track).sort((a, b) => a.version - b.version);
    if (versions.length === 0) throw refuse('track', `no track "${track}"; tracks: ${[...new Set(all.map((d) => d.track))].sort().join(', ')}`);
    if (version === undefined) return versions[versions.length - 1]!;
    const def = versions.find((d) => d.version === version);
    if (!def) throw refuse('trackVersion', `track "${track}" has no version ${version}; versions: ${versions.map((d) => d.version).join(', ')}`);
    return def;
  }

  /**
   * The definition of `track` at `version`, whole, as the project will run on it: from the track registry (shipped and
   * published, reloaded first so a version another process published counts; without a registry, the shipped ones).
   * @throws DomainError TRACK.MIGRATION_REFUSED naming the versions that exist
   */
  private async trackVersion(track: string, version: number): Promise<TrackDefinition> {
    const versions = (this.tracks ? await this.tracks.all() : allTrackDefinitions()).filter((d) => d.track === track).sort((a, b) => a.version - b.version);
    const def = versions.find((d) => d.version === version);
    if (!def) {
      throw new DomainError(DomainErrorCode.TrackMigrationRefused, `track '${track}' has no version ${version}; its versions are ${versions.map((d) => d.version).join(', ')}`);
    }
    return def;
  }

  /** Runs an Update; a workflow that is gone becomes 404 (never registered) or 409 (completed/cancelled). */
  private async whenOpen<T extends { project: ProjectSnapshot }>(code: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const gone = err instanceof WorkflowNotFoundError || (err instanceof ServiceError && /already completed|not found/i.test(err.message));
      if (!gone) throw err;
      const row = await this.readModel.findProject(code);
      if (!row) throw notFound(code);
      if (row.status === 'completed' || row.status === 'cancelled') {
        throw new DomainError(DomainErrorCode.ProjectClosed, `project ${code} is ${row.status}; no further actions are possible`);
      }
      throw err;
    }
  }
}

function notFound(code: string): DomainError {
  return new DomainError(DomainErrorCode.ProjectNotFound, `no project with code ${code}; register it with POST /api/v1/projects`);
}
