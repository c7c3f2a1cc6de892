import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { detailQuery, projectActionUpdate, projectWorkflowId, stepActionUpdate, TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import type { Actor } from '../../libs/domain/index.js';
import { newProjectInput, startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

const officer = (department: Actor['department']): Actor => ({ id: `officer-${department}`, department });
let serial = 0;
const nextCode = (): string => `2022-330602-39-03-${String(100000 + Math.floor(Math.random() * 800000) + serial++).padStart(6, '0')}`;

// The worker runs with activity fakes (the read model and the outbox in memory): no PostgreSQL. The same writes
// against PostgreSQL are test/medium/workflow-read-model.spec.ts.
describe('projectWorkflow on the dev server', () => {
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

  async function register(code = nextCode()) {
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [newProjectInput(code)] });
    return { code, handle };
  }

  it('starts with filing and pre-review ready and writes the read model', async () => {
    const { code, handle } = await register();
    const detail = await handle.query(detailQuery);
    expect(detail.steps.filter((s) => s.state === 'ready').map((s) => s.key)).toEqual(['project_filing', 'land_prereview']);
    const r = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: officer('development_reform'), requestId: 'r1' }] });
    expect(r.project.steps.find((s) => s.key === 'project_filing')!.state).toBe('in_review');
    const row = recorder.readModel.project(code);
    expect(row?.version).toBe(r.project.version); // the read model holds what the action answered
    expect(row?.steps.find((s) => s.key === 'project_filing')?.state).toBe('in_review');
    const types = recorder.readModel.timeline(code).map((e) => e.type).filter((t) => !t.startsWith('forecast.'));
    expect(types).toEqual(['project.registered', 'step.ready', 'step.ready', 'step.accepted', 'deadline.set']);
  });

  it('refuses an illegal action with a reason and no history event', async () => {
    const { handle } = await register();
    const err = await handle
      .executeUpdate(stepActionUpdate, { args: [{ step: 'land_title', action: 'approve', actor: officer('natural_resources'), requestId: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message: string };
    expect(cause.type).toBe('STEP.INVALID_STATE');
    expect(cause.message).toContain("cannot approve step 'land_title'");
    const history = await handle.fetchHistory();
    expect(JSON.stringify(history.events)).not.toContain('land_title');
  });

  it('answers a repeated request id with the first result and no second effect', async () => {
    const { handle } = await register();
    const req = { step: 'project_filing', action: 'accept' as const, actor: officer('development_reform'), requestId: 'same' };
    const a = await handle.executeUpdate(stepActionUpdate, { args: [req] });
    const versionAfterFirst = (await handle.query(detailQuery)).version;
    const b = await handle.executeUpdate(stepActionUpdate, { args: [req] });
    expect(b.entries).toEqual(a.entries);
    expect((await handle.query(detailQuery)).version).toBe(versionAfterFirst); // no second effect
  });

  it('completes when groundbreaking is confirmed', async () => {
    const { code, handle } = await register();
    const order = ['project_filing', 'land_prereview', 'land_auction', 'land_contract', 'land_use_planning_permit', 'land_title', 'construction_planning_permit', 'eia_approval', 'energy_review', 'drawing_review', 'construction_permit', 'groundbreaking'];
    let i = 0;
    for (const step of order) {
      for (const action of ['accept', 'approve'] as const) {
        await handle.executeUpdate(stepActionUpdate, { args: [{ step, action, actor: officer(null), requestId: `q${i++}` }] });
      }
    }
    const result = await handle.result();
    expect(result.status).toBe('completed');
    const row = recorder.readModel.project(code);
    expect(row?.status).toBe('completed');
    expect(row?.steps.every((s) => s.state === 'approved')).toBe(true);
    const tl = recorder.readModel.timeline(code);
    expect(tl.map((e) => e.seq)).toEqual(Array.from({ length: tl.length }, (_, k) => k + 1));
    expect(tl.at(-1)?.type).toBe('project.completed');
  }, 60_000);

  it('suspends and refuses step actions until resumed', async () => {
    const { handle } = await register();
    await handle.executeUpdate(projectActionUpdate, { args: [{ action: 'suspend', comment: 'expert review', actor: officer('project_office'), requestId: 's1' }] });
    const err = await handle
      .executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: officer('development_reform'), requestId: 's2' }] })
      .catch((e: unknown) => e as WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'PROJECT.SUSPENDED' });
    await handle.executeUpdate(projectActionUpdate, { args: [{ action: 'resume', actor: officer('project_office'), requestId: 's3' }] });
    const r = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: officer('development_reform'), requestId: 's4' }] });
    expect(r.project.status).toBe('active');
  });
});
