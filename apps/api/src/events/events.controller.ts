import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiIdempotencyKey, ApiProblems, ApiSecuredProblems, ApiWriteProblems } from '../common/openapi.js';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { actorOf, CurrentUser } from '../common/actor.decorator.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';
import { IdempotencyKeyParam } from '../common/idempotency-key.decorator.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { ActionResultDto } from '../projects/dto/project.response.js';
import { InboundEventDto, InboundEventListDto, ListEventsQueryDto } from './dto/inbound-event.response.js';
import { PostEventDto } from './dto/post-event.dto.js';
import { EventsService } from './events.service.js';

/**
 * `POST /events`: events other systems report about a project (contract signed, price paid, title registered, permits
 * issued, EIA approved, customs acceptance), signed by their source on top of the system role's token (policy
 * `event.post`); `GET /events`: the events that need a person, parked or applied (policy `event.read`).
 */
@ApiTags('events')
@ApiSecuredProblems()
@ApiExtraModels(ActionResultDto, InboundEventDto)
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly authz: AuthorizationService,
  ) {}

  /**
   * Takes one event: checks the caller's role, then the source's signature over the raw body, then applies it or stores
   * why not. A repeat of (source, id) answers the stored answer with `Idempotent-Replayed: true`.
   * @throws ApiProblem AUTH.FORBIDDEN (403) for a caller without the system role; AUTH.UNAUTHENTICATED (401) for a bad or
   *   missing signature or a stale timestamp, nothing stored; see EventsService.post
   */
  @Post()
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Inbound event from another system, signed by its source (system role only)',
    description:
      'Body { id, source, type, projectCode, occurredAt, data }, signed: X-Timestamp (Unix seconds, within 5 minutes) and X-Signature: ' +
      'sha256=<hex HMAC-SHA256(secret of the source in EVENT_SOURCES, timestamp + "." + raw body)>; a bad or missing signature is 401 and nothing is stored. ' +
      'Idempotent by (source, id): a repeat answers the stored answer and changes nothing; the same pair with another body is 422. ' +
      'What each type does to which step of which track is data (libs/domain/tracks/event-mappings.json): it is applied through the ' +
      "officer's actions (accept, approve, deliver; a fact recorded), back-dated to occurredAt, all or none. status: applied; parked (project " +
      'not registered yet: applied when it registers, in occurredAt order); needs_attention (it does not fit the step: blocked, already ' +
      'approved, supplement requested, another department, dated before the step last changed — listed by GET /events with the reason); ' +
      'duplicate (the same type and instant applied from another id). Out of order: events of a project apply in arrival order, each ' +
      "back-dated; one that no longer fits because a later one was applied says so in its reason; one refused because a step was still " +
      'blocked is tried again, in occurredAt order, after each applied event of its project. ' +
      'Former body { projectCode, kind: land_price_paid, occurredAt, reference?, amountYuan? }: answered as before (the project and its ' +
      "entries; 404 unknown project, 409 already recorded), deduplicated by the Idempotency-Key; it is the source 'legacy' with the " +
      "Idempotency-Key's derived id, signed only when EVENT_SOURCES configures 'legacy'.",
  })
  @ApiHeader({ name: 'X-Signature', required: false, description: 'sha256=<64 hex>: HMAC-SHA256 of "<X-Timestamp>.<raw body>" under the source\'s secret (required for the event body)' })
  @ApiHeader({ name: 'X-Timestamp', required: false, description: 'Unix seconds when signed, within 300 s of the server (required for the event body)' })
  @ApiIdempotencyKey('The former body: the event id (a repeat answers the first response). The event body is idempotent by (source, id) without it')
  @ApiBody({ type: PostEventDto })
  @ApiResponse({
    status: 200,
    description: 'The event and what became of it (event body), or the project after the fact and its entries (former body)',
    schema: { oneOf: [{ $ref: getSchemaPath(InboundEventDto) }, { $ref: getSchemaPath(ActionResultDto) }] },
  })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 401, description: 'AUTH.UNAUTHENTICATED: no token, or the event signature refused (unknown source, bad or missing X-Signature, X-Timestamp over 5 minutes off)' },
    { status: 403, description: 'Not the system role: AUTH.FORBIDDEN, rule event.post:roles' },
    { status: 404, description: 'Former body: no project with this code: PROJECT.NOT_FOUND' },
    { status: 409, description: 'Former body: already recorded (PROJECT.INVALID_STATE), ill-dated (ACTION.INVALID) or the project is closed; IDEMPOTENCY.IN_PROGRESS' },
    { status: 422, description: 'IDEMPOTENCY.KEY_REUSED: the Idempotency-Key, or the event (source, id), was used for a different body' },
  )
  async post(
    @Body() dto: PostEventDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKeyParam() idempotencyKey: string,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
    @Headers('x-timestamp') timestamp?: string,
    @Headers('x-signature') signature?: string,
  ): Promise<ActionResultDto | InboundEventDto> {
    this.authz.require(user, 'event.post');
    this.events.verify(dto, { rawBody: req.rawBody, timestamp, signature });
    const answer = await this.events.post(dto, actorOf(user), idempotencyKey);
    if (answer.shape === 'event' && answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }

  /**
   * One page of inbound events of a status (default needs_attention, for the project office and supervisors), newest
   * first, with the reason each is not applied.
   * @throws ApiProblem AUTH.FORBIDDEN (403) for other callers
   */
  @Get()
  @ApiOperation({ summary: 'Inbound events by status (default needs_attention: the ones a person must look at), newest first, with the reason' })
  @ApiResponse({ status: 200, type: InboundEventListDto })
  @ApiProblems({ status: 403, description: 'Not the project office or a supervisor: AUTH.FORBIDDEN, rule event.read' })
  list(@Query() q: ListEventsQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<ListEnvelope<InboundEventDto>> {
    this.authz.require(user, 'event.read');
    return this.events.list(q.status, { page: q.page, pageSize: q.pageSize });
  }
}
