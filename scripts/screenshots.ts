/*
 * `npm run screenshots`: a PNG of every page of the workbench at 1440×900 into docs/screenshots/ — sign-in, 待办
 * (as nrp-li), an open action dialog, 督办 (as sup-zhou), 总览, 项目列表, a project page, 工作日历, 通知, and the
 * overview in English. Starts a seeded system in this process, or uses the running API at API_URL (see
 * startSeededWebStack). Each shot waits until the page's data has arrived (no spinner in `main`) and its charts
 * have finished their entry animation. The project page is also taken whole (07-project-full.png).
 * Chinese text needs a CJK font on the machine (Debian: `apt-get install fonts-noto-cjk`); without one Chromium
 * draws boxes, and the script says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../libs/temporal/binaries.js';
import { demoToken, demoUser } from './demo-users.js';
import { launchChromium, signInAs, startSeededWebStack, VIEWPORT, type PageWindow } from './web-browser.js';

const OUT = path.join(projectRoot(), 'docs', 'screenshots');

function say(line: string): void {
  process.stdout.write(`[screenshots] ${line}\n`);
}

/** Waits until `main` (or the sign-in page) shows content with no spinner left, then lets animations end. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('domcontentloaded');
  await page.waitForFunction(
    () => {
      const { document } = globalThis as unknown as PageWindow;
      const root = document.querySelector('main') ?? document.getElementById('root');
      return Boolean(root && root.textContent && root.textContent.trim().length > 0 && !root.querySelector('.ant-spin-spinning, .ant-skeleton'));
    },
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(1_200); // ECharts' entry animation (1 s) and Ant Design's transitions
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await settle(page);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  say(`${path.relative(projectRoot(), file)}  (${page.url().replace(/^https?:\/\/[^/]+/, '')})`);
}

/**
 * Waits (up to 3 minutes) until the seeded district shows a red light: the back-dated seed's overdue clocks settle
 * only after the workflows' catch-up, and a district all green would misrepresent the pages.
 */
async function lightsSettled(baseUrl: string, token: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/api/v1/projects?light=red&pageSize=1`, { headers: { authorization: `Bearer ${token}` } });
    if (res.ok && ((await res.json()) as { total: number }).total > 0) return;
    await new Promise((r) => setTimeout(r, 3_000));
  }
  say('WARNING: no red light after 3 minutes; the shots show the district before its overdue clocks settled');
}

/** True when fontconfig knows a font with Chinese glyphs (else Chromium draws boxes for every Chinese character). */
function hasChineseFont(): boolean {
  const fc = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return fc.status === 0 && fc.stdout.trim().length > 0;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (!hasChineseFont()) say('WARNING: no font with Chinese glyphs (fc-list :lang=zh is empty): install one, e.g. apt-get install fonts-noto-cjk');
  const stack = await startSeededWebStack(say);
  const browser = await launchChromium();
  try {
    const token = await demoToken(demoUser('supervisor')!, '1h');
    say('waiting for the seeded district\'s overdue clocks to settle (a red light)…');
    await lightsSettled(stack.baseUrl, token);
    const res = await fetch(`${stack.baseUrl}/api/v1/projects?pageSize=200`, { headers: { authorization: `Bearer ${token}` } });
    const projects = ((await res.json()) as { items: Array<{ code: string; steps: Array<{ state: string }> }> }).items;
    // The project furthest along (most steps done) shows the most of the project page: ledger, Gantt, timeline.
    const done = (p: (typeof projects)[number]): number => p.steps.filter((s) => ['approved', 'delivered', 'waived'].includes(s.state)).length;
    const project = [...projects].filter((p) => p.steps.length >= 20).sort((a, b) => done(b) - done(a))[0] ?? projects[0]!;

    const newPage = async (): Promise<Page> => (await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();

    const officer = await newPage();
    await officer.goto(`${stack.baseUrl}/`);
    await shot(officer, '01-sign-in');
    await signInAs(officer, stack.baseUrl, 'nrp-li');
    await officer.goto(`${stack.baseUrl}/tasks`);
    await shot(officer, '02-tasks-nrp-li');
    const firstAction = officer.locator('main [data-action]').first();
    if (await firstAction.count()) {
      await firstAction.click();
      await officer.getByRole('dialog').waitFor();
      await shot(officer, '03-action-dialog');
      await officer.keyboard.press('Escape');
    } else {
      say('no action button on 待办: 03-action-dialog not taken');
    }

    const supervisor = await newPage();
    await signInAs(supervisor, stack.baseUrl, 'sup-zhou');
    await supervisor.goto(`${stack.baseUrl}/stuck`);
    await shot(supervisor, '04-stuck-sup-zhou');
    await supervisor.goto(`${stack.baseUrl}/overview`);
    await shot(supervisor, '05-overview');
    await supervisor.goto(`${stack.baseUrl}/projects`);
    await shot(supervisor, '06-projects');
    await supervisor.goto(`${stack.baseUrl}/projects/${project.code}`);
    await shot(supervisor, '07-project');
    await shot(supervisor, '07-project-full', true);
    await supervisor.goto(`${stack.baseUrl}/calendar`);
    await shot(supervisor, '08-calendar');
    await supervisor.goto(`${stack.baseUrl}/notifications`);
    await shot(supervisor, '09-notifications');
    await supervisor.goto(`${stack.baseUrl}/overview`);
    await settle(supervisor);
    await supervisor.getByRole('button', { name: 'English' }).click();
    await shot(supervisor, '10-overview-english');
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
