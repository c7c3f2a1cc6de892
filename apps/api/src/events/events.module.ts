import { Module } from '@nestjs/common';
import { ProjectsService } from '../projects/projects.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

/**
 * `POST /events`: inbound facts from other systems, recorded by the project workflows through ProjectsService (a
 * stateless service over the global Temporal client, read model and calendar, so this module provides its own).
 */
@Module({ controllers: [EventsController], providers: [EventsService, ProjectsService] })
export class EventsModule {}
