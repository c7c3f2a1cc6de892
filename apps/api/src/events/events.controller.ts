import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { actorOf, CurrentUser } from '../common/actor.decorator.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';
import { RequestId } from '../common/request-id.decorator.js';
import { ActionResultDto } from '../projects/dto/project.response.js';
import { PostEventDto } from './dto/post-event.dto.js';
import { EventsService } from './events.service.js';

const PROBLEM = { description: 'application/problem+json with code and detail' };

/**
 * `POST /events`: facts other systems report about a project (the land price paid in full…). Only callers with the
 * `system` role (policy `event.post`); idempotent by the Idempotency-Key.
 */
@ApiTags('events')
@ApiBearerAuth()
@ApiProduces('application/json', 'application/problem+json')
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly authz: AuthorizationService,
  ) {}

  /**
   * Records an inbound fact on its project and answers like a step action: the project and the entries produced.
   * @throws ApiProblem AUTH.FORBIDDEN (403) for a caller without the system role; see EventsService.post
   */
  @Post()
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Inbound event from another system: a fact about a project (system role only)',
    description:
      'land_price_paid: the land price paid in full, which the land title (不动产权登记) waits for; the step becomes ready once its ' +
      'dependencies are done too. Send the event id as Idempotency-Key: a repeat answers the first response with no second effect.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: "The sending system's event id: a repeat answers the first response and has no second effect" })
  @ApiBody({ type: PostEventDto })
  @ApiResponse({ status: 200, type: ActionResultDto, description: 'The project after the fact and the timeline entries it produced' })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 401, description: 'No valid bearer token (problem+json AUTH.UNAUTHENTICATED, WWW-Authenticate: Bearer)' })
  @ApiResponse({ status: 403, description: 'Not the system role (problem+json AUTH.FORBIDDEN, rule event.post:roles)' })
  @ApiResponse({ status: 404, description: 'No project with this code (PROJECT.NOT_FOUND)' })
  @ApiResponse({ status: 409, description: 'Already recorded (PROJECT.INVALID_STATE), ill-dated (ACTION.INVALID) or the project is closed; detail gives the reason' })
  post(@Body() dto: PostEventDto, @CurrentUser() user: AuthenticatedUser, @RequestId() requestId: string): Promise<ActionResultDto> {
    this.authz.require(user, 'event.post');
    return this.events.post(dto, actorOf(user), requestId);
  }
}
