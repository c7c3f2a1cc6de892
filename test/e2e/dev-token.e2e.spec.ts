import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEVELOPMENT_JWT_SECRET } from '../../libs/auth/index.js';
import { API } from '../support/api-client.js';
import { startExtraApi, startTestStack, type TestStack } from '../support/stack.js';
import { TEST_JWT_SECRET } from '../support/tokens.js';

/*
 * The workbench's sign-in endpoints: with the development secret of the embedded start, `GET /auth/config` lists the
 * demo users and `POST /auth/demo-token` hands out a token the API accepts; with any other secret the demo sign-in
 * does not exist (404, like an unknown route) and the config says so; with OIDC settings it names the provider.
 */

describe('demo sign-in (e2e)', () => {
  let stack: TestStack;
  let other: { app: INestApplication; base: string } | undefined;
  let oidc: { app: INestApplication; base: string } | undefined;

  beforeAll(async () => {
    stack = await startTestStack('dev_token', { env: { JWT_SECRET: DEVELOPMENT_JWT_SECRET } });
    other = await startExtraApi({ JWT_SECRET: TEST_JWT_SECRET });
    oidc = await startExtraApi({
      JWT_SECRET: undefined,
      JWKS_URL: 'https://sso.example.gov.cn/realms/district/protocol/openid-connect/certs',
      JWT_ISSUER: 'https://sso.example.gov.cn/realms/district',
      OIDC_ISSUER: 'https://sso.example.gov.cn/realms/district',
      OIDC_CLIENT_ID: 'approvals-workbench',
    });
  }, 120_000);
  afterAll(async () => {
    await oidc?.app.close();
    await other?.app.close();
    await stack?.close();
  });

  describe('with the development secret', () => {
    it('lists the demo users who sign in on the workbench, without a token', async () => {
      const res = await request(stack.baseUrl).get(`${API}/auth/config`).expect(200);
      expect(res.body.mode).toBe('demo');
      const subs = (res.body.users as Array<{ sub: string }>).map((u) => u.sub);
      expect(subs).toEqual(expect.arrayContaining(['nrp-li', 'nrp-head', 'sup-zhou', 'admin-wang']));
      expect(subs).not.toContain('svc-exchange');
      expect(res.body.users).toContainEqual({ sub: 'nrp-li', name: expect.any(String), roles: ['officer'], department: 'natural_resources' });
    });

    it('hands out a token for a demo user that the work queue accepts', async () => {
      const res = await request(stack.baseUrl).post(`${API}/auth/demo-token`).send({ sub: 'nrp-li' }).expect(200);
      expect(res.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
      expect(res.body.expiresAt).toMatch(/\+08:00$/);
      expect(expiresIn).toBeGreaterThan(7 * 3600_000);
      expect(expiresIn).toBeLessThanOrEqual(8 * 3600_000);
      const tasks = await request(stack.baseUrl).get(`${API}/tasks`).set('Authorization', `Bearer ${res.body.token}`);
      expect(tasks.status).toBe(200);
    });

    it('refuses an unknown subject with 422, and the system caller (not a person)', async () => {
      for (const sub of ['nobody', 'svc-exchange']) {
        const res = await request(stack.baseUrl).post(`${API}/auth/demo-token`).send({ sub }).expect(422);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 422, code: 'AUTH.DEMO_USER_UNKNOWN', errors: [{ field: 'sub', message: expect.any(String) }] });
      }
    });

    it('refuses a body without sub with 400 naming the field', async () => {
      const res = await request(stack.baseUrl).post(`${API}/auth/demo-token`).send({}).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'sub' })]);
    });
  });

  describe('with another secret', () => {
    it('has no demo sign-in: the token endpoint answers 404 like an unknown route, whatever the body', async () => {
      const unknown = await request(other!.base).post(`${API}/auth/no-such-route`).send({ sub: 'nrp-li' }).expect(404);
      for (const body of [{ sub: 'nrp-li' }, {}, { sub: 'nobody' }]) {
        const res = await request(other!.base).post(`${API}/auth/demo-token`).send(body).expect(404);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 404, code: unknown.body.code, title: unknown.body.title });
        expect(res.body.token).toBeUndefined();
      }
    });

    it('says no browser sign-in is configured', async () => {
      const res = await request(other!.base).get(`${API}/auth/config`).expect(200);
      expect(res.body).toEqual({ mode: 'none' });
    });

    it('names the OpenID Connect provider when one is configured, and lets the page reach it (CSP connect-src)', async () => {
      const res = await request(oidc!.base).get(`${API}/auth/config`).expect(200);
      expect(res.body).toEqual({ mode: 'oidc', issuer: 'https://sso.example.gov.cn/realms/district', clientId: 'approvals-workbench', scope: 'openid profile' });
      expect(res.headers['content-security-policy']).toMatch(/connect-src 'self' https:\/\/sso\.example\.gov\.cn(;|$)/);
      await request(oidc!.base).post(`${API}/auth/demo-token`).send({ sub: 'nrp-li' }).expect(404);
    });
  });
});
