import { Injectable } from '@nestjs/common';
import { canonicalYuan, type Actor } from '../../../../libs/domain/index.js';
import type { IdempotencyKey } from '../../../../libs/temporal/project.contract.js';
import type { ActionResultDto } from '../projects/dto/project.response.js';
import { ProjectsService } from '../projects/projects.service.js';
import type { PostEventDto } from './dto/post-event.dto.js';

/**
 * Inbound events from other systems (`POST /events`): each is a fact about one project, recorded by the project's
 * workflow (projectFactUpdate), deduplicated by the request's Idempotency-Key like an officer's action.
 */
@Injectable()
export class EventsService {
  constructor(private readonly projects: ProjectsService) {}

  /**
   * Records the fact `dto` reports on its project's workflow.
   * Input: the validated body (project code, kind, occurredAt as an ISO 8601 instant with offset, optional reference
   * and amount in decimal yuan, stored in canonical form), the system caller and the write's idempotency key.
   * @returns the project after the fact and the timeline entries it produced
   * @throws as ProjectsService.recordFact: 404 PROJECT.NOT_FOUND, 409 PROJECT.INVALID_STATE (already recorded),
   *   409 ACTION.INVALID (in the future or before signing), 409 PROJECT.CLOSED
   */
  post(dto: PostEventDto, actor: Actor, idempotencyKey: IdempotencyKey): Promise<ActionResultDto> {
    return this.projects.recordFact(
      dto.projectCode,
      {
        kind: dto.kind,
        occurredAt: dto.occurredAt,
        reference: dto.reference?.trim() || null,
        amountYuan: dto.amountYuan === undefined || dto.amountYuan === null ? null : canonicalYuan(dto.amountYuan),
      },
      actor,
      idempotencyKey,
    );
  }
}
