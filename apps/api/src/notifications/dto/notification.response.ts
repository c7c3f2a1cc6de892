import { ApiProperty } from '@nestjs/swagger';
import { CHANNEL_KINDS, NOTIFICATION_KINDS, NOTIFICATION_STATES } from '../../../../../libs/notifications/index.js';

/* Response shapes of the notifications API (DESIGN.md §5). Instants are ISO 8601 with +08:00. */

/** Who a notice is for: a role within a department, or the supervisors. */
export class RecipientDto {
  @ApiProperty({ enum: ['officers', 'head', 'supervisors'] }) role!: string;
  @ApiProperty({ required: false, description: 'For officers and head: their department key' }) department?: string;
}

/** One outbox row as the API shows it: the notice and its delivery state. */
export class NotificationDto {
  @ApiProperty({ example: '42', description: 'Outbox row id (a decimal string); the X-Notification-Id a webhook receives' }) id!: string;
  @ApiProperty({ description: 'One notice per key: project, step, kind, deadline (and repeat); the X-Dedupe-Key a webhook receives' }) dedupeKey!: string;
  @ApiProperty({ example: '2022-330602-39-03-000101' }) projectCode!: string;
  @ApiProperty({ nullable: true, type: String }) projectName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Step key; null for project-level deadlines' }) step!: string | null;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
  @ApiProperty({ example: 'natural_resources', description: 'The department the notice is about' }) department!: string;
  @ApiProperty({ enum: CHANNEL_KINDS, description: 'log, a generic signed webhook, a DingTalk (浙政钉) or WeCom (企业微信) robot, or e-mail' }) channel!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'webhook: its URL without query string or credentials; dingtalk, wecom, email: the channel key (a department key or supervisors); null for log',
  })
  target!: string | null;
  @ApiProperty({ type: [RecipientDto] }) recipients!: RecipientDto[];
  @ApiProperty({ enum: NOTIFICATION_STATES }) state!: string;
  @ApiProperty({ type: 'integer', description: 'Delivery attempts made so far' }) attempts!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The most recent delivery failure, if any' }) lastError!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'While pending: the next attempt (or the end of the current one’s lease)' }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The deadline the notice is about' }) dueAt!: string | null;
  @ApiProperty({ description: 'The text for people, in Chinese and English' }) message!: string;
}

/** The list envelope of `GET /notifications`. */
export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
}
