import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER } from '../../libs/auth/index.js';
import { API, expectProblem, expectRefusal } from '../support/api-client.js';
import { startExtraApi, startTestStack, type TestStack } from '../support/stack.js';
import { TEST_JWT_SECRET, testToken } from '../support/tokens.js';

/*
 * Token edge cases (issue 6): every way a bearer token can be wrong is a 401 problem with a reason and
 * `WWW-Authenticate: Bearer … error="invalid_token"`; one API verifies ES256 tokens against a JWKS served over
 * HTTP; the rate limit (429), security headers and CORS of the hardened edge.
 */
const CLAIMS = { sub: 'nrp-li', name: 'Li', roles: ['officer'], department: 'natural_resources' };
const now = () => Math.floor(Date.now() / 1000);

describe('bearer tokens (e2e)', () => {
  let stack: TestStack;
  const get = (token: string | null, base = stack.baseUrl) => {
    const req = request(base).get(`${API}/projects`);
    return token === null ? req : req.set('Authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    stack = await startTestStack('tokens');
  }, 120_000);
  afterAll(async () => stack?.close());

  it('accepts a valid token', async () => {
    expect((await get(testToken(CLAIMS))).status).toBe(200);
  });

  const noneToken = (): string => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...CLAIMS, iss: DEFAULT_JWT_ISSUER, aud: DEFAULT_JWT_AUDIENCE, exp: now() + 600 })}.`;
  };
  const tampered = (): string => {
    const [h, , s] = testToken(CLAIMS).split('.');
    const payload = Buffer.from(JSON.stringify({ ...CLAIMS, roles: ['supervisor'], iss: DEFAULT_JWT_ISSUER, aud: DEFAULT_JWT_AUDIENCE, exp: now() + 600 })).toString('base64url');
    return `${h}.${payload}.${s}`;
  };

  it.each<[string, () => string, RegExp]>([
    ['expired', () => testToken({ ...CLAIMS, iat: now() - 7200, exp: now() - 3600 }), /expired/],
    ['not valid yet (nbf in the future)', () => testToken({ ...CLAIMS, nbf: now() + 3600 }), /not valid yet/],
    ['tampered (payload changed after signing)', tampered, /signature does not verify/],
    ['signed with another secret', () => testToken(CLAIMS, 'another-secret-that-is-long-enough-to-use!'), /signature does not verify/],
    ['for another audience', () => testToken({ ...CLAIMS, aud: 'another-api' }), /audience \(aud\); expected approvals-api/],
    ['from another issuer', () => testToken({ ...CLAIMS, iss: 'https://evil.example' }), /issued by someone else \(iss\)/],
    ['unsigned (alg none)', noneToken, /algorithm this API does not accept/],
    ['signed HS512', () => testToken(CLAIMS, TEST_JWT_SECRET, { alg: 'HS512', typ: 'JWT' }), /algorithm|signature/],
    ['without exp', () => testToken({ ...CLAIMS, exp: undefined }), /lacks the required exp claim/],
    ['without sub', () => testToken({ ...CLAIMS, sub: undefined }), /lacks the required sub claim/],
    ['without name', () => testToken({ ...CLAIMS, name: undefined }), /name claim/],
    ['without roles', () => testToken({ ...CLAIMS, roles: undefined }), /roles claim/],
    ['without department', () => testToken({ ...CLAIMS, department: undefined }), /department claim/],
    ['with an unknown role', () => testToken({ ...CLAIMS, roles: ['mayor'] }), /unknown role \(mayor\)/],
    ['with an unknown department', () => testToken({ ...CLAIMS, department: 'tax_bureau' }), /department claim/],
    ['that is not a JWT', () => 'not-a-jwt', /malformed/],
  ])('refuses a token %s with 401 and a reason', async (_case, token, reason) => {
    const res = await get(token());
    const problem = expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    expect(problem.detail).toMatch(reason);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="approvals", error="invalid_token", error_description="[\x20-\x7e]+"$/);
  });

  it('refuses a missing token and an Authorization header of another scheme', async () => {
    const missing = await get(null);
    expectRefusal(missing, 401, 'AUTH.UNAUTHENTICATED', 'Authorization: Bearer <token>');
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="approvals"');
    const basic = await request(stack.baseUrl).get(`${API}/projects`).set('Authorization', 'Basic dXNlcjpwYXNz');
    expectRefusal(basic, 401, 'AUTH.UNAUTHENTICATED', 'Bearer <token>');
  });

  it('sends security headers and no stack trace or SQL in an error body', async () => {
    const res = await get(null);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|SELECT|node_modules/);
  });

  describe('against a JWKS (ES256)', () => {
    let jwks: Server;
    let api: { app: INestApplication; base: string };
    let key: CryptoKey;
    let stranger: CryptoKey;
    let fetches = 0;

    beforeAll(async () => {
      const pair = await generateKeyPair('ES256');
      key = pair.privateKey;
      stranger = (await generateKeyPair('ES256')).privateKey;
      const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      jwks = createServer((_req, res) => {
        fetches++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
      api = await startExtraApi({ JWT_SECRET: undefined, JWKS_URL: url, JWT_ISSUER: 'https://sso.example.gov.cn', JWT_AUDIENCE: 'approvals' });
    }, 60_000);
    afterAll(async () => {
      await api?.app.close();
      await new Promise((resolve) => jwks?.close(resolve));
    });

    const es256 = (signer: CryptoKey, kid = 'k1', claims: Record<string, unknown> = CLAIMS) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuer('https://sso.example.gov.cn').setAudience('approvals').setIssuedAt().setExpirationTime('5m').sign(signer);

    it("accepts a token signed by the identity provider's key and caches the key set", async () => {
      expect((await get(await es256(key), api.base)).status).toBe(200);
      expect((await get(await es256(key), api.base)).status).toBe(200);
      expect(fetches).toBe(1);
    });

    it('refuses a token signed by another key, an HS256 token, and one of an unknown kid', async () => {
      expectRefusal(await get(await es256(stranger), api.base), 401, 'AUTH.UNAUTHENTICATED', /signature does not verify/);
      const hs = testToken({ ...CLAIMS, iss: 'https://sso.example.gov.cn', aud: 'approvals' });
      expectRefusal(await get(hs, api.base), 401, 'AUTH.UNAUTHENTICATED', /algorithm/);
      expectRefusal(await get(await es256(key, 'k9'), api.base), 401, 'AUTH.UNAUTHENTICATED', /no key/);
    });
  });

  describe('rate limit and CORS', () => {
    let api: { app: INestApplication; base: string };
    beforeAll(async () => {
      api = await startExtraApi({ RATE_LIMIT_LIMIT: '3', RATE_LIMIT_TTL_MS: '60000', CORS_ORIGINS: 'https://approvals.example.gov.cn' });
    }, 60_000);
    afterAll(async () => api?.app.close());

    it('limits each token subject separately, with 429 problem+json and Retry-After', async () => {
      const li = testToken(CLAIMS);
      for (let i = 0; i < 3; i++) expect((await get(li, api.base)).status).toBe(200);
      const limited = await get(li, api.base);
      expectRefusal(limited, 429, 'REQUEST.RATE_LIMITED', 'at most 3 per 60 s');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get(testToken({ ...CLAIMS, sub: 'nrp-wang' }), api.base)).status).toBe(200);
    });

    it('limits requests without a valid token per address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(`garbage-${i}`, api.base)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    });

    it('answers a preflight from a configured origin only, and not /health to the limiter', async () => {
      const ok = await request(api.base).options(`${API}/projects`).set('Origin', 'https://approvals.example.gov.cn').set('Access-Control-Request-Method', 'POST');
      expect(ok.headers['access-control-allow-origin']).toBe('https://approvals.example.gov.cn');
      expect(ok.headers['access-control-allow-headers']).toContain('Authorization');
      const other = await request(api.base).options(`${API}/projects`).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      for (let i = 0; i < 5; i++) expect((await request(api.base).get(`${API}/health`)).status).toBe(200);
    });
  });
});
