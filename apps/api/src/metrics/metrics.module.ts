import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OperationsRepository } from '../../../../libs/persistence/index.js';
import { MetricsService } from './metrics.service.js';

/** The API's Prometheus metrics (served at `/metrics` by configureApp), with the read model's figures. */
@Global()
@Module({
  providers: [
    { provide: OperationsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new OperationsRepository(ds) },
    { provide: MetricsService, inject: [OperationsRepository], useFactory: (ops: OperationsRepository) => new MetricsService(ops) },
  ],
  exports: [MetricsService],
})
export class MetricsModule {}
