import { ApiProperty } from '@nestjs/swagger';

/* Response shapes of the calendar API (DESIGN.md §5). Dates are YYYY-MM-DD (Asia/Shanghai), instants ISO 8601 with +08:00. */

/** Where a year's data comes from. */
export const CALENDAR_ORIGINS = ['built_in', 'loaded', 'provisional'] as const;
export type CalendarOrigin = (typeof CALENDAR_ORIGINS)[number];

/** One year of the agency working-day calendar: `GET /calendar/{year}`. */
export class CalendarYearDto {
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;

  @ApiProperty({ description: 'True when no State Council notice is loaded for the year: computed from the national holiday rules (2024 revision); every deadline touching it is provisional' })
  provisional!: boolean;

  @ApiProperty({
    enum: CALENDAR_ORIGINS,
    description: 'built_in: a notice shipped with the product (2022–2026); loaded: a notice an administrator loaded (PUT); provisional: computed from the rules',
  })
  origin!: CalendarOrigin;

  @ApiProperty({ type: [String], example: ['2025-01-01', '2025-01-28'], description: 'Rest days of the notice (weekend days inside a break included), sorted' })
  holidays!: string[];

  @ApiProperty({ type: [String], example: ['2025-01-26', '2025-02-08'], description: 'Saturdays/Sundays worked (调休上班), sorted' })
  makeUpWorkdays!: string[];

  @ApiProperty({ type: 'integer', example: 248, description: 'Agency working days in the year' })
  workingDays!: number;

  @ApiProperty({ type: 'integer', isArray: true, example: [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23], description: 'Working days in January … December' })
  workingDaysByMonth!: number[];

  @ApiProperty({ example: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）', description: 'The notice (or rule) the data follows' })
  source!: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-05T10:00:00.000+08:00', description: 'When an administrator loaded the notice (null unless origin is loaded)' })
  loadedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'admin-wang', description: 'Who loaded it (the token subject; null unless origin is loaded)' })
  loadedBy!: string | null;
}

/** Answer of `PUT /calendar/{year}`: the year as now stored, and how many running project workflows were told. */
export class CalendarLoadResultDto extends CalendarYearDto {
  @ApiProperty({ type: 'integer', example: 12, description: 'Running projects (active or suspended) whose workflow received the calendarChanged signal' })
  signalled!: number;
}

/** Answer of the deadline calculator `GET /calendar/deadline`. Day counts are in the limit's unit. */
export class DeadlineDto {
  @ApiProperty({ nullable: true, type: String, example: '2025-10-13', description: 'Last day of the period (Asia/Shanghai); null while an open stop holds the clock' })
  dueOn!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2025-10-14T00:00:00+08:00', description: 'End of dueOn (24:00 Asia/Shanghai)' })
  dueAt!: string | null;

  @ApiProperty({ description: 'True when a year the count consulted has no notice loaded' })
  provisional!: boolean;

  @ApiProperty({ type: 'integer', example: 2, description: 'Days counted up to the last stop’s S (0 without stops)' })
  usedDays!: number;

  @ApiProperty({ type: 'integer', example: 3, description: 'limit − usedDays' })
  remainingDays!: number;

  @ApiProperty({ type: 'integer', example: 6, description: 'Days excluded by stops before the count reached the limit (working days for a working-day limit)' })
  clockStoppedDays!: number;

  @ApiProperty({ description: 'True when an open stop (S/) holds the clock before the limit, so dueOn is unknown' })
  stopped!: boolean;
}
