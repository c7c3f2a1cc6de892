import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Request, Response } from 'express';
import { bindRequestContext, correlationInterceptor } from '../../apps/api/src/temporal/correlation.js';
import { activityCorrelationId } from '../../apps/worker/correlation.js';
import { createProjectWorker } from '../../apps/worker/worker.js';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { projectWorkflowId, stepActionUpdate, TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { fakeActivities } from '../support/fake-activities.js';
import { newProjectInput, projectWorkflowBundle, startDevServer } from '../support/temporal.js';

/** Runs `fn` as the rest of an HTTP request whose correlation id is `id` (as the API's middleware binds it). */
function asRequest<T>(id: string, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => bindRequestContext({ id } as unknown as Request, {} as Response, () => void fn().then(resolve, reject)));
}

// The correlation id from the API's Temporal client (the correlation-id header) through the workflow to the activities
// it schedules for that request, with the worker's real interceptors and the read model in memory.
describe('the correlation id, HTTP → workflow → activity', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const seen: Array<{ version: number; correlationId: string | undefined }> = [];

  beforeAll(async () => {
    env = await startDevServer();
    const fakes = fakeActivities(builtInCalendarSource());
    const syncReadModel = fakes.activities.syncReadModel;
    fakes.activities.syncReadModel = async (input) => {
      seen.push({ version: input.snapshot.version, correlationId: activityCorrelationId() });
      return syncReadModel(input);
    };
    worker = await createProjectWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', activities: fakes.activities, workflowBundle: await projectWorkflowBundle() });
    running = worker.run();
    client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', interceptors: { workflow: [correlationInterceptor()] } });
  }, 120_000);

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  it("hands the registration's id to the first read-model write and an action's id to the write it causes", async () => {
    const code = '2022-330602-39-03-700001';
    const handle = await asRequest('req-register', () =>
      client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [newProjectInput(code)] }),
    );
    // The registration's first write, before the action: otherwise the worker may take the start and the update in
    // one workflow task, and the only write then is the action's.
    for (const until = Date.now() + 10_000; seen.length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    const result = await asRequest('req-accept', () =>
      handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: { id: 'drc-1', department: 'development_reform' }, requestId: 'r-accept' }] }),
    );
    const first = seen.find((s) => s.version < result.project.version);
    const byAction = seen.find((s) => s.version === result.project.version);
    expect(first?.correlationId).toBe('req-register');
    expect(byAction?.correlationId).toBe('req-accept');

    // The history records which request each message came from.
    const history = JSON.stringify((await handle.fetchHistory()).events);
    expect(history).toContain(Buffer.from(JSON.stringify('req-accept')).toString('base64'));
  });
});
