import { Inject, Injectable } from '@nestjs/common';
import { Client, ServiceError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import {
  DomainError,
  DomainErrorCode,
  latestTrackDefinition,
  parseProjectCode,
  type Actor,
  viewOfSnapshot,
  type ProjectSnapshot,
} from '../../../../libs/domain/index.js';
import { ProjectReadModelRepository, type PageRequest } from '../../../../libs/persistence/index.js';
import {
  awaitSyncedUpdate,
  detailQuery,
  PROJECT_WORKFLOW_TYPE,
  projectActionUpdate,
  projectWorkflowId,
  registrationRequestQuery,
  stepActionUpdate,
  TASK_QUEUE,
  type NewProjectInput,
} from '../../../../libs/temporal/project.contract.js';
import type { projectWorkflow } from '../../../../workflows/project.workflow.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import type { CalendarSource } from '../../../../activities/clock.activities.js';
import { CALENDAR_SOURCE, ledgerContext } from '../database/calendar-source.provider.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';
import type { ListProjectsQueryDto } from './dto/list-projects.query.js';
import type { ProjectActionDto } from './dto/project-action.dto.js';
import type { ActionResultDto, ProjectDto, TimelineEntryDto } from './dto/project.response.js';
import type { RegisterProjectDto } from './dto/register-project.dto.js';
import type { StepActionDto } from './dto/step-action.dto.js';
import { projectFromRow, projectFromView, stepFromView, timelineEntry } from './project.mapper.js';

/**
 * Registers projects and passes officers' actions to their workflows; reads come from the read model.
 * Owns the workflow-id scheme (`project:<code>`). Refusals keep the workflow validator's reason.
 */
@Injectable()
export class ProjectsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly readModel: ProjectReadModelRepository,
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
  ) {}

  /**
   * Starts the workflow of a newly signed project on the latest definition of its track and answers once
   * the read model holds it.
   * @throws DomainError PROJECT.INVALID_CODE (400), DEFINITION.NOT_FOUND (400), PROJECT.ALREADY_EXISTS (409)
   */
  async register(dto: RegisterProjectDto, actor: Actor, requestId: string): Promise<ProjectDto> {
    parseProjectCode(dto.code);
    const definition = latestTrackDefinition(dto.track ?? 'standard');
    if (dto.occurredAt !== undefined) {
      const at = Date.parse(dto.occurredAt);
      const refuse = (why: string) => new ApiProblem(ApiErrorCode.RequestInvalid, why, [{ field: 'occurredAt', message: why }]);
      if (Number.isNaN(at) || at > Date.now() + 60_000) throw refuse(`occurredAt ${dto.occurredAt} is in the future; leave it out to register now`);
      if (at < Date.parse(`${dto.signedAt}T00:00:00+08:00`)) throw refuse(`occurredAt ${dto.occurredAt} is before the signing day ${dto.signedAt}`);
    }
    const input: NewProjectInput = {
      kind: 'new',
      registration: {
        code: dto.code,
        name: dto.name.trim(),
        track: definition.track,
        district: dto.district.trim(),
        investor: dto.investor?.trim() || null,
        investmentYuan: dto.investmentYuan ?? null,
        signedAt: dto.signedAt,
      },
      definitionVersion: definition.version,
      registeredBy: actor,
      requestId,
      occurredAt: dto.occurredAt ?? null,
    };
    const workflowId = projectWorkflowId(dto.code);
    let handle: WorkflowHandle<typeof projectWorkflow>;
    try {
      handle = await this.temporal.workflow.start<typeof projectWorkflow>(PROJECT_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(workflowId);
      // A retry of the very request that started it (same Idempotency-Key) answers as the first did.
      const startedBy = requestId.startsWith('idem:') ? await handle.query(registrationRequestQuery).catch(() => null) : null;
      if (startedBy !== requestId) {
        throw new DomainError(DomainErrorCode.ProjectAlreadyExists, `project ${dto.code} is already registered; open it at /api/v1/projects/${dto.code}`);
      }
    }
    const snapshot = await handle.executeUpdate(awaitSyncedUpdate).catch(async (err: unknown) => {
      if (err instanceof WorkflowNotFoundError || err instanceof ServiceError) return null;
      throw err;
    });
    return projectFromView(snapshot ? viewOfSnapshot(snapshot) : await handle.query(detailQuery), await ledgerContext(this.calendar));
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

  /** Projects matching the filters, one page. */
  async list(q: ListProjectsQueryDto): Promise<ListEnvelope<ProjectDto>> {
    const { items, total } = await this.readModel.listProjects(
      { stage: q.stage, track: q.track, department: q.department, district: q.district, status: q.status, light: q.light },
      { page: q.page, pageSize: q.pageSize },
    );
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
   * An officer's action on a step, as a workflow Update; `requestId` deduplicates repeats.
   * @throws DomainError/Temporal refusals mapped to 404 (unknown project or step) or 409 (wrong state, closed)
   */
  async stepAction(code: string, step: string, dto: StepActionDto, actor: Actor, requestId: string): Promise<ActionResultDto> {
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
            actor,
            requestId,
          },
        ],
        updateId: requestId,
      }),
    );
    const view = viewOfSnapshot(result.project);
    const ctx = await ledgerContext(this.calendar);
    return { project: projectFromView(view, ctx), step: stepFromView(view.steps.find((s) => s.key === step)!, ctx), entries: result.entries.map(timelineEntry) };
  }

  /**
   * A project-level action (suspend, resume, cancel) as a workflow Update.
   * @throws as {@link stepAction}
   */
  async projectAction(code: string, dto: ProjectActionDto, actor: Actor, requestId: string): Promise<ActionResultDto> {
    parseProjectCode(code);
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(code));
    const result = await this.whenOpen(code, () =>
      handle.executeUpdate(projectActionUpdate, {
        args: [{ action: dto.action, comment: dto.comment ?? null, step: dto.step ?? null, occurredAt: dto.occurredAt ?? null, actor, requestId }],
        updateId: requestId,
      }),
    );
    return { project: projectFromView(viewOfSnapshot(result.project), await ledgerContext(this.calendar)), entries: result.entries.map(timelineEntry) };
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
