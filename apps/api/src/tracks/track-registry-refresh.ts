import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { TrackRegistry } from '../../../../libs/persistence/index.js';

/** How often an API process reloads the published track versions (ms): another replica may have published one. */
export const TRACK_REFRESH_MS = 30_000;

/**
 * Keeps this process's track registry in step with `published_tracks` when several API replicas run: every
 * {@link TRACK_REFRESH_MS} it loads the versions published elsewhere (lookups that miss also reload at once; this covers
 * the synchronous ones, such as names in the read model's rows). A failed reload is logged and tried again next time.
 */
@Injectable()
export class TrackRegistryRefresh implements OnModuleDestroy {
  private readonly logger = new Logger('Tracks');
  private readonly timer: NodeJS.Timeout;

  constructor(registry: TrackRegistry) {
    this.timer = setInterval(() => {
      registry.refresh().catch((e: unknown) => this.logger.warn(`published tracks not reloaded: ${e instanceof Error ? e.message : String(e)}`));
    }, TRACK_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
