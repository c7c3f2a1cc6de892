import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PARSED_PROJECT_CODE } from '../../common/openapi.js';
import { APPROVAL_ROUTES, TRACK_KEY_PATTERN, type ApprovalRoute, type TrackKey } from '../../../../../libs/domain/index.js';
import { TRACK_KEY_MESSAGE, TRACK_KEY_PROPERTY } from '../../tracks/track-key.js';
import { INSTANT_PATTERN, IsInstant, IsCalendarDate, NOT_BLANK, YUAN_PATTERN, CharLength } from './validators.js';
import { IsProjectCode, SignedNearCodeYear } from './project-code.validators.js';

/** Body of `POST /projects`: a signed project to register. */
export class RegisterProjectDto {
  @ApiProperty({
    pattern: PARSED_PROJECT_CODE,
    example: '2022-330602-39-03-000101',
    description: 'National project code, YYYY-RRRRRR-XX-XX-NNNNNN (24 characters); RRRRRR is an administrative division code of GB/T 2260 (e.g. 330602 越城区), another is refused 422 REQUEST.UNPROCESSABLE',
  })
  @IsProjectCode()
  @IsString({ message: 'code must be a string of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN, e.g. 2022-330602-39-03-000101' })
  code!: string;

  @ApiProperty({ example: '比亚迪半导体功率器件和传感控制器件研发及产业化项目', minLength: 1, maxLength: 200, pattern: NOT_BLANK })
  @Matches(/\S/, { message: 'name must not be blank' })
  @CharLength(1, 200, { message: 'name must be 1–200 characters' })
  @IsString({ message: 'name must be a string of 1–200 characters' })
  name!: string;

  @ApiPropertyOptional({ ...TRACK_KEY_PROPERTY, default: 'standard' })
  @IsOptional()
  @Matches(TRACK_KEY_PATTERN, { message: TRACK_KEY_MESSAGE })
  @IsString({ message: TRACK_KEY_MESSAGE })
  track?: TrackKey;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 999999,
    example: 3,
    description: 'The version of the track to pin (GET /api/v1/tracks lists them); default the latest. A version never released is 422',
  })
  @IsOptional()
  @Max(999999, { message: 'trackVersion must be a version number 1–999999' })
  @Min(1, { message: 'trackVersion must be a version number 1–999999' })
  @IsInt({ message: 'trackVersion must be a whole version number, e.g. 3' })
  trackVersion?: number;

  @ApiProperty({ example: '越城区', minLength: 1, maxLength: 64, pattern: NOT_BLANK })
  @Matches(/\S/, { message: 'district must not be blank' })
  @CharLength(1, 64, { message: 'district must be 1–64 characters' })
  @IsString({ message: 'district must be a string of 1–64 characters' })
  district!: string;

  @ApiPropertyOptional({ example: '比亚迪半导体股份有限公司', minLength: 1, maxLength: 200, pattern: NOT_BLANK, nullable: true, type: String })
  @IsOptional()
  @Matches(/\S/, { message: 'investor must not be blank' })
  @CharLength(1, 200, { message: 'investor must be 1–200 characters' })
  @IsString({ message: 'investor must be a string of 1–200 characters (or null)' })
  investor?: string | null;

  @ApiPropertyOptional({ example: '10000000000', pattern: YUAN_PATTERN.source, description: 'Planned investment in yuan, a decimal string (up to 2 decimals)', nullable: true, type: String })
  @IsOptional()
  @IsString({ message: 'investmentYuan must be a decimal string in yuan, e.g. "10000000000" or "1500000.50"' })
  @Matches(YUAN_PATTERN, { message: 'investmentYuan must be a decimal string in yuan, e.g. "10000000000" or "1500000.50"' })
  investmentYuan?: string | null;

  @ApiProperty({
    format: 'date',
    example: '2022-03-05',
    description: 'Signing date (Asia/Shanghai), YYYY-MM-DD, not after today and within a year of the code’s year (2021-01-01 to 2023-12-31 for a 2022 code); another is refused 422 REQUEST.UNPROCESSABLE',
  })
  @SignedNearCodeYear()
  @IsCalendarDate({ message: 'signedAt must be a real date YYYY-MM-DD, e.g. 2022-03-05' })
  signedAt!: string;

  @ApiPropertyOptional({
    pattern: INSTANT_PATTERN.source,
    description:
      'When the project was really registered, if earlier than now (entering an existing project): ISO 8601 instant with offset; ' +
      'one in the future or before signedAt is refused 422 naming occurredAt',
    example: '2022-03-07T09:00:00+08:00',
  })
  @IsOptional()
  @IsInstant('2022-03-07T09:00:00+08:00')
  occurredAt?: string;

  @ApiPropertyOptional({
    enum: APPROVAL_ROUTES,
    default: 'filing',
    description:
      'How the project is admitted (企业投资项目核准和备案管理条例): filing (备案, the default) or approval (核准, a project of the catalogue). ' +
      'Approval raises the project-filing step’s extension cap to 40 working days (Art. 10) and starts the 2-year validity of the approval (Art. 12)',
  })
  @IsOptional()
  @IsIn(APPROVAL_ROUTES, { message: `approvalRoute must be one of: ${APPROVAL_ROUTES.join(', ')} (备案 or 核准)` })
  approvalRoute?: ApprovalRoute;
}
