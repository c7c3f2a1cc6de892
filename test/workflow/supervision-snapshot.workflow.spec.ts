import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createProjectWorker } from '../../apps/worker/worker.js';
import { builtInCalendarSource, toShanghaiDate } from '../../libs/calendar/index.js';
import { TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { ensureSupervisionSnapshotSchedule, SUPERVISION_SNAPSHOT_SCHEDULE_ID } from '../../libs/temporal/supervision-snapshot.js';
import { fakeActivities, type FakeActivities } from '../support/fake-activities.js';
import { projectWorkflowBundle, startDevServer } from '../support/temporal.js';

// The daily supervision snapshot on the dev server `npm start` runs: the worker's schedule is created once (a second
// worker finds it), and a run asks the activity for the day it was started on, in Asia/Shanghai.
describe('the daily supervision snapshot', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  let fakes: FakeActivities;

  beforeAll(async () => {
    env = await startDevServer();
    fakes = fakeActivities(builtInCalendarSource());
    worker = await createProjectWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', activities: fakes.activities, workflowBundle: await projectWorkflowBundle() });
    running = worker.run();
    client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  }, 120_000);

  afterAll(async () => {
    await client?.schedule.getHandle(SUPERVISION_SNAPSHOT_SCHEDULE_ID).delete().catch(() => undefined);
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  it('is scheduled at 23:50 Asia/Shanghai once, and a run snapshots the day it started on', async () => {
    expect(await ensureSupervisionSnapshotSchedule(client, TASK_QUEUE)).toBe('created');
    expect(await ensureSupervisionSnapshotSchedule(client, TASK_QUEUE)).toBe('exists');
    const schedule = client.schedule.getHandle(SUPERVISION_SNAPSHOT_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.policies.catchupWindow).toBe(9 * 60_000);

    await schedule.trigger();
    let runs = (await schedule.describe()).info.recentActions;
    for (let i = 0; i < 100 && runs.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runs = (await schedule.describe()).info.recentActions;
    }
    const handle = client.workflow.getHandle(runs[0]!.action.workflow.workflowId);
    const day = toShanghaiDate((await handle.describe()).startTime);
    expect(await handle.result()).toEqual({ day, outcome: 'taken', rows: 0 });
    expect(fakes.snapshots).toEqual([day]);
  });
});
