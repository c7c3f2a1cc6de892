import { DefaultLogger, Runtime, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SearchAttributeType } from '@temporalio/common';
import { createProjectWorker, TRACING_WORKFLOW_INTERCEPTOR_MODULES, webpackConfigHook, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../apps/worker/worker.js';
import type { CalendarSource } from '../../libs/calendar/index.js';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import type { ProjectSnapshot, TimelineEntry } from '../../libs/domain/index.js';
import { temporalCliPath, temporalTestServerPath } from '../../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS, SEARCH_ATTRIBUTES, type NewProjectInput } from '../../libs/temporal/project.contract.js';
import { fakeActivities, type InMemoryReadModel } from './fake-activities.js';

let runtimeInstalled = false;
/** Quiet Temporal's own logging in tests (webpack and worker chatter). */
export function quietTemporal(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another helper in this process
  }
}

let bundle: Promise<WorkflowBundle> | undefined;
/** The workflow bundle, built once per test file from the TypeScript sources. */
export function projectWorkflowBundle(): Promise<WorkflowBundle> {
  quietTemporal();
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    webpackConfigHook,
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

let tracingBundle: Promise<WorkflowBundle> | undefined;
/** The workflow bundle of a tracing worker (with the OpenTelemetry interceptors), built once per test file. */
export function tracingWorkflowBundle(): Promise<WorkflowBundle> {
  quietTemporal();
  tracingBundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: TRACING_WORKFLOW_INTERCEPTOR_MODULES,
    webpackConfigHook,
    logger: new DefaultLogger('WARN'),
  });
  return tracingBundle;
}

/** A real Temporal dev server (binary on disk) with the project's search attributes registered. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  quietTemporal();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      extraArgs: ['--log-level', 'error'],
    },
  });
}

/** The time-skipping test server (binary on disk), with the project's search attributes registered. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  quietTemporal();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => [a.name, a.indexedValueType])),
  });
  return env;
}

/** A running project worker whose read-model writes and outbox notices are kept in memory, not stored. */
export interface RecordingWorker {
  /** Every snapshot written to the "read model", in order. */
  synced: ProjectSnapshot[];
  /** Every timeline entry written, with the code of its project. */
  entries: Array<TimelineEntry & { project: string }>;
  /** Every notice put in the "outbox". */
  sent: NotificationRequest[];
  /** The read model as the real syncReadModel activity left it, in memory. */
  readModel: InMemoryReadModel;
  /** Stops the worker and waits for it. */
  shutdown(): Promise<void>;
}

/**
 * Runs the project workflow on `env`'s task queue through the worker factory with activity fakes (see
 * fakeActivities: the real clock activities over `calendar`, the read model and the outbox in memory), so a
 * workflow test needs no PostgreSQL.
 */
export async function startRecordingWorker(env: TestWorkflowEnvironment, calendar: CalendarSource): Promise<RecordingWorker> {
  const fakes = fakeActivities(calendar);
  const worker = await createProjectWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    activities: fakes.activities,
    workflowBundle: await projectWorkflowBundle(),
  });
  const running = worker.run();
  return {
    synced: fakes.synced,
    entries: fakes.entries,
    sent: fakes.sent,
    readModel: fakes.readModel,
    shutdown: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/**
 * The input of a new project's workflow as the API would start it: a plausible standard-track registration of `code`
 * signed 2022-03-05, definition version 1, registered by the project office; `overrides` replace fields.
 */
export function newProjectInput(code: string, overrides: Partial<NewProjectInput> = {}): NewProjectInput {
  return {
    kind: 'new',
    registration: { code, name: 'Test plant', track: 'standard', district: '越城区', investor: 'Test Co', investmentYuan: '1000000000.00', signedAt: '2022-03-05' },
    definitionVersion: 1,
    registeredBy: { id: 'officer-project_office', department: 'project_office' },
    requestId: null,
    ...overrides,
  };
}

export { SearchAttributeType };
