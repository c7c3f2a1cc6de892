import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems, ApiSecuredProblems, ApiWriteProblems } from '../common/openapi.js';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { actorOf, CurrentUser } from '../common/actor.decorator.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';
import { IdempotencyKeyParam } from '../common/idempotency-key.decorator.js';
import { ActionResultDto } from '../projects/dto/project.response.js';
import { PostEventDto } from './dto/post-event.dto.js';
import { EventsService } from './events.service.js';

/**
 * `POST /events`: facts other systems report about a project (the land price paid in full…). Only callers with the
 * `system` role (policy `event.post`); idempotent by the Idempotency-Key.
 */
@ApiTags('events')
@ApiSecuredProblems()
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
  @ApiIdempotencyKey("The sending system's event id: a repeat answers the first response and has no second effect")
  @ApiBody({ type: PostEventDto })
  @ApiResponse({ status: 200, type: ActionResultDto, description: 'The project after the fact and the timeline entries it produced' })
  @ApiWriteProblems()
  @ApiProblems(
    { status: 403, description: 'Not the system role: AUTH.FORBIDDEN, rule event.post:roles' },
    { status: 404, description: 'No project with this code: PROJECT.NOT_FOUND' },
    { status: 409, description: 'Already recorded (PROJECT.INVALID_STATE), ill-dated (ACTION.INVALID) or the project is closed, detail giving the reason; or IDEMPOTENCY.IN_PROGRESS' },
    { status: 422, description: 'IDEMPOTENCY.KEY_REUSED: the Idempotency-Key was used for a different request' },
  )
  post(@Body() dto: PostEventDto, @CurrentUser() user: AuthenticatedUser, @IdempotencyKeyParam() idempotencyKey: string): Promise<ActionResultDto> {
    this.authz.require(user, 'event.post');
    return this.events.post(dto, actorOf(user), idempotencyKey);
  }
}
