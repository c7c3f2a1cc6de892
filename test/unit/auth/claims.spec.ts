import { describe, expect, it } from '@jest/globals';
import { jwtVerify } from 'jose';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, mintToken, userFromClaims } from '../../../libs/auth/index.js';
import { tokenKeySource, validateConfig, ConfigError } from '../../../libs/config/app-config.js';
import { DEVELOPMENT_JWT_SECRET } from '../../../libs/auth/tokens.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/x' };
const SECRET = 'a-secret-of-at-least-thirty-two-characters!';

describe('userFromClaims', () => {
  const ok = { sub: 'nrp-li', name: 'Li', roles: ['officer'], department: 'natural_resources' };

  it('returns the user the claims describe', () => {
    expect(userFromClaims(ok)).toEqual({ user: { id: 'nrp-li', name: 'Li', roles: ['officer'], department: 'natural_resources' } });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no sub', { ...ok, sub: undefined }, /sub claim/],
    ['a blank sub', { ...ok, sub: '  ' }, /sub claim/],
    ['a control character in sub', { ...ok, sub: 'a\nb' }, /sub claim/],
    ['a sub longer than 64 characters', { ...ok, sub: 'x'.repeat(65) }, /at most 64 characters/],
    ['no name', { ...ok, name: undefined }, /name claim/],
    ['roles not an array', { ...ok, roles: 'officer' }, /roles claim/],
    ['no roles', { ...ok, roles: [] }, /roles claim/],
    ['an unknown role', { ...ok, roles: ['officer', 'mayor'] }, /unknown role \(mayor\)/],
    ['an unknown department', { ...ok, department: 'tax_bureau' }, /department claim/],
    ['no department', { ...ok, department: undefined }, /department claim/],
  ])('refuses %s', (_case, claims, reason) => {
    const r = userFromClaims(claims);
    expect('reason' in r && r.reason).toMatch(reason);
  });
});

describe('mintToken', () => {
  it('signs HS256 tokens with the claims the API requires', async () => {
    const token = await mintToken({ sub: 'a', name: 'A', roles: ['admin'], department: 'project_office' }, { secret: SECRET });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: DEFAULT_JWT_ISSUER, audience: DEFAULT_JWT_AUDIENCE });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'a', name: 'A', roles: ['admin'], department: 'project_office' });
    expect(payload.exp! - payload.iat!).toBe(8 * 3600);
  });

  it('reads a numeric lifetime as seconds from now', async () => {
    const token = await mintToken({ sub: 'a', name: 'A', roles: ['admin'], department: 'project_office' }, { secret: SECRET, expiresIn: 90 });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: DEFAULT_JWT_ISSUER, audience: DEFAULT_JWT_AUDIENCE });
    expect(payload.exp! - payload.iat!).toBe(90);
  });
});

describe('tokenKeySource', () => {
  it('uses JWT_SECRET (HS256) or JWKS_URL with its algorithms', () => {
    expect(tokenKeySource(validateConfig({ ...DB, JWT_SECRET: SECRET }))).toEqual({ kind: 'secret', secret: SECRET });
    expect(tokenKeySource(validateConfig({ ...DB, JWKS_URL: 'https://sso.example.gov.cn/jwks.json' }))).toEqual({
      kind: 'jwks',
      url: 'https://sso.example.gov.cn/jwks.json',
      algorithms: ['RS256', 'ES256'],
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['neither', {}, /needs JWT_SECRET .* or JWKS_URL/],
    ['both', { JWT_SECRET: SECRET, JWKS_URL: 'https://sso.example.gov.cn/jwks.json' }, /not both/],
    ['the development secret in production', { JWT_SECRET: DEVELOPMENT_JWT_SECRET, NODE_ENV: 'production' }, /public development secret/],
  ])('refuses %s', (_case, env, message) => {
    expect(() => tokenKeySource(validateConfig({ ...DB, ...env }))).toThrow(message);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a short secret', { JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    ['a JWKS_URL that is not a URL', { JWKS_URL: 'sso/jwks' }, /JWKS_URL must be an http\(s\) URL/],
    ['a symmetric JWKS algorithm', { JWT_ALGORITHMS: 'HS256' }, /JWT_ALGORITHMS must list/],
    ['a CORS origin with a path', { CORS_ORIGINS: 'https://a.example/x' }, /CORS_ORIGINS/],
    ['a zero rate limit', { RATE_LIMIT_LIMIT: '0' }, /RATE_LIMIT_LIMIT/],
  ])('validateConfig refuses %s', (_case, env, message) => {
    expect(() => validateConfig({ ...DB, ...env })).toThrow(ConfigError);
    expect(() => validateConfig({ ...DB, ...env })).toThrow(message);
  });
});
