import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { CALENDAR_SOURCE, calendarSourceProvider } from './calendar-source.provider.js';
import {
  CalendarRepository,
  dataSourceOptions,
  IdempotencyRepository,
  NotificationOutboxRepository,
  ProjectReadModelRepository,
  SupervisionRepository,
} from '../../../../libs/persistence/index.js';

/** PostgreSQL through TypeORM (migrations applied at start when RUN_MIGRATIONS), and the repositories. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        ...dataSourceOptions(config.get('DATABASE_URL', { infer: true })),
        migrationsRun: config.get('RUN_MIGRATIONS', { infer: true }),
        migrationsTransactionMode: 'each' as const,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    { provide: ProjectReadModelRepository, inject: [DataSource], useFactory: (ds: DataSource) => new ProjectReadModelRepository(ds) },
    { provide: IdempotencyRepository, inject: [DataSource], useFactory: (ds: DataSource) => new IdempotencyRepository(ds) },
    { provide: NotificationOutboxRepository, inject: [DataSource], useFactory: (ds: DataSource) => new NotificationOutboxRepository(ds) },
    { provide: CalendarRepository, inject: [DataSource], useFactory: (ds: DataSource) => new CalendarRepository(ds) },
    { provide: SupervisionRepository, inject: [DataSource], useFactory: (ds: DataSource) => new SupervisionRepository(ds) },
    calendarSourceProvider,
  ],
  exports: [ProjectReadModelRepository, SupervisionRepository, IdempotencyRepository, NotificationOutboxRepository, CalendarRepository, CALENDAR_SOURCE],
})
export class DatabaseModule {}
