import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { pino } from 'pino';
import { validateConfig } from '../../libs/config/app-config.js';
import { createDataSource } from '../../libs/persistence/index.js';
import { createProjectWorker } from './worker.js';

/**
 * Worker process: runs project workflows and activities until SIGINT/SIGTERM, then drains (in-flight
 * tasks finish) and closes its connections. Configuration: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * DATABASE_URL, LOG_LEVEL. Migrations are the API's (or the start script's) job.
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
  });

  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createProjectWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, dataSource });
    logger.info({ taskQueue: worker.options.taskQueue, namespace: config.TEMPORAL_NAMESPACE }, 'worker started');
    await worker.run(); // resolves after a shutdown signal, once in-flight tasks are done
    logger.info('worker stopped');
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  pino().fatal({ err }, 'worker failed');
  process.exit(1);
});
