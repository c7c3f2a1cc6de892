import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createProjectWorker, productionActivities } from '../../apps/worker/worker.js';
import { createTestDatabase } from './database.js';
import { projectWorkflowBundle, startDevServer, tracingWorkflowBundle } from './temporal.js';
import type { Tracing } from '../../libs/observability/tracing.js';
import { TEST_JWT_SECRET } from './tokens.js';

/** The whole system in one test process: dev server, migrated database, worker and API on a free port. */
export interface TestStack {
  env: TestWorkflowEnvironment;
  dataSource: DataSource;
  databaseUrl: string;
  app: INestApplication;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  worker: Worker;
  /** Stops the worker (as a crash would, without draining work it has not started). */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker on the same server and database. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startTestStack}. */
export interface TestStackOptions {
  /**
   * Environment variables set after the stack's own (e.g. `JWT_SECRET` to run with the development secret);
   * `undefined` removes one (e.g. `JWT_SECRET: undefined` with `JWKS_URL` for an identity provider's keys).
   */
  env?: Record<string, string | undefined>;
  /** Tracing started by the test (libs/observability/tracing.ts): the worker then traces, on the tracing bundle. */
  tracing?: Tracing;
}

/**
 * Starts a {@link TestStack}; LOG_LEVEL is `warn` unless set; the API verifies tokens with TEST_JWT_SECRET unless
 * `options.env` sets another JWT_SECRET.
 */
export async function startTestStack(name: string, options: TestStackOptions = {}): Promise<TestStack> {
  const [env, db, bundle] = await Promise.all([startDevServer(), createTestDatabase(name), options.tracing ? tracingWorkflowBundle() : projectWorkflowBundle()]);
  const namespace = env.namespace ?? 'default';
  const address = env.connection.options.address;
  process.env.TEMPORAL_ADDRESS = address;
  process.env.TEMPORAL_NAMESPACE = namespace;
  process.env.DATABASE_URL = db.url;
  process.env.PORT = '0';
  process.env.LOG_LEVEL ??= 'warn';
  process.env.RUN_MIGRATIONS = 'true';
  process.env.JWT_SECRET = TEST_JWT_SECRET;
  delete process.env.JWKS_URL;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }

  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;

  let worker!: Worker;
  let running: Promise<void> = Promise.resolve();
  const startWorker = async (): Promise<void> => {
    worker = await createProjectWorker({
      connection: env.nativeConnection,
      namespace,
      activities: productionActivities({ dataSource: db.dataSource }),
      workflowBundle: bundle,
      tracing: options.tracing,
    });
    running = worker.run();
    stack.worker = worker;
  };
  const stopWorker = async (): Promise<void> => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  const stack: TestStack = {
    env,
    dataSource: db.dataSource,
    databaseUrl: db.url,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    worker,
    stopWorker,
    startWorker,
    async close() {
      await stopWorker().catch(() => undefined);
      await app.close();
      await db.dataSource.destroy();
      await env.teardown();
    },
  };
  await startWorker();
  return stack;
}

/**
 * Starts another API instance on the running stack's database and Temporal with `env` added to the environment
 * (`undefined` removes a variable) while it is created; the environment is restored afterwards. Close it yourself.
 * @returns the application and its base URL (http://127.0.0.1:<free port>)
 */
export async function startExtraApi(env: Record<string, string | undefined>): Promise<{ app: INestApplication; base: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  try {
    const app = await createApiApp();
    await app.listen(0, '127.0.0.1');
    return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
