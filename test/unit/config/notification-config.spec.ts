import { describe, expect, it } from '@jest/globals';
import { ConfigError, validateConfig } from '../../../libs/config/app-config.js';

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
