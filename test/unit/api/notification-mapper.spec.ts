import { describe, expect, it } from '@jest/globals';
import { redactUrl } from '../../../apps/api/src/notifications/notification.mapper.js';

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
