import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { createTemporalClient } from '../../../../libs/temporal/connection.js';
import { correlationInterceptor } from './correlation.js';
import { activeTracing } from '../../../../libs/observability/tracing.js';
import { tracingClientInterceptors } from '../tracing/http-tracing.js';

/** DI token of the Temporal workflow client. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * Provides the Temporal client over a lazy connection: the API starts even while Temporal is down and
 * answers 503 until it is back. Starts, Updates and signals carry the HTTP request's correlation id as a header
 * (./correlation.ts). The connection is closed on shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): Client => {
        const connection = Connection.lazy({ address: config.get('TEMPORAL_ADDRESS', { infer: true }), connectTimeout: '5 seconds' });
        // With tracing on, each call is a span of the request's trace, its context sent along in a header.
        const tracing = activeTracing();
        const interceptors = [...(tracing ? tracingClientInterceptors(tracing.tracer) : []), correlationInterceptor()];
        return createTemporalClient(connection, config.get('TEMPORAL_NAMESPACE', { infer: true }), interceptors);
      },
    },
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
    // The last requests' spans (tracing on) leave before the process ends; the HTTP server has closed by now.
    await activeTracing()
      ?.flush()
      .catch(() => undefined);
  }
}
