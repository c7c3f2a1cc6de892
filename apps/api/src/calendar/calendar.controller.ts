import { Body, Controller, Get, HttpCode, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, ApiSecuredProblems, ApiWriteProblems } from '../common/openapi.js';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../../../../libs/calendar/index.js';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { actorOf, CurrentUser } from '../common/actor.decorator.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';
import { CalendarService } from './calendar.service.js';
import { CalendarLoadResultDto, CalendarYearDto, DeadlineDto } from './dto/calendar-year.response.js';
import { DeadlineQueryDto, STOP_PATTERN } from './dto/deadline.query.js';
import { LoadCalendarYearDto } from './dto/load-calendar-year.dto.js';
import { YearParam } from './year-param.js';

const YEAR_PARAM = { name: 'year', schema: { type: 'integer' as const, minimum: MIN_CALENDAR_YEAR, maximum: MAX_CALENDAR_YEAR }, description: `Four digits, ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}` };

/**
 * The working-day calendar (DESIGN.md §5): a year's holidays and make-up working days, an administrator's load
 * of a State Council notice, and the deadline calculator officers use. `deadline` is declared before `{year}`
 * so that the literal path is not taken for a year.
 */
@ApiTags('calendar')
@ApiSecuredProblems()
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
  @ApiQuery({
    name: 'stop',
    required: false,
    description:
      'A clock stop, repeatable: S/R where S is the day of the supplement request (补正; counts) and R the day of the resubmission ' +
      '(days after S up to and including R do not count). S/ (R left empty) is a stop still open: dueOn is then null and stopped true.',
    schema: { type: 'array', maxItems: 100, items: { type: 'string', pattern: STOP_PATTERN.source }, example: ['2025-09-24/2025-10-09'] },
    style: 'form',
    explode: true,
  })
  @ApiResponse({ status: 200, type: DeadlineDto })
  @ApiProblems({
    status: 422,
    description:
      'A stop whose dates are not real or not in order (CALENDAR.INVALID_DATE, CALENDAR.INVALID_STOP naming stop[i]), or a count that starts or runs into a year the calendar cannot provide (CALENDAR.YEAR_NOT_SUPPORTED naming start or limit)',
  })
  deadline(@Query() q: DeadlineQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<DeadlineDto> {
    this.authz.require(user, 'calendar.read');
    return this.calendar.deadline(q);
  }

  @Get(':year')
  @ApiOperation({ summary: 'One year of the working-day calendar: holidays, make-up working days, working days per month, source' })
  @ApiParam({ ...YEAR_PARAM, example: 2025 })
  @ApiResponse({ status: 200, type: CalendarYearDto })
  @ApiProblems({ status: 422, description: 'A year with no notice loaded outside the provisional range 2008–2099: CALENDAR.YEAR_NOT_SUPPORTED naming year' })
  year(@YearParam() year: number, @CurrentUser() user: AuthenticatedUser): Promise<CalendarYearDto> {
    this.authz.require(user, 'calendar.read');
    return this.calendar.year(year);
  }

  @Put(':year')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Load a year’s State Council holiday notice (admin); running project workflows are signalled to re-plan',
    description:
      'Replaces an earlier load or the built-in year. Refused with a 422 CALENDAR.INVALID_NOTICE naming the date when a date is not real, outside the year, both holiday and make-up day, or a make-up day falls on a weekday. ' +
      'A refused request (400 or this 422) stores nothing and does not use up its Idempotency-Key: send the corrected notice with the same key.',
  })
  @ApiIdempotencyKey()
  @ApiParam({ ...YEAR_PARAM, example: 2027 })
  @ApiBody({ type: LoadCalendarYearDto })
  @ApiResponse({ status: 200, type: CalendarLoadResultDto })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 403, description: 'Not an admin: AUTH.FORBIDDEN, rule calendar.load:roles' },
    { status: 409, description: 'IDEMPOTENCY.IN_PROGRESS: a request with this Idempotency-Key still runs' },
    {
      status: 422,
      description:
        'A date that is not real, outside the year, both holiday and make-up day, or a make-up day on a weekday (CALENDAR.INVALID_NOTICE naming it); or IDEMPOTENCY.KEY_REUSED',
    },
    { status: 503, description: 'Stored, but not every running workflow could be signalled (SERVICE.UNAVAILABLE): repeat the request; or a dependency is unreachable' },
  )
  load(@YearParam() year: number, @Body() dto: LoadCalendarYearDto, @CurrentUser() user: AuthenticatedUser): Promise<CalendarLoadResultDto> {
    this.authz.require(user, 'calendar.load');
    return this.calendar.load(year, dto, actorOf(user));
  }
}
