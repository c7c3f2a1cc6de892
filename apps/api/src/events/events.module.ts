import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InboundEventsRepository } from '../../../../libs/persistence/inbound-events.repository.js';
import { ProjectsService } from '../projects/projects.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { ProjectRegistrations } from './project-registrations.js';

/**
 * `POST /events` and `GET /events`: inbound events from other systems, applied by the project workflows through
 * ProjectsService (a stateless service over the global Temporal client, read model and calendar, so this module provides
 * its own). Global for ProjectRegistrations: the projects service tells it of each registration, and parked events follow.
 */
@Global()
@Module({
  controllers: [EventsController],
  providers: [
    EventsService,
    ProjectsService,
    ProjectRegistrations,
    { provide: InboundEventsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new InboundEventsRepository(ds) },
  ],
  exports: [ProjectRegistrations],
})
export class EventsModule {}
