import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { projectWorkflowId, stepActionUpdate, TASK_QUEUE, type ProjectWorkflowInput } from '../../libs/temporal/project.contract.js';
import { startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

// Operators find red projects in Temporal too: `temporal workflow list --query "Light='red'"`.
describe('search attributes on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;

  beforeAll(async () => {
    env = await startDevServer(); // the time-skipping server has no list/count visibility
    recorder = await startRecordingWorker(env, builtInCalendarSource());
  }, 120_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  it("finds the red projects with a visibility query on Light, and not the green ones", async () => {
    const start = async (code: string, signedAt: string, occurredAt: string) => {
      const input: ProjectWorkflowInput = {
        kind: 'new',
        registration: { code, name: `可见性 ${code}`, track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt },
        definitionVersion: 2,
        registeredBy: { id: 'po-sun', department: 'project_office' },
        requestId: null,
        occurredAt,
        catchUpHoldMs: 1000,
      };
      return env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
    };
    const drc = { id: 'drc-wang', department: 'development_reform' as const };
    const red = await start('2022-330602-39-03-000501', '2022-03-01', '2022-03-02T09:00:00+08:00');
    await red.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: drc, requestId: 'a', occurredAt: '2022-03-03T10:00:00+08:00' }] });
    const green = await start('2026-330602-39-03-000502', '2026-01-05', new Date().toISOString());
    await green.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: drc, requestId: 'b' }] });

    // A deadline already past when it is planned (a back-dated record) shows red after the catch-up hold (1 s here).
    const deadline = Date.now() + 15_000;
    let ids: string[] = [];
    while (Date.now() < deadline) {
      ids = [];
      for await (const wf of env.client.workflow.list({ query: `Light = 'red' AND ProjectTrack = 'standard'` })) ids.push(wf.workflowId);
      if (ids.includes(projectWorkflowId('2022-330602-39-03-000501'))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ids).toContain(projectWorkflowId('2022-330602-39-03-000501'));
    expect(ids).not.toContain(projectWorkflowId('2026-330602-39-03-000502'));
    const count = await env.client.workflow.count(`Light = 'red' AND OverdueSteps >= 1`);
    expect(count.count).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
