import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { LoggerModule } from './common/logger.module.js';
import { randomUUID } from 'node:crypto';
import { validateConfig, type AppConfig } from '../../../libs/config/app-config.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { CallerThrottlerGuard } from './auth/caller-throttler.guard.js';
import { RequestShapeGuard } from './common/request-shape.guard.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { ReconciliationModule } from './reconciliation/read-model-reconciler.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { SupervisionModule } from './supervision/supervision.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { TemporalModule } from './temporal/temporal.module.js';
import { TracksModule } from './tracks/tracks.module.js';

/**
 * The HTTP API: configuration, structured logs, database, authentication and authorization, Temporal client and
 * the resource modules.
 * Built by {@link AppModule.forRoot} at call time, so the environment is read (and validated) when the
 * application is created, not when this file is imported.
 */
@Module({})
export class AppModule {
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateConfig, cache: false }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<AppConfig, true>) => ({
            pinoHttp: {
              level: config.get('LOG_LEVEL', { infer: true }),
              base: { service: 'api' },
              // The correlation id: the caller's X-Request-Id when it is sane, else fresh; logged as `req.id`, echoed in
              // the X-Request-Id header and in problems as `correlationId`. Unrelated to the idempotency key of a write.
              genReqId: (req, res) => {
                const incoming = req.headers['x-request-id'];
                const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
                res.setHeader('X-Request-Id', id);
                return id;
              },
              redact: ['req.headers.authorization', 'req.headers.cookie'],
              // The project a request is about, as its own field of the request's log lines.
              customProps: (req) => {
                const code = /\/projects\/(\d{4}-\d{6}-\d{2}-\d{2}-\d{6})(?:[/?]|$)/.exec(req.url ?? '')?.[1];
                return code ? { projectCode: code } : {};
              },
              // Probes and scrapes come every few seconds: not logged.
              autoLogging: { ignore: (req) => /^\/api\/v1\/health(\/(live|ready))?(\?|$)|^\/metrics(\?|$)/.test(req.url ?? '') },
            },
          }),
        }),
        DatabaseModule,
        AuthModule,
        TemporalModule,
        // Before ProjectsModule: GET /projects/export must not be routed as GET /projects/{code}.
        ExportsModule,
        ProjectsModule,
        TasksModule,
        SupervisionModule,
        NotificationsModule,
        CalendarModule,
        EventsModule,
        ImportsModule,
        TracksModule,
        HealthModule,
        ReconciliationModule,
        MetricsModule,
        LiveModule,
      ],
      // Global guards run in this order: rate limit (per token subject, else IP), bearer token, request shape.
      providers: [
        { provide: APP_GUARD, useExisting: CallerThrottlerGuard },
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useClass: RequestShapeGuard },
      ],
    };
  }
}
