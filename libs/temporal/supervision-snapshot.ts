import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** The schedule that starts the daily supervision snapshot, and the workflow id of each run it starts. */
export const SUPERVISION_SNAPSHOT_SCHEDULE_ID = 'supervision-daily-snapshot';

/** The workflow type of the daily snapshot (workflows/supervision-snapshot.workflow.ts). */
export const SUPERVISION_SNAPSHOT_WORKFLOW_TYPE = 'supervisionSnapshotWorkflow';

/**
 * When the snapshot is taken: 23:50 every day, Asia/Shanghai. A day's snapshot is the summary as it stood then; what
 * changes in its last ten minutes shows from the next day on. A run more than 9 minutes late (Temporal down at 23:50)
 * is skipped, so no snapshot is labelled with a day that is over; that day's summary is then counted on the rows.
 */
export const SUPERVISION_SNAPSHOT_AT = { hour: 23, minute: 50, timezone: 'Asia/Shanghai', catchupWindow: '9 minutes' } as const;

/**
 * Makes sure the namespace has the schedule of the daily supervision snapshot; a schedule already there (another
 * worker's, an earlier start's) is left as it is.
 * @param client a client of the namespace
 * @param taskQueue the task queue of the workers that run the snapshot workflow
 * @returns `created`, or `exists`
 * @throws the client's error when Temporal refuses or cannot be reached
 */
export async function ensureSupervisionSnapshotSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: SUPERVISION_SNAPSHOT_SCHEDULE_ID,
      spec: { calendars: [{ hour: SUPERVISION_SNAPSHOT_AT.hour, minute: SUPERVISION_SNAPSHOT_AT.minute }], timezone: SUPERVISION_SNAPSHOT_AT.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: SUPERVISION_SNAPSHOT_WORKFLOW_TYPE,
        workflowId: SUPERVISION_SNAPSHOT_SCHEDULE_ID,
        taskQueue,
        workflowExecutionTimeout: '10 minutes',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: SUPERVISION_SNAPSHOT_AT.catchupWindow },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
