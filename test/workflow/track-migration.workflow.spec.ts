import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { getTrackDefinition, type Actor, type TrackDefinition } from '../../libs/domain/index.js';
import {
  detailQuery,
  migrateTrackUpdate,
  projectWorkflowId,
  stepActionUpdate,
  TASK_QUEUE,
  type ContinuedProjectInput,
} from '../../libs/temporal/project.contract.js';
import { newProjectInput, startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

const ADMIN: Actor = { id: 'admin-chen', department: null, roles: ['admin'] };
const officer = (department: Actor['department']): Actor => ({ id: `officer-${department}`, department });
let serial = 0;
const nextCode = (): string => `2022-330602-39-03-${String(300000 + Math.floor(Math.random() * 600000) + serial++).padStart(6, '0')}`;

// Moving a running project from standard v1 to v3 through the workflow's Update, on the worker with activity fakes.
describe('projectWorkflow migrateTrack', () => {
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

  it('maps the steps, records the entry once for a repeated key, refuses the same version, and carries v3 across continue-as-new', async () => {
    const code = nextCode();
    const handle = await env.client.workflow.start('projectWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: projectWorkflowId(code),
      args: [newProjectInput(code, { continueAsNewAfterEvents: 40 })],
    });
    const act = (step: string, action: string, department: Actor['department'], i: number) =>
      handle.executeUpdate(stepActionUpdate, { args: [{ step, action, actor: officer(department), requestId: `act-${i}` } as never] });
    await act('project_filing', 'accept', 'development_reform', 1);
    await act('project_filing', 'approve', 'development_reform', 2);
    await act('eia_approval', 'accept', 'ecology_environment', 3);

    const v3 = getTrackDefinition('standard', 3);
    const result = await handle.executeUpdate(migrateTrackUpdate, { args: [{ definition: v3, comment: '区里采用第3版', actor: ADMIN, requestId: 'migrate-1' }] });

    expect(result.project.definitionVersion).toBe(3);
    expect(result.project.steps.map((s) => s.key)).toEqual(v3.steps.map((s) => s.key));
    expect(result.project.steps.find((s) => s.key === 'project_filing')!.state).toBe('approved');
    expect(result.project.steps.find((s) => s.key === 'eia_approval')!.state).toBe('in_review');
    expect(result.project.steps.find((s) => s.key === 'in_production')!.state).toBe('blocked');
    expect(result.entries.map((e) => e.type)).toEqual(['project.track_migrated']);
    expect(result.entries[0]).toMatchObject({ actor: 'admin-chen', comment: '区里采用第3版', data: { from: 'standard@1', to: 'standard@3' } });

    // The same key again: the first answer, no second entry.
    const again = await handle.executeUpdate(migrateTrackUpdate, { args: [{ definition: v3, actor: ADMIN, requestId: 'migrate-1' }] });
    expect(again.entries).toEqual(result.entries);
    // Another key for the version it already runs on: refused by the validator with the reason.
    const err = await handle
      .executeUpdate(migrateTrackUpdate, { args: [{ definition: v3, actor: ADMIN, requestId: 'migrate-2' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'TRACK.MIGRATION_REFUSED', message: expect.stringContaining('already runs on standard@3') });

    // The read model got the new version; the EIA clock was re-planned on v3's 15 working days from its acceptance.
    const deadline = Date.now() + 10_000;
    while ((recorder.readModel.project(code)?.version ?? -1) < result.project.version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(recorder.entries.filter((e) => e.project === code && e.type === 'project.track_migrated')).toHaveLength(1);
    expect(recorder.entries.some((e) => e.project === code && e.type === 'deadline.replanned' && e.step === 'eia_approval')).toBe(true);

    // Keep acting until the run continues as new: the next run keeps v3 (carried whole in its input).
    const head: Actor = { id: 'head-development_reform', department: 'development_reform', roles: ['department_head'] };
    for (let i = 0; i < 20; i++) {
      if ((await env.client.workflow.getHandle(projectWorkflowId(code)).describe()).runId !== handle.firstExecutionRunId) break;
      await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'energy_review', action: 'reassign', assignee: `drc-${i}`, actor: head, requestId: `reassign-${i}` }] });
    }
    const current = env.client.workflow.getHandle(projectWorkflowId(code));
    const described = await current.describe();
    expect(described.runId).not.toBe(handle.firstExecutionRunId);
    const history = await current.fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    const payload = started.input!.payloads![0]!;
    const input = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as ContinuedProjectInput;
    expect(input.definition).toMatchObject({ track: 'standard', version: 3 });
    const detail = await current.query(detailQuery);
    expect(detail.definitionVersion).toBe(3);
    await current.executeUpdate(stepActionUpdate, { args: [{ step: 'energy_review', action: 'accept', actor: officer('development_reform'), requestId: 'after-can' }] });
    expect((await current.query(detailQuery)).steps.find((s) => s.key === 'energy_review')!.state).toBe('in_review');
  }, 90_000);

  it('runs on a version the code does not ship (published at run time) after the move, across continue-as-new', async () => {
    const code = nextCode();
    const handle = await env.client.workflow.start('projectWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: projectWorkflowId(code),
      args: [newProjectInput(code, { continueAsNewAfterEvents: 30 })],
    });
    // Version 4 exists only in the request: a copy of v3 with a site survey (现场踏勘) before the land pre-review.
    const v4 = JSON.parse(JSON.stringify(getTrackDefinition('standard', 3))) as TrackDefinition;
    v4.version = 4;
    v4.steps.unshift({ ...v4.steps.find((s) => s.key === 'land_prereview')!, key: 'site_survey', name: 'Site survey', nameZh: '现场踏勘', dependsOn: [] });
    v4.steps.find((s) => s.key === 'land_prereview')!.dependsOn = ['site_survey'];

    const moved = await handle.executeUpdate(migrateTrackUpdate, { args: [{ definition: v4, actor: ADMIN, requestId: 'to-v4' }] });
    expect(moved.project.definitionVersion).toBe(4);
    expect(moved.entries.map((e) => [e.type, e.step])).toEqual([
      ['project.track_migrated', null],
      ['step.ready', 'site_survey'],
    ]);
    expect(moved.project.steps.find((s) => s.key === 'land_prereview')!.state).toBe('blocked');

    const nr: Actor = { id: 'head-natural_resources', department: 'natural_resources', roles: ['department_head'] };
    for (let i = 0; i < 20; i++) {
      if ((await env.client.workflow.getHandle(projectWorkflowId(code)).describe()).runId !== handle.firstExecutionRunId) break;
      await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'site_survey', action: 'reassign', assignee: `nr-${i}`, actor: nr, requestId: `reassign-${i}` }] });
    }
    const current = env.client.workflow.getHandle(projectWorkflowId(code));
    expect((await current.describe()).runId).not.toBe(handle.firstExecutionRunId);
    await current.executeUpdate(stepActionUpdate, { args: [{ step: 'site_survey', action: 'accept', actor: nr, requestId: 'accept-survey' }] });
    const approved = await current.executeUpdate(stepActionUpdate, { args: [{ step: 'site_survey', action: 'approve', actor: nr, requestId: 'approve-survey' }] });
    expect(approved.project.definitionVersion).toBe(4);
    expect(approved.project.steps.find((s) => s.key === 'land_prereview')!.state).toBe('ready');
    // The read model followed (its activity joined the snapshot with the run's own definition).
    const deadline = Date.now() + 10_000;
    while ((recorder.readModel.project(code)?.version ?? -1) < approved.project.version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(recorder.readModel.project(code)?.definitionVersion).toBe(4);
  }, 90_000);
});
