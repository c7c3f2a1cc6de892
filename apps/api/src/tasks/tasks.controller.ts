import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ProjectReadModelRepository, OPEN_STEP_STATES } from '../../../../libs/persistence/index.js';
import { readDepartment } from '../common/actor.decorator.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { TasksQueryDto } from '../projects/dto/tasks.query.js';
import { TaskDto, TaskListDto } from '../projects/dto/project.response.js';
import { stepFromRow } from '../projects/project.mapper.js';
import type { CalendarSource } from '../../../../activities/clock.activities.js';
import { CALENDAR_SOURCE, ledgerContext } from '../database/calendar-source.provider.js';

const WAITING_ON: Record<string, string> = {
  in_review: 'department',
  ready: 'applicant_submission',
  supplement_requested: 'applicant_supplement',
};

/** An officer's work queue. */
@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly readModel: ProjectReadModelRepository,
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Steps of the caller's department that wait for action: in review first (oldest acceptance first), then ready, then waiting for a supplement",
  })
  @ApiHeader({ name: 'X-Actor-Department', required: false, description: 'The department whose queue to show (or ?department=)' })
  @ApiResponse({ status: 200, type: TaskListDto })
  async tasks(@Query() q: TasksQueryDto, @Req() req: Request): Promise<ListEnvelope<TaskDto>> {
    const department = q.department ?? readDepartment(req) ?? undefined;
    if (!department) {
      throw new ApiProblem(ApiErrorCode.RequestInvalid, 'name the department: send X-Actor-Department or ?department=<key>');
    }
    const ctx = await ledgerContext(this.calendar);
    const page = await this.readModel.tasks(department, { page: q.page, pageSize: q.pageSize }, q.state ? [q.state] : OPEN_STEP_STATES);
    return {
      items: page.items.map((t) => ({
        projectCode: t.step.projectCode,
        projectName: t.projectName,
        projectStage: t.projectStage,
        projectStatus: t.projectStatus,
        waitingOn: WAITING_ON[t.step.state] ?? 'department',
        step: stepFromRow(t.step, ctx),
      })),
      total: page.total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
