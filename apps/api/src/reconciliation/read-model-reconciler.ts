import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { ProjectReadModelRepository } from '../../../../libs/persistence/project-read-model.repository.js';
import { readModelReconciliation, runReconciliation } from '../../../../libs/projection/reconciliation.js';
import { DatabaseModule } from '../database/database.module.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';

/**
 * At every start of the API, reconciles the read model with the project workflows in the background (the projects it
 * lacks or holds behind are rebuilt from the workflows: libs/projection), logging the plan and progress; readiness
 * (`/health/ready`, indicator `readModel`) names a read model behind Temporal until it is done. The Queries it sends
 * are answered by the workers; with none polling, it retries with back-off.
 */
@Injectable()
export class ReadModelReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadModelReconciler');
  private readonly stop = new AbortController();

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly dataSource: DataSource,
    private readonly readModel: ProjectReadModelRepository,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Starts the reconciliation (READ_MODEL_RECONCILE: all, missing or off) without holding up the start. */
  onApplicationBootstrap(): void {
    const scope = this.config.get('READ_MODEL_RECONCILE', { infer: true });
    if (scope === 'off') return;
    void runReconciliation({ client: this.client, dataSource: this.dataSource, readModel: this.readModel }, readModelReconciliation, {
      log: (m) => this.logger.warn(m),
      signal: this.stop.signal,
      scope,
    });
  }

  /** Stops retrying. */
  onApplicationShutdown(): void {
    this.stop.abort();
  }
}

/** The read model's reconciliation with the workflows at start (see {@link ReadModelReconciler}). */
@Module({ imports: [DatabaseModule], providers: [ReadModelReconciler] })
export class ReconciliationModule {}
