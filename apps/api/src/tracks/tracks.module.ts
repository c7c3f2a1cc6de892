import { Module } from '@nestjs/common';
import { TracksController } from './tracks.controller.js';
import { TracksService } from './tracks.service.js';

/** `GET /tracks`, `/tracks/schema`, `/tracks/{key}/versions/{n}` and `POST /tracks/dry-run`: track definitions as data. */
@Module({ controllers: [TracksController], providers: [TracksService] })
export class TracksModule {}
