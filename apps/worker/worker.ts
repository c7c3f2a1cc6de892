import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { createNotificationActivities } from '../../activities/notification.activities.js';
import { createClockActivities, type ClockActivities } from '../../activities/clock.activities.js';
import type { CalendarSource } from '../../libs/calendar/index.js';
import type { NotificationActivities } from '../../libs/temporal/notification.contract.js';
import { createProjectActivities, type ProjectActivities } from '../../activities/project.activities.js';
import { createSupervisionActivities, type SupervisionActivities } from '../../activities/supervision.activities.js';
import type { NotificationChannelMap } from '../../libs/notifications/index.js';
import { CalendarRepository, loadCalendar, NotificationOutboxRepository, ProjectReadModelRepository, SupervisionRepository } from '../../libs/persistence/index.js';
import { TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { correlationActivityInterceptors } from './correlation.js';
import type { Tracing } from '../../libs/observability/tracing.js';
import { TRACING_WORKFLOW_INTERCEPTOR_MODULE, tracingActivityInterceptors, tracingSinks } from './tracing.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The workflows entry point beside this build (dist) or source tree (tests). */
export const WORKFLOWS_PATH = path.resolve(here, '../../workflows/index' + path.extname(fileURLToPath(import.meta.url)));

/** The workflow interceptor modules (the request's correlation id through the workflow to its activities and logs). */
export const WORKFLOW_INTERCEPTOR_MODULES = [path.resolve(here, '../../workflows/correlation.interceptors' + path.extname(fileURLToPath(import.meta.url)))];

/**
 * Lets the workflow bundler resolve our `.js` import specifiers to `.ts` sources as well as to built `.js`
 * files (webpack does not read tsconfig).
 */
export function webpackConfigHook<T extends { resolve?: { extensionAlias?: Record<string, string | string[]> } }>(config: T): T {
  config.resolve = { ...config.resolve, extensionAlias: { ...config.resolve?.extensionAlias, '.js': ['.ts', '.js'] } };
  return config;
}

/**
 * Every activity the worker runs: the project workflow's (read-model writes, deadline planning, the notification outbox)
 * and the daily supervision snapshot's.
 */
export type ProjectWorkerActivities = ProjectActivities & ClockActivities & NotificationActivities & SupervisionActivities;

/** What the production activities need. */
export interface ProductionActivityOptions {
  dataSource: DataSource;
  /** Configured notification webhooks (NOTIFICATION_CHANNELS); default none, so every notice goes to the log. */
  notificationChannels?: NotificationChannelMap;
  /** Where deadlines are planned from; by default the official notices with the years stored in PostgreSQL. */
  calendar?: CalendarSource;
  /** The at-risk forecast's margin in working days (AT_RISK_MARGIN_WORKING_DAYS); default 0. */
  atRiskMarginWorkingDays?: number;
  /** The idle window of the daily supervision snapshot (IDLE_WORKING_DAYS); default 10, as the API's. */
  idleWorkingDays?: number;
}

/**
 * The production activities over PostgreSQL: the read model (ProjectReadModelRepository), deadline planning on the
 * stored calendar (or `calendar`), the notification outbox with the configured channels, and the daily supervision
 * snapshot (SupervisionRepository).
 */
export function productionActivities(opts: ProductionActivityOptions): ProjectWorkerActivities {
  const calendar = opts.calendar ?? { current: () => loadCalendar(new CalendarRepository(opts.dataSource)) };
  return {
    ...createProjectActivities({ readModel: new ProjectReadModelRepository(opts.dataSource) }),
    ...createClockActivities({ calendar, atRiskMarginWorkingDays: opts.atRiskMarginWorkingDays }),
    ...createSupervisionActivities({ supervision: new SupervisionRepository(opts.dataSource), calendar, idleWorkingDays: opts.idleWorkingDays ?? 10 }),
    ...createNotificationActivities({ outbox: new NotificationOutboxRepository(opts.dataSource), channels: opts.notificationChannels ?? {} }),
  };
}

/** What a project worker needs. */
export interface ProjectWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** The activity implementations: {@link productionActivities} in production, fakes in workflow tests. */
  activities: ProjectWorkerActivities;
  taskQueue?: string;
  /** A prebuilt bundle (tests build one per suite); otherwise the worker bundles {@link WORKFLOWS_PATH}. */
  workflowBundle?: WorkflowBundle;
  /**
   * Tracing of this process when it is on (libs/observability/tracing.ts): workflows and activities then run in spans
   * continuing the API's traces. A prebuilt bundle must then include {@link TRACING_WORKFLOW_INTERCEPTOR_MODULES}.
   */
  tracing?: Tracing | null;
}

/** The workflow interceptor modules of a tracing worker: the correlation id's, then the spans' (./tracing.ts). */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULES = [...WORKFLOW_INTERCEPTOR_MODULES, TRACING_WORKFLOW_INTERCEPTOR_MODULE];

/**
 * How long (ms) a workflow task waits on this worker's sticky queue before Temporal hands it to the normal task queue.
 * A worker keeps the projects it ran cached and their next tasks go to its own sticky queue; when that worker has
 * crashed (`kill -9`), those projects stall until this timeout, after which any worker replays them from history.
 * Temporal's default is 10 s; 3 s keeps a crashed worker's projects answering within a few seconds while a live worker,
 * which polls its sticky queue continuously, picks its tasks up long before.
 */
export const STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS = 3_000;

/**
 * The options of the project worker (see {@link createProjectWorker}): the task queue (default `project-approvals`),
 * the activities, the correlation interceptors, the workflows (a prebuilt bundle or {@link WORKFLOWS_PATH}), and the
 * sticky queue's schedule-to-start timeout ({@link STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS}).
 */
export function projectWorkerOptions(opts: ProjectWorkerOptions): WorkerOptions {
  return {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities: opts.activities,
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS,
    // A prebuilt bundle includes the workflow interceptor modules at bundling (test/support/temporal.ts).
    interceptors: {
      activity: [...(opts.tracing ? [tracingActivityInterceptors(opts.tracing)] : []), correlationActivityInterceptors],
      ...(opts.workflowBundle ? {} : { workflowModules: opts.tracing ? TRACING_WORKFLOW_INTERCEPTOR_MODULES : WORKFLOW_INTERCEPTOR_MODULES }),
    },
    ...(opts.tracing ? { sinks: tracingSinks(opts.tracing) } : {}),
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook } }),
  };
}

/**
 * Creates the worker that runs project workflows with the given activities on the `project-approvals` task queue
 * (or `taskQueue`), with {@link projectWorkerOptions}. The caller runs it (`worker.run()`) and shuts it down. Delivery
 * of notifications is the separate NotificationDispatcher.
 */
export async function createProjectWorker(opts: ProjectWorkerOptions): Promise<Worker> {
  return Worker.create(projectWorkerOptions(opts));
}
