import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { findTrackDefinition, type Actor, type TrackDefinition } from '../../libs/domain/index.js';
import { checkTrackDefinition } from '../../libs/domain/track-loader.js';
import { detailQuery, projectWorkflowId, stepActionUpdate, TASK_QUEUE, type ContinuedProjectInput, type StepActionRequest } from '../../libs/temporal/project.contract.js';
import { newProjectInput, startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

/*
 * A project on a track the code has never seen (published at run time): the workflow runs the definition its start
 * input carries, carries it across continue-as-new, and the forecast activity gets it too.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '区政府搬迁退出工作方案（试点）', confidence: 'low' });

const PILOT: TrackDefinition = (() => {
  const result = checkTrackDefinition({
    track: 'pilot_exit',
    version: 1,
    name: 'Pilot withdrawal',
    nameZh: '退出试点',
    finalStep: 'land_reserve',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [{ key: 'exit', name: 'Withdrawal', nameZh: '退出' }],
    steps: [
      { key: 'agreement', name: 'Relocation agreement', nameZh: '搬迁协议', stage: 'exit', department: 'economy_information', dependsOn: [], limit: wd(10) },
      { key: 'production_stop', name: 'Production stopped', nameZh: '停产核查', stage: 'exit', department: 'emergency_management', dependsOn: ['agreement'], limit: wd(5) },
      { key: 'land_reserve', name: 'Land reserve', nameZh: '土地收储', stage: 'exit', department: 'natural_resources', dependsOn: ['production_stop'], limit: wd(20) },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
})();

const officer = (department: Actor['department']): Actor => ({ id: `officer-${department}`, department });
const nextCode = (): string => `2026-330602-77-01-${String(100000 + Math.floor(Math.random() * 800000)).padStart(6, '0')}`;

describe('projectWorkflow on a definition given in its input', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;

  beforeAll(async () => {
    env = await startDevServer();
    recorder = await startRecordingWorker(env, builtInCalendarSource());
  }, 120_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  it('runs a track no code knows, keeps it across continue-as-new, and completes', async () => {
    expect(findTrackDefinition('pilot_exit', 1)).toBeUndefined(); // not shipped, not registered in this process
    const code = nextCode();
    const handle = await env.client.workflow.start('projectWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: projectWorkflowId(code),
      args: [
        newProjectInput(code, {
          registration: { code, name: '试点企业', track: 'pilot_exit', district: '越城区', investor: null, investmentYuan: null, signedAt: '2026-03-02' },
          definitionVersion: 1,
          definition: PILOT,
          continueAsNewAfterEvents: 30,
        }),
      ],
    });
    const act = (step: string, action: string, actor: Actor, requestId: string, extra: Record<string, unknown> = {}) =>
      env.client.workflow.getHandle(projectWorkflowId(code)).executeUpdate(stepActionUpdate, { args: [{ step, action, actor, requestId, ...extra } as StepActionRequest] });

    const first = await act('agreement', 'accept', officer('economy_information'), 'accept-agreement');
    expect(first.project.track).toBe('pilot_exit');
    const head: Actor = { id: 'head-economy_information', department: 'economy_information', roles: ['department_head'] };
    for (let i = 0; i < 20; i++) {
      if ((await env.client.workflow.getHandle(projectWorkflowId(code)).describe()).runId !== handle.firstExecutionRunId) break;
      await act('agreement', 'reassign', head, `reassign-${i}`, { assignee: `eit-${i}` });
    }
    const current = env.client.workflow.getHandle(projectWorkflowId(code));
    expect((await current.describe()).runId).not.toBe(handle.firstExecutionRunId);
    const started = (await current.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString('utf8')) as ContinuedProjectInput;
    expect(input.definition).toMatchObject({ track: 'pilot_exit', version: 1, finalStep: 'land_reserve' });

    await act('agreement', 'approve', officer('economy_information'), 'approve-agreement');
    for (const [step, department] of [['production_stop', 'emergency_management'], ['land_reserve', 'natural_resources']] as const) {
      await act(step, 'accept', officer(department), `accept-${step}`);
      await act(step, 'approve', officer(department), `approve-${step}`);
    }
    const detail = await current.query(detailQuery);
    expect([detail.status, detail.definitionVersion, detail.steps.map((s) => [s.key, s.state])]).toEqual([
      'completed',
      1,
      [
        ['agreement', 'approved'],
        ['production_stop', 'approved'],
        ['land_reserve', 'approved'],
      ],
    ]);
  }, 90_000);
});
