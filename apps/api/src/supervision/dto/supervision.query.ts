import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DEPARTMENT_KEYS } from '../../../../../libs/domain/index.js';
import { RUNNING_STATUSES, STUCK_KINDS } from '../../../../../libs/persistence/index.js';
import { PageQueryDto } from '../../common/pagination.dto.js';
import { ALL_STAGE_KEYS } from '../../projects/project.mapper.js';
import { IsCalendarDate } from '../../projects/dto/validators.js';

const TRACKS = ['standard', 'bonded_zone'];
const LIGHTS = ['green', 'yellow', 'red'];
const IDLE_MESSAGE = 'idleWorkingDays must be a whole number from 1 to 250';

/**
 * Filters of the supervision views: those of `GET /projects` (combined with AND; `status` only the running
 * ones, active or suspended), the reason `kind`, the idle threshold and the day to count to.
 */
export class SupervisionFilterDto {
  @ApiPropertyOptional({ enum: ALL_STAGE_KEYS })
  @IsOptional()
  @IsIn(ALL_STAGE_KEYS, { message: `stage must be one of: ${ALL_STAGE_KEYS.join(', ')}` })
  stage?: string;

  @ApiPropertyOptional({ enum: TRACKS })
  @IsOptional()
  @IsIn(TRACKS, { message: `track must be one of: ${TRACKS.join(', ')}` })
  track?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: 'Projects with an open step (ready, in review, supplement requested) of this department' })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS, { message: `department must be one of: ${DEPARTMENT_KEYS.join(', ')}` })
  department?: string;

  @ApiPropertyOptional({ example: '越城区' })
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'district must be 1–64 characters' })
  district?: string;

  @ApiPropertyOptional({ enum: LIGHTS, description: "Projects whose worst light is this one" })
  @IsOptional()
  @IsIn(LIGHTS, { message: `light must be one of: ${LIGHTS.join(', ')}` })
  light?: string;

  @ApiPropertyOptional({ enum: RUNNING_STATUSES, description: 'Only running projects can be stuck; default both' })
  @IsOptional()
  @IsIn(RUNNING_STATUSES, { message: `status must be one of: ${RUNNING_STATUSES.join(', ')} (only running projects can be stuck)` })
  status?: string;

  @ApiPropertyOptional({ enum: STUCK_KINDS, description: 'Only projects stuck for this reason (they may have others too)' })
  @IsOptional()
  @IsIn(STUCK_KINDS, { message: `kind must be one of: ${STUCK_KINDS.join(', ')}` })
  kind?: (typeof STUCK_KINDS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 250, description: 'Working days without progress that make a project idle; default IDLE_WORKING_DAYS (10)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: IDLE_MESSAGE })
  @Min(1, { message: IDLE_MESSAGE })
  @Max(250, { message: IDLE_MESSAGE })
  idleWorkingDays?: number;

  @ApiPropertyOptional({
    example: '2026-11-20',
    description:
      'Day (Asia/Shanghai, not after today) the working days are counted to and the idle window ends; default today. ' +
      'The reasons themselves come from the current read model: for reports dated to a day.',
  })
  @IsOptional()
  @IsCalendarDate({ message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}

/** Query of `GET /supervision/stuck`: the filters and paging. */
export class StuckQueryDto extends IntersectionType(SupervisionFilterDto, PageQueryDto) {}
