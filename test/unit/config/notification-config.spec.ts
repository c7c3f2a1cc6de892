import { describe, expect, it } from '@jest/globals';
import { ConfigError, publicBaseUrl, validateConfig } from '../../../libs/config/app-config.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/approvals' };
const SECRET = 'a-secret-of-24-characters';

describe('notification settings in validateConfig', () => {
  it('defaults to log channels, 8 attempts, 1 s back-off base and 1 s polling', () => {
    const config = validateConfig(DB);
    expect(config).toMatchObject({
      NOTIFICATION_CHANNELS: {},
      NOTIFICATION_MAX_ATTEMPTS: 8,
      NOTIFICATION_BACKOFF_BASE_MS: 1000,
      NOTIFICATION_POLL_INTERVAL_MS: 1000,
    });
    expect(config.NOTIFICATION_WEBHOOK_SECRET).toBeUndefined();
  });

  it('parses the channel map and the numbers', () => {
    const config = validateConfig({
      ...DB,
      NOTIFICATION_CHANNELS: '{"customs":"https://hooks.example.org/customs","supervisors":"https://hooks.example.org/po"}',
      NOTIFICATION_WEBHOOK_SECRET: SECRET,
      NOTIFICATION_MAX_ATTEMPTS: '3',
      NOTIFICATION_BACKOFF_BASE_MS: '250',
      NOTIFICATION_POLL_INTERVAL_MS: '200',
    });
    expect(config).toMatchObject({
      NOTIFICATION_CHANNELS: { customs: { kind: 'webhook', url: 'https://hooks.example.org/customs' }, supervisors: { kind: 'webhook', url: 'https://hooks.example.org/po' } },
      NOTIFICATION_WEBHOOK_SECRET: SECRET,
      NOTIFICATION_MAX_ATTEMPTS: 3,
      NOTIFICATION_BACKOFF_BASE_MS: 250,
      NOTIFICATION_POLL_INTERVAL_MS: 200,
    });
  });

  it.each([
    [{ NOTIFICATION_CHANNELS: '{"customs":' }, /NOTIFICATION_CHANNELS is not valid JSON/],
    [{ NOTIFICATION_CHANNELS: '{"customs":"ftp://x.org"}', NOTIFICATION_WEBHOOK_SECRET: SECRET }, /NOTIFICATION_CHANNELS entry 'customs' must be an http:\/\/ or https:\/\/ URL/],
    [{ NOTIFICATION_CHANNELS: '{"customz":"https://x.org"}', NOTIFICATION_WEBHOOK_SECRET: SECRET }, /NOTIFICATION_CHANNELS names an unknown channel 'customz'/],
    [{ NOTIFICATION_CHANNELS: '{"customs":"https://x.org"}' }, /NOTIFICATION_WEBHOOK_SECRET is required/],
    [{ NOTIFICATION_CHANNELS: '{"customs":"https://x.org"}', NOTIFICATION_WEBHOOK_SECRET: 'short' }, /NOTIFICATION_WEBHOOK_SECRET must be at least 16/],
    [{ NOTIFICATION_MAX_ATTEMPTS: '0' }, /NOTIFICATION_MAX_ATTEMPTS must be a whole number from 1 to 100/],
    [{ NOTIFICATION_MAX_ATTEMPTS: 'eight' }, /NOTIFICATION_MAX_ATTEMPTS/],
    [{ NOTIFICATION_BACKOFF_BASE_MS: '1.5' }, /NOTIFICATION_BACKOFF_BASE_MS/],
    [{ NOTIFICATION_POLL_INTERVAL_MS: '5' }, /NOTIFICATION_POLL_INTERVAL_MS/],
  ])('refuses %p, naming the variable', (env, message) => {
    const attempt = (): unknown => validateConfig({ ...DB, ...env });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('needs no secret while every channel is the log', () => {
    expect(() => validateConfig({ ...DB, NOTIFICATION_CHANNELS: '{}' })).not.toThrow();
  });
});

describe('NOTIFICATION_CHANNELS with DingTalk, WeCom and e-mail channels', () => {
  const DING = { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=tok-123', secret: 'SECsecret-value-xyz' };
  const WECOM = { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=key-456' };
  const MAIL = {
    kind: 'email',
    smtp: { host: 'smtp.example.gov.cn', port: 465, secure: true, user: 'notices', password: 'pa55-word-789' },
    from: '重大项目办 <notices@example.gov.cn>',
    to: ['po@example.gov.cn'],
  };
  const env = (channels: unknown): Record<string, string> => ({ ...DB, NOTIFICATION_CHANNELS: JSON.stringify(channels) });

  it('reads one channel of each kind beside the original URL form; no webhook secret is needed without a webhook', () => {
    const config = validateConfig(env({ natural_resources: DING, customs: WECOM, supervisors: MAIL, project_office: { kind: 'log' } }));
    expect(config.NOTIFICATION_CHANNELS).toEqual({
      natural_resources: DING,
      customs: WECOM,
      supervisors: { ...MAIL, smtp: { host: 'smtp.example.gov.cn', port: 465, secure: true, requireTLS: true, user: 'notices', password: 'pa55-word-789' } },
      project_office: { kind: 'log' },
    });
    expect(validateConfig(env({ customs: { kind: 'email', smtp: { host: 'relay.local', port: 25, requireTLS: false }, from: 'a@b.cn', to: 'c@d.cn' } })).NOTIFICATION_CHANNELS).toEqual({
      customs: { kind: 'email', smtp: { host: 'relay.local', port: 25, secure: false, requireTLS: false }, from: 'a@b.cn', to: ['c@d.cn'] },
    });
  });

  it.each([
    [{ natural_resources: { ...DING, secret: undefined } }, "entry 'natural_resources' (dingtalk) needs \"secret\""],
    [{ natural_resources: { ...DING, url: 'https://oapi.dingtalk.com/robot/send' } }, "entry 'natural_resources' (dingtalk) needs \"url\""],
    [{ customs: { ...WECOM, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' } }, "entry 'customs' (wecom) needs \"url\""],
    [{ supervisors: { ...MAIL, to: [] } }, "entry 'supervisors' (email) needs \"to\""],
    [{ supervisors: { ...MAIL, to: ['po@example.gov.cn, evil@example.org'] } }, "entry 'supervisors' (email) needs \"to\""],
    [{ supervisors: { ...MAIL, from: 'not an address' } }, "entry 'supervisors' (email) needs \"from\""],
    [{ supervisors: { ...MAIL, smtp: { ...MAIL.smtp, port: 99999 } } }, "entry 'supervisors' (email) \"smtp.port\""],
    [{ supervisors: { ...MAIL, smtp: { host: 'smtp.example.gov.cn', user: 'notices' } } }, "entry 'supervisors' (email) needs both \"smtp.user\" and \"smtp.password\""],
    [{ customs: { kind: 'sms', url: 'https://x.org' } }, "entry 'customs' has an unknown kind \"sms\""],
    [{ tax_bureau: DING }, "names an unknown channel 'tax_bureau'"],
  ])('refuses %j at start, naming the key, and shows no secret', (channels, message) => {
    const attempt = (): unknown => validateConfig(env(channels));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`NOTIFICATION_CHANNELS ${message}`);
    try {
      attempt();
    } catch (err) {
      expect((err as Error).message).not.toMatch(/tok-123|SECsecret|key-456|pa55-word/);
    }
  });

  it('asks for NOTIFICATION_WEBHOOK_SECRET only when a generic webhook is configured', () => {
    expect(() => validateConfig(env({ customs: { kind: 'webhook', url: 'https://hooks.example.org/c' } }))).toThrow(/NOTIFICATION_WEBHOOK_SECRET is required/);
    expect(() => validateConfig(env({ customs: WECOM }))).not.toThrow();
  });

  it('takes PUBLIC_BASE_URL for the links in notices, defaulting to http://localhost:<PORT>', () => {
    expect(publicBaseUrl(validateConfig({ ...DB, PORT: '3100' }))).toBe('http://localhost:3100');
    expect(publicBaseUrl(validateConfig({ ...DB, PUBLIC_BASE_URL: 'https://xmsp.example.gov.cn/' }))).toBe('https://xmsp.example.gov.cn');
    expect(() => validateConfig({ ...DB, PUBLIC_BASE_URL: 'xmsp.example.gov.cn' })).toThrow(/PUBLIC_BASE_URL must be an http/);
  });
});
