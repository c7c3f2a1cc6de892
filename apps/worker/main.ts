import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { pino } from 'pino';
import { ConfigError, publicBaseUrl, validateConfig } from '../../libs/config/app-config.js';
import { ChannelSender, DEFAULT_BACKOFF } from '../../libs/notifications/index.js';
import { CalendarRepository, createDataSource, loadCalendar, NotificationOutboxRepository } from '../../libs/persistence/index.js';
import { EXIT_CONFIGURATION, ensureSearchAttributes, SearchAttributesRefused } from '../../libs/temporal/search-attributes.js';
import { Connection } from '@temporalio/client';
import { createTemporalClient } from '../../libs/temporal/connection.js';
import { TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { ensureSupervisionSnapshotSchedule, SUPERVISION_SNAPSHOT_SCHEDULE_ID } from '../../libs/temporal/supervision-snapshot.js';
import { NotificationDispatcher } from './notification-dispatcher.js';
import { createProjectWorker, productionActivities } from './worker.js';
import { startTracingFromEnv, TracingConfigurationError } from '../../libs/observability/tracing.js';

/**
 * Worker process: runs project workflows and activities (and the daily supervision snapshot, whose Temporal schedule
 * it creates when the namespace lacks it), and the notification dispatcher that delivers
 * the outbox, until SIGINT/SIGTERM; then both drain (in-flight tasks and deliveries finish) and the
 * connections close. Configuration: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DATABASE_URL, LOG_LEVEL and the
 * NOTIFICATION_* settings. Migrations are the API's (or the start script's) job.
 */
async function main(): Promise<void> {
  const config = validateConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'worker' } });
  const temporalLevel: LogLevel = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(temporalLevel, (entry) => {
      const level = entry.level === 'WARN' ? 'warn' : entry.level === 'ERROR' ? 'error' : entry.level === 'DEBUG' || entry.level === 'TRACE' ? 'debug' : 'info';
      logger[level]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    // Prometheus metrics of the Temporal SDK (task latencies, slots, polls…) and the activities' own (read_model_lag),
    // served by the runtime at http://127.0.0.1:<WORKER_METRICS_PORT>/metrics; loopback only, as the API's /metrics.
    ...(config.WORKER_METRICS_PORT > 0
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${config.WORKER_METRICS_PORT}` }, globalTags: { service: 'worker' } } } }
      : {}),
  });

  // Spans of workflows and activities, continuing the API's traces, when OTEL_* settings ask for it (else none).
  const tracing = startTracingFromEnv('approvals-worker');
  if (tracing) logger.info({ service: tracing.serviceName }, 'tracing on: spans are exported (OTEL_* settings)');
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // Before polling: a workflow task that sets an unregistered search attribute fails, and so would every action.
  await ensureSearchAttributes(connection.operatorService, config.TEMPORAL_NAMESPACE, (line) => logger.info(line));
  // The daily snapshot of the supervisors' summary (a summary as of a past day is then a sum, not a scan).
  const scheduling = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const schedule = await ensureSupervisionSnapshotSchedule(createTemporalClient(scheduling, config.TEMPORAL_NAMESPACE), TASK_QUEUE);
    logger.info({ schedule: SUPERVISION_SNAPSHOT_SCHEDULE_ID, outcome: schedule }, 'supervision snapshot schedule checked');
  } finally {
    await scheduling.close();
  }
  const calendar = await loadCalendar(new CalendarRepository(dataSource));
  const dispatcher = new NotificationDispatcher({
    outbox: new NotificationOutboxRepository(dataSource),
    logger: logger.child({ component: 'notifications' }),
    webhookSecret: config.NOTIFICATION_WEBHOOK_SECRET,
    // DingTalk, WeCom and e-mail channels; the days left before a deadline by the working-day calendar as of the start.
    channelSender: new ChannelSender({ channels: config.NOTIFICATION_CHANNELS, publicBaseUrl: publicBaseUrl(config), workingDaysBetween: (from, to) => calendar.workingDaysBetween(from, to) }),
    maxAttempts: config.NOTIFICATION_MAX_ATTEMPTS,
    backoff: { ...DEFAULT_BACKOFF, baseMs: config.NOTIFICATION_BACKOFF_BASE_MS },
    pollIntervalMs: config.NOTIFICATION_POLL_INTERVAL_MS,
  });
  // The Runtime turns the same signals into the worker's shutdown; the dispatcher stops alongside it.
  const stopDispatcher = (): void => void dispatcher.stop();
  process.once('SIGINT', stopDispatcher);
  process.once('SIGTERM', stopDispatcher);
  try {
    const activities = productionActivities({
      dataSource,
      notificationChannels: config.NOTIFICATION_CHANNELS,
      atRiskMarginWorkingDays: config.AT_RISK_MARGIN_WORKING_DAYS,
      idleWorkingDays: config.IDLE_WORKING_DAYS,
    });
    const worker = await createProjectWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, activities, tracing });
    dispatcher.start();
    // Keys and kinds only: channel URLs carry tokens, and secrets are never logged.
    const channels = Object.fromEntries(Object.entries(config.NOTIFICATION_CHANNELS).map(([key, c]) => [key, c.kind]));
    logger.info({ taskQueue: worker.options.taskQueue, namespace: config.TEMPORAL_NAMESPACE, channels }, 'worker and notification dispatcher started');
    await worker.run(); // resolves after a shutdown signal, once in-flight tasks are done
    logger.info('worker stopped');
  } finally {
    await dispatcher.stop(); // lets deliveries in flight finish and record their outcome
    logger.info('notification dispatcher stopped');
    await connection.close();
    await tracing?.shutdown(); // sends the spans still buffered
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // An invalid setting (e.g. a NOTIFICATION_CHANNELS entry, named in the message): for an operator to fix.
    process.stderr.write(`worker refused to start: ${err.message}\n`);
    process.exit(EXIT_CONFIGURATION);
  }
  if (err instanceof SearchAttributesRefused || err instanceof TracingConfigurationError) {
    // A setting for an operator to fix, not a crash: the start script's supervisor does not restart this code.
    process.stderr.write(`worker refused to start: ${err.message}\n`);
    process.exit(EXIT_CONFIGURATION);
  }
  pino().fatal({ err }, 'worker failed');
  process.exit(1);
});
