import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { STEP_ACTIONS, type StepActionKind } from '../../../../../libs/domain/index.js';
import { INSTANT_PATTERN, IsCalendarDate } from './validators.js';

const NEEDS_COMMENT: readonly string[] = ['return', 'waive', 'reject'];

/** Body of `POST /projects/{code}/steps/{step}/actions`: an officer's action on a step. */
export class StepActionDto {
  @ApiProperty({ enum: STEP_ACTIONS, example: 'approve' })
  @IsIn(STEP_ACTIONS, { message: `action must be one of: ${STEP_ACTIONS.join(', ')}` })
  action!: StepActionKind;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Required for return (list every material to supplement, 一次性告知), waive (容缺: the material waived) and reject (the reasons)',
  })
  @ValidateIf((o: StepActionDto) => NEEDS_COMMENT.includes(o.action) || o.comment !== undefined)
  @Length(1, 2000, { message: 'comment must be 1–2000 characters' })
  @Matches(/\S/, { message: 'comment must not be blank; return, waive and reject need one' })
  @IsString({ message: 'comment must be text; return, waive and reject need one' })
  comment?: string;

  @ApiPropertyOptional({ description: 'For reassign: the officer id the step goes to', example: 'officer-zhang' })
  @ValidateIf((o: StepActionDto) => o.action === 'reassign' || o.assignee !== undefined)
  @IsString({ message: 'assignee (the officer id) is required for reassign' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, { message: 'assignee must be an officer id of 1–64 letters, digits or ._@- characters' })
  assignee?: string;

  @ApiPropertyOptional({
    description: 'When the action really happened, if earlier (recording a paper decision): ISO 8601 instant with offset; clocks count from it',
    example: '2022-04-20T10:00:00+08:00',
  })
  @IsOptional()
  @Matches(INSTANT_PATTERN, { message: 'occurredAt must be an ISO 8601 instant with offset, e.g. 2022-04-20T10:00:00+08:00' })
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'For waive: date (YYYY-MM-DD) by which the waived material is due', example: '2022-06-30' })
  @IsOptional()
  @IsCalendarDate({ message: 'waiverDueOn must be a real date YYYY-MM-DD' })
  waiverDueOn?: string;
}
