import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSecuredProblems, DUE_RANGE_REFUSED } from '../common/openapi.js';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { OPEN_STEP_STATES, waitingOn, type DepartmentKey } from '../../../../libs/domain/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { ProjectReadModelRepository } from '../../../../libs/persistence/index.js';
import { CurrentUser } from '../common/actor.decorator.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { TasksQueryDto } from '../projects/dto/tasks.query.js';
import { TaskDto, TaskListDto } from '../projects/dto/project.response.js';
import { stepFromRow } from '../projects/project.mapper.js';
import type { CalendarSource } from '../../../../libs/calendar/index.js';
import { CALENDAR_SOURCE, ledgerContext } from '../database/calendar-source.provider.js';

/**
 * A work queue: the caller's own department's (policy tasks.read: officers and heads their own department,
 * supervisors any department by ?department=). Which states sit on the desk and whose move each is are the
 * domain's supervision rules (`OPEN_STEP_STATES`, `waitingOn`).
 */
@ApiTags('tasks')
@ApiSecuredProblems()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly readModel: ProjectReadModelRepository,
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
    private readonly authz: AuthorizationService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Steps of the caller's department that wait for action: in review and received (收件, to accept or return within 5 working days) first, oldest first; then ready; then waiting for a supplement",
  })
  @ApiResponse({ status: 200, type: TaskListDto })
  @ApiProblems(DUE_RANGE_REFUSED, { status: 403, description: "Another department's queue asked for by an officer or head, or a role without the queue (AUTH.FORBIDDEN naming the rule)" })
  async tasks(@Query() q: TasksQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<ListEnvelope<TaskDto>> {
    const department = (q.department as DepartmentKey | undefined) ?? user.department;
    this.authz.require(user, 'tasks.read', { department, label: 'the work queue asked for' });
    const ctx = await ledgerContext(this.calendar);
    const page = await this.readModel.tasks(department, { page: q.page, pageSize: q.pageSize }, q.state ? [q.state] : OPEN_STEP_STATES, {
      dueFrom: q.dueFrom,
      dueTo: q.dueTo,
    });
    return {
      items: page.items.map((t) => ({
        projectCode: t.step.projectCode,
        projectName: t.projectName,
        projectStage: t.projectStage,
        projectStatus: t.projectStatus,
        waitingOn: waitingOn(t.step.state),
        step: stepFromRow(t.step, { track: t.projectTrack, definitionVersion: t.projectDefinitionVersion, facts: t.projectFacts, dependencyStates: t.dependencyStates }, ctx),
      })),
      total: page.total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
