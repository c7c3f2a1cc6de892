import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoToken, DEVELOPMENT_JWT_SECRET, SIGN_IN_DEMO_USERS } from '../../libs/auth/index.js';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * The embedded start's sign-in in a real browser: the root page lists every demo user as a button with subject,
 * role and department in Chinese; one click signs in; sign-out returns to the list; a session that ends (its
 * token's exp passes, or the API answers 401) sends the person back to sign-in with a notice, and signing in
 * again returns to the page they were on.
 */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Builds the workbench into a folder of this test's own (a few seconds), so it serves the sign-in page as checked out. */
function buildWorkbench(): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'approvals-signin-web-'));
  const built = spawnSync('npx', ['vite', 'build', 'apps/web', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: projectRoot(), encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`vite build apps/web failed:\n${built.stdout}\n${built.stderr}`);
  return out;
}

const tokenKey = 'approvals.token';
const setToken = (page: Page, token: string) =>
  page.evaluate(([key, value]) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(key!, value!), [tokenKey, token]);

describe('demo sign-in in the browser (e2e)', () => {
  let webDir: string;
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    webDir = buildWorkbench();
    [stack, browser] = await Promise.all([
      startTestStack('demo_sign_in', { env: { JWT_SECRET: DEVELOPMENT_JWT_SECRET, WEB_DIST_DIR: webDir } }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it('lists every demo person with subject, role and department; one click signs in; sign-out comes back', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.baseUrl}/`);
    for (const label of ['nrp-li · 经办人 · 自然资源和规划局', 'nrp-head · 部门负责人 · 自然资源和规划局', 'sup-zhou · 督办人 · 重大项目办公室', 'admin-wang · 系统管理员 · 重大项目办公室']) {
      await page.getByRole('button', { name: label }).waitFor({ state: 'visible' });
    }
    await expect(page.getByRole('button', { name: /^svc-exchange/ }).count()).resolves.toBe(0);
    expect(await page.getByRole('button', { name: / · / }).count()).toBe(SIGN_IN_DEMO_USERS.length);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await page.getByRole('button', { name: /^sup-zhou / }).click();
    await page.waitForURL(`${stack.baseUrl}/stuck`);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('sup-zhou');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: /^nrp-li / }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.context().close();
  }, 60_000);

  it('an expiring token sends the person to sign-in with a notice, and back to the page they were on', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.baseUrl}/`);
    // Signed in as nrp-li with a token that expires in 6 s (time enough to load the page on a busy machine), on the calendar page.
    const user = SIGN_IN_DEMO_USERS.find((u) => u.sub === 'nrp-li')!;
    await setToken(page, await demoToken(user, 6, { JWT_SECRET: DEVELOPMENT_JWT_SECRET }));
    await page.goto(`${stack.baseUrl}/calendar?year=2025`);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('nrp-li');

    await page.getByText('登录已过期，请重新登录').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('button', { name: /^nrp-li / }).click();
    await page.waitForURL(`${stack.baseUrl}/calendar?year=2025`);
    await page.context().close();
  }, 60_000);

  it('a token the API refuses (401) does the same', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.baseUrl}/`);
    const user = SIGN_IN_DEMO_USERS.find((u) => u.sub === 'nrp-li')!;
    // Signed with another secret: the page can read it, the API refuses it.
    await setToken(page, await demoToken(user, '1h', { JWT_SECRET: 'not-the-secret-of-this-api-0123456789abcdef' }));
    await page.goto(`${stack.baseUrl}/tasks`);
    await page.getByText('登录已过期，请重新登录').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: /^nrp-li / }).click();
    await page.waitForURL(`${stack.baseUrl}/tasks`);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('nrp-li');
    await page.context().close();
  }, 60_000);
});
