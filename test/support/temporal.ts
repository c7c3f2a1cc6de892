import { DefaultLogger, Runtime, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SearchAttributeType } from '@temporalio/common';
import { webpackConfigHook, WORKFLOWS_PATH } from '../../apps/worker/worker.js';
import { temporalCliPath, temporalTestServerPath } from '../../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTE_REGISTRATIONS, SEARCH_ATTRIBUTES } from '../../libs/temporal/project.contract.js';

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
    webpackConfigHook,
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
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

export { SearchAttributeType };
