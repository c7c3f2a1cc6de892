import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { INSTANT_PATTERN } from './validators.js';
import { PROJECT_ACTIONS, type ProjectActionKind } from '../../../../../libs/domain/index.js';

const NEEDS_COMMENT: readonly string[] = ['suspend', 'cancel', 'escalate'];

/** Body of `POST /projects/{code}/actions`: suspend (special procedure), resume, cancel, escalate (督办). */
export class ProjectActionDto {
  @ApiProperty({ enum: PROJECT_ACTIONS, example: 'suspend' })
  @IsIn(PROJECT_ACTIONS, { message: `action must be one of: ${PROJECT_ACTIONS.join(', ')}` })
  action!: ProjectActionKind;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required for suspend (the special procedure and why), cancel (why) and escalate (督办意见: what the department must do)' })
  @ValidateIf((o: ProjectActionDto) => NEEDS_COMMENT.includes(o.action) || o.comment !== undefined)
  @Length(1, 2000, { message: 'comment must be 1–2000 characters' })
  @Matches(/\S/, { message: 'comment must not be blank; suspend, cancel and escalate need one' })
  @IsString({ message: 'comment must be text; suspend, cancel and escalate need one' })
  comment?: string;

  @ApiPropertyOptional({ description: 'For escalate: the open step escalated (default: the most overdue open step)', example: 'eia_approval' })
  @ValidateIf((o: ProjectActionDto) => o.step !== undefined)
  @IsString({ message: 'step must be a step key' })
  @Matches(/^[a-z][a-z0-9_]{1,63}$/, { message: 'step must be a step key, e.g. eia_approval' })
  step?: string;

  @ApiPropertyOptional({ description: 'When it really happened, if earlier: ISO 8601 instant with offset', example: '2022-06-01T09:00:00+08:00' })
  @IsOptional()
  @Matches(INSTANT_PATTERN, { message: 'occurredAt must be an ISO 8601 instant with offset, e.g. 2022-06-01T09:00:00+08:00' })
  occurredAt?: string;
}
