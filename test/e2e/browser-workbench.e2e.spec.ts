import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { DEVELOPMENT_JWT_SECRET } from '../../libs/auth/index.js';
import { demoToken } from '../../scripts/demo-users.js';
import { SESSION_TOKEN_KEY, type PageWindow } from '../../scripts/web-browser.js';
import { apiAs, demoSubject, expectNoSeriousA11yViolations, signInAs, startBrowserStack, VIEWPORT, type BrowserStack } from '../support/browser.js';

/*
 * The workbench in Debian's Chromium against the whole seeded system, as its people use it: a natural-resources
 * officer returns a step for supplement and approves it after the applicant's resubmission; the supervisor escalates
 * a stuck project; the English switch; another department's officer gets no buttons and a forged request is refused;
 * a session the API no longer accepts returns to sign-in and back; two open pages follow one action within about a
 * second; and axe finds no serious or critical violation on any page.
 */

const STEP = 'land_prereview'; // 用地预审与选址, natural_resources, ready as soon as a project is registered
const STEP_ZH = '用地预审与选址';

/** Today in Asia/Shanghai, YYYY-MM-DD. */
const shanghaiToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('the workbench in the browser (e2e)', () => {
  let s: BrowserStack;
  let code: string; // a project registered by this test, signed today: its clocks need no catch-up
  const contexts: BrowserContext[] = [];

  /** A fresh signed-out tab at the office's screen size, in Chinese, in Shanghai time. */
  const newPage = async (): Promise<Page> => {
    const context = await s.browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    return context.newPage();
  };
  const signedIn = async (subject: string, path: string): Promise<Page> => {
    const page = await newPage();
    await signInAs(page, s.baseUrl, subject);
    await page.goto(`${s.baseUrl}${path}`);
    return page;
  };
  const stepRow = (page: Page, step = STEP): Locator => page.locator(`main tr[data-step="${step}"]`);
  const dialog = (page: Page): Locator => page.getByRole('dialog');

  beforeAll(async () => {
    s = await startBrowserStack('browser_workbench');
    const year = shanghaiToday().slice(0, 4);
    code = `${year}-330602-39-03-${String(900000 + Math.floor(Math.random() * 99999)).padStart(6, '0')}`;
    const registered = await apiAs(s.baseUrl, 'sup-zhou', 'POST', '/projects', {
      code,
      name: '浏览器测试智能装备项目',
      district: '越城区',
      investor: '浙江浏览器测试有限公司',
      investmentYuan: '500000000',
      signedAt: shanghaiToday(),
    });
    expect(registered.status).toBe(201);
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await s?.close();
  });

  it('sign-in lists the demo people; nrp-li lands on 待办 with the fresh project and an accessible page', async () => {
    const page = await newPage();
    await page.goto(`${s.baseUrl}/`);
    await page.getByRole('button', { name: /nrp-li/ }).waitFor();
    await expectNoSeriousA11yViolations(page, 'sign-in');
    await signInAs(page, s.baseUrl, 'nrp-li');
    expect(new URL(page.url()).pathname).toBe('/tasks');
    const row = page.getByRole('row').filter({ hasText: code });
    await row.getByRole('button', { name: `受理 ${STEP_ZH}`, exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page, '待办 (nrp-li)');

    // Accept from the queue: the row changes at once to 审查中, its clock starts (20 working days) and its light shows.
    await row.getByText('未起算').waitFor();
    await row.getByRole('button', { name: `受理 ${STEP_ZH}`, exact: true }).click();
    await dialog(page).getByRole('button', { name: '确认受理', exact: true }).click();
    await dialog(page).waitFor({ state: 'hidden' });
    await row.getByText('审查中').waitFor();
    await row.getByText('剩余 20 个工作日').waitFor();
    await row.getByText('绿灯').waitFor();
  }, 60_000);

  it('nrp-li returns the step for supplement and approves it after resubmission: light, ledger and timeline follow', async () => {
    const page = await signedIn('nrp-li', `/projects/${code}`);
    const row = stepRow(page);
    await row.getByText('审查中').waitFor();
    const timeline = page.getByTestId('timeline-entry');
    const ledger = page.getByTestId(`ledger-${STEP}`);
    await row.getByText('绿灯').waitFor();
    const ledgerInReview = await ledger.textContent();
    const entriesBefore = await timeline.count();

    // 退回补正 with the one-time list of what is missing; the dialog is axe-clean while open.
    await row.getByRole('button', { name: `退回补正 ${STEP_ZH}`, exact: true }).click();
    const returnDialog = dialog(page);
    await returnDialog.getByRole('textbox', { name: /补正材料清单/ }).fill('请补充用地红线图（浏览器测试）');
    await expectNoSeriousA11yViolations(page, 'action dialog (退回补正)');
    await returnDialog.getByRole('button', { name: '确认退回补正', exact: true }).click();
    await dialog(page).waitFor({ state: 'hidden' });
    await row.getByText('补正中').waitFor();
    await timeline.filter({ hasText: '请补充用地红线图（浏览器测试）' }).filter({ hasText: 'nrp-li' }).first().waitFor();
    expect(await timeline.count()).toBeGreaterThan(entriesBefore);
    await expectNoSeriousA11yViolations(page, 'project page');

    // The applicant resubmits (recorded through the API by the department, as policy.ts allows): the open page follows.
    const resubmit = await apiAs(s.baseUrl, 'nrp-li', 'POST', `/projects/${code}/steps/${STEP}/actions`, { action: 'resubmit', comment: '已补充用地红线图' });
    expect(resubmit.status).toBe(200);
    await row.getByText('审查中').waitFor({ timeout: 5_000 });

    // 办结: the step is done, its light goes out, its ledger closes, and the timeline records who approved.
    const entriesBeforeApproval = await timeline.count();
    await row.getByRole('button', { name: `办结 ${STEP_ZH}`, exact: true }).click();
    await dialog(page).getByRole('textbox', { name: /意见/ }).fill('同意（浏览器测试）');
    await dialog(page).getByRole('button', { name: '确认办结', exact: true }).click();
    await dialog(page).waitFor({ state: 'hidden' });
    await row.getByText('已办结').waitFor();
    await timeline.filter({ hasText: '同意（浏览器测试）' }).filter({ hasText: 'nrp-li' }).first().waitFor();
    expect(await timeline.count()).toBeGreaterThan(entriesBeforeApproval);
    await expect(row.getByText('绿灯').count()).resolves.toBe(0);
    // The ledger of a step done on the day it was accepted: nothing used, nothing overdue.
    expect(ledgerInReview).toBe('已用 0 · 剩余 20 · 停止 0 · 超期 0');
    await expect(ledger.textContent()).resolves.toBe('已用 0 · 剩余 20 · 停止 0 · 超期 0');
  }, 90_000);

  it('an officer of another department sees no action buttons on the step, and a forged request from the page is refused (403)', async () => {
    const page = await signedIn('eco-chen', `/projects/${code}`);
    const filing = stepRow(page, 'project_filing'); // development_reform's step, ready
    await filing.waitFor();
    await expect(filing.getByRole('button', { name: /受理|办结|退回补正|收件/ }).count()).resolves.toBe(0);
    const status = await page.evaluate(
      async ([key, projectCode]) => {
        const w = globalThis as unknown as PageWindow;
        const res = await w.fetch(`/api/v1/projects/${projectCode}/steps/project_filing/actions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${w.sessionStorage.getItem(key!)}`, 'content-type': 'application/json', 'idempotency-key': `forged-${Date.now()}` },
          body: JSON.stringify({ action: 'accept' }),
        });
        return res.status;
      },
      [SESSION_TOKEN_KEY, code],
    );
    expect(status).toBe(403);
    const step = await apiAs<{ steps: Array<{ key: string; state: string }> }>(s.baseUrl, 'sup-zhou', 'GET', `/projects/${code}`);
    expect(step.body.steps.find((x) => x.key === 'project_filing')!.state).toBe('ready');
  }, 60_000);

  it('a token the API no longer accepts sends the person to sign-in, and back to the project page after signing in', async () => {
    const page = await signedIn('nrp-li', '/tasks');
    const foreign = await demoToken(demoSubject('nrp-li'), '1h', { JWT_SECRET: `${DEVELOPMENT_JWT_SECRET}-rotated` });
    await page.evaluate(([key, token]) => (globalThis as unknown as PageWindow).sessionStorage.setItem(key!, token!), [SESSION_TOKEN_KEY, foreign]);
    await page.goto(`${s.baseUrl}/projects/${code}`);
    await page.getByRole('button', { name: /nrp-li/ }).waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    await signInAs(page, s.baseUrl, 'nrp-li');
    expect(new URL(page.url()).pathname).toBe(`/projects/${code}`);
    await stepRow(page).waitFor();
  }, 60_000);

  it('live: an action in one page shows in two other open pages by itself, with no reload', async () => {
    // Three people: the supervisor on the project page, nrp-li on 待办 in another tab, and nrp-li acting.
    const watcher = await signedIn('sup-zhou', `/projects/${code}`);
    const queue = await signedIn('nrp-li', '/tasks');
    const actor = await signedIn('nrp-li', `/projects/${code}`);
    const next = 'land_auction'; // 挂牌出让, ready now that the pre-review is approved
    await stepRow(watcher, next).waitFor();
    await queue.getByRole('row').filter({ hasText: code }).first().waitFor();
    // Each watching page notes (in its own clock, the machine's) when it first shows the change.
    await watcher.evaluate((step) => {
      const w = globalThis as unknown as PageWindow & { __seenAt?: number };
      const seen = () => w.document.querySelector(`main tr[data-step="${step}"][data-state="in_review"]`) !== null;
      new w.MutationObserver(() => (w.__seenAt ??= seen() ? Date.now() : undefined)).observe(w.document, { childList: true, subtree: true, attributes: true });
    }, next);
    await queue.evaluate((projectCode) => {
      const w = globalThis as unknown as PageWindow & { __seenAt?: number };
      const seen = () => [...w.document.querySelectorAll('main tr')].some((r) => (r.textContent ?? '').includes(projectCode) && (r.textContent ?? '').includes('审查中'));
      new w.MutationObserver(() => (w.__seenAt ??= seen() ? Date.now() : undefined)).observe(w.document, { childList: true, subtree: true, attributes: true });
    }, code);

    // When the supervisor's page starts refetching the project (the live event has arrived) and has its answer.
    let refetchStart = 0;
    let refetchEnd = 0;
    const projectGet = (url: string, method: string) => method === 'GET' && new URL(url).pathname === `/api/v1/projects/${code}`;
    watcher.on('request', (r) => void (projectGet(r.url(), r.method()) && (refetchStart ||= Date.now())));
    watcher.on('requestfinished', (r) => void (projectGet(r.url(), r.method()) && (refetchEnd ||= Date.now())));

    await stepRow(actor, next).getByRole('button', { name: '受理 挂牌出让', exact: true }).click();
    const answered = actor.waitForResponse((r) => r.url().includes(`/steps/${next}/actions`) && r.request().method() === 'POST');
    const submittedAt = Date.now();
    await dialog(actor).getByRole('button', { name: '确认受理', exact: true }).click();
    await answered;
    const answeredAt = Date.now();
    const seenAt = async (page: Page): Promise<number> => {
      await page.waitForFunction(() => (globalThis as unknown as { __seenAt?: number }).__seenAt !== undefined, undefined, { timeout: 5_000 });
      return page.evaluate(() => (globalThis as unknown as { __seenAt: number }).__seenAt);
    };
    const projectMs = (await seenAt(watcher)) - answeredAt;
    const queueMs = (await seenAt(queue)) - answeredAt;
    process.stdout.write(
      `live: the action took ${answeredAt - submittedAt} ms from the click to the API's answer; after the answer, the supervisor's project page ` +
        `showed it in ${projectMs} ms (live event → refetch started ${refetchStart - answeredAt} ms, project answered ${refetchEnd - answeredAt} ms), ` +
        `nrp-li's other 待办 tab in ${queueMs} ms\n`,
    );
    // Both pages showed it by themselves: the pages never poll, so without the live event neither would change before
    // seenAt's 5 s ran out. How fast is a figure, printed above and measured by `npm run bench:live`, not asserted here
    // (about a second when the machine is quiet; a busy one delays the browser's rendering, not the event).
    expect([projectMs, queueMs].every((ms) => ms < 5_000)).toBe(true);
  }, 60_000);

  it('the supervisor finds a seeded stuck project in 督办, escalates it with a comment, and sees it under supervision', async () => {
    const stuck = await apiAs<{ items: Array<{ code: string; underSupervision: boolean }> }>(s.baseUrl, 'sup-zhou', 'GET', '/supervision/stuck?pageSize=200');
    const candidates = [];
    for (const item of stuck.body.items.filter((i) => !i.underSupervision && i.code !== code)) {
      const p = await apiAs<{ status: string }>(s.baseUrl, 'sup-zhou', 'GET', `/projects/${item.code}`);
      if (p.body.status === 'active') candidates.push(item.code);
    }
    expect(candidates.length).toBeGreaterThan(0);
    const target = candidates[0]!;

    const page = await newPage();
    await signInAs(page, s.baseUrl, 'sup-zhou');
    expect(new URL(page.url()).pathname).toBe('/stuck');
    const row = page.getByRole('row').filter({ hasText: target });
    await row.waitFor();
    await expectNoSeriousA11yViolations(page, '督办 (sup-zhou)');
    await row.getByRole('button', { name: `督办项目 ${target}`, exact: true }).click();
    await dialog(page).getByRole('textbox', { name: /督办意见/ }).fill('请于三个工作日内办结（浏览器测试）');
    await dialog(page).getByRole('button', { name: '确认督办', exact: true }).click();
    await dialog(page).waitFor({ state: 'hidden' });
    await page.getByTestId(`supervision-${target}`).getByText('督办中').waitFor();

    await page.goto(`${s.baseUrl}/projects/${target}`);
    await page.getByTestId('under-supervision').waitFor();
  }, 60_000);

  it('the English switch turns the menu into English (and back)', async () => {
    const page = await signedIn('sup-zhou', '/overview');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: '总览' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    for (const label of ['Stuck projects', 'Overview', 'Projects', 'Calendar', 'Notifications']) await nav.getByRole('link', { name: label, exact: true }).waitFor();
    await expect(nav.getByRole('link', { name: '总览' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: /^中\s?文$/ }).click(); // Ant Design spaces a two-character label
    await nav.getByRole('link', { name: '总览' }).waitFor();
  }, 60_000);

  it('axe finds no serious or critical violation on 总览, 项目列表, 工作日历 and 通知', async () => {
    const page = await signedIn('sup-zhou', '/overview');
    const pages: Array<[string, string, () => Promise<unknown>]> = [
      ['/overview', '总览', () => page.locator('main [role="img"] canvas').first().waitFor()],
      ['/projects', '项目列表', () => page.getByRole('row').filter({ hasText: '2022-330602' }).first().waitFor()],
      ['/calendar', '工作日历', () => page.locator('main').getByText(/\d{4}/).first().waitFor()],
      ['/notifications', '通知', () => page.locator('main table').first().waitFor()],
    ];
    for (const [path, name, ready] of pages) {
      await page.goto(`${s.baseUrl}${path}`);
      await ready();
      await page.locator('main .ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
      await expectNoSeriousA11yViolations(page, name);
    }
  }, 90_000);
});
