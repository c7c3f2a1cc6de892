/*
 * What the browser scripts (`npm run bench:web`, `npm run screenshots`) and the browser tests share: Debian's
 * Chromium through playwright-core, the workbench's build kept fresh, the demo sign-in as a person does it, and a
 * seeded system in this process (or a running one named by API_URL).
 */
import 'reflect-metadata';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { createProjectWorker, productionActivities } from '../apps/worker/worker.js';
import { DEVELOPMENT_JWT_SECRET } from '../libs/auth/index.js';
import { openDatabase } from '../libs/persistence/index.js';
import { projectRoot, temporalCliPath } from '../libs/temporal/binaries.js';
import { SEARCH_ATTRIBUTES } from '../libs/temporal/project.contract.js';
import { startEmbeddedPostgres } from './embedded-services.js';
import { seedDistrict, seedIsNeeded } from './seed.js';

/** Debian's Chromium (installed with apt-get); never a browser downloaded by Playwright. CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The viewport of the browser tests, the screenshots and the timings (a district office's desktop screen). */
export const VIEWPORT = { width: 1440, height: 900 } as const;

/** An element as page-side code sees it (the server's tsconfig has no DOM library). */
export interface PageElement {
  textContent: string | null;
  getBoundingClientRect(): { width: number; height: number };
  querySelector(selector: string): PageElement | null;
}

/**
 * The browser globals that page-side functions (page.evaluate, waitForFunction, addInitScript) use, typed for the
 * server's tsconfig, which has no DOM library: such a function starts with `const w = globalThis as unknown as
 * PageWindow` (the cast vanishes when the function is sent to the page).
 */
export interface PageWindow {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
    getElementById(id: string): PageElement | null;
  };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void; disconnect(): void };
  requestAnimationFrame(callback: () => void): number;
  performance: { mark(name: string): void; now(): number };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  fetch(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text(): Promise<string> }>;
  location: { pathname: string; search: string };
  /** Set by bench:web's first-render watcher: ms from navigation start. */
  __firstRender?: number;
}

/** Where the workbench's session keeps the bearer token of a tab (apps/web/src/auth/session.tsx). */
export const SESSION_TOKEN_KEY = 'approvals.token';

/** Launches Debian's Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

/** The workbench's folder, apps/web. */
export const webDir = (): string => path.join(projectRoot(), 'apps', 'web');

/** Newest modification time (ms) of a file or of any file under a folder; 0 when it does not exist. */
function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), st.mtimeMs);
}

/** True when apps/web/dist is missing or older than what it is built from (src, index.html, vite.config.ts, public). */
export function webBuildIsStale(): boolean {
  const built = newestMtime(path.join(webDir(), 'dist', 'index.html'));
  if (built === 0) return true;
  const sources = Math.max(...['src', 'index.html', 'vite.config.ts', 'public'].map((p) => newestMtime(path.join(webDir(), p))));
  return sources > built;
}

/**
 * Builds the workbench (`npx vite build apps/web` → apps/web/dist) when the build is missing or older than its
 * sources; does nothing otherwise.
 * @throws Error with vite's output when the build fails
 */
export async function ensureWebBuilt(): Promise<void> {
  if (!webBuildIsStale()) return;
  await new Promise<void>((resolve, reject) => {
    // NODE_ENV is `test` under jest: vite would then build React and Ant Design in development mode.
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = spawn('npx', ['vite', 'build', 'apps/web', '--logLevel', 'warn'], { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build apps/web failed (exit ${code}):\n${out}`))));
  });
}

/**
 * Copies apps/web/dist to a temp folder, so another build of the same checkout during a run cannot pull the
 * assets from under the pages being loaded.
 * @returns the folder (for WEB_DIST_DIR); the caller removes it
 */
export function snapshotWebBuild(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'approvals-web-'));
  cpSync(path.join(webDir(), 'dist'), dir, { recursive: true });
  return dir;
}

/** Clicks the demo-user button whose visible label contains `subject` (e.g. `nrp-li`) on the sign-in page. */
export async function clickDemoUser(page: Page, subject: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`(^|[^\\w-])${subject.replace(/-/g, '\\-')}($|[^\\w-])`) }).click();
}

/**
 * Signs in as a demo user the way a person does: opens the root page (unless the page is on the workbench
 * already) and clicks the user's button; waits until the app has left the sign-in page.
 * @param subject e.g. `nrp-li`, `sup-zhou`
 */
export async function signInAs(page: Page, baseUrl: string, subject: string): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/`);
  await clickDemoUser(page, subject);
  await page.waitForURL((url) => url.pathname !== '/', { timeout: 15_000 });
}

/** A seeded system serving the workbench. */
export interface SeededWebStack {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A seeded system for the scripts. With API_URL set, that running API (e.g. `npm start`, which uses the
 * development secret unless JWT_SECRET says otherwise) is seeded when empty and used as is. Otherwise starts, in
 * this process: an embedded PostgreSQL in a temp folder, a Temporal dev server, the worker and the API (development
 * secret, serving a snapshot of the freshly built workbench), and seeds the district.
 * @param log receives progress lines
 */
export async function startSeededWebStack(log: (line: string) => void): Promise<SeededWebStack> {
  const external = process.env.API_URL;
  if (external) {
    const baseUrl = external.replace(/\/+$/, '');
    if (await seedIsNeeded(baseUrl)) {
      log(`seeding ${baseUrl}…`);
      await seedDistrict(baseUrl);
    }
    return { baseUrl, close: async () => undefined };
  }
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* installed already */
  }
  log('building the workbench when stale…');
  await ensureWebBuilt();
  const web = snapshotWebBuild();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'approvals-webstack-'));
  chmodSync(tmp, 0o755);
  log('starting PostgreSQL, Temporal, the worker and the API…');
  const pgServer = await startEmbeddedPostgres(path.join(tmp, 'pg'), 20000 + Math.floor(Math.random() * 20000), 'web');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: Object.values(SEARCH_ATTRIBUTES), extraArgs: ['--log-level', 'error'] },
  });
  const ds = await openDatabase(pgServer.url);
  const worker = await createProjectWorker({ connection: env.nativeConnection, namespace: 'default', activities: productionActivities({ dataSource: ds }) });
  const running = worker.run();
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: env.connection.options.address,
    DATABASE_URL: pgServer.url,
    LOG_LEVEL: 'error',
    PORT: '0',
    JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    WEB_DIST_DIR: web,
  });
  delete process.env.JWKS_URL;
  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  log(`seeding the district at ${baseUrl}…`);
  const t = Date.now();
  const seeded = await seedDistrict(baseUrl);
  log(`seeded ${seeded.projects.length} projects in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return {
    baseUrl,
    async close() {
      await app.close();
      worker.shutdown();
      await running;
      await ds.destroy();
      await env.teardown();
      await pgServer.stop();
      rmSync(tmp, { recursive: true, force: true });
      rmSync(web, { recursive: true, force: true });
    },
  };
}
