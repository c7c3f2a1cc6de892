import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import { detailQuery, projectWorkflowId, stepActionUpdate, TASK_QUEUE, type ProjectWorkflowInput } from '../../libs/temporal/project.contract.js';
import { startRecordingWorker, startTimeSkippingServer, type RecordingWorker } from '../support/temporal.js';

const DAY = 86_400_000;

describe('bonded-zone milestones on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;
  let entries: RecordingWorker['entries'];
  let sent: NotificationRequest[];

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    recorder = await startRecordingWorker(env, builtInCalendarSource());
    ({ entries, sent } = recorder);
  }, 60_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  it('turns at risk when topping out slips, then red when its target day passes', async () => {
    const code = '2027-330602-59-01-000401';
    const next = new Date((await env.currentTimeMs()) + 8 * 3600_000).getUTCFullYear() + 1;
    const input: ProjectWorkflowInput = {
      kind: 'new',
      registration: { code, name: '综保区二期（测试）', track: 'bonded_zone', district: '越城区', investor: null, investmentYuan: null, signedAt: `${next}-01-04` },
      definitionVersion: 1,
      registeredBy: { id: 'po-sun', department: 'project_office' },
      requestId: null,
    };
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
    const po = { id: 'po-sun', department: 'project_office' as const };
    await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'groundbreaking', action: 'accept', actor: po, requestId: 'g1' }] });
    const started = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'groundbreaking', action: 'approve', actor: po, requestId: 'g2' }] });
    expect(started.project.forecast?.atRisk).toBe(false);

    // Nobody reports topping out. Leave the project alone until after the topping-out target (07-31).
    await env.sleep(Date.parse(`${next}-08-05T00:00:00+08:00`) - (await env.currentTimeMs()));
    const mine = entries.filter((e) => e.project === code);
    const atRisk = mine.find((e) => e.type === 'forecast.at_risk');
    const red = mine.find((e) => e.type === 'light.changed' && e.data.clock === 'deadline:topping_out_target' && e.data.to === 'red');
    expect(atRisk).toBeDefined();
    expect(red).toBeDefined();
    expect(Date.parse(atRisk!.at)).toBeLessThan(Date.parse(red!.at)); // at risk first, then red
    // at the end of 07-31, Asia/Shanghai: the durable timer wakes the workflow then
    expect(Math.abs(Date.parse(red!.at) - Date.parse(`${next}-08-01T00:00:00+08:00`))).toBeLessThan(1000);
    expect(String(atRisk!.data.reason)).toContain(`${next}-12-31`);
    const detail = await handle.query(detailQuery);
    expect(detail).toMatchObject({ light: 'red' });
    expect(detail.forecast?.atRisk).toBe(true);
    expect(sent.some((n) => n.projectCode === code && n.kind === 'project_red')).toBe(true);
    expect(Date.parse(`${next}-08-05T00:00:00+08:00`) - Date.parse(atRisk!.at)).toBeGreaterThan(7 * DAY);
  }, 120_000);
});
