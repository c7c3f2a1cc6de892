import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { LIMIT_UNITS, MAX_LIMIT, MIN_LIMIT, type LimitUnit } from '../../../../../libs/calendar/index.js';
import { IsCalendarDate } from '../../projects/dto/validators.js';

/**
 * A `stop` value: `S/R`, or `S/` while the stop is still open, each a date YYYY-MM-DD. Whether S and R are real dates in
 * order is checked by the calculator (422 CALENDAR.INVALID_DATE or CALENDAR.INVALID_STOP naming the stop).
 */
export const STOP_PATTERN = /^\d{4}-\d{2}-\d{2}\/(\d{4}-\d{2}-\d{2})?$/;

const LIMIT_MESSAGE = `limit must be a whole number of days from ${MIN_LIMIT} to ${MAX_LIMIT}`;
const STOP_MESSAGE = 'stop must be S/R (the day of the supplement request / of the resubmission) or S/ for a stop still open, dates YYYY-MM-DD, e.g. 2025-09-24/2025-10-09';

/**
 * Query of the deadline calculator `GET /calendar/deadline`, the tool officers use to check a limit by hand:
 * `start=2025-09-22&limit=5&unit=working_days&stop=2025-09-24/2025-10-09`.
 */
export class DeadlineQueryDto {
  @ApiProperty({ format: 'date', example: '2025-09-22', description: 'Acceptance day (受理), YYYY-MM-DD Asia/Shanghai; day 0, not counted (民法典 Art. 201)' })
  @IsCalendarDate({ message: 'start must be a real date YYYY-MM-DD, e.g. 2025-09-22' })
  start!: string;

  @ApiProperty({ type: 'integer', example: 5, minimum: MIN_LIMIT, maximum: MAX_LIMIT, description: 'The time limit, in unit' })
  // Digits only: Number() alone would take '', '1e3' or '0x10'.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN))
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(MIN_LIMIT, { message: LIMIT_MESSAGE })
  @Max(MAX_LIMIT, { message: LIMIT_MESSAGE })
  limit!: number;

  @ApiPropertyOptional({ enum: LIMIT_UNITS, default: 'working_days', description: 'working_days (agency working days) or calendar_days' })
  @IsOptional()
  @IsIn(LIMIT_UNITS, { message: `unit must be one of: ${LIMIT_UNITS.join(', ')}` })
  unit: LimitUnit = 'working_days';

  @ApiPropertyOptional({
    type: [String],
    items: { type: 'string', pattern: STOP_PATTERN.source },
    maxItems: 100,
    example: ['2025-09-24/2025-10-09'],
    description:
      'A clock stop, repeatable: S/R where S is the day of the supplement request (补正; counts) and R the day of the resubmission ' +
      '(days after S up to and including R do not count). S/ (R left empty) is a stop still open: dueOn is then null and stopped true.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]))
  @ArrayMaxSize(100, { message: 'stop may be given at most 100 times' })
  @IsString({ each: true, message: STOP_MESSAGE })
  @Matches(STOP_PATTERN, { each: true, message: STOP_MESSAGE })
  stop?: string[];
}
