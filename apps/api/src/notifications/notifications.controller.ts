import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { NotificationOutboxRepository } from '../../../../libs/persistence/index.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { ListNotificationsQueryDto } from './dto/list-notifications.query.js';
import { NotificationListDto, type NotificationDto } from './dto/notification.response.js';
import { notificationFromRow } from './notification.mapper.js';

/** Reminders and escalations the system sent or is sending, with their delivery state. */
@ApiTags('notifications')
@ApiProduces('application/json', 'application/problem+json')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly outbox: NotificationOutboxRepository) {}

  /**
   * One page of notices matching the filters (validated by the query DTO; an invalid one is a 400 problem).
   * @returns the list envelope of DESIGN.md §5
   */
  @Get()
  @ApiOperation({ summary: 'Reminders and escalations, newest first, with delivery state (filters: projectCode, state, kind, department; paging)' })
  @ApiResponse({ status: 200, type: NotificationListDto })
  @ApiResponse({ status: 400, description: 'application/problem+json naming the invalid filter' })
  async list(@Query() q: ListNotificationsQueryDto): Promise<ListEnvelope<NotificationDto>> {
    const page = await this.outbox.list(
      { projectCode: q.projectCode, state: q.state, kind: q.kind, department: q.department },
      { page: q.page, pageSize: q.pageSize },
    );
    return { items: page.items.map(notificationFromRow), total: page.total, page: q.page, pageSize: q.pageSize };
  }
}
