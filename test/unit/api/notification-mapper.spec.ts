import { describe, expect, it } from '@jest/globals';
import { notificationFromRow, redactUrl } from '../../../apps/api/src/notifications/notification.mapper.js';
import { NotificationEntity } from '../../../libs/persistence/index.js';

describe(redactUrl.name, () => {
  it.each([
    ['https://oapi.dingtalk.com/robot/send?access_token=abc123', 'https://oapi.dingtalk.com/robot/send?…'],
    ['https://user:secret@hooks.example.org:8443/po#frag', 'https://hooks.example.org:8443/po'],
    ['http://127.0.0.1:9000/hook', 'http://127.0.0.1:9000/hook'],
    ['not a url', '[invalid URL]'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('keeps null', () => {
    expect(redactUrl(null)).toBeNull();
  });
});

describe(notificationFromRow.name, () => {
  const row = (channel: NotificationEntity['channel'], target: string | null): NotificationEntity =>
    Object.assign(new NotificationEntity(), {
      id: '7', dedupeKey: 'k', projectCode: '2022-330602-39-03-000401', stepKey: null, kind: 'red', department: 'customs', channel, target,
      recipients: [], payload: {}, state: 'delivered', attempts: 1, nextAttemptAt: new Date(0), lastError: null, createdAt: new Date(0), deliveredAt: new Date(0),
    });

  it("shows a webhook's URL redacted and a DingTalk, WeCom or e-mail row's channel key", () => {
    expect(notificationFromRow(row('webhook', 'https://hooks.example.org/c?token=x')).target).toBe('https://hooks.example.org/c?…');
    expect(notificationFromRow(row('dingtalk', 'customs'))).toMatchObject({ channel: 'dingtalk', target: 'customs' });
    expect(notificationFromRow(row('email', 'supervisors'))).toMatchObject({ channel: 'email', target: 'supervisors' });
    expect(notificationFromRow(row('log', null)).target).toBeNull();
  });
});
