import { Controller, Get, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { StuckQueryDto, SupervisionFilterDto } from './dto/supervision.query.js';
import { StuckListDto, SupervisionSummaryDto } from './dto/supervision.response.js';
import { SupervisionService } from './supervision.service.js';

const PROBLEM = { description: 'application/problem+json with code and detail' };

/** Supervisors' views: which projects are stuck, where, and on whose desk (DESIGN.md §4–5). */
@ApiTags('supervision')
@ApiProduces('application/json', 'application/problem+json')
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
      'Each item lists its statutory-overdue steps apart (statutoryOverdueSteps). Filters as GET /projects, plus kind, idleWorkingDays, asOf.',
  })
  @ApiResponse({ status: 200, type: StuckListDto })
  @ApiResponse({ status: 400, ...PROBLEM })
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
  @ApiResponse({ status: 400, ...PROBLEM })
  summary(@Query() q: SupervisionFilterDto, @CurrentUser() user: AuthenticatedUser): Promise<SupervisionSummaryDto> {
    this.authz.require(user, 'supervision.read');
    return this.supervision.summary(q);
  }
}
