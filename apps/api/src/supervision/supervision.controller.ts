import { Controller, Get, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSecuredProblems } from '../common/openapi.js';
import { StuckQueryDto, SupervisionFilterDto } from './dto/supervision.query.js';
import { StuckListDto, SupervisionSummaryDto } from './dto/supervision.response.js';
import { SupervisionService } from './supervision.service.js';

const AS_OF = {
  status: 422,
  description:
    'asOf is after today or before the years the calendar provides (REQUEST.UNPROCESSABLE or CALENDAR.YEAR_NOT_SUPPORTED naming asOf), or dueTo is before dueFrom (REQUEST.UNPROCESSABLE naming dueTo)',
};

/** Supervisors' views: which projects are stuck, where, and on whose desk (DESIGN.md §4–5). */
@ApiTags('supervision')
@ApiSecuredProblems()
@Controller('supervision')
export class SupervisionController {
  constructor(
    private readonly supervision: SupervisionService,
    private readonly authz: AuthorizationService,
  ) {}

  /** `GET /supervision/stuck`. */
  @Get('stuck')
  @ApiOperation({
    summary: 'Stuck projects with reasons (statutory_overdue, overdue, idle, at_risk), most urgent first, paged',
    description:
      'Order: projects with an open step past its statutory limit (超法定时限) first (earliest statutory deadline first), then those with a red step ' +
      '(earliest red deadline first), then those at risk (least slack first), then the idle ones (oldest last progress first); ties by code. ' +
      'Each item lists its statutory-overdue steps apart (statutoryOverdueSteps); an at_risk reason names the step that drives the forecast. ' +
      'Filters as GET /projects, plus kind, idleWorkingDays, asOf. Paging by page number, or by keyset: cursor = the nextCursor of the previous page.',
  })
  @ApiResponse({ status: 200, type: StuckListDto })
  @ApiProblems(AS_OF)
  stuck(@Query() q: StuckQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<StuckListDto> {
    this.authz.require(user, 'supervision.read');
    return this.supervision.stuck(q);
  }

  /** `GET /supervision/summary`. */
  @Get('summary')
  @ApiOperation({
    summary:
      'Counts of running projects by light × stage, open steps by department, projects by district, stuck projects by kind, ' +
      'steps past the statutory limit (法定时限) by department, and government time (政府审批用时) with its promises',
  })
  @ApiResponse({ status: 200, type: SupervisionSummaryDto })
  @ApiProblems(AS_OF)
  summary(@Query() q: SupervisionFilterDto, @CurrentUser() user: AuthenticatedUser): Promise<SupervisionSummaryDto> {
    this.authz.require(user, 'supervision.read');
    return this.supervision.summary(q);
  }
}
