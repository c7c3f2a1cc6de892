import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEPARTMENT_KEYS, type DepartmentKey } from '../../../../../libs/domain/index.js';

/* Request and response shapes of the tracks API (DESIGN.md §5): the released track definitions, publishing, the dry run. */

/** Where a released version comes from: a data file shipped with the code, or a publication at run time. */
export type TrackSource = 'shipped' | 'published';
export const TRACK_SOURCES: readonly TrackSource[] = ['shipped', 'published'];

/**
 * Longest definition text a dry run reads (characters): four times the largest shipped definition (standard v3, some
 * 20,000), and short enough that any text within it fits the 1 MB body even with every character escaped as a JSON
 * surrogate pair (12 bytes), so a text over the limit is named as such (400), never taken for a body too large (413).
 */
export const MAX_DEFINITION_TEXT = 80_000;

/** A day as the dry run takes it; whether it is a real day is the calendar's check (422 CALENDAR.INVALID_DATE). */
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** The free-form object of a definition: the track definition format is published at GET /tracks/schema. */
const DEFINITION_OBJECT = {
  type: 'object',
  additionalProperties: true,
  description: 'A track definition in the format of GET /api/v1/tracks/schema (JSON Schema 2020-12)',
} as const;

/** A stage of a track version with its names (the workbench labels stage filters with them). */
export class TrackStageDto {
  @ApiProperty({ example: 'permits' }) key!: string;
  @ApiProperty({ example: 'Planning and construction permits' }) name!: string;
  @ApiProperty({ example: '工程建设许可与施工许可' }) nameZh!: string;
}

/** A step of a track version with its names (the workbench names the step of a stuck reason with them). */
export class TrackStepNameDto {
  @ApiProperty({ example: 'land_prereview' }) key!: string;
  @ApiProperty({ example: 'Land pre-review and site selection' }) name!: string;
  @ApiProperty({ example: '用地预审与选址' }) nameZh!: string;
}

/** One released version of a track, as `GET /tracks` lists it. */
export class TrackVersionSummaryDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 3 }) version!: number;
  @ApiProperty({ example: 'Standard industrial project' }) name!: string;
  @ApiProperty({ example: '一般工业项目' }) nameZh!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 17, description: 'How many steps the definition has' }) stepCount!: number;
  @ApiProperty({ type: [String], example: ['project_land', 'engineering_planning', 'construction_permit', 'groundbreaking'], description: 'Stage keys in order' })
  stages!: string[];
  @ApiProperty({ type: [TrackStageDto], description: 'The same stages in order, with their names' }) stageNames!: TrackStageDto[];
  @ApiProperty({ type: [TrackStepNameDto], description: 'The steps in the definition’s order, with their names' }) stepNames!: TrackStepNameDto[];
  @ApiProperty({ description: 'True for the newest version, the one a new project pins' }) latest!: boolean;
  @ApiProperty({ enum: TRACK_SOURCES, example: 'shipped', description: 'shipped: a data file released with the code; published: published at run time (POST /tracks)' })
  source!: TrackSource;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'When it was published (ISO 8601, Asia/Shanghai); null for a shipped version' })
  publishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Who published it (the token subject); null for a shipped version' })
  publishedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'SHA-256 (hex) of the definition’s canonical JSON as published; null for a shipped version' })
  sha256!: string | null;
}

/** A track and its released versions. */
export class TrackSummaryDto {
  @ApiProperty({ example: 'standard', description: 'The track key (project field `track`)' }) key!: string;
  @ApiProperty({ type: [TrackVersionSummaryDto], description: 'Every released version, oldest first' }) versions!: TrackVersionSummaryDto[];
}

/** `GET /tracks`: every track with its released versions. */
export class TrackListDto {
  @ApiProperty({ type: [TrackSummaryDto] }) items!: TrackSummaryDto[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) total!: number;
}

/**
 * Body of `POST /tracks/dry-run`: a definition as a JSON object, or as text (JSON or YAML), and the day to count from.
 * Exactly one of `definition` and `text` (refused 422 REQUEST.UNPROCESSABLE otherwise: a rule the document leaves to the API).
 */
export class TrackDryRunDto {
  @ApiPropertyOptional({ ...DEFINITION_OBJECT, description: `${DEFINITION_OBJECT.description}; give this or text` })
  @IsOptional()
  @IsObject({ message: 'definition must be an object (a track definition); send a file’s text as text' })
  definition?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: MAX_DEFINITION_TEXT, example: 'track: standard\nversion: 9\n…', description: 'A track definition as JSON or YAML text; give this or definition' })
  @IsOptional()
  @MaxLength(MAX_DEFINITION_TEXT, { message: `text must be at most ${MAX_DEFINITION_TEXT} characters` })
  @IsString({ message: 'text must be a string: the definition as JSON or YAML' })
  text?: string;

  @ApiPropertyOptional({ pattern: DATE_SHAPE.source, example: '2026-09-21', description: 'The day the first steps are accepted (YYYY-MM-DD, Asia/Shanghai); default today' })
  @IsOptional()
  @Matches(DATE_SHAPE, { message: 'startOn must be a date YYYY-MM-DD' })
  @IsString({ message: 'startOn must be a date YYYY-MM-DD' })
  startOn?: string;
}

/**
 * Body of `POST /tracks`: the definition to publish, as a JSON object or as text (JSON or YAML). Exactly one of
 * `definition` and `text` (422 REQUEST.UNPROCESSABLE otherwise).
 */
export class TrackPublishDto {
  @ApiPropertyOptional({ ...DEFINITION_OBJECT, description: `${DEFINITION_OBJECT.description}; give this or text` })
  @IsOptional()
  @IsObject({ message: 'definition must be an object (a track definition); send a file’s text as text' })
  definition?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: MAX_DEFINITION_TEXT, example: 'track: relocation\nversion: 2\n…', description: 'A track definition as JSON or YAML text; give this or definition' })
  @IsOptional()
  @MaxLength(MAX_DEFINITION_TEXT, { message: `text must be at most ${MAX_DEFINITION_TEXT} characters` })
  @IsString({ message: 'text must be a string: the definition as JSON or YAML' })
  text?: string;
}

/** Who published a track version. */
export class TrackPublisherDto {
  @ApiProperty({ example: 'admin-zhou', description: 'The token subject' }) id!: string;
  @ApiProperty({ example: 'project_office' }) department!: string;
}

/** Answer of `POST /tracks`: the version as published (the stored audit record). */
export class TrackPublishedDto {
  @ApiProperty({ example: 'relocation' }) track!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) version!: number;
  @ApiProperty({ example: 'Relocation and withdrawal' }) name!: string;
  @ApiProperty({ example: '企业搬迁退出' }) nameZh!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 9 }) stepCount!: number;
  @ApiProperty({ enum: ['published'], example: 'published' }) source!: 'published';
  @ApiProperty({ example: 'f3a1…', description: 'SHA-256 (hex) of the definition’s canonical JSON (keys sorted, no white space)' }) sha256!: string;
  @ApiProperty({ example: '2026-12-06T15:30:00+08:00', description: 'When it was published (Asia/Shanghai)' }) publishedAt!: string;
  @ApiProperty({ type: TrackPublisherDto }) publishedBy!: TrackPublisherDto;
  @ApiProperty({ description: 'True when this request stored it; false when the same definition was already published under this version (a repeat)' })
  created!: boolean;
}

/** A time limit as the DAG shows it. */
export class DryRunLimitDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 20 }) value!: number;
  @ApiProperty({ enum: ['working_days', 'calendar_days'], example: 'working_days' }) unit!: 'working_days' | 'calendar_days';
}

/** One step of the dry run's DAG with its earliest dates. */
export class DryRunStepDto {
  @ApiProperty({ example: 'land_use_planning_permit' }) key!: string;
  @ApiProperty({ example: 'Land use planning permit' }) name!: string;
  @ApiProperty({ example: '建设用地规划许可证' }) nameZh!: string;
  @ApiProperty({ example: 'project_land' }) stage!: string;
  @ApiProperty({ enum: DEPARTMENT_KEYS, example: 'natural_resources' }) department!: DepartmentKey;
  @ApiProperty({ type: [String], example: ['land_title'] }) dependsOn!: string[];
  @ApiProperty({ type: DryRunLimitDto, description: 'The published limit (承诺时限) the schedule counts' }) limit!: DryRunLimitDto;
  @ApiProperty({ type: DryRunLimitDto, description: 'The statutory limit (法定时限)' }) statutoryLimit!: DryRunLimitDto;
  @ApiProperty({ example: '2026-09-21', description: 'The day its last dependency finishes (startOn when it has none): the acceptance day, not counted' })
  earliestStartOn!: string;
  @ApiProperty({ example: '2026-10-12', description: 'The last day of its published limit on the official calendar' }) earliestFinishOn!: string;
  @ApiProperty({ description: 'True when the step is on the critical path' }) critical!: boolean;
}

/** The critical path (关键路径): the chain of dependencies that ends last. */
export class DryRunCriticalPathDto {
  @ApiProperty({ type: [String], example: ['a', 'b', 'd'], description: 'Step keys from the first step to the final one' }) steps!: string[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 24, description: 'Working days after startOn up to and including earliestFinishOn, on the official calendar' })
  workingDays!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 39, description: 'Calendar days from startOn to earliestFinishOn' }) calendarDays!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 24, description: 'Sum of the working-day limits along the path' }) limitWorkingDays!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Sum of the calendar-day limits along the path' }) limitCalendarDays!: number;
}

/** Answer of `POST /tracks/dry-run` for a valid definition: nothing is stored. */
export class TrackDryRunResultDto {
  @ApiProperty({ example: 'standard' }) track!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 4 }) version!: number;
  @ApiProperty({ example: 'Standard industrial project' }) name!: string;
  @ApiProperty({ example: '一般工业项目' }) nameZh!: string;
  @ApiProperty({ example: 'groundbreaking' }) finalStep!: string;
  @ApiProperty({ example: '2026-09-21', description: 'The day counted from (day 0)' }) startOn!: string;
  @ApiProperty({ example: '2026-10-27', description: 'The final step’s earliest finish: every step at its published limit on the official calendar' })
  earliestFinishOn!: string;
  @ApiProperty({ description: 'True when the count consulted a year with no official notice (holidays computed from the rules)' }) provisional!: boolean;
  @ApiProperty({ type: DryRunCriticalPathDto }) criticalPath!: DryRunCriticalPathDto;
  @ApiProperty({ type: [DryRunStepDto], description: 'The DAG: steps in dependency order' }) steps!: DryRunStepDto[];
}
