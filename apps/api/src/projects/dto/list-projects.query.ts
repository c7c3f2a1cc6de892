import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto.js';
import { ProjectFilterDto } from './project-filter.dto.js';

const STATUSES = ['active', 'suspended', 'completed', 'cancelled'];
const PROJECT_VIEWS = ['full', 'basic'] as const;
/** How much of each project a list answers with: `full` (with its steps) or `basic` (without). */
export type ProjectView = (typeof PROJECT_VIEWS)[number];

/** Query of `GET /projects`: filters (AND), paging, and the view (each project with or without its steps). */
export class ListProjectsQueryDto extends IntersectionType(PageQueryDto, ProjectFilterDto) {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({
    enum: PROJECT_VIEWS,
    default: 'full',
    description:
      'full: each project with its steps, as GET /projects/{code} shows them; basic: the projects without their steps ' +
      '(a list page needs none of them: about 1 KiB a project instead of about 25 KiB)',
  })
  @IsOptional()
  @IsIn(PROJECT_VIEWS, { message: `view must be one of: ${PROJECT_VIEWS.join(', ')}` })
  view?: ProjectView = 'full';
}
