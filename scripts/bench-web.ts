/*
 * `npm run bench:web`: how fast the workbench shows its pages, and how much it downloads. Prints
 *  - the time to first render (navigation start → the page's main content visible, measured in Debian's Chromium
 *    with a performance mark set by an observer injected before the app loads) of the overview and of a 20-step
 *    project page of the seeded district: median, min and max of BENCH_N runs (default 7), cold (a fresh browser
 *    context each run: empty cache) and warm (the same context again: the hashed assets come from the cache);
 *  - the gzipped size of the built bundle (apps/web/dist/assets/*.js and *.css), per file and in all.
 * Starts a seeded system in this process (see startSeededWebStack), or uses the running API at API_URL (e.g. that
 * of `npm start`, whose tokens it mints with the development secret unless JWT_SECRET says otherwise).
 * A script, not a test: the figures depend on the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { demoToken, demoUser } from './demo-users.js';
import { ensureWebBuilt, launchChromium, SESSION_TOKEN_KEY, startSeededWebStack, VIEWPORT, webDir, type PageWindow } from './web-browser.js';

const N = Math.max(1, Number(process.env.BENCH_N ?? 7));

/** When a page counts as rendered: at least `min` elements match `selector` inside `main`, visible, and no spinner. */
interface Ready {
  selector: string;
  min: number;
}

/** The overview is there when its charts are drawn; the project page when all its steps are listed. */
const OVERVIEW_READY: Ready = { selector: 'main [role="img"] canvas', min: 3 };
const PROJECT_READY: Ready = { selector: 'main tr[data-step]', min: 20 };

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Installed before the app's scripts: watches the DOM and, once `ready` holds, marks `main-content-visible` on the
 * next animation frame (the frame that paints it) and keeps its time since navigation start in `__firstRender`.
 */
function watchFirstRender(ready: Ready): void {
  const w = globalThis as unknown as PageWindow;
  const holds = (): boolean => {
    if (w.document.querySelector('main .ant-spin-spinning, main .ant-skeleton')) return false;
    const found = [...w.document.querySelectorAll(ready.selector)].filter((e) => e.getBoundingClientRect().height > 0);
    return found.length >= ready.min;
  };
  let done = false;
  const observer = new w.MutationObserver(() => {
    if (done || !holds()) return;
    done = true;
    observer.disconnect();
    w.requestAnimationFrame(() => {
      w.performance.mark('main-content-visible');
      w.__firstRender = w.performance.now();
    });
  });
  observer.observe(w.document, { childList: true, subtree: true, attributes: true });
}

/** One load: ms from navigation start to the main content, and to the first contentful paint (the frame and menu). */
interface Load {
  render: number;
  fcp: number;
}

/** One page load in `context` (whose init scripts sign in and watch). */
async function timeLoad(context: BrowserContext, url: string): Promise<Load> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (globalThis as unknown as PageWindow).__firstRender !== undefined, undefined, { timeout: 30_000 });
    return await page.evaluate(() => {
      const w = globalThis as unknown as PageWindow & { performance: { getEntriesByName(name: string): Array<{ startTime: number }> } };
      return { render: w.__firstRender!, fcp: w.performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN };
    });
  } finally {
    await page.close();
  }
}

/** A context whose tabs start signed in with `token` and watch for `ready`. */
async function signedInContext(browser: Browser, token: string, ready: Ready): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.addInitScript(([key, value]) => (globalThis as unknown as PageWindow).sessionStorage.setItem(key, value), [SESSION_TOKEN_KEY, token] as const);
  await context.addInitScript(watchFirstRender, ready);
  return context;
}

interface Timing {
  cold: Load[];
  warm: Load[];
}

/** N cold loads (a fresh context each) and N warm loads (one context, after a first load that fills its cache). */
async function timePage(browser: Browser, url: string, token: string, ready: Ready): Promise<Timing> {
  const cold: Load[] = [];
  for (let i = 0; i < N; i++) {
    const context = await signedInContext(browser, token, ready);
    cold.push(await timeLoad(context, url));
    await context.close();
  }
  const context = await signedInContext(browser, token, ready);
  await timeLoad(context, url);
  const warm: Load[] = [];
  for (let i = 0; i < N; i++) warm.push(await timeLoad(context, url));
  await context.close();
  return { cold, warm };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${x.toFixed(0)} ms`.padStart(8);

/** Gzipped size (zlib level 9) of every .js and .css under apps/web/dist/assets, largest first. */
function bundleSizes(): Array<{ file: string; raw: number; gzip: number }> {
  const dir = path.join(webDir(), 'dist', 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((file) => {
      const bytes = readFileSync(path.join(dir, file));
      return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`.padStart(11);

async function main(): Promise<void> {
  await ensureWebBuilt();
  const sizes = bundleSizes();
  const stack = await startSeededWebStack((line) => say(`[bench:web] ${line}`));
  const browser = await launchChromium();
  try {
    const token = await demoToken(demoUser('supervisor')!, '2h');
    const list = await fetch(`${stack.baseUrl}/api/v1/projects?pageSize=200`, { headers: { authorization: `Bearer ${token}` } });
    if (!list.ok) throw new Error(`GET /api/v1/projects: ${list.status} ${await list.text()}`);
    const projects = ((await list.json()) as { items: Array<{ code: string; steps: unknown[] }> }).items;
    const twenty = projects.find((p) => p.steps.length === 20);
    if (!twenty) throw new Error('no 20-step project in the seeded district');

    say(`[bench:web] timing ${N} cold and ${N} warm loads per page in ${browser.version()} at ${VIEWPORT.width}×${VIEWPORT.height}…`);
    const overview = await timePage(browser, `${stack.baseUrl}/overview`, token, OVERVIEW_READY);
    const project = await timePage(browser, `${stack.baseUrl}/projects/${twenty.code}`, token, PROJECT_READY);

    say('');
    say('Time to first render (navigation start → main content visible), supervisor sup-zhou');
    say(`${'page'.padEnd(58)} ${'cache'.padEnd(5)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}   ${'first paint (median)'}`);
    for (const [name, t] of [
      ['总览 overview (/overview)', overview],
      [`project, 20 steps (/projects/${twenty.code})`, project],
    ] as const) {
      for (const cache of ['cold', 'warm'] as const) {
        const r = t[cache].map((l) => l.render);
        say(`${name.padEnd(58)} ${cache.padEnd(5)} ${ms(median(r))} ${ms(Math.min(...r))} ${ms(Math.max(...r))}   ${ms(median(t[cache].map((l) => l.fcp)))}`);
      }
    }
    say(`(n=${N} each; cold: a fresh browser context per load; warm: the same context, assets cached;`);
    say(' main content: the overview with its charts drawn, the project page with all its steps listed; first paint: the menu frame)');
    say('');
    say('Bundle (apps/web/dist/assets, gzip level 9)');
    say(`${'file'.padEnd(36)} ${'raw'.padStart(11)} ${'gzipped'.padStart(11)}`);
    for (const s of sizes) say(`${s.file.padEnd(36)} ${kb(s.raw)} ${kb(s.gzip)}`);
    const sum = (k: 'raw' | 'gzip', ext?: string): number => sizes.filter((s) => !ext || s.file.endsWith(ext)).reduce((a, s) => a + s[k], 0);
    say(`${'all .js'.padEnd(36)} ${kb(sum('raw', '.js'))} ${kb(sum('gzip', '.js'))}`);
    say(`${'all .css'.padEnd(36)} ${kb(sum('raw', '.css'))} ${kb(sum('gzip', '.css'))}`);
    say(`${'total'.padEnd(36)} ${kb(sum('raw'))} ${kb(sum('gzip'))}`);
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:web failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
