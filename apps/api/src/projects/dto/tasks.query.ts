import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEPARTMENT_KEYS, OPEN_STEP_STATES } from '../../../../../libs/domain/index.js';
import { PageQueryDto } from '../../common/pagination.dto.js';
import { DueRangeDto } from './due-range.dto.js';

/**
 * Query of `GET /tasks`. The department defaults to the token's department; officers and heads may ask only for their own.
 * The due range keeps the steps whose own published deadline falls in it.
 */
export class TasksQueryDto extends IntersectionType(PageQueryDto, DueRangeDto) {
  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: "Defaults to the caller's department (token claim); another department's queue is for supervisors" })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS, { message: `department must be one of: ${DEPARTMENT_KEYS.join(', ')}` })
  department?: string;

  @ApiPropertyOptional({ enum: OPEN_STEP_STATES, description: 'Only steps in this state' })
  @IsOptional()
  @IsIn(OPEN_STEP_STATES, { message: `state must be one of: ${OPEN_STEP_STATES.join(', ')}` })
  state?: string;
}
