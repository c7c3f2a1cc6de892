import { Global, Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TrackRegistry } from '../../../../libs/persistence/index.js';
import { TrackRegistryRefresh } from './track-registry-refresh.js';
import { TracksController } from './tracks.controller.js';
import { TracksService } from './tracks.service.js';

/**
 * `GET /tracks`, `/tracks/schema`, `/tracks/{key}/versions/{n}`, `POST /tracks` and `POST /tracks/dry-run`: track
 * definitions as data. Global: it provides the process's TrackRegistry (shipped + published definitions, the published
 * ones loaded from PostgreSQL at start and every 30 s after: TrackRegistryRefresh), which every module that needs a project's
 * definition injects.
 */
@Global()
@Module({
  controllers: [TracksController],
  providers: [
    TracksService,
    TrackRegistryRefresh,
    {
      provide: TrackRegistry,
      inject: [DataSource],
      useFactory: async (ds: DataSource): Promise<TrackRegistry> => {
        const logger = new Logger('Tracks');
        const registry = new TrackRegistry(ds, (m) => logger.warn(m));
        const n = await registry.refresh();
        if (n > 0) logger.log(`${n} published track version(s) loaded`);
        return registry;
      },
    },
  ],
  exports: [TrackRegistry],
})
export class TracksModule {}
