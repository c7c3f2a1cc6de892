import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { INBOUND_EVENT_TYPES } from '../../../../../libs/domain/inbound-events.js';
import { PageQueryDto } from '../../common/pagination.dto.js';
import { TimelineEntryDto } from '../../projects/dto/project.response.js';

/** What became of an event, as answered (and answered again to a repeat). */
export const EVENT_STATUSES = ['applied', 'parked', 'needs_attention', 'duplicate'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * An inbound event and what became of it: applied (through the step actions it maps to), parked (its project is not
 * registered yet; applied when it is), needs_attention (it does not fit the step's state: the reason says why; a
 * person decides) or duplicate (the same fact was applied already from another event id or source).
 */
export class InboundEventDto {
  @ApiProperty({ example: 'TDGY-2022-000731' }) id!: string;
  @ApiProperty({ example: 'land-supply' }) source!: string;
  @ApiProperty({ enum: INBOUND_EVENT_TYPES }) type!: string;
  @ApiProperty({ example: '2022-330602-39-03-000101' }) projectCode!: string;
  @ApiProperty({ example: '2022-06-20T02:00:00.000Z', description: 'When it happened (UTC instant)' }) occurredAt!: string;
  @ApiProperty({ enum: EVENT_STATUSES }) status!: EventStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Why it is parked, needs attention or is a duplicate' }) reason!: string | null;
  @ApiProperty({ description: 'When the API received it (UTC instant)' }) receivedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When it was applied (UTC instant)' }) appliedAt!: string | null;
  @ApiProperty({ type: [TimelineEntryDto], description: 'The timeline entries applying it produced (empty unless applied)' }) entries!: TimelineEntryDto[];
}

/** One page of inbound events (DESIGN.md §5 list envelope). */
export class InboundEventListDto {
  @ApiProperty({ type: [InboundEventDto] }) items!: InboundEventDto[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
}

/** Query of `GET /events`: the status (default needs_attention) and the page. */
export class ListEventsQueryDto extends PageQueryDto {
  @ApiProperty({ enum: EVENT_STATUSES, required: false, default: 'needs_attention', description: 'Which events: needs_attention (default), parked, applied or duplicate' })
  @IsOptional()
  @IsIn(EVENT_STATUSES, { message: `status must be one of: ${EVENT_STATUSES.join(', ')}` })
  status: EventStatus = 'needs_attention';
}
