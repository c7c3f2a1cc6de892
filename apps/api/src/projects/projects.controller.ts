import { Body, Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { projectActionPermission } from '../auth/policy.js';
import { actorOf, CurrentUser } from '../common/actor.decorator.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';
import { ApiIdempotencyKey, ApiProblems, ApiProjectCodeParam, ApiSecuredProblems, ApiStepKeyParam, ApiWriteProblems, DUE_RANGE_REFUSED } from '../common/openapi.js';
import { PageQueryDto, type ListEnvelope } from '../common/pagination.dto.js';
import { IdempotencyKeyParam } from '../common/idempotency-key.decorator.js';
import { ListProjectsQueryDto } from './dto/list-projects.query.js';
import { ProjectActionDto } from './dto/project-action.dto.js';
import { ActionResultDto, ProjectDto, ProjectListDto, TimelineListDto, type ProjectListItemDto, type TimelineEntryDto } from './dto/project.response.js';
import { RegisterProjectDto } from './dto/register-project.dto.js';
import { StepActionDto } from './dto/step-action.dto.js';
import { TrackMigrationDto } from './dto/track-migration.dto.js';
import { ProjectLocationInterceptor } from './project-location.interceptor.js';
import { ProjectsService } from './projects.service.js';

const NOT_FOUND = { status: 404, description: 'No project with this code: PROJECT.NOT_FOUND' };
const REUSED_KEY = 'IDEMPOTENCY.KEY_REUSED: the Idempotency-Key was used for a different request';
const IN_PROGRESS = 'IDEMPOTENCY.IN_PROGRESS: a request with this Idempotency-Key still runs';

/**
 * Projects: registration, lists, detail, timeline and officers' actions. Every route needs a bearer token; who may
 * do what is decided by auth/policy.ts (project.read, project.register, step.act, step.reassign, step.extend,
 * project.suspend…).
 */
@ApiTags('projects')
@ApiSecuredProblems()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly authz: AuthorizationService,
  ) {}

  @Post()
  @HttpCode(201)
  @UseInterceptors(ProjectLocationInterceptor, IdempotencyInterceptor)
  @ApiOperation({ summary: 'Register a signed project and start its workflow' })
  @ApiIdempotencyKey()
  @ApiResponse({
    status: 201,
    type: ProjectDto,
    description: 'The project, registered (also when a repeat with the same Idempotency-Key answers it again)',
    headers: { Location: { description: '/api/v1/projects/{code}', schema: { type: 'string' } } },
  })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 400, description: 'The body does not match this document (REQUEST.INVALID naming each field), or the code’s year is outside 1990–2100 (PROJECT.INVALID_CODE)' },
    { status: 409, description: `A project with this code is registered (PROJECT.ALREADY_EXISTS), or ${IN_PROGRESS}` },
    {
      status: 422,
      description:
        'REQUEST.UNPROCESSABLE naming the field: signedAt after today; occurredAt in the future or before signedAt; a code whose region is not an administrative division of GB/T 2260; ' +
        `signedAt more than a year from the code’s year; or ${REUSED_KEY}`,
    },
  )
  register(@Body() dto: RegisterProjectDto, @CurrentUser() user: AuthenticatedUser, @IdempotencyKeyParam() idempotencyKey: string): Promise<ProjectDto> {
    this.authz.require(user, 'project.register');
    return this.projects.register(dto, actorOf(user), idempotencyKey);
  }

  @Get()
  @ApiOperation({ summary: 'List projects (filters: stage, track, department, district, status, light, due range; paging; view=basic leaves out the steps)' })
  @ApiResponse({ status: 200, type: ProjectListDto })
  @ApiProblems(DUE_RANGE_REFUSED)
  list(@Query() q: ListProjectsQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<ListEnvelope<ProjectListItemDto>> {
    this.authz.require(user, 'project.read');
    return this.projects.list(q);
  }

  @Get(':code')
  @ApiOperation({ summary: 'Project detail: stage, status, steps with state and limit' })
  @ApiProjectCodeParam()
  @ApiResponse({ status: 200, type: ProjectDto })
  @ApiProblems(NOT_FOUND)
  detail(@Param('code') code: string, @CurrentUser() user: AuthenticatedUser): Promise<ProjectDto> {
    this.authz.require(user, 'project.read');
    return this.projects.detail(code);
  }

  @Get(':code/timeline')
  @ApiOperation({ summary: 'Audit trail: every action and automatic event, with actor and comment' })
  @ApiProjectCodeParam()
  @ApiResponse({ status: 200, type: TimelineListDto })
  @ApiProblems(NOT_FOUND)
  timeline(@Param('code') code: string, @Query() q: PageQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<ListEnvelope<TimelineEntryDto>> {
    this.authz.require(user, 'project.read');
    return this.projects.timeline(code, { page: q.page, pageSize: q.pageSize });
  }

  @Post(':code/steps/:step/actions')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'An officer acts on a step: receive, accept, return, resubmit, approve, deliver, waive, reject, reassign, extend, exclude, end_exclusion, renew',
    description:
      'receive 收件 and accept 受理 (行政许可法 Art. 32: accepted on receipt unless accepted or returned within 5 working days); ' +
      'extend 延期 only by the head of the step’s department, once, within the cap (Art. 42; policy step.extend); ' +
      'exclude / end_exclusion 不计入期限的特别程序 (Art. 45: hearing, bidding, auction, inspection, testing, quarantine, appraisal, ' +
      'expert review, and the district’s local kinds); deliver 送达 of the certificate (Art. 44); renew 延续 of a validity.',
  })
  @ApiProjectCodeParam()
  @ApiStepKeyParam()
  @ApiIdempotencyKey()
  @ApiBody({ type: StepActionDto })
  @ApiResponse({ status: 200, type: ActionResultDto })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 404, description: 'No project with this code (PROJECT.NOT_FOUND), or no such step in its track (STEP.NOT_FOUND)' },
    { status: 409, description: `Refused by the workflow (STEP.INVALID_STATE, ACTION.INVALID, PROJECT.CLOSED, PROJECT.SUSPENDED…; detail gives the reason), or ${IN_PROGRESS}` },
    {
      status: 422,
      description: `Refused by a statutory rule (RULE.REFUSED): an extension over the cap or a second one, a renewal beyond its rule; detail names the rule. Or ${REUSED_KEY}`,
    },
  )
  async stepAction(
    @Param('code') code: string,
    @Param('step') step: string,
    @Body() dto: StepActionDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKeyParam() idempotencyKey: string,
  ): Promise<ActionResultDto> {
    await this.authz.requireStepAction(user, code, step, dto.action);
    return this.projects.stepAction(code, step, dto, actorOf(user), idempotencyKey);
  }

  @Post(':code/actions')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Project-level action: suspend (special procedure, clocks stop), resume, cancel' })
  @ApiProjectCodeParam()
  @ApiIdempotencyKey()
  @ApiBody({ type: ProjectActionDto })
  @ApiResponse({ status: 200, type: ActionResultDto })
  @ApiWriteProblems()
  @ApiProblems(
    NOT_FOUND,
    { status: 409, description: `Refused by the workflow (the project is closed, not suspended for resume…; detail gives the reason), or ${IN_PROGRESS}` },
    { status: 422, description: REUSED_KEY },
  )
  projectAction(
    @Param('code') code: string,
    @Body() dto: ProjectActionDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKeyParam() idempotencyKey: string,
  ): Promise<ActionResultDto> {
    this.authz.require(user, projectActionPermission(dto.action));
    return this.projects.projectAction(code, dto, actorOf(user), idempotencyKey);
  }

  @Post(':code/track-migration')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Move a running project to a newer version of its track (admins, heads of project_office)',
    description:
      'Done steps carry over with their dates; steps new in the version start blocked or ready by their dependencies; a step only ' +
      'in the old version is dropped, refused while a department holds it; a running clock keeps its start and takes the new limit. ' +
      'On the timeline as project.track_migrated (actor, time, carried/added/dropped).',
  })
  @ApiProjectCodeParam()
  @ApiIdempotencyKey()
  @ApiBody({ type: TrackMigrationDto })
  @ApiResponse({ status: 200, type: ActionResultDto })
  @ApiWriteProblems()
  @ApiProblems(
    NOT_FOUND,
    { status: 409, description: `The project is completed or cancelled (PROJECT.CLOSED), or ${IN_PROGRESS}` },
    {
      status: 422,
      description: `TRACK.MIGRATION_REFUSED: no such version of the project’s track, a version not newer than its own, or a step the version removes still in progress (detail names it). Or ${REUSED_KEY}`,
    },
  )
  migrateTrack(
    @Param('code') code: string,
    @Body() dto: TrackMigrationDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKeyParam() idempotencyKey: string,
  ): Promise<ActionResultDto> {
    this.authz.require(user, 'project.migrate_track');
    return this.projects.migrateTrack(code, dto, actorOf(user), idempotencyKey);
  }
}
