import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import { toShanghaiDate } from '../../libs/calendar/index.js';
import { SUPERVISION_SNAPSHOT_SCHEDULE_ID } from '../../libs/temporal/supervision-snapshot.js';
import { projectWorkflowId } from '../../libs/temporal/project.contract.js';
import { prodStackUnavailable, startTestProdStack, type TestProdStack } from '../support/prod-stack.js';
import { tokenFor } from '../support/tokens.js';

/*
 * The production-shaped stack (scripts/prod-stack): a real Temporal server persisted on PostgreSQL, the API and two
 * workers as separate processes. Skipped, with the build command, when the server has not been built.
 */
const skip = prodStackUnavailable();
if (skip) process.stderr.write(`prod-stack.e2e: skipped — ${skip}\n`);

const PO = tokenFor('officer', 'project_office', 'po-chen');
const DRC = tokenFor('officer', 'development_reform', 'drc-wang');

interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
}

(skip ? describe.skip : describe)('production-shaped stack (e2e, real Temporal server on PostgreSQL)', () => {
  let stack: TestProdStack;

  const call = async (method: string, path: string, token: string, body?: unknown, key?: string): Promise<Answer> => {
    const res = await fetch(`${stack.apiUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, retryAfter: res.headers.get('retry-after') };
  };

  /** Sends an action as a client that retries 503s with the same Idempotency-Key; returns every answer it saw. */
  const act = async (code: string, action: string, key: string): Promise<Answer[]> => {
    const seen: Answer[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const answer = await call('POST', `/projects/${code}/steps/project_filing/actions`, DRC, { action }, key);
      seen.push(answer);
      if (answer.status !== 503) return seen;
      await delay(Number(answer.retryAfter ?? '1') * 1000);
    }
    return seen;
  };

  const register = async (code: string): Promise<void> => {
    const res = await call('POST', '/projects', PO, { code, name: '示例项目', district: '越城区', signedAt: '2022-06-06', investmentYuan: '2000000000' }, `reg-${code}`);
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    stack = await startTestProdStack('prod-stack-e2e', { env: { CATCH_UP_HOLD_MS: '1000' } });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it('registers a project and acts on it through the API; the workflow runs on the Temporal server with its search attributes', async () => {
    const code = '2022-330602-39-03-000901';
    await register(code);
    const [accepted] = await act(code, 'accept', `acc-${code}`);
    expect(accepted.status).toBe(200);

    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const client = new Client({ connection, namespace: stack.namespace });
      const found: string[] = [];
      for await (const wf of client.workflow.list({ query: `WorkflowId = '${projectWorkflowId(code)}' AND ProjectStage = 'initiation'` })) found.push(wf.workflowId);
      expect(found).toEqual([projectWorkflowId(code)]);
    } finally {
      await connection.close();
    }
  }, 60_000);

  it("has the daily supervision snapshot scheduled at 23:50 Asia/Shanghai by the workers, and a run of it snapshots today's summary", async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    try {
      const client = new Client({ connection, namespace: stack.namespace });
      const schedule = client.schedule.getHandle(SUPERVISION_SNAPSHOT_SCHEDULE_ID);
      const described = await schedule.describe();
      expect(described.spec.timezone).toBe('Asia/Shanghai');
      expect(described.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 23, end: 23, step: 1 }], minute: [{ start: 50, end: 50, step: 1 }] })]);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'supervisionSnapshotWorkflow' });

      // Run it now, as the schedule would at 23:50: the run snapshots the day it runs on.
      await schedule.trigger();
      let runs = (await schedule.describe()).info.recentActions;
      for (let i = 0; i < 100 && runs.length === 0; i++) {
        await delay(100);
        runs = (await schedule.describe()).info.recentActions;
      }
      const result = (await client.workflow.getHandle(runs[0]!.action.workflow.workflowId).result()) as { day: string; outcome: string };
      expect(result).toMatchObject({ day: toShanghaiDate(Date.now()), outcome: 'taken' });
      await db.connect();
      const days = await db.query(`SELECT day::text, idle_working_days FROM supervision_days`);
      expect(days.rows).toEqual([{ day: result.day, idle_working_days: 10 }]);
    } finally {
      await db.end();
      await connection.close();
    }
  }, 60_000);

  it('kill -9 of one worker: every action still succeeds (503 with Retry-After at worst, then the replayed answer), each on the timeline once, and the worker is restarted', async () => {
    const codes = Array.from({ length: 6 }, (_, i) => `2022-330602-39-03-00092${i}`);
    for (const code of codes) {
      await register(code);
      expect((await act(code, 'accept', `acc-${code}`)).at(-1)?.status).toBe(200);
    }
    const killed = stack.kill('worker-1');

    const answers = await Promise.all(codes.map((code) => act(code, 'approve', `app-${code}`)));
    for (const seen of answers) {
      expect(seen.at(-1)?.status).toBe(200);
      for (const a of seen.slice(0, -1)) {
        expect(a.status).toBe(503);
        expect(a.retryAfter).toMatch(/^\d+$/);
      }
    }
    for (const code of codes) {
      const timeline = await call('GET', `/projects/${code}/timeline`, DRC);
      const items = timeline.body.items as { type: string; step: string | null }[];
      expect(items.filter((e) => e.type === 'step.approved' && e.step === 'project_filing')).toHaveLength(1);
    }

    const deadline = Date.now() + 15_000;
    while (!(stack.pids()['worker-1'] && stack.pids()['worker-1'] !== killed) && Date.now() < deadline) await delay(200);
    expect(stack.pids()['worker-1']).toBeDefined();
    expect(stack.pids()['worker-1']).not.toBe(killed);
  }, 180_000);
});
