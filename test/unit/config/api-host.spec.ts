import { describe, expect, it } from '@jest/globals';
import { isListenHost, validateConfig } from '../../../libs/config/app-config.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/approvals' };

describe('API_HOST (the address the API listens on)', () => {
  it('is unset by default: the API listens on every interface, as before', () => {
    expect(validateConfig(DB).API_HOST).toBeUndefined();
    expect(validateConfig({ ...DB, API_HOST: '' }).API_HOST).toBeUndefined();
  });

  it.each(['127.0.0.1', '::1', '0.0.0.0', '::', '10.12.0.7', 'fe80::1', 'localhost', 'api.internal', 'approvals-api-1'])('reads %s', (host) => {
    expect(validateConfig({ ...DB, API_HOST: host }).API_HOST).toBe(host);
  });

  it.each([
    ['a port with it', '127.0.0.1:3000'],
    ['an impossible address', '127.0.0.300'],
    ['a bracketed IPv6 address', '[::1]'],
    ['a URL', 'http://localhost'],
    ['a space', 'local host'],
    ['a leading hyphen', '-api'],
  ])('refuses %s, naming the variable and an example', (_label, host) => {
    expect(() => validateConfig({ ...DB, API_HOST: host })).toThrow(/API_HOST must be an IP address or a host name, e\.g\. 127\.0\.0\.1/);
  });

  it('refuses a label longer than 63 characters and a name longer than 253', () => {
    expect(isListenHost(`${'a'.repeat(64)}.internal`)).toBe(false);
    expect(isListenHost(Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.'))).toBe(false);
    expect(isListenHost(`${'a'.repeat(63)}.internal`)).toBe(true);
  });
});
