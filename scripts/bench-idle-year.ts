/*
 * `npm run bench:idle-year`: a project whose step is accepted and then left alone for a year, on the
 * time-skipping test server: prints the step's ledger, every reminder and escalation with its instant, the
 * number of timers the workflow started and fired, and the history length. Shows that the workflow sleeps
 * on durable timers from threshold to threshold instead of polling.
 */
import 'reflect-metadata';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createClockActivities } from '../activities/clock.activities.js';
import type { NotificationRequest } from '../libs/temporal/notification.contract.js';
import { webpackConfigHook, WORKFLOWS_PATH } from '../apps/worker/worker.js';
import { builtInCalendarSource, toShanghaiDate, usedAsOf, WorkingDayCalendar } from '../libs/calendar/index.js';
import type { ProjectSnapshot } from '../libs/domain/index.js';
import { temporalTestServerPath } from '../libs/temporal/binaries.js';
import { detailQuery, projectWorkflowId, SEARCH_ATTRIBUTE_REGISTRATIONS, stepActionUpdate, TASK_QUEUE, type ProjectWorkflowInput } from '../libs/temporal/project.contract.js';

const STEP = 'land_title';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => [a.name, a.indexedValueType])),
  });
  const sent: NotificationRequest[] = [];
  let syncs = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: { webpackConfigHook },
    activities: {
      syncReadModel: async (_: { snapshot: ProjectSnapshot }) => {
        syncs++;
        return { applied: true, timelineInserted: 0 };
      },
      ...createClockActivities({ calendar: builtInCalendarSource() }),
      enqueueNotification: async (r: NotificationRequest) => {
        sent.push(r);
        return { enqueued: true };
      },
    },
  });
  await worker.runUntil(async () => {
    const code = '2022-330602-39-03-300001';
    const input: ProjectWorkflowInput = {
      kind: 'new',
      registration: { code, name: '无人处理一年的项目', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-05' },
      definitionVersion: 1,
      registeredBy: { id: 'po-sun', department: 'project_office' },
      requestId: null,
    };
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
    const actor = { id: 'nrp-li', department: 'natural_resources' as const };
    // Bring land_title to review: pre-review, auction and contract first.
    let n = 0;
    for (const step of ['land_prereview', 'land_auction', 'land_contract']) {
      for (const action of ['accept', 'approve'] as const) await handle.executeUpdate(stepActionUpdate, { args: [{ step, action, actor, requestId: `r${n++}` }] });
    }
    const accepted = await handle.executeUpdate(stepActionUpdate, { args: [{ step: STEP, action: 'accept', actor, requestId: `r${n}` }] });
    const start = await env.currentTimeMs();
    const lengthBefore = (await handle.fetchHistory()).events!.length;
    await env.sleep('365 days');
    const history = await handle.fetchHistory();
    const events = history.events!;
    const count = (t: string) => events.filter((e) => String(e.eventType) === t || e.eventType === (TYPES as Record<string, number>)[t]).length;
    const detail = await handle.query(detailQuery);
    const step = detail.steps.find((s) => s.key === STEP)!;
    const cal = WorkingDayCalendar.official();
    const today = toShanghaiDate(await env.currentTimeMs());
    const ledger = usedAsOf(
      { start: toShanghaiDate(Date.parse(step.acceptedAt!)), limit: step.limit.value, unit: step.limit.unit, stops: [] },
      today,
      cal,
    );
    const out = (s: string) => process.stdout.write(`${s}\n`);
    out(`project ${code}, step ${STEP} (${step.nameZh}): ${step.limit.value} ${step.limit.unit}, accepted ${step.acceptedAt} (${toShanghaiDate(Date.parse(accepted.project.steps.find((s) => s.key === STEP)!.acceptedAt!))})`);
    out(`deadline: dueOn ${step.deadline!.dueOn}, dueAt ${step.deadline!.dueAt}, provisional ${step.deadline!.provisional}; light now ${step.light}; project light ${detail.light}`);
    out(`ledger as of ${ledger.asOf}: used ${ledger.usedWorkingDays} working days, remaining ${ledger.remainingWorkingDays}, clock-stopped ${ledger.clockStoppedDays}, overdue ${ledger.overdueWorkingDays} working days`);
    out(`reminders and escalations in the year (${sent.length}):`);
    for (const r of sent) out(`  ${new Date(Date.parse(r.firedAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} +08:00  ${r.kind.padEnd(18)} overdue ${String(r.overdueWorkingDays).padStart(3)} WD  → ${r.recipients.map((x) => ('department' in x ? `${x.role}@${x.department}` : x.role)).join(', ')}`);
    out(`timers started in the year: ${count('EVENT_TYPE_TIMER_STARTED')}, fired: ${count('EVENT_TYPE_TIMER_FIRED')}, cancelled: ${count('EVENT_TYPE_TIMER_CANCELED')}`);
    out(`activities in the year: ${count('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')} (read-model syncs in all: ${syncs})`);
    out(`history length: ${lengthBefore} events after acceptance, ${events.length} after a year untouched (${events.length - lengthBefore} added)`);
    out(`simulated: ${((await env.currentTimeMs()) - start) / 86_400_000} days`);
  });
  await env.teardown();
}

const TYPES = { EVENT_TYPE_TIMER_STARTED: 17, EVENT_TYPE_TIMER_FIRED: 18, EVENT_TYPE_TIMER_CANCELED: 19, EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: 10 };

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
