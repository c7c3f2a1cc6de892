import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PARSED_PROJECT_CODE } from '../../common/openapi.js';
import { FACT_KINDS, PROJECT_CODE_PATTERN, type FactKind } from '../../../../../libs/domain/index.js';
import { INSTANT_PATTERN, IsInstant, NOT_BLANK, YUAN_PATTERN, CharLength } from '../../projects/dto/validators.js';

/**
 * Body of `POST /events`: a fact another system reports about a project (the system role only). Checks the shape;
 * whether the fact is new and well dated (not in the future, not before signing) is the workflow's to decide.
 */
export class PostEventDto {
  @ApiProperty({ pattern: PARSED_PROJECT_CODE, example: '2022-330602-39-03-000101', description: 'The national project code the fact is about (24 characters)' })
  @Matches(PROJECT_CODE_PATTERN, { message: 'projectCode must be of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN, e.g. 2022-330602-39-03-000101' })
  @IsString({ message: 'projectCode must be a project code, e.g. 2022-330602-39-03-000101' })
  projectCode!: string;

  @ApiProperty({
    enum: FACT_KINDS,
    example: 'land_price_paid',
    description: 'land_price_paid: the land price (土地出让价款) paid in full; the land title (不动产权登记) waits for it (不动产登记暂行条例, 国有土地使用权出让合同)',
  })
  @IsIn(FACT_KINDS, { message: `kind must be one of: ${FACT_KINDS.join(', ')}` })
  kind!: FactKind;

  @ApiProperty({
    pattern: INSTANT_PATTERN.source,
    example: '2022-06-20T10:00:00+08:00',
    description: 'When it happened: ISO 8601 instant with offset; not in the future, not before the project was signed',
  })
  @IsInstant('2022-06-20T10:00:00+08:00')
  @IsString({ message: 'occurredAt must be an ISO 8601 instant with offset, e.g. 2022-06-20T10:00:00+08:00' })
  occurredAt!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, pattern: NOT_BLANK, nullable: true, type: String, example: '绍兴市财政非税收入缴款书 No. 330600-2022-001234', description: "The reporting system's reference (receipt, payment order)" })
  @IsOptional()
  @Matches(/\S/, { message: 'reference must not be blank' })
  @CharLength(1, 200, { message: 'reference must be text of 1–200 characters' })
  @IsString({ message: 'reference must be text of 1–200 characters' })
  reference?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, pattern: YUAN_PATTERN.source, example: '36500000.00', description: 'Amount paid in yuan, a decimal string (up to 2 decimals)' })
  @IsOptional()
  @Matches(YUAN_PATTERN, { message: 'amountYuan must be a decimal string in yuan, e.g. "36500000" or "36500000.50"' })
  @IsString({ message: 'amountYuan must be a decimal string in yuan, e.g. "36500000" or "36500000.50"' })
  amountYuan?: string | null;
}
