import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';

/** The working-day calendar (`GET`/`PUT /calendar/{year}`) and the deadline calculator (`GET /calendar/deadline`). */
@Module({ controllers: [CalendarController], providers: [CalendarService] })
export class CalendarModule {}
