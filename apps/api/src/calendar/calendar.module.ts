import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';

/** The working-day calendar and the deadline calculator (issue 4). */
@Module({ controllers: [CalendarController], providers: [CalendarService] })
export class CalendarModule {}
