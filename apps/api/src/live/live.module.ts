import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { LiveController } from './live.controller.js';
import { LiveService } from './live.service.js';
import { LIVE_LISTENER_OPTIONS, ProjectChangesListener, type ProjectChangesListenerOptions } from './project-changes.listener.js';

/**
 * Live updates for the workbench: one LISTEN connection per process on the read model's `project_changes` channel
 * (ProjectChangesListener), fanned out to the `GET /live` server-sent event streams (LiveService).
 */
@Module({
  controllers: [LiveController],
  providers: [
    {
      provide: LIVE_LISTENER_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): ProjectChangesListenerOptions => ({ databaseUrl: config.get('DATABASE_URL', { infer: true }) }),
    },
    ProjectChangesListener,
    LiveService,
  ],
  exports: [ProjectChangesListener],
})
export class LiveModule {}
