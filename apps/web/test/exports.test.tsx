import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import { ProjectsPage } from '../src/pages/ProjectsPage';
import { StuckPage } from '../src/pages/StuckPage';
import { renderPage } from './support/pages';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SUPERVISOR = { sub: 'sup-zhou', roles: ['supervisor'], department: 'project_office' };
const EMPTY_STUCK = { items: [], total: 0, page: 1, pageSize: 20, asOf: '2026-11-20', idleWorkingDays: 10, nextCursor: null };
const EMPTY_SUMMARY = { projects: 0, byLightStage: [], byDepartment: [], byDistrict: [{ district: '越城区', projects: 1, green: 1, yellow: 0, red: 0, stuck: 0 }] };

/** The requests sent to the fake API, and what each download gave the browser. */
let sent: URL[];
let saved: Array<{ name: string; href: string }>;

/**
 * A fake API: the lists answer JSON; an export path answers a file named by its Content-Disposition (RFC 5987), or the
 * problem `refuse` gives for it.
 */
function stubFetch(refuse: Record<string, { status: number; detail: string }> = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      sent.push(url);
      const problem = refuse[url.pathname];
      if (problem) return new Response(JSON.stringify({ status: problem.status, detail: problem.detail }), { status: problem.status, headers: { 'Content-Type': 'application/problem+json' } });
      if (url.pathname.endsWith('/export') || url.pathname.endsWith('/weekly-report')) {
        const name = url.pathname.endsWith('/weekly-report') ? '督办周报-2026-12-06.xlsx' : `导出-2026-12-06.${url.searchParams.get('format') ?? 'xlsx'}`;
        return new Response(new TextEncoder().encode('PK bytes'), {
          headers: { 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}` },
        });
      }
      const body = url.pathname === '/api/v1/projects' ? { items: [], total: 0, page: 1, pageSize: 20 } : url.pathname.endsWith('/stuck') ? EMPTY_STUCK : EMPTY_SUMMARY;
      return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
    }),
  );
}

const requestTo = (path: string) => sent.find((u) => u.pathname === path);

beforeEach(async () => {
  await i18n.changeLanguage('zh');
  sent = [];
  saved = [];
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:export-1'), revokeObjectURL: vi.fn() }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, href: this.getAttribute('href') ?? '' });
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('export buttons', { timeout: 30_000 }, () => {
  it('导出 on the project list asks for the ledger with the filters in the URL, every page, and saves it under the name the API gives', async () => {
    stubFetch();
    renderPage(<ProjectsPage />, { path: '/projects?stage=permits&light=red&district=%E8%B6%8A%E5%9F%8E%E5%8C%BA&page=2&pageSize=50', route: '/projects', user: SUPERVISOR });
    await userEvent.click(await screen.findByRole('button', { name: /导出 Excel/ }));
    await waitFor(() => expect(saved).toEqual([{ name: '导出-2026-12-06.xlsx', href: 'blob:export-1' }]));
    expect(Object.fromEntries(requestTo('/api/v1/projects/export')!.searchParams)).toEqual({ stage: 'permits', light: 'red', district: '越城区', format: 'xlsx', lang: 'zh' });
    expect(await screen.findByText('已下载 导出-2026-12-06.xlsx')).toBeInTheDocument();
  });

  it('exports CSV in English when the workbench speaks English', async () => {
    await i18n.changeLanguage('en');
    stubFetch();
    renderPage(<ProjectsPage />, { path: '/projects?status=active', route: '/projects', user: SUPERVISOR });
    await userEvent.click(await screen.findByRole('button', { name: /Export to CSV/ }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(requestTo('/api/v1/projects/export')!.searchParams)).toEqual({ status: 'active', format: 'csv', lang: 'en' });
  });

  it('exports the stuck list with its filters, and downloads the weekly report (督办周报) from the supervision page', async () => {
    stubFetch();
    renderPage(<StuckPage />, { path: '/stuck?kind=overdue&department=natural_resources', route: '/stuck', user: SUPERVISOR });
    await userEvent.click(await screen.findByRole('button', { name: /导出 CSV/ }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(requestTo('/api/v1/supervision/stuck/export')!.searchParams)).toEqual({ kind: 'overdue', department: 'natural_resources', format: 'csv', lang: 'zh' });
    await userEvent.click(screen.getByRole('button', { name: /督办周报/ }));
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual(['导出-2026-12-06.csv', '督办周报-2026-12-06.xlsx']));
    expect(Object.fromEntries(requestTo('/api/v1/supervision/weekly-report')!.searchParams)).toEqual({ lang: 'zh' });
  });

  it("shows the API's problem detail when the export is refused, and saves nothing", async () => {
    stubFetch({ '/api/v1/supervision/weekly-report': { status: 403, detail: 'the supervision lists are for supervisors' } });
    renderPage(<StuckPage />, { path: '/stuck', route: '/stuck', user: SUPERVISOR });
    await userEvent.click(await screen.findByRole('button', { name: /督办周报/ }));
    expect(await screen.findByText('导出失败：the supervision lists are for supervisors')).toBeInTheDocument();
    expect(saved).toEqual([]);
  });
});
