import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { ApiRequiredWhen } from '../../common/openapi.js';
import { INSTANT_PATTERN, IsInstant, NOT_BLANK, CharLength } from './validators.js';
import { PROJECT_ACTIONS, type ProjectActionKind } from '../../../../../libs/domain/index.js';

const NEEDS_COMMENT: readonly string[] = ['suspend', 'cancel', 'escalate'];

/** A step key of a track definition. */
export const STEP_KEY_PATTERN = /^[a-z][a-z0-9_]{1,63}$/;

/** Body of `POST /projects/{code}/actions`: suspend (special procedure), resume, cancel, escalate (督办). */
@ApiRequiredWhen('action', NEEDS_COMMENT, { comment: { type: 'string' } })
export class ProjectActionDto {
  @ApiProperty({ enum: PROJECT_ACTIONS, example: 'suspend' })
  @IsIn(PROJECT_ACTIONS, { message: `action must be one of: ${PROJECT_ACTIONS.join(', ')}` })
  action!: ProjectActionKind;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, pattern: NOT_BLANK, description: 'Required for suspend (the special procedure and why), cancel (why) and escalate (督办意见: what the department must do)' })
  @ValidateIf((o: ProjectActionDto) => NEEDS_COMMENT.includes(o.action) || o.comment !== undefined)
  @CharLength(1, 2000, { message: 'comment must be 1–2000 characters' })
  @Matches(/\S/, { message: 'comment must not be blank; suspend, cancel and escalate need one' })
  @IsString({ message: 'comment must be text; suspend, cancel and escalate need one' })
  comment?: string;

  @ApiPropertyOptional({ pattern: STEP_KEY_PATTERN.source, description: 'For escalate: the open step escalated (default: the most overdue open step)', example: 'eia_approval' })
  @ValidateIf((o: ProjectActionDto) => o.step !== undefined)
  @IsString({ message: 'step must be a step key' })
  @Matches(STEP_KEY_PATTERN, { message: 'step must be a step key, e.g. eia_approval' })
  step?: string;

  @ApiPropertyOptional({ pattern: INSTANT_PATTERN.source, description: 'When it really happened, if earlier: ISO 8601 instant with offset', example: '2022-06-01T09:00:00+08:00' })
  @IsOptional()
  @IsInstant('2022-06-01T09:00:00+08:00')
  occurredAt?: string;
}
