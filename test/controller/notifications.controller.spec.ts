import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { NotificationsController } from '../../apps/api/src/notifications/notifications.controller.js';
import { NotificationOutboxRepository } from '../../libs/persistence/index.js';
import { ApiClient, expectRefusal, officer, problemFields } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * GET /notifications behind the API's real guards, validation pipe and problem filter, the outbox mocked: which
 * filters are refused (400 naming each), and whose notices an officer may read (403).
 */
describe('notifications controller (mocked outbox)', () => {
  let server: ControllerApp;
  let api: ApiClient;
  const list = jest.fn(async (_filter: Record<string, unknown>, _page: unknown): Promise<unknown> => ({ items: [], total: 0 }));

  beforeAll(async () => {
    server = await startControllerApp({ controllers: [NotificationsController], providers: [{ provide: NotificationOutboxRepository, useValue: { list } }] });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => server?.close());
  beforeEach(() => {
    list.mockClear();
  });

  it.each([
    [{ state: 'lost' }, ['state']],
    [{ kind: 'purple', department: 'tax_bureau' }, ['kind', 'department']],
    [{ projectCode: '2022-33' }, ['projectCode']],
    [{ pageSize: 500 }, ['pageSize']],
    [{ colour: 'red' }, ['colour']],
  ])('answers 400 problem+json naming the invalid filter %p', async (query, fields) => {
    const problem = expectRefusal(await api.get('/api/v1/notifications').query(query), 400, 'REQUEST.INVALID');
    expect(problemFields(problem).sort()).toEqual([...fields].sort());
    expect(list).not.toHaveBeenCalled();
  });

  it("refuses another department's notices to an officer with 403, and lists the officer's own when none is named", async () => {
    const nr = officer('nr-zhao', 'natural_resources');
    const problem = expectRefusal(await api.get('/api/v1/notifications', nr).query({ department: 'customs' }), 403, 'AUTH.FORBIDDEN', 'customs');
    expect(problem.rule).toBe('notifications.read:own_department');
    expect(list).not.toHaveBeenCalled();
    const own = await api.get('/api/v1/notifications', nr);
    expect(own.status).toBe(200);
    expect(list.mock.calls[0]?.[0]).toMatchObject({ department: 'natural_resources' });
  });
});
