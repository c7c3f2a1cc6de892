import { describe, expect, it } from '@jest/globals';
import type { NativeConnection, WorkflowBundle } from '@temporalio/worker';
import { projectWorkerOptions, STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS, WORKFLOWS_PATH, type ProjectWorkerActivities } from '../../../apps/worker/worker.js';
import { TASK_QUEUE } from '../../../libs/temporal/project.contract.js';

/*
 * The project worker's options: a crashed worker's cached projects go back to the normal task queue after 3 s on its
 * sticky queue (Temporal's default is 10 s, during which every action on those projects waits).
 */
const connection = {} as NativeConnection;
const activities = {} as ProjectWorkerActivities;

describe('projectWorkerOptions', () => {
  it("hands a crashed worker's sticky workflow tasks to the normal queue after 3 s, not Temporal's default 10 s", () => {
    const options = projectWorkerOptions({ connection, namespace: 'district', activities });
    expect(STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS).toBe(3_000);
    expect(options.stickyQueueScheduleToStartTimeout).toBe(3_000);
  });

  it('keeps the sticky timeout with a prebuilt bundle and another task queue (the workflow tests)', () => {
    const bundle = { code: '' } as WorkflowBundle;
    const options = projectWorkerOptions({ connection, namespace: 'default', activities, taskQueue: 'test-queue', workflowBundle: bundle });
    expect(options).toMatchObject({ taskQueue: 'test-queue', workflowBundle: bundle, stickyQueueScheduleToStartTimeout: 3_000 });
    expect(options.workflowsPath).toBeUndefined();
  });

  it('runs the project workflows from source on the project-approvals queue by default', () => {
    const options = projectWorkerOptions({ connection, namespace: 'district', activities });
    expect(options).toMatchObject({ connection, namespace: 'district', taskQueue: TASK_QUEUE, activities, workflowsPath: WORKFLOWS_PATH });
  });
});
