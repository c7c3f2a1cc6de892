import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { EXCLUDED_PERIOD_KINDS, STEP_ACTIONS, type StepActionKind } from '../../../../../libs/domain/index.js';
import { ApiRequiredWhen } from '../../common/openapi.js';
import { INSTANT_PATTERN, IsInstant, IsCalendarDate, NOT_BLANK, CharLength } from './validators.js';

/** Actions whose applicant is owed the reason in writing: the comment is required (the domain's list). */
const NEEDS_COMMENT: readonly string[] = ['return', 'waive', 'reject', 'extend', 'exclude', 'renew'];
const COMMENT_RULE = 'return, waive and reject need one, and so do extend, exclude and renew';

/** A snake_case key (an excluded-period kind, an expiry): lower-case letters, digits, single underscores. */
const KEY_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** An officer id: the token subject of the officer a step is reassigned to. */
const ASSIGNEE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** `contractTerms` of `approve` on the land contract: its preparation and build periods, whole months. */
export class ContractTermsDto {
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 120,
    example: 6,
    description: 'Preparation period to groundbreaking (动工准备期) in months, as the land contract says; default: the track’s (6)',
  })
  @IsOptional()
  @Max(120, { message: 'contractTerms.preparationMonths must be a whole number of months from 1 to 120' })
  @Min(1, { message: 'contractTerms.preparationMonths must be a whole number of months from 1 to 120' })
  @IsInt({ message: 'contractTerms.preparationMonths must be a whole number of months from 1 to 120' })
  preparationMonths?: number;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 120,
    example: 30,
    description: 'Build period to completion (建设期/竣工) in months, as the land contract says; default: the track’s (30)',
  })
  @IsOptional()
  @Max(120, { message: 'contractTerms.buildMonths must be a whole number of months from 1 to 120' })
  @Min(1, { message: 'contractTerms.buildMonths must be a whole number of months from 1 to 120' })
  @IsInt({ message: 'contractTerms.buildMonths must be a whole number of months from 1 to 120' })
  buildMonths?: number;
}

/**
 * Body of `POST /projects/{code}/steps/{step}/actions`: an officer's action on a step. Checks the shape only
 * (types, ranges, the fields an action needs); the statutory rules — the extension cap and "once", who may
 * extend, the kinds of excluded period, renewals — are the domain's, refused by the workflow with the rule.
 * A field that is `null` counts as left out, except `comment` and `assignee`.
 */
@ApiRequiredWhen('action', NEEDS_COMMENT, { comment: { type: 'string' } })
@ApiRequiredWhen('action', ['reassign'], { assignee: { type: 'string' } })
@ApiRequiredWhen('action', ['extend'], { extensionWorkingDays: { type: 'integer' } })
@ApiRequiredWhen('action', ['exclude'], { exclusionKind: { type: 'string' } })
@ApiRequiredWhen('action', ['renew'], { renewalMonths: { type: 'integer' } })
export class StepActionDto {
  @ApiProperty({
    enum: STEP_ACTIONS,
    example: 'approve',
    description:
      'receive (收件: received, acceptance due within 5 working days, 行政许可法 Art. 32), accept (受理; on the spot when not received first), ' +
      'return (补正, 一次性告知), resubmit, approve (decision), deliver (送达 of the certificate, Art. 44), waive (容缺), reject, reassign, ' +
      'extend (延期, the department head only, once, Art. 42), exclude / end_exclusion (不计入期限的特别程序, Art. 45), renew (延续 of a validity)',
  })
  @IsIn(STEP_ACTIONS, { message: `action must be one of: ${STEP_ACTIONS.join(', ')}` })
  action!: StepActionKind;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 2000,
    pattern: NOT_BLANK,
    description:
      'Required for return (list every material to supplement, 一次性告知), waive (容缺: the material waived), reject (the reasons), ' +
      'extend (延期: the reason the applicant is told), exclude (what the excluded period is for) and renew (延续: why)',
  })
  @ValidateIf((o: StepActionDto) => NEEDS_COMMENT.includes(o.action) || o.comment !== undefined)
  @CharLength(1, 2000, { message: 'comment must be 1–2000 characters' })
  @Matches(/\S/, { message: `comment must not be blank; ${COMMENT_RULE}` })
  @IsString({ message: `comment must be text; ${COMMENT_RULE}` })
  comment?: string;

  @ApiPropertyOptional({ pattern: ASSIGNEE_PATTERN.source, description: 'Required for reassign: the officer id the step goes to', example: 'officer-zhang' })
  @ValidateIf((o: StepActionDto) => o.action === 'reassign' || o.assignee !== undefined)
  @IsString({ message: 'assignee (the officer id) is required for reassign' })
  @Matches(ASSIGNEE_PATTERN, { message: 'assignee must be an officer id of 1–64 letters, digits or ._@- characters' })
  assignee?: string;

  @ApiPropertyOptional({
    pattern: INSTANT_PATTERN.source,
    nullable: true,
    type: String,
    description: 'When the action really happened, if earlier (recording a paper decision): ISO 8601 instant with offset; clocks count from it',
    example: '2022-04-20T10:00:00+08:00',
  })
  @IsOptional()
  @IsInstant('2022-04-20T10:00:00+08:00')
  occurredAt?: string;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'For waive: date (YYYY-MM-DD) by which the waived material is due', example: '2022-06-30' })
  @IsOptional()
  @IsCalendarDate({ message: 'waiverDueOn must be a real date YYYY-MM-DD' })
  waiverDueOn?: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 60,
    example: 10,
    description:
      'Required for extend (延期): working days added to the limit. The law caps it — 10 working days (行政许可法 Art. 42 ¶1), ' +
      '40 for a 核准 project approval (企业投资项目核准和备案管理条例 Art. 10), 15 for a jointly handled group (Art. 42 ¶2) — and allows one ' +
      'extension; a request over the cap is refused 422 RULE.REFUSED naming it',
  })
  @ValidateIf((o: StepActionDto) => o.action === 'extend' || present(o.extensionWorkingDays))
  @Max(60, { message: 'extensionWorkingDays must be a whole number of working days from 1 to 60' })
  @Min(1, { message: 'extensionWorkingDays must be a whole number of working days from 1 to 60' })
  @IsInt({ message: 'extensionWorkingDays must be a whole number of working days from 1 to 60' })
  @IsDefined({ message: 'extensionWorkingDays (whole working days from 1 to 60) is required for extend' })
  extensionWorkingDays?: number;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    pattern: NOT_BLANK,
    nullable: true,
    type: String,
    example: '越政办〔2023〕12号',
    description: "For extend of a jointly handled group (联合办理, 行政许可法 Art. 42 ¶2): the district government's approval (document reference)",
  })
  @ValidateIf((o: StepActionDto) => present(o.approvalRef))
  @Matches(/\S/, { message: 'approvalRef must not be blank' })
  @CharLength(1, 200, { message: 'approvalRef must be text of 1–200 characters (the approval document reference)' })
  @IsString({ message: 'approvalRef must be text of 1–200 characters (the approval document reference)' })
  approvalRef?: string;

  @ApiPropertyOptional({
    format: 'date',
    nullable: true,
    type: String,
    example: '2022-05-10',
    description:
      'For extend and exclude: date (YYYY-MM-DD, Asia/Shanghai) of the written notice to the applicant (送达 of the 延期/特别程序 notice); default: the day of the action',
  })
  @ValidateIf((o: StepActionDto) => present(o.noticeOn))
  @IsCalendarDate({ message: 'noticeOn must be a real date YYYY-MM-DD, e.g. 2022-05-10' })
  noticeOn?: string;

  @ApiPropertyOptional({
    pattern: KEY_PATTERN.source,
    maxLength: 64,
    nullable: true,
    type: String,
    example: 'auction',
    description:
      `Required for exclude (不计入期限的特别程序, 行政许可法 Art. 45): the kind of period not counted — ${Object.entries(EXCLUDED_PERIOD_KINDS)
        .map(([k, v]) => `${k} (${v})`)
        .join(', ')} — ` + "or one of the district's local kinds (LOCAL_EXCLUDED_PERIOD_KINDS, e.g. public_notice 公示); an unknown kind is refused with the list",
  })
  @ValidateIf((o: StepActionDto) => o.action === 'exclude' || present(o.exclusionKind))
  @Matches(KEY_PATTERN, { message: 'exclusionKind must be a snake_case key, e.g. expert_review' })
  @CharLength(1, 64, { message: 'exclusionKind must be a snake_case key of at most 64 characters, e.g. expert_review' })
  @IsString({ message: 'exclusionKind (e.g. auction, expert_review, public_notice) is required for exclude' })
  exclusionKind?: string;

  @ApiPropertyOptional({
    pattern: KEY_PATTERN.source,
    maxLength: 64,
    nullable: true,
    type: String,
    example: 'construction_permit_validity',
    description: "For renew (延续): the validity renewed, its key (e.g. construction_permit_validity); default: the step's only running one",
  })
  @ValidateIf((o: StepActionDto) => present(o.expiry))
  @Matches(KEY_PATTERN, { message: 'expiry must be a snake_case key, e.g. construction_permit_validity' })
  @CharLength(1, 64, { message: 'expiry must be a snake_case key of at most 64 characters, e.g. construction_permit_validity' })
  @IsString({ message: 'expiry must be a snake_case key, e.g. construction_permit_validity' })
  expiry?: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 24,
    example: 3,
    description: 'Required for renew (延续): months added to the validity; each validity has its own cap and number of renewals, refused 422 RULE.REFUSED beyond them',
  })
  @ValidateIf((o: StepActionDto) => o.action === 'renew' || present(o.renewalMonths))
  @Max(24, { message: 'renewalMonths must be a whole number of months from 1 to 24' })
  @Min(1, { message: 'renewalMonths must be a whole number of months from 1 to 24' })
  @IsInt({ message: 'renewalMonths must be a whole number of months from 1 to 24' })
  @IsDefined({ message: 'renewalMonths (whole months from 1 to 24) is required for renew' })
  renewalMonths?: number;

  @ApiPropertyOptional({
    type: ContractTermsDto,
    nullable: true,
    description: "For approve of the land contract (土地出让合同): the contract's preparation and build periods, which start its expiry clocks",
  })
  @ValidateIf((o: StepActionDto) => present(o.contractTerms))
  @ValidateNested()
  @IsObject({ message: 'contractTerms must be an object { preparationMonths?, buildMonths? }' })
  @Type(() => ContractTermsDto)
  contractTerms?: ContractTermsDto;
}
