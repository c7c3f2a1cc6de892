import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems, ApiSecuredProblems } from '../common/openapi.js';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { LiveProjectEventDto, LiveReadyEventDto } from './dto/live-event.dto.js';
import { HEARTBEAT_MS, LiveService, MAX_STREAMS_PER_SUBJECT, RETRY_MS } from './live.service.js';

/**
 * `GET /live`: the server-sent events that keep open pages current (policy project.read). Authenticated with the
 * bearer token like every endpoint (browsers use a fetch-based event source to send it; never a token in the
 * URL). Counted once per connection by the rate limit.
 */
@ApiTags('live')
@ApiBearerAuth()
@ApiExtraModels(LiveProjectEventDto, LiveReadyEventDto)
@Controller('live')
export class LiveController {
  constructor(
    private readonly live: LiveService,
    private readonly authz: AuthorizationService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Server-sent events: every change of a project in the read model, as it commits',
    description:
      'An endless `text/event-stream` (WHATWG server-sent events). Frames: `retry: ' +
      `${RETRY_MS}\` first; \`event: ready\` (data: LiveReadyEventDto); \`event: project\` per change (data: ` +
      'LiveProjectEventDto, one line of JSON); `event: resync` (data `{}`) when changes may have been missed: refetch ' +
      `everything shown; a comment line every ${HEARTBEAT_MS / 1000} s. The stream ends when the token expires and on ` +
      'shutdown; reconnect (with a fresh token) and refetch. Every signed-in user gets every change (each may read ' +
      'every project); the events carry no comment or actor.',
  })
  @ApiResponse({
    status: 200,
    description: 'The event stream',
    content: {
      'text/event-stream': {
        schema: { type: 'string', description: `Frames whose data is ${getSchemaPath(LiveProjectEventDto)} or ${getSchemaPath(LiveReadyEventDto)}` },
      },
    },
  })
  @ApiSecuredProblems()
  @ApiProblems(
    { status: 429, description: `Rate limited, or the caller already holds ${MAX_STREAMS_PER_SUBJECT} streams on this instance (REQUEST.RATE_LIMITED, Retry-After)` },
    { status: 503, description: 'This instance holds as many streams as it may (SERVICE.UNAVAILABLE, Retry-After), or a dependency is unreachable' },
  )
  subscribe(@Req() req: Request, @Res() res: Response, @CurrentUser() user: AuthenticatedUser): void {
    this.authz.require(user, 'project.read');
    this.live.stream(req, res, user);
  }
}
