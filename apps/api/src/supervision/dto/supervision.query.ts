import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { RUNNING_STATUSES, STUCK_KINDS, type StuckKind } from '../../../../../libs/domain/index.js';
import { PageQueryDto } from '../../common/pagination.dto.js';
import { ProjectFilterDto } from '../../projects/dto/project-filter.dto.js';
import { IsCalendarDate } from '../../projects/dto/validators.js';

const IDLE_MESSAGE = 'idleWorkingDays must be a whole number from 1 to 250';

/**
 * Filters of the supervision views: those of `GET /projects` (combined with AND; `status` only the running
 * ones, active or suspended), the reason `kind`, the idle threshold and the day to count to.
 */
export class SupervisionFilterDto extends ProjectFilterDto {
  @ApiPropertyOptional({ enum: RUNNING_STATUSES, description: 'Only running projects can be stuck; default both' })
  @IsOptional()
  @IsIn(RUNNING_STATUSES, { message: `status must be one of: ${RUNNING_STATUSES.join(', ')} (only running projects can be stuck)` })
  status?: string;

  @ApiPropertyOptional({ enum: STUCK_KINDS, description: 'Only projects stuck for this reason (they may have others too)' })
  @IsOptional()
  @IsIn(STUCK_KINDS, { message: `kind must be one of: ${STUCK_KINDS.join(', ')}` })
  kind?: StuckKind;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 250, description: 'Working days without progress that make a project idle; default IDLE_WORKING_DAYS (10)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: IDLE_MESSAGE })
  @Min(1, { message: IDLE_MESSAGE })
  @Max(250, { message: IDLE_MESSAGE })
  idleWorkingDays?: number;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-11-20',
    description:
      'Day (Asia/Shanghai, not after today: a later one is refused 422) the working days are counted to and the idle window ends; default today. ' +
      'The reasons themselves come from the current read model: for reports dated to a day. ' +
      'Before today, what cannot have been so on that day is left out: projects registered after it, and the lateness of steps whose deadline ended after it. ' +
      "The summary of a past day is the one the daily snapshot kept (the counters at 23:50 Asia/Shanghai that day) when there is one, for every filter but a due range and kind=idle, at the default idle window; else it is counted as the list is.",
  })
  @IsOptional()
  @IsCalendarDate({ message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}

/**
 * Query of `GET /supervision/stuck`: the filters and paging — by `page` number, or by keyset: `cursor`, the
 * `nextCursor` of the previous page, continues right after it (stable while projects change; `page` then only echoes).
 */
export class StuckQueryDto extends IntersectionType(SupervisionFilterDto, PageQueryDto) {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 512,
    pattern: '^[A-Za-z0-9_-]{1,512}$',
    description: 'Keyset paging: the nextCursor of the previous page (same filters); the page starts right after its last item. Without it, page counts from the first item.',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor must be a nextCursor of GET /supervision/stuck' })
  cursor?: string;
}
