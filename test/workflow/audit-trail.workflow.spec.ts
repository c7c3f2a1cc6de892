import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import type { Actor, TimelineEntry } from '../../libs/domain/index.js';
import {
  auditTrailQuery,
  detailQuery,
  projectWorkflowId,
  stepActionUpdate,
  TASK_QUEUE,
  type AuditTrailPage,
  type ContinuedProjectInput,
} from '../../libs/temporal/project.contract.js';
import { newProjectInput, startDevServer, startRecordingWorker, type RecordingWorker } from '../support/temporal.js';

const officer = (department: Actor['department']): Actor => ({ id: `officer-${department}`, department });
let serial = 0;
const nextCode = (): string => `2022-330602-39-03-${String(200000 + Math.floor(Math.random() * 700000) + serial++).padStart(6, '0')}`;

/** Every page of a run's audit trail, read 3 entries at a time (so paging is exercised). */
async function wholeTrail(env: TestWorkflowEnvironment, workflowId: string, runId?: string): Promise<{ entries: TimelineEntry[]; pages: AuditTrailPage[] }> {
  const handle = env.client.workflow.getHandle(workflowId, runId);
  const pages: AuditTrailPage[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await handle.query(auditTrailQuery, { afterSeq, limit: 3 });
    pages.push(page);
    if (!page.hasMore) break;
    afterSeq = page.entries.at(-1)!.seq;
  }
  return { entries: pages.flatMap((p) => p.entries), pages };
}

/** Waits until the in-memory read model holds the workflow's version (bounded, polled). */
async function synced(env: TestWorkflowEnvironment, recorder: RecordingWorker, code: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const live = await env.client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery);
    if ((recorder.readModel.project(code)?.version ?? -1) >= live.version) return;
    if (Date.now() > deadline) throw new Error(`${code} not synced`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The workflow's audit trail is the timeline the read model got, entry for entry, across continue-as-new: what a
// rebuild of the read model writes back.
describe('projectWorkflow audit trail', () => {
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

  it('equals the timeline the read model got, across continue-as-new, with each action’s idempotency key', async () => {
    const code = nextCode();
    const handle = await env.client.workflow.start('projectWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: projectWorkflowId(code),
      args: [newProjectInput(code, { continueAsNewAfterEvents: 20 })],
    });
    const acts: Array<[string, string, Actor['department']]> = [
      ['project_filing', 'accept', 'development_reform'],
      ['project_filing', 'approve', 'development_reform'],
      ['land_prereview', 'accept', 'natural_resources'],
      ['land_prereview', 'return', 'natural_resources'],
    ];
    for (const [i, [step, action, department]] of acts.entries()) {
      const extra = action === 'return' ? { comment: '请补正（测试）' } : {};
      await handle.executeUpdate(stepActionUpdate, { args: [{ step, action, ...extra, actor: officer(department), requestId: `key-${i}` } as never] });
    }
    // A repeated key adds nothing to the trail.
    await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: officer('development_reform'), requestId: 'key-0' }] });
    await synced(env, recorder, code);

    const current = await handle.describe();
    expect(current.runId).not.toBe(handle.firstExecutionRunId); // it continued as new at least once
    const { entries, pages } = await wholeTrail(env, projectWorkflowId(code));
    expect(entries).toEqual(recorder.readModel.timeline(code));
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(pages.every((p) => p.firstKnownSeq === 1 && p.entries.length <= 3)).toBe(true);
    expect(pages.at(-1)!.lastSeq).toBe(entries.at(-1)!.seq);
    // Each action's first entry is named with its key, once.
    const keys = pages.flatMap((p) => p.requests);
    expect(keys.map(([, key]) => key)).toEqual(['key-0', 'key-1', 'key-2', 'key-3']);
    for (const [seq, key] of keys) expect(entries.find((e) => e.seq === seq)?.actor).toBe(officer(acts[Number(key.slice(4))]![2]).id);
    const returned = entries.find((e) => e.type === 'step.returned' || e.comment === '请补正（测试）');
    expect(returned?.comment).toBe('请补正（测试）');
    // The first run, closed by continue-as-new, still answers its own part of the trail (its history replayed).
    const first = await wholeTrail(env, projectWorkflowId(code), handle.firstExecutionRunId);
    expect(first.entries.length).toBeGreaterThan(0);
    expect(first.entries).toEqual(entries.slice(0, first.entries.length));
  }, 60_000);

  it('a run continued before the trail was kept says which seq it knows from', async () => {
    const code = nextCode();
    const first = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [newProjectInput(code)] });
    const r = await first.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: officer('development_reform'), requestId: 'k' }] });
    await first.terminate('replaced by a run continued as an older worker would have');
    // The input an older workflow passed to continue-as-new: no auditTrail.
    const old: ContinuedProjectInput = { kind: 'continued', snapshot: r.project, requestId: null, pendingTimeline: [], syncedVersion: r.project.version, recentRequests: [] };
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [old] });
    const page = await handle.query(auditTrailQuery);
    expect(page.firstKnownSeq).toBe(r.project.timelineSeq + 1);
    expect(page.entries.every((e) => e.seq > r.project.timelineSeq)).toBe(true);
    await handle.terminate('done');
  }, 60_000);
});
