import { Body, Controller, createParamDecorator, Get, Header, HttpCode, Post, Res, type ExecutionContext } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { TRACK_KEY_PATTERN, type TrackDefinition } from '../../../../libs/domain/index.js';
import { TRACK_DEFINITION_SCHEMA } from '../../../../libs/domain/tracks/track-definition.schema.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { ApiProblems, ApiSecuredProblems, ApiWriteProblems } from '../common/openapi.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { TrackDryRunDto, TrackDryRunResultDto, TrackListDto, TrackPublishDto, TrackPublishedDto } from './dto/tracks.dto.js';
import { TracksService } from './tracks.service.js';

/** The media type of a JSON Schema document (draft 2020-12 §15). */
export const SCHEMA_MEDIA_TYPE = 'application/schema+json';

const VERSION_PATTERN = /^[1-9]\d{0,5}$/;

/**
 * The `{key}` and `{n}` of `/tracks/{key}/versions/{n}` as sent: a snake_case key of 2–32 characters and a version
 * 1–999999.
 * @throws ApiProblem REQUEST.INVALID (400) naming `key` or `n`
 */
export function parseTrackVersionParams(key: unknown, n: unknown): { key: string; version: number } {
  const fail = (field: string, message: string): never => {
    throw new ApiProblem(ApiErrorCode.RequestInvalid, message, [{ field, message }]);
  };
  if (typeof key !== 'string' || !TRACK_KEY_PATTERN.test(key)) fail('key', `key must be a track key (snake_case, 2–32 characters), e.g. standard; got ${JSON.stringify(key)}`);
  if (typeof n !== 'string' || !VERSION_PATTERN.test(n)) fail('n', `n must be a version number 1–999999, e.g. 3; got ${JSON.stringify(n)}`);
  return { key: key as string, version: Number(n) };
}

/** The route's `{key}` and `{n}`, read as sent (the validation pipe would turn `abc` into NaN first). */
const TrackVersionParams = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const params = ctx.switchToHttp().getRequest<Request>().params;
  return parseTrackVersionParams(params['key'], params['n']);
});

const DEFINITION_RESPONSE = {
  type: 'object',
  additionalProperties: true,
  description: 'The definition as released, in the format of GET /api/v1/tracks/schema (steps in dependency order)',
} as const;

/**
 * Track definitions as data (DESIGN.md §5): their JSON Schema, the released tracks and versions (shipped and
 * published), one version as stored, publishing a new version (admins: policy `definition.load`) and the dry run of a
 * new definition (admins: policy `track.dry_run`). `schema` and `dry-run` are declared before the parameterised path.
 */
@ApiTags('tracks')
@ApiSecuredProblems()
@Controller('tracks')
export class TracksController {
  constructor(
    private readonly tracks: TracksService,
    private readonly authz: AuthorizationService,
  ) {}

  @Get('schema')
  @Header('Content-Type', `${SCHEMA_MEDIA_TYPE}; charset=utf-8`)
  @ApiOperation({
    summary: 'The JSON Schema (2020-12) of a track definition, for editors and validators',
    description: 'Every field of the format with its description (Chinese terms included). A definition that passes the schema is also checked as a graph (no cycle, known dependencies and departments, a finite critical path) by the dry run.',
  })
  @ApiProduces(SCHEMA_MEDIA_TYPE)
  @ApiResponse({ status: 200, description: 'The JSON Schema document', content: { [SCHEMA_MEDIA_TYPE]: { schema: { type: 'object', additionalProperties: true } } } })
  schema(@CurrentUser() user: AuthenticatedUser): object {
    this.authz.require(user, 'track.read');
    return TRACK_DEFINITION_SCHEMA;
  }

  @Get()
  @ApiOperation({ summary: 'Every track with its released versions (name, steps, stages, which is the latest, shipped or published)' })
  @ApiOkResponse({ type: TrackListDto })
  list(@CurrentUser() user: AuthenticatedUser): Promise<TrackListDto> {
    this.authz.require(user, 'track.read');
    return this.tracks.list();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Publish a new version of a track (admin): checked, stored with its publisher, time and SHA-256, immutable from then on',
    description:
      'Give the definition as an object (definition) or as JSON or YAML text (text), in the format of GET /tracks/schema. Its version must be the next one of its track ' +
      '(1 for a new key: a new track). The stored row is the audit record (publisher, time, SHA-256 of the canonical JSON). New projects on the track get it by default ' +
      '(POST /projects with track, or with trackVersion to pin another); running projects keep their version. The same definition sent again for its version answers ' +
      '200 with the stored record (created false).',
  })
  @ApiBody({ type: TrackPublishDto })
  @ApiResponse({ status: 201, description: 'Published', type: TrackPublishedDto })
  @ApiOkResponse({ description: 'The same definition was already published as this version: the stored record', type: TrackPublishedDto })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 403, description: 'Not an admin: AUTH.FORBIDDEN, rule definition.load:roles' },
    { status: 409, description: 'TRACK.VERSION_CONFLICT: the version is not the next one of its track (the detail names the next), or another definition is already released under it' },
    {
      status: 422,
      description:
        'The definition is invalid: REQUEST.UNPROCESSABLE with every problem in errors, field the path inside the document (e.g. steps[4].dependsOn[0]); or neither or both of definition and text',
    },
  )
  async publish(@Body() dto: TrackPublishDto, @CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) res: Response): Promise<TrackPublishedDto> {
    this.authz.require(user, 'definition.load');
    const published = await this.tracks.publish(dto, user);
    if (!published.created) res.status(200);
    return published;
  }

  @Get(':key/versions/:n')
  @ApiOperation({ summary: 'One released version of a track: the definition as stored' })
  @ApiParam({ name: 'key', schema: { type: 'string', pattern: TRACK_KEY_PATTERN.source, example: 'standard' }, description: 'Track key' })
  @ApiParam({ name: 'n', schema: { type: 'integer', minimum: 1, maximum: 999999, example: 3 }, description: 'Version number' })
  @ApiResponse({
    status: 200,
    description: 'The definition',
    headers: { 'Track-Source': { description: 'shipped (a data file released with the code) or published (at run time, POST /tracks)', schema: { type: 'string', enum: ['shipped', 'published'] } } },
    content: { 'application/json': { schema: DEFINITION_RESPONSE } },
  })
  @ApiProblems({ status: 404, description: 'No such track, or no such version of it: TRACK.NOT_FOUND naming what exists' })
  async version(
    @TrackVersionParams() p: { key: string; version: number },
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TrackDefinition> {
    this.authz.require(user, 'track.read');
    const { definition, source } = await this.tracks.version(p.key, p.version);
    res.setHeader('Track-Source', source);
    return definition;
  }

  @Post('dry-run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dry run of a track definition (admin): checked, then its DAG, critical path and earliest finish on the official calendar; stores nothing',
    description:
      'Give the definition as an object (definition) or as JSON or YAML text (text). Every step takes its published limit: accepted the day its last dependency finishes ' +
      '(startOn for the first steps, default today in Asia/Shanghai), finishing as the step clocks count (the acceptance day not counted; working days on the official calendar; ' +
      'a calendar-day period ending on a rest day ends on the next working day).',
  })
  @ApiBody({ type: TrackDryRunDto })
  @ApiOkResponse({ type: TrackDryRunResultDto })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 403, description: 'Not an admin: AUTH.FORBIDDEN, rule track.dry_run:roles' },
    { status: 409, description: 'Not answered by a dry run, which changes nothing and conflicts with no state; documented as on every write' },
    {
      status: 422,
      description:
        'The definition is invalid: REQUEST.UNPROCESSABLE with every problem in errors, field the path inside the document (e.g. steps[4].dependsOn[0]); or neither or both of definition and text; ' +
        'or startOn is no real day (CALENDAR.INVALID_DATE), or the count runs into a year the calendar cannot provide (CALENDAR.YEAR_NOT_SUPPORTED)',
    },
  )
  dryRun(@Body() dto: TrackDryRunDto, @CurrentUser() user: AuthenticatedUser): Promise<TrackDryRunResultDto> {
    this.authz.require(user, 'track.dry_run');
    return this.tracks.dryRun(dto);
  }
}
