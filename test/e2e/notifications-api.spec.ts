import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NotificationRequest } from '../../libs/temporal/notification.contract.js';
import { NotificationOutboxRepository } from '../../libs/persistence/index.js';
import { ApiClient, expectProblem, problemFields } from '../support/api-client.js';
import { notice as baseNotice } from '../support/notices.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/* GET /notifications over HTTP against the in-process stack, rows written through the repository. */

const A = '2022-330602-39-03-000501';
const B = '2022-330602-39-03-000502';

/** A yellow reminder about project A's land title (test/support/notices.ts with this file's project and step). */
function notice(dedupeKey: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return baseNotice(dedupeKey, {
    projectCode: A,
    projectName: '集成电路二期项目',
    step: 'land_title',
    stepName: 'Land title',
    message: '不动产权证将于 2025-10-13 到期 / The land title is due on 2025-10-13',
    ...overrides,
  });
}

interface NotificationBody {
  id: string;
  dedupeKey: string;
  state: string;
  kind: string;
  [field: string]: unknown;
}

describe('GET /notifications', () => {
  let stack: TestStack;
  let api: ApiClient;
  let outbox: NotificationOutboxRepository;
  const list = async (query: Record<string, string | number>): Promise<{ items: NotificationBody[]; total: number; page: number; pageSize: number }> => {
    const res = await api.get('/api/v1/notifications').query(query);
    expect(res.status).toBe(200);
    return res.body as { items: NotificationBody[]; total: number; page: number; pageSize: number };
  };

  beforeAll(async () => {
    stack = await startTestStack('notifications_api');
    api = new ApiClient(stack.baseUrl);
    outbox = new NotificationOutboxRepository(stack.dataSource);

    await outbox.enqueue(notice(`${A}:land_title:yellow`), { channel: 'log', target: null });
    await outbox.enqueue(notice(`${A}:land_title:red`, { kind: 'red', recipients: [{ role: 'head', department: 'natural_resources' }] }), {
      channel: 'webhook',
      target: 'https://user:pw@hooks.example.org/nr/send?access_token=TOPSECRET',
    }, new Date(Date.now() - 60_000)); // due earlier than the yellow one, so it alone is claimed below
    const [red] = await outbox.claimDue(10, new Date(Date.now() - 30_000));
    await outbox.markFailed(red!.id, red!.attempts, 'HTTP 502 Bad Gateway', null);
    await outbox.enqueue(notice(`${A}:land_title:escalation`, { kind: 'escalation', recipients: [{ role: 'supervisors' }], overdueWorkingDays: 3 }), {
      channel: 'log',
      target: null,
    });
  }, 120_000);
  afterAll(async () => stack?.close());

  it('lists the notices of a project newest first with their delivery state', async () => {
    const body = await list({ projectCode: A });

    expect({ total: body.total, page: body.page, pageSize: body.pageSize }).toEqual({ total: 3, page: 1, pageSize: 20 });
    expect(body.items.map((n) => [n.kind, n.state])).toEqual([
      ['escalation', 'pending'],
      ['red', 'dead'],
      ['yellow', 'pending'],
    ]);
    const dead = body.items[1]!;
    expect(dead).toEqual({
      id: expect.stringMatching(/^\d+$/),
      dedupeKey: `${A}:land_title:red`,
      projectCode: A,
      projectName: '集成电路二期项目',
      step: 'land_title',
      kind: 'red',
      department: 'natural_resources',
      channel: 'webhook',
      target: 'https://hooks.example.org/nr/send?…',
      recipients: [{ role: 'head', department: 'natural_resources' }],
      state: 'dead',
      attempts: 1,
      lastError: 'HTTP 502 Bad Gateway',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/),
      deliveredAt: null,
      nextAttemptAt: null,
      dueAt: '2025-10-13T23:59:59.999+08:00',
      message: notice('x').message,
    });
    expect(body.items[0]).toMatchObject({ nextAttemptAt: expect.stringMatching(/\+08:00$/), attempts: 0, lastError: null, target: null });
    expect(JSON.stringify(body)).not.toMatch(/TOPSECRET|pw@/);
  });

  it('filters by state, kind and department, and pages', async () => {
    expect((await list({ projectCode: A, state: 'dead' })).items.map((n) => n.kind)).toEqual(['red']);
    expect((await list({ projectCode: A, kind: 'escalation' })).items.map((n) => n.kind)).toEqual(['escalation']);
    expect((await list({ projectCode: A, department: 'customs' })).total).toBe(0);
    const page2 = await list({ projectCode: A, page: 2, pageSize: 2 });
    expect({ total: page2.total, kinds: page2.items.map((n) => n.kind) }).toEqual({ total: 3, kinds: ['yellow'] });
  });

  it('shows what the worker’s enqueueNotification activity wrote (the activity is registered and writes this outbox)', async () => {
    const enqueue = stack.worker.options.activities.get('enqueueNotification');
    expect(enqueue).toBeDefined();
    const request = notice(`${B}:eia:red`, { projectCode: B, step: 'eia', kind: 'red', department: 'ecology_environment' });

    expect(await enqueue!(request)).toEqual({ enqueued: true });
    expect(await enqueue!(request)).toEqual({ enqueued: false });

    const body = await list({ projectCode: B });
    expect(body.items).toEqual([expect.objectContaining({ dedupeKey: `${B}:eia:red`, channel: 'log', state: 'pending', department: 'ecology_environment' })]);
  });

  it('answers 400 problem+json naming an invalid filter (each filter: test/controller/notifications.controller.spec.ts)', async () => {
    const problem = expectProblem(await api.get('/api/v1/notifications').query({ kind: 'purple', department: 'tax_bureau' }), 400, 'REQUEST.INVALID');
    expect(problemFields(problem).sort()).toEqual(['department', 'kind']);
  });

  it('is in the published OpenAPI document with its filters', async () => {
    const res = await api.get('/docs/openapi.json');
    const op = (res.body as { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }).paths['/api/v1/notifications']?.get;
    expect(op?.parameters?.map((p) => p.name).sort()).toEqual(['department', 'kind', 'page', 'pageSize', 'projectCode', 'state']);
  });
});
