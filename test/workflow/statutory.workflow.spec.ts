import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import { WorkingDayCalendar } from '../../libs/calendar/index.js';
import type { Actor } from '../../libs/domain/index.js';
import { detailQuery, projectFactUpdate, projectWorkflowId, stepActionUpdate, TASK_QUEUE, type ProjectWorkflowInput } from '../../libs/temporal/project.contract.js';
import { startRecordingWorker, startTimeSkippingServer, type RecordingWorker } from '../support/temporal.js';

const DAY = 86_400_000;
const DRC: Actor = { id: 'drc-wang', department: 'development_reform', roles: ['officer'] };
const EEB: Actor = { id: 'eeb-zhao', department: 'ecology_environment', roles: ['officer'] };
const NRP: Actor = { id: 'nrp-li', department: 'natural_resources', roles: ['officer'] };

/*
 * Issue 7 inside the workflow, on the time-skipping server: the deemed acceptance fires by itself when the
 * acceptance window closes, the statutory limit sends its own notice, an inbound fact is taken once however
 * often it is sent, and government time reaches the project.
 */
describe('statutory fidelity in the project workflow', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;
  let sent: NotificationRequest[];
  let entries: RecordingWorker['entries'];
  let n = 0;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    recorder = await startRecordingWorker(env, { current: async () => WorkingDayCalendar.official() });
    ({ sent, entries } = recorder);
  }, 60_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  async function start(code: string) {
    const input: ProjectWorkflowInput = {
      kind: 'new',
      registration: { code, name: '法定时限测试项目', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2026-11-01' },
      definitionVersion: 3,
      registeredBy: { id: 'po-sun', department: 'project_office' },
      requestId: null,
      localExcludedPeriodKinds: { public_notice: '公示' },
    };
    return env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
  }
  const act = (handle: Awaited<ReturnType<typeof start>>, step: string, action: string, actor: Actor) =>
    handle.executeUpdate(stepActionUpdate, { args: [{ step, action: action as never, actor, requestId: `r${n++}` }] });

  it('deems an application accepted on receipt once 5 working days pass without acceptance or notice', async () => {
    const code = '2026-330602-39-03-700001';
    const handle = await start(code);
    const received = await act(handle, 'project_filing', 'receive', DRC);
    const receivedAt = received.project.steps.find((s) => s.key === 'project_filing')!.receivedAt!;

    await env.sleep(9 * DAY);

    const detail = await handle.query(detailQuery);
    const step = detail.steps.find((s) => s.key === 'project_filing')!;
    expect(step).toMatchObject({ state: 'in_review', acceptedAt: receivedAt, deemedAccepted: true });
    expect(step.deadline?.dueOn).not.toBeNull();
    expect(entries.filter((e) => e.project === code && e.type === 'step.deemed_accepted')).toHaveLength(1);
  }, 30_000);

  it('sends the statutory notice apart from the published limit alerts, and takes a fact once', async () => {
    const code = '2026-330602-39-03-700002';
    const handle = await start(code);
    await act(handle, 'project_filing', 'accept', DRC);
    await act(handle, 'project_filing', 'approve', DRC);
    await act(handle, 'eia_approval', 'accept', EEB);
    // The land price is paid under the land contract.
    for (const step of ['land_prereview', 'land_auction', 'land_contract']) {
      await act(handle, step, 'accept', NRP);
      await act(handle, step, 'approve', NRP);
    }

    const fact = { kind: 'land_price_paid' as const, occurredAt: new Date(Date.now()).toISOString(), reference: 'SX-2026-0001', amountYuan: '12000000', actor: { id: 'feed', department: null, roles: ['system'] }, requestId: 'fact-1' };
    await handle.executeUpdate(projectFactUpdate, { args: [fact] });
    await handle.executeUpdate(projectFactUpdate, { args: [fact] });

    // EIA: published 15 working days, statutory 60 calendar days (环境影响评价法 Art. 22).
    await env.sleep(65 * DAY);

    const mine = sent.filter((r) => r.projectCode === code && r.step === 'eia_approval');
    expect(mine.filter((r) => r.kind === 'statutory_overdue')).toHaveLength(1);
    expect(mine.find((r) => r.kind === 'statutory_overdue')!.recipients).toEqual([{ role: 'head', department: 'ecology_environment' }, { role: 'supervisors' }]);
    expect(mine.some((r) => r.kind === 'red')).toBe(true);
    const detail = await handle.query(detailQuery);
    expect(detail.steps.find((s) => s.key === 'eia_approval')).toMatchObject({ light: 'red', statutoryOverdue: true });
    expect(detail.statutoryOverdueSteps).toBe(1);
    expect(detail.facts).toHaveLength(1);
    expect(detail.governmentTime?.perStep.eia_approval).toBeGreaterThan(30);
    expect(detail.governmentTime?.promises.map((p) => p.key)).toEqual(['pre_groundbreaking', 'whole_process']);
  }, 30_000);
});
