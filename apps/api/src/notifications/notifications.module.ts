import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';

/** `GET /notifications`; the outbox repository comes from the global DatabaseModule. */
@Module({ controllers: [NotificationsController] })
export class NotificationsModule {}
