import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { pino } from 'pino';
import { ConfigError, validateConfig, type AppConfig } from '../../libs/config/app-config.js';
import { checkSearchAttributesAt, EXIT_CONFIGURATION, SearchAttributesRefused } from '../../libs/temporal/search-attributes.js';
import { startTracingFromEnv, TracingConfigurationError } from '../../libs/observability/tracing.js';
import { createApiApp } from './src/bootstrap.js';

/**
 * API process: serves /api/v1 and /docs on PORT, at API_HOST's address (unset: every interface), until SIGINT/SIGTERM,
 * then closes its connections. Before it listens, the Temporal namespace's custom search attributes are checked
 * (missing ones registered, each logged; a namespace that cannot be made right stops it with the commands to run, exit
 * code 78). Temporal not answering within 5 s does not stop it: it answers 503 until Temporal is back, and the worker
 * checks again before it polls.
 */
async function main(): Promise<void> {
  const config = validateConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'api' } });
  const checked = await checkSearchAttributesAt(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE, (line) => logger.info(line), 5_000);
  if (checked === 'unreachable') logger.warn({ address: config.TEMPORAL_ADDRESS }, 'Temporal not reachable: search attributes not checked (the worker checks them before it polls)');
  // Before the application is built: its middleware and Temporal client are traced only when tracing is on.
  const tracing = startTracingFromEnv('approvals-api');
  if (tracing) logger.info({ service: tracing.serviceName }, 'tracing on: spans are exported (OTEL_* settings)');
  const app = await createApiApp();
  const settings = app.get(ConfigService<AppConfig, true>);
  const port = settings.get('PORT', { infer: true });
  const host = settings.get('API_HOST', { infer: true });
  // Unset API_HOST: every interface, as Node's listen(port) does.
  if (host === undefined) await app.listen(port);
  else await app.listen(port, host);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // An invalid setting, named in the message: for an operator to fix, not a crash to restart.
    process.stderr.write(`api refused to start: ${err.message}\n`);
    process.exit(EXIT_CONFIGURATION);
  }
  if (err instanceof SearchAttributesRefused || err instanceof TracingConfigurationError) {
    process.stderr.write(`api refused to start: ${err.message}\n`);
    process.exit(EXIT_CONFIGURATION);
  }
  process.stderr.write(`api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
