import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../src/i18n';
import i18n from '../src/i18n';
import { SessionProvider } from '../src/auth/session';
import { ProjectPage } from '../src/pages/ProjectPage';
import { PROJECT, TIMELINE } from './fixtures/project-standard';

// jsdom has no canvas: the charts are not drawn.
vi.mock('echarts/core', () => ({
  use: () => undefined,
  init: () => ({ on: () => undefined, setOption: () => undefined, resize: () => undefined, dispose: () => undefined }),
}));

const CODE = PROJECT.code;
/** The fixture project as if it ran on version 1 of the standard track. */
const ON_V1 = { ...PROJECT, definition: 'standard@1' };
const version = (n: number, latest: boolean) => ({ version: n, name: `Standard industrial project v${n}`, nameZh: `一般工业项目 v${n}`, stepCount: 12, stages: [], latest });
const TRACKS = { items: [{ key: 'standard', versions: [version(1, false), version(2, false), version(3, true)] }], total: 1 };

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}
let sent: Sent[] = [];

/** Answers the project (as `project`), its timeline and the tracks; POST track-migration with `answer`. */
function stubApi(project: unknown, answer: { status: number; body: unknown }) {
  sent = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const req = input instanceof Request ? input : new Request(input);
      const url = new URL(req.url);
      sent.push({ url: req.url, method: req.method, headers: req.headers, body: req.method === 'POST' ? JSON.parse(await req.text()) : null });
      const json = (status: number, body: unknown) =>
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
      if (req.method === 'POST' && url.pathname === `/api/v1/projects/${CODE}/track-migration`) return json(answer.status, answer.body);
      if (url.pathname === '/api/v1/tracks') return json(200, TRACKS);
      if (url.pathname === `/api/v1/projects/${CODE}/timeline`) return json(200, { items: TIMELINE, total: TIMELINE.length, page: 1, pageSize: 200 });
      if (url.pathname === `/api/v1/projects/${CODE}`) return json(200, project);
      return json(404, { status: 404, title: 'Not Found', detail: `no route ${url.pathname}` });
    }),
  );
}

function tokenFor(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.sig`;
}

const HEAD_PO = { sub: 'po-head-li', roles: ['department_head'], department: 'project_office' };

function renderPage(claims: Record<string, unknown>) {
  sessionStorage.setItem('approvals.token', tokenFor(claims));
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <AntApp>
      <QueryClientProvider client={client}>
        <SessionProvider>
          <MemoryRouter initialEntries={[`/projects/${CODE}`]}>
            <Routes>
              <Route path="/projects/:code" element={<ProjectPage />} />
            </Routes>
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>
    </AntApp>,
  );
}

/** The button, once the project and the tracks are in (a text query: role queries over the whole page are slow in jsdom). */
async function migrationButton(text: string): Promise<HTMLElement> {
  const label = await screen.findByText(text, {}, { timeout: 10_000 });
  return label.closest('button')!;
}

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('迁移到新版本 on the project page', { timeout: 30_000 }, () => {
  it('lets the head of the project office confirm the move from version 1 to 3 and shows the project on v3', async () => {
    stubApi(ON_V1, { status: 200, body: { project: PROJECT, entries: [] } });
    const user = userEvent.setup({ delay: null });
    renderPage(HEAD_PO);

    await user.click(await migrationButton('迁移到新版本'));
    const dialog = await screen.findByRole('dialog', { name: `迁移到新版本：${CODE}` });
    expect(within(dialog).getByText('standard 第 1 版（一般工业项目 v1）')).toBeInTheDocument();
    expect(within(dialog).getByText('standard 第 3 版（一般工业项目 v3）')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('迁移说明'), '区里采用第3版流程');
    await user.click(within(dialog).getByRole('button', { name: '确认迁移' }));

    await waitFor(() => expect(sent.some((s) => s.method === 'POST')).toBe(true), { timeout: 10_000 });
    expect(await screen.findByText('已迁移到 standard@3', {}, { timeout: 10_000 })).toBeInTheDocument();
    const post = sent.find((s) => s.method === 'POST')!;
    expect(post.url).toMatch(new RegExp(`/api/v1/projects/${CODE}/track-migration$`));
    expect(post.body).toEqual({ toVersion: 3, comment: '区里采用第3版流程' });
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    // The project now runs on the newest version: nothing to move to.
    await waitFor(() => expect(screen.queryByText('迁移到新版本')).not.toBeInTheDocument(), { timeout: 10_000 });
  });

  it('shows the refusal’s detail in the dialog', async () => {
    const detail = 'project cannot move from standard@1 to standard@3: step energy_review is in_review but version 3 has no such step';
    stubApi(ON_V1, { status: 422, body: { status: 422, title: 'Unprocessable Content', code: 'TRACK.MIGRATION_REFUSED', detail } });
    const user = userEvent.setup({ delay: null });
    renderPage({ sub: 'admin-wang', roles: ['admin'], department: null });

    await user.click(await migrationButton('迁移到新版本'));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '确认迁移' }));
    expect(await within(dialog).findByTestId('problem-detail', {}, { timeout: 10_000 })).toHaveTextContent(detail);
  });

  it('is not offered to an officer of the project office', async () => {
    stubApi(ON_V1, { status: 200, body: {} });
    renderPage({ sub: 'po-chen', roles: ['officer'], department: 'project_office' });
    await screen.findByRole('heading', { name: '高端装备制造基地项目' });
    expect(screen.queryByText('迁移到新版本')).not.toBeInTheDocument();
  });

  it('is not offered for a project already on the newest version', async () => {
    stubApi(PROJECT, { status: 200, body: {} });
    renderPage(HEAD_PO);
    await screen.findByRole('heading', { name: '高端装备制造基地项目' });
    await waitFor(() => expect(sent.some((s) => s.url.endsWith('/api/v1/tracks'))).toBe(true));
    expect(screen.queryByText('迁移到新版本')).not.toBeInTheDocument();
  });

  it('speaks English after the switch', async () => {
    await i18n.changeLanguage('en');
    stubApi(ON_V1, { status: 200, body: {} });
    const user = userEvent.setup({ delay: null });
    renderPage(HEAD_PO);
    await user.click(await migrationButton('Move to a newer version'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('standard version 3 (Standard industrial project v3)')).toBeInTheDocument();
  });
});
