import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto.js';
import { ProjectFilterDto } from './project-filter.dto.js';

const STATUSES = ['active', 'suspended', 'completed', 'cancelled'];

/** Query of `GET /projects`: filters (AND) and paging. */
export class ListProjectsQueryDto extends IntersectionType(PageQueryDto, ProjectFilterDto) {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: string;
}
