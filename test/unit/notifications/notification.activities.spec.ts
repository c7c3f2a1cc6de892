import { describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import type { NotificationRequest } from '../../../libs/temporal/notification.contract.js';
import { createNotificationActivities, NOTIFICATION_INVALID } from '../../../activities/notification.activities.js';
import type { NotificationRoute } from '../../../libs/persistence/index.js';

const request: NotificationRequest = {
  dedupeKey: '2022-330602-39-03-000101:eia:escalation:2025-10-13',
  projectCode: '2022-330602-39-03-000101',
  projectName: '高端装备制造基地项目',
  step: 'eia',
  stepName: 'Environmental impact assessment',
  kind: 'escalation',
  recipients: [{ role: 'head', department: 'ecology_environment' }, { role: 'supervisors' }],
  department: 'ecology_environment',
  dueAt: '2025-10-13T15:59:59.999Z',
  firedAt: '2025-10-16T16:00:00.000Z',
  overdueWorkingDays: 3,
  message: '环评审批逾期 3 个工作日，提请督办 / EIA approval is 3 working days overdue; escalated',
};

/** An outbox in memory that dedupes like the table does. */
function fakeOutbox() {
  const rows = new Map<string, { request: NotificationRequest; route: NotificationRoute }>();
  return {
    rows,
    async enqueue(r: NotificationRequest, route: NotificationRoute): Promise<boolean> {
      if (rows.has(r.dedupeKey)) return false;
      rows.set(r.dedupeKey, { request: r, route });
      return true;
    },
  };
}

describe(createNotificationActivities.name, () => {
  it('enqueues once per dedupe key: a retry answers enqueued=false and writes nothing', async () => {
    const outbox = fakeOutbox();
    const { enqueueNotification } = createNotificationActivities({ outbox, channels: {} });

    expect(await enqueueNotification(request)).toEqual({ enqueued: true });
    expect(await enqueueNotification(request)).toEqual({ enqueued: false });
    expect([...outbox.rows.values()]).toEqual([{ request, route: { channel: 'log', target: null } }]);
  });

  it("splits a notice for the department and the supervisors when the supervisors' channel is configured", async () => {
    const outbox = fakeOutbox();
    const { enqueueNotification } = createNotificationActivities({ outbox, channels: { supervisors: { kind: 'webhook', url: 'https://hooks.example.org/po' } } });

    expect(await enqueueNotification(request)).toEqual({ enqueued: true });
    expect(await enqueueNotification(request)).toEqual({ enqueued: false });
    expect([...outbox.rows.entries()].map(([k, v]) => [k, v.route.channel, v.request.recipients])).toEqual([
      [request.dedupeKey, 'log', [{ role: 'head', department: 'ecology_environment' }]],
      [`${request.dedupeKey}/supervisors`, 'webhook', [{ role: 'supervisors' }]],
    ]);
  });

  it.each([
    ['an empty dedupe key', { dedupeKey: '' }],
    ['an unknown kind', { kind: 'purple' }],
    ['no recipients', { recipients: [] }],
    ['a step key too long for the table', { step: 'x'.repeat(65) }],
  ])('refuses %s without retrying', async (_what, change) => {
    const { enqueueNotification } = createNotificationActivities({ outbox: fakeOutbox(), channels: {} });
    const failure = await enqueueNotification({ ...request, ...change } as NotificationRequest).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: NOTIFICATION_INVALID, nonRetryable: true });
  });
});
