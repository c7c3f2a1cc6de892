import { expect } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DEVELOPMENT_JWT_SECRET, type TokenSubject } from '../../libs/auth/index.js';
import { DEMO_USERS, demoToken } from '../../scripts/demo-users.js';
import { ensureWebBuilt, launchChromium, snapshotWebBuild } from '../../scripts/web-browser.js';
import { seedDistrict, type SeedReport } from '../../scripts/seed.js';
import { startTestStack, type TestStack } from './stack.js';

export { CHROMIUM_PATH, clickDemoUser, ensureWebBuilt, launchChromium, signInAs, VIEWPORT, webBuildIsStale } from '../../scripts/web-browser.js';

/** A seeded system, its served workbench and a browser: what a browser test file works against. */
export interface BrowserStack {
  stack: TestStack;
  /** e.g. http://127.0.0.1:41234 (the workbench at `/`, the API under /api/v1). */
  baseUrl: string;
  browser: Browser;
  seed: SeedReport;
  close(): Promise<void>;
}

/**
 * Starts what a browser test needs: the workbench built (when stale), the whole stack in process with the
 * development secret (so the demo sign-in endpoint exists and demo tokens are valid), the district seeded through
 * the API, and Debian's Chromium.
 * @param name names the test database
 */
export async function startBrowserStack(name: string): Promise<BrowserStack> {
  await ensureWebBuilt();
  const webDir = snapshotWebBuild();
  const [stack, browser] = await Promise.all([
    startTestStack(name, { env: { JWT_SECRET: DEVELOPMENT_JWT_SECRET, WEB_DIST_DIR: webDir } }),
    launchChromium(),
  ]);
  const seed = await seedDistrict(stack.baseUrl);
  return {
    stack,
    baseUrl: stack.baseUrl,
    browser,
    seed,
    async close() {
      await browser.close().catch(() => undefined);
      await stack.close();
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}

/** The demo user whose `sub` is `subject` (e.g. `nrp-li`, `sup-zhou`). @throws Error when there is none */
export function demoSubject(subject: string): TokenSubject {
  const user = DEMO_USERS.find((u) => u.sub === subject);
  if (!user) throw new Error(`no demo user ${subject}`);
  return user;
}

/** A bearer token of demo user `subject`, minted with the secret the stack runs with; `expiresIn` as jose takes it. */
export function tokenOf(subject: string, expiresIn: string | number = '1h'): Promise<string> {
  return demoToken(demoSubject(subject), expiresIn);
}

/** An API answer: status and parsed JSON body (null when empty). */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls the API as demo user `subject` (what another person, e.g. the applicant's side, does while the page is
 * open). Writes carry a fresh Idempotency-Key.
 */
export async function apiAs<T = Record<string, unknown>>(baseUrl: string, subject: string, method: string, apiPath: string, body?: unknown): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(subject)}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['idempotency-key'] = `browser-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const res = await fetch(`${baseUrl}/api/v1${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * Waits (up to 3 s) until no finite CSS animation or transition runs, e.g. a dialog fading in or out: axe would
 * measure the contrast of half-transparent text. Endless ones (spinners) are not waited for.
 */
export async function animationsDone(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { getAnimations(): Array<{ playState: string; effect: { getComputedTiming(): { iterations?: number } } | null }> } }).document;
        return doc.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity);
      },
      undefined,
      { timeout: 3_000, polling: 100 },
    )
    .catch(() => undefined);
}

/** One axe finding, readable in a failure message. */
function describeViolation(v: { id: string; impact?: string | null; help: string; helpUrl: string; nodes: Array<{ target: unknown; failureSummary?: string }> }): string {
  const nodes = v.nodes
    .slice(0, 5)
    .map((n) => `    at ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
    .join('\n');
  return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s)) ${v.helpUrl}\n${nodes}`;
}

/**
 * Runs axe (WCAG 2 A/AA rules and best practices) on the page as it is now, and fails the test when it finds a
 * violation of impact serious or critical, listing each with its rule, help text and the elements it concerns.
 * Minor and moderate findings are printed, not failed.
 * @param what names the page in the message, e.g. `待办 (nrp-li)`
 */
export async function expectNoSeriousA11yViolations(page: Page, what: string): Promise<void> {
  await animationsDone(page);
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const other = result.violations.filter((v) => !serious.includes(v));
  if (other.length) process.stdout.write(`axe on ${what}: ${other.length} minor/moderate finding(s): ${other.map((v) => v.id).join(', ')}\n`);
  const report = serious.map(describeViolation).join('\n');
  expect(serious.length === 0 ? 'none' : `axe found on ${what}:\n${report}`).toBe('none');
}
