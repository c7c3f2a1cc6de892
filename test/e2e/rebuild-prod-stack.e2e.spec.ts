import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { detailQuery, projectWorkflowId } from '../../libs/temporal/project.contract.js';
import { prodStackUnavailable, startTestProdStack, type TestProdStack } from '../support/prod-stack.js';
import { tokenFor } from '../support/tokens.js';

/*
 * The read model's database dropped and created empty on the production-shaped stack (a real Temporal server on
 * PostgreSQL, the API and two workers as processes): the restarted API migrates it, rebuilds it from the workflows
 * while readiness names it, and every list, detail and timeline is what it was. Skipped when the server is not built.
 */
const skip = prodStackUnavailable();
if (skip) process.stderr.write(`rebuild-prod-stack.e2e: skipped — ${skip}\n`);

const PO = tokenFor('officer', 'project_office', 'po-chen');
const DRC = tokenFor('officer', 'development_reform', 'drc-wang');
const SUP = tokenFor('supervisor', 'project_office', 'sup-zhou');
const codes = Array.from({ length: 6 }, (_, i) => `2022-330602-39-03-${String(920001 + i).padStart(6, '0')}`);

(skip ? describe.skip : describe)('read model rebuilt after its database is dropped (production-shaped stack)', () => {
  let stack: TestProdStack;
  let client: Client;
  let connection: Connection;

  const call = async (method: string, path: string, token: string, body?: unknown, key?: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${stack.apiUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const readEverything = async (): Promise<Record<string, unknown>> => {
    const out: Record<string, unknown> = { list: (await call('GET', '/projects?pageSize=200', SUP)).body };
    for (const code of codes) {
      out[`detail ${code}`] = (await call('GET', `/projects/${code}`, SUP)).body;
      out[`timeline ${code}`] = (await call('GET', `/projects/${code}/timeline?pageSize=200`, SUP)).body;
    }
    return out;
  };

  /** Until every project's read-model version equals its workflow's and stays so for 1.5 s (bounded at 30 s). */
  const settle = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    let last = '';
    let since = Date.now();
    for (;;) {
      const live: number[] = [];
      let synced = true;
      for (const code of codes) {
        const v = (await client.workflow.getHandle(projectWorkflowId(code)).query(detailQuery)).version;
        const stored = (await call('GET', `/projects/${code}`, SUP)).body.version;
        if (stored !== v) synced = false;
        live.push(v);
      }
      if (JSON.stringify(live) !== last) [last, since] = [JSON.stringify(live), Date.now()];
      if (synced && Date.now() - since > 1500) return;
      if (Date.now() > deadline) throw new Error(`not settled: ${last}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  beforeAll(async () => {
    stack = await startTestProdStack('rebuild-prod-stack', { env: { CATCH_UP_HOLD_MS: '1000' } });
    connection = await Connection.connect({ address: stack.temporalAddress });
    client = new Client({ connection, namespace: stack.namespace });
  }, 240_000);

  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
  });

  it('brings back every list, detail and timeline after DROP DATABASE, readiness naming it until done', async () => {
    for (const [i, code] of codes.entries()) {
      const reg = await call('POST', '/projects', PO, { code, name: `示例项目${i}`, district: '越城区', signedAt: '2022-06-06', investmentYuan: '2000000000' }, `reg-${code}`);
      expect(reg.status).toBe(201);
      if (i % 2 === 0) expect((await call('POST', `/projects/${code}/steps/project_filing/actions`, DRC, { action: 'accept' }, `acc-${code}`)).status).toBe(200);
      if (i % 4 === 0) expect((await call('POST', `/projects/${code}/steps/project_filing/actions`, DRC, { action: 'approve' }, `apr-${code}`)).status).toBe(200);
    }
    expect((await call('POST', `/projects/${codes[5]}/actions`, SUP, { action: 'cancel', comment: '投资方撤回（测试）' }, 'cancel')).status).toBe(200);
    await settle();
    const before = await readEverything();

    // The read model's database dropped and created empty (as after losing it), then the API restarted.
    const admin = new pg.Client({ connectionString: stack.databaseUrl.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    const database = new URL(stack.databaseUrl).pathname.slice(1);
    await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    stack.kill('api');

    const messages = new Set<string>();
    const deadline = Date.now() + 90_000;
    let ready = 0;
    while (Date.now() < deadline) {
      const res = await fetch(`${stack.apiUrl}/api/v1/health/ready`).catch(() => null);
      if (res?.status === 200) {
        ready = 200;
        break;
      }
      const body = (await res?.json().catch(() => null)) as { checks?: { readModel?: { status: string; message?: string } } } | null;
      if (body?.checks?.readModel?.status === 'down' && body.checks.readModel.message) messages.add(body.checks.readModel.message);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    process.stdout.write(`readiness while rebuilding: ${[...messages].join(' | ') || '(rebuilt before the first answer)'}\n`);
    for (const m of messages) expect(m).toMatch(/^(comparing the read model with the project workflows in Temporal|read model lacks 6 project\(s\); rebuild)/);
    await settle();
    const after = await readEverything();
    expect((after.list as { total: number }).total).toBe(6);
    expect(after).toEqual(before);
  }, 240_000);
});
