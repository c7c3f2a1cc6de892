import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiSecuredProblems } from '../common/openapi.js';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import type { DepartmentKey } from '../../../../libs/domain/index.js';
import { AuthorizationService } from '../auth/authorization.service.js';
import { reachesEveryDepartment } from '../auth/policy.js';
import { CurrentUser } from '../common/actor.decorator.js';
import { NotificationOutboxRepository } from '../../../../libs/persistence/index.js';
import type { ListEnvelope } from '../common/pagination.dto.js';
import { ListNotificationsQueryDto } from './dto/list-notifications.query.js';
import { NotificationListDto, type NotificationDto } from './dto/notification.response.js';
import { notificationFromRow } from './notification.mapper.js';

/**
 * Reminders and escalations the system sent or is sending, with their delivery state (policy notifications.read:
 * officers and heads their own department's, supervisors and admins all).
 */
@ApiTags('notifications')
@ApiSecuredProblems()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly outbox: NotificationOutboxRepository,
    private readonly authz: AuthorizationService,
  ) {}

  /**
   * One page of notices matching the filters (validated by the query DTO; an invalid one is a 400 problem). A caller
   * limited to its own department gets its department's notices when it names none.
   * @returns the list envelope of DESIGN.md §5
   * @throws ApiProblem AUTH.FORBIDDEN (403) for another department's notices
   */
  @Get()
  @ApiOperation({ summary: 'Reminders and escalations, newest first, with delivery state (filters: projectCode, state, kind, department; paging)' })
  @ApiResponse({ status: 200, type: NotificationListDto })
  async list(@Query() q: ListNotificationsQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<ListEnvelope<NotificationDto>> {
    const department = q.department ?? (reachesEveryDepartment(user, 'notifications.read') ? undefined : user.department);
    this.authz.require(user, 'notifications.read', department ? { department: department as DepartmentKey, label: 'the notifications asked for' } : undefined);
    const page = await this.outbox.list(
      { projectCode: q.projectCode, state: q.state, kind: q.kind, department },
      { page: q.page, pageSize: q.pageSize },
    );
    return { items: page.items.map(notificationFromRow), total: page.total, page: q.page, pageSize: q.pageSize };
  }
}
