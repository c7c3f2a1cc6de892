import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CALENDAR_SOURCE } from '../../apps/api/src/database/calendar-source.provider.js';
import { TasksController } from '../../apps/api/src/tasks/tasks.controller.js';
import { builtInCalendarSource } from '../../libs/calendar/index.js';
import { ApiClient, expectRefusal, head, officer, problemFields, SUPERVISOR } from '../support/api-client.js';
import { startControllerApp, type ControllerApp } from '../support/controller-app.js';

/*
 * GET /tasks behind the API's real guards, validation pipe and problem filter, the read model mocked: whose queue a
 * caller may read (policy tasks.read) and which queries are refused, each as problem+json.
 */
describe('tasks controller (mocked read model)', () => {
  let server: ControllerApp;
  let api: ApiClient;
  const tasks = jest.fn(async (_department: string, ..._rest: unknown[]): Promise<unknown> => ({ items: [], total: 0 }));

  beforeAll(async () => {
    server = await startControllerApp({
      controllers: [TasksController],
      readModel: { tasks: tasks as never },
      providers: [{ provide: CALENDAR_SOURCE, useValue: builtInCalendarSource() }],
    });
    api = new ApiClient(server.baseUrl);
  }, 30_000);
  afterAll(async () => server?.close());
  beforeEach(() => {
    tasks.mockClear();
  });

  it("refuses another department's queue to an officer with 403 naming the rule, and reads nothing", async () => {
    const problem = expectRefusal(
      await api.tasks({ department: 'natural_resources' }, officer('eco-sun', 'ecology_environment')),
      403,
      'AUTH.FORBIDDEN',
      "officers see only their own department's work queue (ecology_environment)",
    );
    expect(problem.rule).toBe('tasks.read:own_department');
    expect(tasks).not.toHaveBeenCalled();
  });

  it('refuses an unknown department or state with 400 naming the parameter, and a missing token with 401', async () => {
    expect(problemFields(expectRefusal(await api.tasks({ department: 'tax_bureau' }), 400, 'REQUEST.INVALID'))).toEqual(['department']);
    expect(problemFields(expectRefusal(await api.tasks({ state: 'blocked' }, SUPERVISOR), 400, 'REQUEST.INVALID'))).toEqual(['state']);
    expectRefusal(await api.tasks({}, officer(null, 'natural_resources')), 401, 'AUTH.UNAUTHENTICATED', 'Bearer');
    expect(tasks).not.toHaveBeenCalled();
  });

  it("reads the caller's own department's queue when no department is asked for", async () => {
    const res = await api.tasks({ pageSize: 5 }, head('nr-head', 'natural_resources'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total: 0, page: 1, pageSize: 5 });
    expect(tasks.mock.calls[0]?.[0]).toBe('natural_resources');
  });
});
