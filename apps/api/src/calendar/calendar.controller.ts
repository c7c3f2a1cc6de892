import { Body, Controller, Get, HttpCode, Param, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { actorOf, CurrentUser } from '../common/actor.decorator.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';
import { CalendarService } from './calendar.service.js';
import { CalendarLoadResultDto, CalendarYearDto, DeadlineDto } from './dto/calendar-year.response.js';
import { DeadlineQueryDto } from './dto/deadline.query.js';
import { LoadCalendarYearDto } from './dto/load-calendar-year.dto.js';
import { ParseYearPipe } from './parse-year.pipe.js';

const PROBLEM = { description: 'application/problem+json with code and a detail naming the offending parameter, field or date' };

/**
 * The working-day calendar (DESIGN.md §5): a year's holidays and make-up working days, an administrator's load
 * of a State Council notice, and the deadline calculator officers use. `deadline` is declared before `{year}`
 * so that the literal path is not taken for a year.
 */
@ApiTags('calendar')
@ApiBearerAuth()
@ApiProduces('application/json', 'application/problem+json')
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly authz: AuthorizationService,
  ) {}

  @Get('deadline')
  @ApiOperation({
    summary: 'Deadline calculator: start + limit (working or calendar days) with clock stops, on the official calendar',
    description:
      'The acceptance day does not count; the deadline is the end (24:00 Asia/Shanghai) of the day the count reaches the limit; ' +
      'a calendar-day period ending on a rest day ends on the next working day; days after a stop’s S up to and including its R do not count. ' +
      'Example: start=2025-09-22&limit=5 → dueOn 2025-09-28; with stop=2025-09-24/2025-10-09 → dueOn 2025-10-13, usedDays 2.',
  })
  @ApiResponse({ status: 200, type: DeadlineDto })
  @ApiResponse({ status: 400, ...PROBLEM })
  deadline(@Query() q: DeadlineQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<DeadlineDto> {
    this.authz.require(user, 'calendar.read');
    return this.calendar.deadline(q);
  }

  @Get(':year')
  @ApiOperation({ summary: 'One year of the working-day calendar: holidays, make-up working days, working days per month, source' })
  @ApiParam({ name: 'year', type: Number, example: 2025 })
  @ApiResponse({ status: 200, type: CalendarYearDto })
  @ApiResponse({ status: 400, description: 'Not a year, or a year with no notice outside the provisional range 2008–2099 (problem+json)' })
  year(@Param('year', ParseYearPipe) year: number, @CurrentUser() user: AuthenticatedUser): Promise<CalendarYearDto> {
    this.authz.require(user, 'calendar.read');
    return this.calendar.year(year);
  }

  @Put(':year')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Load a year’s State Council holiday notice (admin); running project workflows are signalled to re-plan',
    description: 'Replaces an earlier load or the built-in year. Refused with a 400 naming the date when a date is outside the year, both holiday and make-up day, or a make-up day falls on a weekday.',
  })
  @ApiParam({ name: 'year', type: Number, example: 2027 })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat with the same key answers the first response and has no second effect' })
  @ApiBody({ type: LoadCalendarYearDto })
  @ApiResponse({ status: 200, type: CalendarLoadResultDto })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 403, description: 'Not an admin (problem+json AUTH.FORBIDDEN, rule calendar.load:roles)' })
  @ApiResponse({ status: 503, description: 'Stored, but not every running workflow could be signalled: repeat the request' })
  load(@Param('year', ParseYearPipe) year: number, @Body() dto: LoadCalendarYearDto, @CurrentUser() user: AuthenticatedUser): Promise<CalendarLoadResultDto> {
    this.authz.require(user, 'calendar.load');
    return this.calendar.load(year, dto, actorOf(user));
  }
}
