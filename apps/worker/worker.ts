import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { createNotificationActivities } from '../../activities/notification.activities.js';
import { createClockActivities } from '../../activities/clock.activities.js';
import type { CalendarSource } from '../../libs/calendar/index.js';
import type { NotificationActivities } from '../../libs/temporal/notification.contract.js';
import { createProjectActivities } from '../../activities/project.activities.js';
import type { NotificationChannelMap } from '../../libs/notifications/index.js';
import { CalendarRepository, loadCalendar, NotificationOutboxRepository, ProjectReadModelRepository } from '../../libs/persistence/index.js';
import { TASK_QUEUE } from '../../libs/temporal/project.contract.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The workflows entry point beside this build (dist) or source tree (tests). */
export const WORKFLOWS_PATH = path.resolve(here, '../../workflows/index' + path.extname(fileURLToPath(import.meta.url)));

/**
 * Lets the workflow bundler resolve our `.js` import specifiers to `.ts` sources as well as to built `.js`
 * files (webpack does not read tsconfig).
 */
export function webpackConfigHook<T extends { resolve?: { extensionAlias?: Record<string, string | string[]> } }>(config: T): T {
  config.resolve = { ...config.resolve, extensionAlias: { ...config.resolve?.extensionAlias, '.js': ['.ts', '.js'] } };
  return config;
}

/** What a project worker needs. */
export interface ProjectWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  dataSource: DataSource;
  taskQueue?: string;
  /** A prebuilt bundle (tests build one per suite); otherwise the worker bundles {@link WORKFLOWS_PATH}. */
  workflowBundle?: WorkflowBundle;
  /** Configured notification webhooks (NOTIFICATION_CHANNELS); default none, so every notice goes to the log. */
  notificationChannels?: NotificationChannelMap;
  /** Where deadlines are planned from; by default the official notices with the years stored in PostgreSQL. */
  calendar?: CalendarSource;
  /** Replaces the notification outbox (tests). */
  notifications?: NotificationActivities;
}

/**
 * Creates the worker that runs project workflows and their activities (read-model writes and the
 * notification outbox's `enqueueNotification`) on the `project-approvals` task queue. The caller runs it
 * (`worker.run()`) and shuts it down. Delivery of notifications is the separate NotificationDispatcher.
 */
export async function createProjectWorker(opts: ProjectWorkerOptions): Promise<Worker> {
  const activities = {
    ...createProjectActivities({ readModel: new ProjectReadModelRepository(opts.dataSource) }),
    ...createClockActivities({ calendar: opts.calendar ?? { current: () => loadCalendar(new CalendarRepository(opts.dataSource)) } }),
    ...(opts.notifications ??
      createNotificationActivities({ outbox: new NotificationOutboxRepository(opts.dataSource), channels: opts.notificationChannels ?? {} })),
  };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook } }),
  });
}
