import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, Validate, type ValidationArguments, type ValidatorConstraintInterface, ValidatorConstraint } from 'class-validator';
import { PARSED_PROJECT_CODE } from '../../common/openapi.js';
import { UNPROCESSABLE_CONTEXT } from '../../common/problem.js';
import { FACT_KINDS, PROJECT_CODE_PATTERN, type FactKind } from '../../../../../libs/domain/index.js';
import { INBOUND_EVENT_TYPES, type InboundEventType } from '../../../../../libs/domain/inbound-events.js';
import { INSTANT_PATTERN, IsInstant, NOT_BLANK, YUAN_PATTERN, CharLength } from '../../projects/dto/validators.js';

/** Whether a body is in the event shape ({ id, source, type, …, data }) rather than the former fact shape ({ kind, … }). */
export function isEventShape(o: { type?: unknown; id?: unknown; source?: unknown; data?: unknown }): boolean {
  return o.type !== undefined || o.id !== undefined || o.source !== undefined || o.data !== undefined;
}

/** `kind` in the former shape: one of FACT_KINDS (required there). Beside `type` it is {@link KindBesideType}'s to refuse. */
@ValidatorConstraint({ name: 'legacyKind' })
class LegacyKind implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value === undefined || isEventShape(args.object as PostEventDto) || (FACT_KINDS as readonly unknown[]).includes(value);
  }
  defaultMessage(): string {
    return `kind must be one of: ${FACT_KINDS.join(', ')} (or send the event body: id, source, type, projectCode, occurredAt, data)`;
  }
}

/**
 * `kind` belongs to the former shape only: absent beside `type`. The OpenAPI document states one body with both
 * shapes' fields, so this mix is well-formed and refused 422 (UNPROCESSABLE_CONTEXT), not 400.
 */
@ValidatorConstraint({ name: 'kindBesideType' })
class KindBesideType implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value === undefined || !isEventShape(args.object as PostEventDto);
  }
  defaultMessage(): string {
    return 'kind belongs to the former body; with type, leave it out';
  }
}

/**
 * A field of the event shape, when sent: `constraints` = [test, message]. Absent, or in the former shape, it is
 * {@link EventFieldRequired}'s (or the former shape's) to judge.
 */
@ValidatorConstraint({ name: 'eventField' })
class EventField implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [test] = args.constraints as [(v: unknown) => boolean, string];
    return value === undefined || !isEventShape(args.object as PostEventDto) || test(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return (args.constraints as [unknown, string])[1];
  }
}

/**
 * A field the event shape requires. The OpenAPI document states one body with both shapes' fields (each optional
 * there), so a missing one is refused 422 (UNPROCESSABLE_CONTEXT), not 400.
 */
@ValidatorConstraint({ name: 'eventFieldRequired' })
class EventFieldRequired implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value !== undefined || !isEventShape(args.object as PostEventDto);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} is required in the event body (id, source, type, projectCode, occurredAt, data)`;
  }
}

/** `kind` is required in the former shape (without id, source, type or data); 422 for the same reason. */
@ValidatorConstraint({ name: 'kindRequired' })
class KindRequired implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value !== undefined || isEventShape(args.object as PostEventDto);
  }
  defaultMessage(): string {
    return `kind is required in the former body (one of: ${FACT_KINDS.join(', ')}), or send the event body: id, source, type, projectCode, occurredAt, data`;
  }
}

/**
 * Body of `POST /events` (the system role only), in one of two shapes. The event: `{ id, source, type, projectCode,
 * occurredAt, data }`, signed by its source, idempotent by (source, id). The former fact: `{ projectCode, kind:
 * 'land_price_paid', occurredAt, reference?, amountYuan? }` (source `legacy`, its id derived from the Idempotency-Key),
 * answered as before. Checks the shape; whether the event fits the project is decided when it is applied.
 */
export class PostEventDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$', example: 'TDGY-2022-000731', description: "The sending system's event id; with source, what makes a repeat recognisable (event shape: required)" })
  @Validate(EventFieldRequired, { context: UNPROCESSABLE_CONTEXT })
  @Validate(EventField, [(v: unknown) => typeof v === 'string' && /^[\x21-\x7e]{1,200}$/.test(v), "id must be 1–200 printable ASCII characters, the sending system's event id"])
  id?: string;

  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', example: 'land-supply', description: 'The sending system, as configured in EVENT_SOURCES; its secret signs the body (event shape: required)' })
  @Validate(EventFieldRequired, { context: UNPROCESSABLE_CONTEXT })
  @Validate(EventField, [(v: unknown) => typeof v === 'string' && /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(v), 'source must be a configured source name (a-z, 0-9, _ . -), e.g. land-supply'])
  source?: string;

  @ApiPropertyOptional({
    enum: INBOUND_EVENT_TYPES,
    example: 'land_contract_signed',
    description: 'What happened (event shape: required). What each type does to which step of which track: libs/domain/tracks/event-mappings.json',
  })
  @Validate(EventFieldRequired, { context: UNPROCESSABLE_CONTEXT })
  @Validate(EventField, [(v: unknown) => (INBOUND_EVENT_TYPES as readonly unknown[]).includes(v), `type must be one of: ${INBOUND_EVENT_TYPES.join(', ')}`])
  type?: InboundEventType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { contractTerms: { preparationMonths: 6, buildMonths: 24 } },
    description: "The type's fields: land_price_paid: reference, amountYuan (decimal string); land_contract_signed: contractTerms { preparationMonths, buildMonths }",
  })
  @IsOptional()
  @IsObject({ message: 'data must be a JSON object' })
  data?: Record<string, unknown>;

  @ApiProperty({ pattern: PARSED_PROJECT_CODE, example: '2022-330602-39-03-000101', description: 'The national project code the fact is about (24 characters)' })
  @Matches(PROJECT_CODE_PATTERN, { message: 'projectCode must be of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN, e.g. 2022-330602-39-03-000101' })
  @IsString({ message: 'projectCode must be a project code, e.g. 2022-330602-39-03-000101' })
  projectCode!: string;

  @ApiPropertyOptional({
    enum: FACT_KINDS,
    example: 'land_price_paid',
    description:
      'Former shape only (required there): land_price_paid: the land price (土地出让价款) paid in full; the land title (不动产权登记) waits for it (不动产登记暂行条例, 国有土地使用权出让合同)',
  })
  @Validate(LegacyKind)
  @Validate(KindRequired, { context: UNPROCESSABLE_CONTEXT })
  @Validate(KindBesideType, { context: UNPROCESSABLE_CONTEXT })
  kind?: FactKind;

  @ApiProperty({
    pattern: INSTANT_PATTERN.source,
    example: '2022-06-20T10:00:00+08:00',
    description: 'When it happened: ISO 8601 instant with offset; not in the future, not before the project was signed',
  })
  @IsInstant('2022-06-20T10:00:00+08:00')
  @IsString({ message: 'occurredAt must be an ISO 8601 instant with offset, e.g. 2022-06-20T10:00:00+08:00' })
  occurredAt!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, pattern: NOT_BLANK, nullable: true, type: String, example: '绍兴市财政非税收入缴款书 No. 330600-2022-001234', description: "Former shape: the reporting system's reference (receipt, payment order)" })
  @IsOptional()
  @Matches(/\S/, { message: 'reference must not be blank' })
  @CharLength(1, 200, { message: 'reference must be text of 1–200 characters' })
  @IsString({ message: 'reference must be text of 1–200 characters' })
  reference?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, pattern: YUAN_PATTERN.source, example: '36500000.00', description: 'Former shape: amount paid in yuan, a decimal string (up to 2 decimals)' })
  @IsOptional()
  @Matches(YUAN_PATTERN, { message: 'amountYuan must be a decimal string in yuan, e.g. "36500000" or "36500000.50"' })
  @IsString({ message: 'amountYuan must be a decimal string in yuan, e.g. "36500000" or "36500000.50"' })
  amountYuan?: string | null;
}
