import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { exportJWK, generateKeyPair } from 'jose';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Provider, { errors as oidcErrors, type KoaContextWithOIDC } from 'oidc-provider';
import { chromium, type Browser } from 'playwright-core';
import { DEFAULT_JWT_AUDIENCE } from '../../libs/auth/index.js';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * Single sign-on end to end: a real OpenID Connect provider (the `oidc-provider` package, with its development
 * login and consent pages) issues RS256 JWT access tokens for the API's audience with the application claims; the
 * stack verifies them against the provider's JWKS; Debian's Chromium signs in on the workbench with the
 * authorization code flow and PKCE, lands on the work queue and sees it load from the API with that token, then
 * signs out at the provider too.
 */

const CLIENT_ID = 'approvals-workbench';
/** The resource indicator of the API at the provider (an absolute URI); its tokens carry `aud` = the API's JWT_AUDIENCE. */
const API_RESOURCE = 'urn:approvals:api';
/** People the provider knows, with the claims the API reads from the access token. */
const PEOPLE: Record<string, { name: string; roles: string[]; department: string }> = {
  'nrp-li': { name: '李自然', roles: ['officer'], department: 'natural_resources' },
};
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Builds the workbench into a folder of this test's own (a few seconds), so it serves the sign-in page as checked out. */
function buildWorkbench(): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'approvals-oidc-web-'));
  const built = spawnSync('npx', ['vite', 'build', 'apps/web', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: projectRoot(), encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`vite build apps/web failed:\n${built.stdout}\n${built.stderr}`);
  return out;
}

/** The provider: one public client (PKCE required), JWT access tokens for the API with the people's claims. */
async function oidcProvider(issuer: string, workbench: string): Promise<Provider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const key = { ...(await exportJWK(privateKey)), kid: 'oidc-test-rs256', alg: 'RS256', use: 'sig' };
  return new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${workbench}/auth/callback`],
        post_logout_redirect_uris: [`${workbench}/`],
      },
    ],
    jwks: { keys: [key] },
    cookies: { keys: ['oidc-e2e-cookie-key-0123456789'] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile'],
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContextWithOIDC, resource: string) => {
          if (resource !== API_RESOURCE) throw new oidcErrors.InvalidTarget();
          return { scope: 'approvals', audience: DEFAULT_JWT_AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => ({ accountId: sub, claims: () => ({ sub, name: PEOPLE[sub]?.name ?? sub }) }),
    extraTokenClaims: (_ctx: KoaContextWithOIDC, token: { kind: string; accountId?: string }) =>
      token.kind === 'AccessToken' && token.accountId ? PEOPLE[token.accountId] : undefined,
  });
}

describe('single sign-on with OpenID Connect (e2e, browser)', () => {
  let server: Server;
  let issuer: string;
  let webDir: string;
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    // oidc-provider tells, once per default it uses, that production should configure it (and that its development
    // login pages are on): not news to this test.
    for (const level of ['info', 'warn'] as const) {
      const original = console[level].bind(console);
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        if (!/^oidc-provider (NOTICE|WARNING)/.test(String(args[0]))) original(...args);
      });
    }
    // The provider's port first (the stack verifies against its keys), its configuration once the stack's address is known.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    webDir = buildWorkbench();
    [stack, browser] = await Promise.all([
      startTestStack('oidc', {
        env: {
          JWT_SECRET: undefined,
          JWKS_URL: `${issuer}/jwks`,
          JWT_ISSUER: issuer,
          OIDC_ISSUER: issuer,
          OIDC_CLIENT_ID: CLIENT_ID,
          OIDC_SCOPE: 'openid profile approvals',
          WEB_DIST_DIR: webDir,
        },
      }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
    const provider = await oidcProvider(issuer, stack.baseUrl);
    server.on('request', provider.callback());
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('signs in at the provider with code + PKCE, loads the work queue with its token, and signs out there too', async () => {
    const page = await browser.newPage();
    await page.route(/fonts\.googleapis\.com/, (route) => route.abort()); // the provider's dev pages link a web font
    const authorizeUrls: URL[] = [];
    page.on('request', (req) => {
      if (req.url().startsWith(`${issuer}/auth?`)) authorizeUrls.push(new URL(req.url()));
    });

    await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('button', { name: '使用统一身份认证登录' }).click();

    // The provider's development login (any password) and consent.
    await page.waitForURL((url) => url.href.startsWith(issuer));
    await page.locator('input[name="login"]').fill('nrp-li');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Back on the workbench, signed in: the work queue asks the API with the provider's token and gets a 200.
    const tasks = await page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/tasks', { timeout: 20_000 });
    expect(tasks.status()).toBe(200);
    const sentToken = ((await tasks.request().allHeaders()).authorization ?? '').replace(/^Bearer /, '');
    const claims = JSON.parse(Buffer.from(sentToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: DEFAULT_JWT_AUDIENCE, sub: 'nrp-li', roles: ['officer'], department: 'natural_resources' });
    expect(JSON.parse(Buffer.from(sentToken.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({ alg: 'RS256' });
    expect(new URL(page.url()).pathname).toBe('/tasks');
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('nrp-li');

    const authorize = authorizeUrls[0]!;
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.baseUrl}/auth/callback`);

    // Sign-out ends the provider's session (its end_session confirmation), then comes back to the sign-in page.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${issuer}/session/end`));
    await page.getByRole('button', { name: /Yes, sign me out/i }).click();
    await page.waitForURL(`${stack.baseUrl}/`);
    await page.getByRole('button', { name: '使用统一身份认证登录' }).waitFor({ state: 'visible' });
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('approvals.token'))).toBeNull();
  }, 90_000);
});
