import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { addPublishedTrackDefinition, type Actor } from '../../libs/domain/index.js';
import { detailQuery, projectWorkflowId, stepActionUpdate, TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { STEP_GROUPS_TRACK, stepGroupsTrackDocument } from '../support/step-groups-track.js';
import { newProjectInput, startRecordingWorker, startTimeSkippingServer, type RecordingWorker } from '../support/temporal.js';

/*
 * A track written only as data with sub-step groups, run by the project workflow (the definition given whole in the
 * start input) on the time-skipping server with activity fakes: the release waits for both safety sign-offs (all)
 * and for one way of clearing the soil (any); the remediation under review when the risk assessment is approved is
 * withdrawn and, months past its deadline, has sent no reminder and turned nothing red.
 */

const officer = (department: Actor['department']): Actor => ({ id: `officer-${department}`, department, roles: ['officer'] });
const departmentOf = (step: string) => STEP_GROUPS_TRACK.steps.find((s) => s.key === step)!.department;

describe('sub-step groups in a running workflow', () => {
  let env: TestWorkflowEnvironment;
  let recorder: RecordingWorker;

  beforeAll(async () => {
    // The activities (read model, forecast) look the definition up as a published one; the workflow gets it whole.
    addPublishedTrackDefinition(stepGroupsTrackDocument());
    env = await startTimeSkippingServer();
    recorder = await startRecordingWorker(env, builtInCalendarSource());
  }, 120_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await env?.teardown();
  });

  it('runs a definition with an all-group and an any-group to completion; the member no longer required never goes red', async () => {
    const code = '2026-330602-26-03-000901';
    const signedAt = new Date((await env.currentTimeMs()) - 86_400_000 * 3).toISOString().slice(0, 10);
    const input = newProjectInput(code, {
      registration: { code, name: '印染企业退出地块（测试）', track: STEP_GROUPS_TRACK.track, district: '越城区', investor: null, investmentYuan: null, signedAt },
      definitionVersion: STEP_GROUPS_TRACK.version,
      definition: STEP_GROUPS_TRACK,
    });
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [input] });
    let n = 0;
    const act = (step: string, action: 'accept' | 'approve') =>
      handle.executeUpdate(stepActionUpdate, { args: [{ step, action, actor: officer(departmentOf(step)), requestId: `r${n++}` }] });
    const approve = async (step: string) => {
      await act(step, 'accept');
      return act(step, 'approve');
    };

    await approve('investigation');
    await approve('fire_check');
    await act('remediation', 'accept'); // the long way started: its 60-working-day clock runs
    const assessed = await approve('risk_assessment');

    expect(assessed.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['step_group.satisfied', 'step.not_required']));
    expect(assessed.project.steps.find((s) => s.key === 'remediation')).toMatchObject({ state: 'blocked', light: null });
    let detail = await handle.query(detailQuery);
    expect(detail.steps.filter((s) => s.notRequired).map((s) => s.key)).toEqual(['remediation', 'effect_evaluation']);
    expect(detail.steps.find((s) => s.key === 'release')!.state).toBe('blocked'); // the civil-defence sign-off is still open

    // Half a year on: far past the remediation's deadline.
    await env.sleep(183 * 86_400_000);
    detail = await handle.query(detailQuery);
    expect(detail.steps.find((s) => s.key === 'remediation')).toMatchObject({ state: 'blocked', light: null });
    const mine = recorder.entries.filter((e) => e.project === code);
    expect(mine.some((e) => e.step === 'remediation' && e.type === 'deadline.set')).toBe(true); // its clock had been planned
    expect(mine.filter((e) => e.step === 'remediation' && (e.type === 'light.changed' || e.type === 'reminder.sent' || e.type === 'escalation.automatic'))).toEqual([]);
    expect(recorder.sent.filter((s) => s.projectCode === code && JSON.stringify(s).includes('remediation'))).toEqual([]);

    await approve('defence_check');
    detail = await handle.query(detailQuery);
    expect(detail.steps.find((s) => s.key === 'release')!.state).toBe('ready');
    const done = await approve('release');
    expect(done.project.status).toBe('completed');
  }, 120_000);
});
