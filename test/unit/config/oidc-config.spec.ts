import { describe, expect, it } from '@jest/globals';
import { developmentSecretInUse, DEVELOPMENT_JWT_SECRET } from '../../../libs/auth/index.js';
import { ConfigError, validateConfig } from '../../../libs/config/app-config.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/approvals' };
const ISSUER = 'https://sso.example.gov.cn/realms/district';

describe('OIDC sign-in settings in validateConfig', () => {
  it('leaves OIDC off by default, with the scope openid profile', () => {
    const config = validateConfig(DB);
    expect(config.OIDC_ISSUER).toBeUndefined();
    expect(config.OIDC_CLIENT_ID).toBeUndefined();
    expect(config.OIDC_SCOPE).toBe('openid profile');
  });

  it('takes an issuer URL with a client id and scopes', () => {
    const config = validateConfig({ ...DB, OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: 'approvals-workbench', OIDC_SCOPE: 'openid profile approvals' });
    expect(config).toMatchObject({ OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: 'approvals-workbench', OIDC_SCOPE: 'openid profile approvals' });
    expect(validateConfig({ ...DB, OIDC_ISSUER: 'http://127.0.0.1:8080', OIDC_CLIENT_ID: 'w' }).OIDC_ISSUER).toBe('http://127.0.0.1:8080');
  });

  it.each([
    [{ OIDC_ISSUER: ISSUER }, 'OIDC_CLIENT_ID is required with OIDC_ISSUER'],
    [{ OIDC_CLIENT_ID: 'approvals-workbench' }, 'OIDC_ISSUER is required with OIDC_CLIENT_ID'],
    [{ OIDC_ISSUER: 'sso.example.gov.cn', OIDC_CLIENT_ID: 'w' }, 'OIDC_ISSUER must be'],
    [{ OIDC_ISSUER: 'ftp://sso.example.gov.cn', OIDC_CLIENT_ID: 'w' }, 'OIDC_ISSUER must be'],
    [{ OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: 'has space' }, 'OIDC_CLIENT_ID must be'],
    [{ OIDC_SCOPE: 'profile email' }, 'OIDC_SCOPE must be space-separated scopes including openid'],
    [{ OIDC_SCOPE: 'openid  profile' }, 'OIDC_SCOPE must be'],
  ])('refuses %j', (env, message) => {
    expect(() => validateConfig({ ...DB, ...env })).toThrow(ConfigError);
    expect(() => validateConfig({ ...DB, ...env })).toThrow(message);
  });
});

describe(developmentSecretInUse.name, () => {
  it('is true only for the public development secret, without JWKS_URL, outside production', () => {
    expect(developmentSecretInUse({ JWT_SECRET: DEVELOPMENT_JWT_SECRET, NODE_ENV: 'development' })).toBe(true);
    expect(developmentSecretInUse({ JWT_SECRET: 'another-secret-of-at-least-32-characters!!' })).toBe(false);
    expect(developmentSecretInUse({ JWT_SECRET: DEVELOPMENT_JWT_SECRET, NODE_ENV: 'production' })).toBe(false);
    expect(developmentSecretInUse({ JWKS_URL: 'https://sso.example.gov.cn/jwks' })).toBe(false);
  });
});
