import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { toShanghaiDate } from '../libs/calendar/index.js';
import type { SupervisionActivities, SupervisionDaySnapshot } from '../activities/supervision.activities.js';

const { snapshotSupervisionDay } = proxyActivities<SupervisionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['SnapshotDayOver'] },
});

/**
 * The daily supervision snapshot: started by the schedule `supervision-daily-snapshot` near the end of each day
 * (libs/temporal/supervision-snapshot.ts), it snapshots the summary's counters for the day its run was started on
 * (Asia/Shanghai), so a summary as of that day is later answered from them. The day is the run's start, not the
 * moment a worker picks it up: a run started at 23:50 but first run after midnight asks for the day that is over,
 * which the activity refuses (that day is then counted on the rows).
 * @returns what the activity did
 */
export async function supervisionSnapshotWorkflow(): Promise<SupervisionDaySnapshot> {
  return snapshotSupervisionDay(toShanghaiDate(workflowInfo().runStartTime));
}
