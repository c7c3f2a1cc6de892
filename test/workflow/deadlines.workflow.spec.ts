import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import { fromNotice, OFFICIAL_YEARS, planClock, toShanghaiDate, WorkingDayCalendar } from '../../libs/calendar/index.js';
import type { ProjectSnapshot, TimelineEntry } from '../../libs/domain/index.js';
import {
  calendarChangedSignal,
  detailQuery,
  projectActionUpdate,
  projectWorkflowId,
  stepActionUpdate,
  TASK_QUEUE,
  type ProjectWorkflowInput,
} from '../../libs/temporal/project.contract.js';
import { startRecordingWorker, startTimeSkippingServer, type RecordingWorker } from '../support/temporal.js';

const DAY = 86_400_000;

describe('step clocks on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;
  let sent: NotificationRequest[];
  let synced: ProjectSnapshot[];
  let entries: RecordingWorker['entries'];
  let calendar = WorkingDayCalendar.official();
  let n = 0;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    recorder = await startRecordingWorker(env, { current: async () => calendar });
    ({ sent, synced, entries } = recorder);
  }, 60_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  async function start(code: string, extra: Partial<ProjectWorkflowInput> = {}) {
    const input: ProjectWorkflowInput = {
      ...(extra as object),
      kind: 'new',
      registration: { code, name: '计时测试项目', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-05' },
      definitionVersion: 1,
      registeredBy: { id: 'po-sun', department: 'project_office' },
      requestId: null,
    } as ProjectWorkflowInput;
    return env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
  }

  it('warns, turns red, escalates and repeats at the planned instants when a step is left alone', async () => {
    const code = '2022-330602-39-03-200001';
    const handle = await start(code);
    const accepted = await handle.executeUpdate(stepActionUpdate, {
      args: [{ step: 'energy_review', action: 'accept', actor: { id: 'drc-wang', department: 'development_reform' }, requestId: `a${n++}` }],
    }).catch(async () => {
      // energy review is blocked until filing is done: approve filing first
      await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: { id: 'drc-wang', department: 'development_reform' }, requestId: `a${n++}` }] });
      await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'approve', actor: { id: 'drc-wang', department: 'development_reform' }, requestId: `a${n++}` }] });
      return handle.executeUpdate(stepActionUpdate, { args: [{ step: 'energy_review', action: 'accept', actor: { id: 'drc-wang', department: 'development_reform' }, requestId: `a${n++}` }] });
    });
    const acceptedAt = accepted.project.steps.find((s) => s.key === 'energy_review')!.acceptedAt!;
    // The expected instants, from the same rules (planClock is pinned by its own unit tests).
    const plan = planClock({ start: toShanghaiDate(Date.parse(acceptedAt)), limit: 15, unit: 'working_days' }, WorkingDayCalendar.official());

    const detail = await handle.query(detailQuery);
    const step = detail.steps.find((s) => s.key === 'energy_review')!;
    expect(step.light).toBe(plan.yellowAt && Date.parse(plan.yellowAt) <= Date.parse(acceptedAt) ? 'yellow' : 'green');

    // Leave it alone past the second repeat.
    await env.sleep(Date.parse(plan.repeatAts[1]!) - Date.parse(acceptedAt) + DAY);
    const mine = sent.filter((r) => r.projectCode === code && r.step === 'energy_review');
    expect(mine.map((r) => [r.kind, r.firedAt])).toEqual([
      // each at the exact threshold: yellow at 00:00, red at 24:00 of the due day, 督办 3 working days later, then every 5
      ['yellow', new Date(Date.parse(plan.yellowAt!)).toISOString()],
      ['red', new Date(Date.parse(plan.dueAt!)).toISOString()],
      // standard@1 publishes no shorter limit: the statutory limit passes with the published one, its own notice (issue 7)
      ['statutory_overdue', new Date(Date.parse(plan.dueAt!)).toISOString()],
      ['escalation', new Date(Date.parse(plan.escalateAt!)).toISOString()],
      ['escalation_repeat', new Date(Date.parse(plan.repeatAts[0]!)).toISOString()],
      ['escalation_repeat', new Date(Date.parse(plan.repeatAts[1]!)).toISOString()],
    ]);
    expect(mine.map((r) => r.recipients)).toEqual([
      [{ role: 'officers', department: 'development_reform' }],
      [{ role: 'officers', department: 'development_reform' }, { role: 'head', department: 'development_reform' }],
      [{ role: 'head', department: 'development_reform' }, { role: 'supervisors' }],
      [{ role: 'supervisors' }, { role: 'head', department: 'development_reform' }],
      [{ role: 'supervisors' }, { role: 'head', department: 'development_reform' }],
      [{ role: 'supervisors' }, { role: 'head', department: 'development_reform' }],
    ]);
    expect(mine.map((r) => r.overdueWorkingDays)).toEqual([0, 0, 0, 3, 8, 13]);
    expect(new Set(mine.map((r) => r.dedupeKey)).size).toBe(6);

    const after = await handle.query(detailQuery);
    expect(after.steps.find((s) => s.key === 'energy_review')!.light).toBe('red');
    const last = synced.filter((s) => s.code === code).at(-1)!;
    expect(last.light).toBe('red');
    expect(last.nextDeadline).toBe(plan.dueAt);
  }, 120_000);

  it('stops the clock during a supplement request and resumes it after resubmission', async () => {
    const code = '2022-330602-39-03-200002';
    const handle = await start(code);
    const actor = { id: 'nrp-li', department: 'natural_resources' as const };
    const a = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'land_prereview', action: 'accept', actor, requestId: `b${n++}` }] });
    const first = a.project.steps.find((s) => s.key === 'land_prereview')!.deadline!;
    expect(first.dueAt).not.toBeNull();
    await env.sleep(3 * DAY);
    const r = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'land_prereview', action: 'return', comment: '请补正：选址论证报告', actor, requestId: `b${n++}` }] });
    expect(r.project.steps.find((s) => s.key === 'land_prereview')!.deadline!.stopped).toBe(true);
    await env.sleep(30 * DAY); // would have been red without the stop
    expect(sent.filter((x) => x.projectCode === code && x.kind === 'red')).toHaveLength(0);
    const back = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'land_prereview', action: 'resubmit', actor, requestId: `b${n++}` }] });
    const resumed = back.project.steps.find((s) => s.key === 'land_prereview')!;
    expect(resumed.clockStops).toHaveLength(1);
    // The last day moves by the working days the clock stood still: 30 calendar days hold fewer working days when
    // they span the Spring Festival, so the shift is counted on the calendar, not in calendar days.
    const stop = resumed.clockStops[0]!;
    const stoppedWorkingDays = calendar.workingDaysBetween(toShanghaiDate(Date.parse(stop.stoppedAt)), toShanghaiDate(Date.parse(stop.resumedAt!)));
    expect(stoppedWorkingDays).toBeGreaterThanOrEqual(10);
    expect(calendar.workingDaysBetween(first.dueOn!, resumed.deadline!.dueOn!)).toBe(stoppedWorkingDays);
  }, 120_000);

  it('keeps deadlines through a suspension and sends nothing while suspended', async () => {
    const code = '2022-330602-39-03-200003';
    const handle = await start(code);
    const actor = { id: 'nrp-li', department: 'natural_resources' as const };
    await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'land_prereview', action: 'accept', actor, requestId: `c${n++}` }] });
    await handle.executeUpdate(projectActionUpdate, { args: [{ action: 'suspend', comment: '专家评审', actor: { id: 'po-sun', department: 'project_office' }, requestId: `c${n++}` }] });
    await env.sleep(60 * DAY);
    expect(sent.filter((x) => x.projectCode === code)).toHaveLength(0);
    const resumed = await handle.executeUpdate(projectActionUpdate, { args: [{ action: 'resume', actor: { id: 'po-sun', department: 'project_office' }, requestId: `c${n++}` }] });
    const step = resumed.project.steps.find((s) => s.key === 'land_prereview')!;
    expect(step.deadline!.stopped).toBe(false);
    expect(Date.parse(step.deadline!.dueAt!)).toBeGreaterThan(await env.currentTimeMs());
  }, 120_000);

  it('re-plans a running deadline when a year\'s calendar changes, and records old → new', async () => {
    const code = '2022-330602-39-03-200004';
    const handle = await start(code);
    const actor = { id: 'nrp-li', department: 'natural_resources' as const };
    const a = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'land_prereview', action: 'accept', actor, requestId: `d${n++}` }] });
    const step = a.project.steps.find((s) => s.key === 'land_prereview')!;
    const before = step.deadline!;
    const year = Number(before.dueOn!.slice(0, 4));
    // An amended notice for that year declares three more holidays just before the deadline.
    const official = OFFICIAL_YEARS.find((y) => y.year === year);
    const extra = [-1, -2, -3].map((k) => calendar.addWorkingDays(before.dueOn!, k));
    const amended = fromNotice(year, [...(official?.holidays ?? []), ...extra], official?.makeUpWorkdays ?? [], 'amended notice (test)');
    calendar = WorkingDayCalendar.official([amended]);
    const expected = planClock({ start: toShanghaiDate(Date.parse(step.acceptedAt!)), limit: 20, unit: 'working_days' }, calendar);
    expect(expected.dueAt).not.toBe(before.dueAt);

    await handle.signal(calendarChangedSignal, { years: [year] });
    const deadline = Date.now() + 20_000;
    let replanned: TimelineEntry | undefined;
    while (!replanned && Date.now() < deadline) {
      replanned = entries.find((e) => e.project === code && e.type === 'deadline.replanned');
      if (!replanned) await new Promise((r) => setTimeout(r, 50));
    }
    expect(replanned?.step).toBe('land_prereview');
    expect(replanned?.data).toMatchObject({ from: { dueOn: before.dueOn, dueAt: before.dueAt }, to: { dueOn: expected.dueOn, dueAt: expected.dueAt } });
    const now = await handle.query(detailQuery);
    expect(now.steps.find((s) => s.key === 'land_prereview')!.deadline!.dueAt).toBe(expected.dueAt);
    calendar = WorkingDayCalendar.official();
  }, 120_000);

  it('keeps deadlines and pending reminders across continue-as-new and sends nothing twice', async () => {
    const code = '2022-330602-39-03-200005';
    const handle = await start(code, { continueAsNewAfterEvents: 40 });
    const actor = { id: 'nrp-li', department: 'natural_resources' as const };
    const a = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'land_prereview', action: 'accept', actor, requestId: `e${n++}` }] });
    const planned = a.project.steps.find((s) => s.key === 'land_prereview')!.deadline!;
    const plan = planClock({ start: toShanghaiDate(Date.parse(a.project.steps.find((s) => s.key === 'land_prereview')!.acceptedAt!)), limit: 20, unit: 'working_days' }, WorkingDayCalendar.official());
    await env.sleep(Date.parse(plan.repeatAts[3]!) - (await env.currentTimeMs()) + DAY);
    const desc = await handle.describe();
    expect(desc.runId).not.toBe(handle.firstExecutionRunId); // it did continue as new
    const mine = sent.filter((r) => r.projectCode === code);
    expect(mine.map((r) => r.kind)).toEqual(['yellow', 'red', 'statutory_overdue', 'escalation', 'escalation_repeat', 'escalation_repeat', 'escalation_repeat', 'escalation_repeat']);
    expect(new Set(mine.map((r) => r.dedupeKey)).size).toBe(mine.length);
    const now = await env.client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery);
    expect(now.steps.find((s) => s.key === 'land_prereview')!.deadline!.dueAt).toBe(planned.dueAt);
    expect(now.light).toBe('red');
  }, 120_000);
});
