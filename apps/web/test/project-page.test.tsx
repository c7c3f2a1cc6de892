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

// jsdom has no canvas: the charts are not drawn; their text alternatives are what this test reads.
vi.mock('echarts/core', () => ({
  use: () => undefined,
  init: () => ({ on: () => undefined, setOption: () => undefined, resize: () => undefined, dispose: () => undefined }),
}));

const CODE = PROJECT.code;

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}
let sent: Sent[] = [];

/** Answers GET project and timeline from the fixture, and POST project actions with `actionAnswer`. */
/** GET /tracks: the names the header shows come from the track definitions. */
const TRACKS = {
  items: [
    {
      key: 'standard',
      versions: [3].map((version) => ({ version, name: 'Standard', nameZh: '一般工业项目', stepCount: 17, stages: [], latest: true, source: 'shipped', publishedAt: null, publishedBy: null, sha256: null })),
    },
  ],
  total: 1,
};

function stubApi(actionAnswer: { status: number; body: unknown } = { status: 200, body: {} }) {
  sent = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const req = input instanceof Request ? input : new Request(input);
      const url = new URL(req.url);
      sent.push({ url: req.url, method: req.method, headers: req.headers, body: req.method === 'POST' ? JSON.parse(await req.text()) : null });
      const json = (status: number, body: unknown) =>
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
      if (req.method === 'POST' && url.pathname === `/api/v1/projects/${CODE}/actions`) return json(actionAnswer.status, actionAnswer.body);
      if (url.pathname === `/api/v1/projects/${CODE}/timeline`) return json(200, { items: TIMELINE, total: TIMELINE.length, page: 1, pageSize: 200 });
      if (url.pathname === `/api/v1/projects/${CODE}`) return json(200, PROJECT);
      if (url.pathname === '/api/v1/tracks') return json(200, TRACKS);
      return json(404, { status: 404, title: 'Not Found', detail: `no route ${url.pathname}` });
    }),
  );
}

/** A token the page can read (the API, not the page, verifies signatures). */
function tokenFor(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.sig`;
}

function renderPage(claims: Record<string, unknown> = { sub: 'sup-zhou', roles: ['supervisor'], department: 'project_office' }) {
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

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe(ProjectPage.name, { timeout: 30_000 }, () => {
  it('shows the header: the investment in 亿元, track and version, supervision and the at-risk reason', async () => {
    stubApi();
    renderPage();
    expect(await screen.findByRole('heading', { name: '高端装备制造基地项目' })).toBeInTheDocument();
    expect(screen.getByTestId('project-investment')).toHaveTextContent('12.5 亿元');
    expect(await screen.findByText(/一般工业项目（第 3 版）/)).toBeInTheDocument(); // the name from GET /tracks
    expect(screen.getByTestId('under-supervision')).toHaveTextContent('督办中');
    expect(screen.getByText(/sup-zhou 于 2022-06-14 10:00 督办/)).toBeInTheDocument();
    expect(screen.getByTestId('at-risk')).toHaveTextContent('有风险');
    expect(screen.getByText('年底前开工无法实现：建设用地规划许可证已超期')).toBeInTheDocument();
  });

  it('says what a blocked step waits for: the land title the land price paid, the construction permit its open steps', async () => {
    stubApi();
    renderPage();
    expect(await screen.findByTestId('blocked-land_title')).toHaveTextContent('等待事实：土地出让价款缴清');
    expect(screen.getByTestId('blocked-land_title')).not.toHaveTextContent('等待前置');
    expect(screen.getByTestId('blocked-construction_permit')).toHaveTextContent('等待前置：不动产权证、施工图审查与消防设计审查');
    expect(screen.getByTestId('ledger-land_use_planning_permit')).toHaveTextContent('已用 22 · 剩余 0 · 停止 4 · 超期 2');
  });

  it('shows the selected step’s details when its name is chosen in the table', async () => {
    stubApi();
    const user = userEvent.setup({ delay: null });
    renderPage();
    await user.click(await screen.findByRole('button', { name: '不动产权证' }));
    const detail = screen.getByTestId('step-detail');
    expect(within(detail).getByText(/环节详情：不动产权证/)).toBeInTheDocument();
    expect(within(detail).getByText('等待事实：土地出让价款缴清')).toBeInTheDocument();
    expect(within(detail).getByText(/30 个工作日/)).toBeInTheDocument();
  });

  it('lists the timeline newest first with the kind in Chinese, actor, time and comment', async () => {
    stubApi();
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('timeline-entry')).toHaveLength(6));
    const entries = screen.getAllByTestId('timeline-entry');
    expect(entries.map((e) => e.dataset.type)).toEqual(['something.new', 'project.escalated', 'light.changed', 'step.returned', 'step.approved', 'project.registered']);
    expect(entries[0]).toHaveTextContent('something.new');
    expect(entries[1]).toHaveTextContent('督办');
    expect(entries[1]).toHaveTextContent('请于三日内办结');
    expect(entries[2]).toHaveTextContent('黄灯 → 红灯');
    expect(entries[3]).toHaveTextContent('退回补正 · 建设用地规划许可证');
    expect(entries[3]).toHaveTextContent('2022-05-20 10:00 · nrp-li（自然资源和规划局）');
    expect(entries[3]).toHaveTextContent('请补充红线图');
  });

  it('lets a supervisor suspend the project with a comment and shows a refusal’s detail', async () => {
    stubApi({ status: 409, body: { status: 409, title: 'Conflict', code: 'PROJECT.INVALID_STATE', detail: 'project is already suspended' } });
    const user = userEvent.setup({ delay: null });
    renderPage();
    const actions = await screen.findByRole('group', { name: '项目操作' });
    expect(within(actions).getAllByRole('button').map((b) => b.textContent?.replace(/\s/g, ''))).toEqual(['督办', '中止', '撤销']);
    await user.click(within(actions).getByRole('button', { name: '中止' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /确认中止/ }));
    expect(await within(dialog).findByText('请填写意见')).toBeInTheDocument();
    expect(sent.filter((s) => s.method === 'POST')).toHaveLength(0);
    await user.type(within(dialog).getByLabelText('意见'), '专家评审');
    await user.click(within(dialog).getByRole('button', { name: /确认中止/ }));
    expect(await within(dialog).findByTestId('problem-detail')).toHaveTextContent('project is already suspended');
    const post = sent.find((s) => s.method === 'POST')!;
    expect(post.body).toEqual({ action: 'suspend', comment: '专家评审' });
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('offers an officer of another department no project action', async () => {
    stubApi();
    renderPage({ sub: 'eco-wang', roles: ['officer'], department: 'ecology_environment' });
    await screen.findByRole('heading', { name: '高端装备制造基地项目' });
    expect(screen.queryByRole('group', { name: '项目操作' })).not.toBeInTheDocument();
  });

  it('speaks English after the switch: the investment in CNY billions', async () => {
    await i18n.changeLanguage('en');
    stubApi();
    renderPage();
    expect(await screen.findByTestId('project-investment')).toHaveTextContent('CNY 1.25 bn');
    expect(await screen.findByTestId('blocked-land_title')).toHaveTextContent('Waits for: land price paid in full');
  });
});
