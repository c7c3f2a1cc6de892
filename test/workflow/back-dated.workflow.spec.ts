import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import type { ProjectSnapshot } from '../../libs/domain/index.js';
import { calendarChangedSignal, detailQuery, projectWorkflowId, stepActionUpdate, TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { newProjectInput, startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

/*
 * A record made on paper (occurredAt months back) is a fact about the past: the answer that records it already shows
 * the step's true light, its statutory-overdue flag and a deemed acceptance; only the notices wait the catch-up hold
 * (1 s here), once per alert, and a calendar load during the hold changes neither.
 */
const HOLD_MS = 1000;
const DRC = { id: 'drc-wang', department: 'development_reform' as const };

/** The instant `months` calendar months before now at 10:00 Asia/Shanghai, on a weekday. */
function monthsBack(months: number, plusDays = 0): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCDate(d.getUTCDate() + plusDays);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return new Date(`${d.toISOString().slice(0, 10)}T10:00:00+08:00`).toISOString();
}

describe('a back-dated record on the worker (activity fakes, 1 s catch-up hold)', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;
  let n = 0;

  beforeAll(async () => {
    env = await startDevServer();
    recorder = await startRecordingWorker(env, builtInCalendarSource());
  }, 120_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  /** Registers a standard@3 project signed 15 months ago (its code in that year), registered then on paper. */
  const register = async (serial: string) => {
    const signedAt = monthsBack(15).slice(0, 10);
    const code = `${signedAt.slice(0, 4)}-330602-39-03-${serial}`;
    const input = newProjectInput(code, { definitionVersion: 3, occurredAt: monthsBack(15, 1), catchUpHoldMs: HOLD_MS });
    input.registration = { ...input.registration, signedAt, approvalRoute: 'approval' };
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
    return { code, handle };
  };
  const act = (handle: Awaited<ReturnType<typeof register>>['handle'], step: string, action: string, actor: typeof DRC, occurredAt: string) =>
    handle.executeUpdate(stepActionUpdate, { args: [{ step, action: action as never, actor, requestId: `r${n++}`, occurredAt }] });
  const noticesOf = (code: string, step: string) => recorder.sent.filter((s) => s.projectCode === code && s.step === step);
  const stepOf = (snapshot: ProjectSnapshot | undefined, key: string) => snapshot?.steps.find((s) => s.key === key);
  const waitFor = async (done: () => boolean, ms: number) => {
    for (const until = Date.now() + ms; !done() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
  };

  it('answers an acceptance from 14 months back with the step red and statutory-overdue; its catch-up notice comes once, after the hold', async () => {
    const { code, handle } = await register('000701');
    const answered = await act(handle, 'project_filing', 'accept', DRC, monthsBack(14));

    // In the answer and in the read model it wrote, with no wait.
    expect(stepOf(answered.project, 'project_filing')).toMatchObject({ state: 'in_review', light: 'red', statutoryOverdue: true });
    expect(answered.project.light).toBe('red');
    const row = recorder.readModel.project(code)!;
    expect(row.light).toBe('red');
    expect(row.steps.find((s) => s.key === 'project_filing')).toMatchObject({ light: 'red', statutoryOverdue: true });
    // The notices wait the hold.
    expect(noticesOf(code, 'project_filing')).toEqual([]);

    await waitFor(() => noticesOf(code, 'project_filing').length > 0, 10_000);
    // The catch-up notices of one clock leave together but are sent one activity after another: read them once settled.
    await new Promise((r) => setTimeout(r, HOLD_MS));
    const first = noticesOf(code, 'project_filing');
    expect(first.length).toBeGreaterThan(0);
    // One catch-up notice per alert kind (the gravest published one, and the statutory limit's own): never a flood.
    const kinds = first.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.length).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 2 * HOLD_MS));
    expect(noticesOf(code, 'project_filing').map((s) => s.dedupeKey)).toEqual(first.map((s) => s.dedupeKey));
  }, 30_000);

  it('withdraws the statutory-overdue flag when the decision recorded next is dated inside the limit, marking that history', async () => {
    const { code, handle } = await register('000704');
    const accepted = await act(handle, 'project_filing', 'accept', DRC, monthsBack(14));
    expect(stepOf(accepted.project, 'project_filing')).toMatchObject({ statutoryOverdue: true });

    const approved = await act(handle, 'project_filing', 'approve', DRC, monthsBack(14, 2));
    expect(stepOf(approved.project, 'project_filing')).toMatchObject({ state: 'approved', statutoryOverdue: false });
    expect(recorder.readModel.project(code)!.steps.find((s) => s.key === 'project_filing')).toMatchObject({ statutoryOverdue: false });
    // The entry of what the record said until the decision came stays on the audit trail, and the withdrawal follows it.
    const types = recorder.readModel.timeline(code).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('step.statutory_overdue'))).toEqual(['step.statutory_overdue', 'step.statutory_overdue_withdrawn']);
    expect(approved.entries.map((e) => e.type)).toContain('step.statutory_overdue_withdrawn');
    // The rule's marker is in this history (histories recorded before it replay with the flag kept).
    const history = await handle.fetchHistory();
    const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes ? [JSON.stringify(e.markerRecordedEventAttributes.details ?? {})] : []));
    expect(markers.some((m) => m.includes(Buffer.from(JSON.stringify('statutory-overdue-withdrawn-before-limit')).toString('base64')))).toBe(true);
  }, 30_000);

  it('answers a receipt from 14 months back, never answered, with the application deemed accepted and its clock red', async () => {
    const { code, handle } = await register('000702');
    const answered = await act(handle, 'project_filing', 'receive', DRC, monthsBack(14));
    const step = stepOf(answered.project, 'project_filing')!;
    expect(step).toMatchObject({ state: 'in_review', deemedAccepted: true, light: 'red', statutoryOverdue: true });
    expect(step.acceptedAt).toBe(step.receivedAt);
    expect(recorder.readModel.timeline(code).map((e) => e.type)).toContain('step.deemed_accepted');
    expect(recorder.readModel.project(code)!.light).toBe('red');
    // Not accepted twice; the notice of the clock that runs from the receipt waits the hold.
    expect(noticesOf(code, 'project_filing')).toEqual([]);
  }, 30_000);

  it('keeps the light through a calendar load during the hold and sends no second catch-up notice', async () => {
    const { code, handle } = await register('000703');
    const answered = await act(handle, 'project_filing', 'accept', DRC, monthsBack(14));
    const version = answered.project.version;
    await handle.signal(calendarChangedSignal, { years: [Number(monthsBack(14).slice(0, 4)), Number(monthsBack(13).slice(0, 4))] });

    expect((await handle.query(detailQuery)).steps.find((s) => s.key === 'project_filing')?.light).toBe('red');
    await waitFor(() => noticesOf(code, 'project_filing').length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 2 * HOLD_MS));

    // Every state written after the answer shows the step red: the load never took the light back.
    const after = recorder.synced.filter((s) => s.code === code && s.version >= version);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => stepOf(s, 'project_filing')?.light === 'red' && s.light === 'red')).toBe(true);
    const kinds = noticesOf(code, 'project_filing').map((s) => s.kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(new Set(noticesOf(code, 'project_filing').map((s) => s.dedupeKey)).size).toBe(kinds.length);
  }, 30_000);
});
