import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DEPARTMENT_KEYS, PROJECT_CODE_PATTERN } from '../../../../../libs/domain/index.js';
import { NOTIFICATION_KINDS, NOTIFICATION_STATES } from '../../../../../libs/notifications/index.js';
import { PageQueryDto } from '../../common/pagination.dto.js';

/** Query of `GET /notifications`: filters (AND) and paging. */
export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: PROJECT_CODE_PATTERN.source, example: '2022-330602-39-03-000101' })
  @IsOptional()
  @Matches(PROJECT_CODE_PATTERN, { message: 'projectCode must be of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN' })
  projectCode?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATES, description: 'pending (waiting or retrying), delivered, or dead (gave up)' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATES, { message: `state must be one of: ${NOTIFICATION_STATES.join(', ')}` })
  state?: (typeof NOTIFICATION_STATES)[number];

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS, { message: `kind must be one of: ${NOTIFICATION_KINDS.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: 'The department the notice is about (the step’s; project_office for project deadlines)' })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS, { message: `department must be one of: ${DEPARTMENT_KEYS.join(', ')}` })
  department?: string;
}
