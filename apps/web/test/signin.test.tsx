import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import i18n from '../src/i18n';
import { homePath, SessionProvider, useSession } from '../src/auth/session';
import { SignInPage } from '../src/pages/SignInPage';

const PROJECT = '/projects/2022-330602-39-03-000101';

const DEMO_CONFIG = {
  mode: 'demo',
  users: [
    { sub: 'nrp-li', name: 'nrp-li (officer, natural_resources)', roles: ['officer'], department: 'natural_resources' },
    { sub: 'drc-wang', name: 'drc-wang (officer, development_reform)', roles: ['officer'], department: 'development_reform' },
    { sub: 'nrp-head', name: 'nrp-head (department head, natural_resources)', roles: ['department_head'], department: 'natural_resources' },
    { sub: 'sup-zhou', name: 'sup-zhou (supervisor, 督办)', roles: ['supervisor'], department: 'project_office' },
    { sub: 'admin-wang', name: 'admin-wang (administrator)', roles: ['admin'], department: 'project_office' },
  ],
};

/** An unsigned JWT-shaped token (the page reads its claims; the API, mocked here, would verify it). */
function fakeToken(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(v)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.sig`;
}

interface Sent {
  path: string;
  method: string;
  body: unknown;
}
let sent: Sent[] = [];

/** Answers the API client's requests by path: the sign-in config, and demo tokens (422 for an unknown subject). */
function stubApi(config: unknown = DEMO_CONFIG) {
  sent = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const req = input instanceof Request ? input : new Request(input);
      const path = new URL(req.url).pathname;
      const text = await req.text();
      sent.push({ path, method: req.method, body: text ? JSON.parse(text) : null });
      const json = (status: number, body: unknown) =>
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
      if (path === '/api/v1/auth/config') return json(200, config);
      if (path === '/api/v1/auth/demo-token') {
        const { sub } = JSON.parse(text) as { sub: string };
        const user = DEMO_CONFIG.users.find((u) => u.sub === sub);
        if (!user) return json(422, { status: 422, code: 'AUTH.DEMO_USER_UNKNOWN', detail: `no demo user has the subject '${sub}'` });
        return json(200, { token: fakeToken({ sub, name: user.name, roles: user.roles, department: user.department }), expiresAt: '2025-09-22T18:00:00.000+08:00' });
      }
      return json(404, { status: 404, code: 'ROUTE.NOT_FOUND', detail: `Cannot ${req.method} ${path}` });
    }),
  );
}

/** Where the app is, and who is signed in, for the assertions. */
function Landed({ name }: { name: string }) {
  const { user } = useSession();
  const location = useLocation();
  return (
    <p>
      {name} {location.pathname} as {user?.sub}
    </p>
  );
}

/** The workbench's routes as App.tsx has them for sign-in: `/` signs in (or goes home), the rest need a session. */
function TestRoutes() {
  const { user } = useSession();
  return (
    <Routes>
      <Route path="/" element={user ? <Navigate to={homePath(user)} replace /> : <SignInPage />} />
      <Route path="/auth/callback" element={<SignInPage />} />
      <Route path="/tasks" element={user ? <Landed name="work queue" /> : <Navigate to="/" replace />} />
      <Route path="/stuck" element={user ? <Landed name="stuck list" /> : <Navigate to="/" replace />} />
      <Route path="/projects/:code" element={user ? <Landed name="project" /> : <Navigate to="/" replace />} />
    </Routes>
  );
}

function renderSignIn(at = '/') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <AntApp>
      <QueryClientProvider client={client}>
        <SessionProvider>
          <MemoryRouter initialEntries={[at]}>
            <TestRoutes />
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>
    </AntApp>,
  );
}

beforeEach(async () => {
  sessionStorage.clear();
  await i18n.changeLanguage('zh');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

// Role queries over Ant Design's markup take seconds in jsdom on a busy machine: more room than the default 5 s.
describe('SignInPage', { timeout: 30_000 }, () => {
  it('lists the demo users as buttons labelled with subject, role and department in Chinese, grouped', async () => {
    stubApi();
    renderSignIn();
    const officer = await screen.findByRole('button', { name: 'nrp-li · 经办人 · 自然资源和规划局' }, { timeout: 10_000 });
    expect(officer).toBeVisible();
    expect(screen.getByRole('button', { name: 'nrp-head · 部门负责人 · 自然资源和规划局' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'drc-wang · 经办人 · 发展和改革局' })).toBeVisible();

    const departments = screen.getByRole('region', { name: '各部门经办人和负责人' });
    expect(within(within(departments).getByRole('group', { name: '自然资源和规划局' })).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'nrp-li · 经办人 · 自然资源和规划局',
      'nrp-head · 部门负责人 · 自然资源和规划局',
    ]);
    expect(within(screen.getByRole('region', { name: '督办' })).getByRole('button', { name: 'sup-zhou · 督办人 · 重大项目办公室' })).toBeVisible();
    expect(within(screen.getByRole('region', { name: '系统管理' })).getByRole('button', { name: 'admin-wang · 系统管理员 · 重大项目办公室' })).toBeVisible();
    expect(screen.queryByText('登录已过期，请重新登录')).toBeNull();
  });

  it('signs in with one click: the token from the demo endpoint, then the home page of the role', async () => {
    stubApi();
    renderSignIn();
    await userEvent.click(await screen.findByRole('button', { name: /^sup-zhou / }));
    expect(await screen.findByText('stuck list /stuck as sup-zhou')).toBeVisible();
    expect(sent.filter((s) => s.method === 'POST')).toEqual([{ path: '/api/v1/auth/demo-token', method: 'POST', body: { sub: 'sup-zhou' } }]);
    expect(sessionStorage.getItem('approvals.token')).toMatch(/^[\w-]+\.[\w-]+\.sig$/);
  });

  it('after an expired session says so, and signing in returns to the page the person was on', async () => {
    sessionStorage.setItem('approvals.ended', 'expired');
    sessionStorage.setItem('approvals.returnTo', PROJECT);
    stubApi();
    renderSignIn();
    expect(await screen.findByText('登录已过期，请重新登录')).toBeVisible();
    await userEvent.click(await screen.findByRole('button', { name: /^nrp-li / }));
    expect(await screen.findByText(`project ${PROJECT} as nrp-li`)).toBeVisible();
    expect(sessionStorage.getItem('approvals.returnTo')).toBeNull();
    expect(sessionStorage.getItem('approvals.ended')).toBeNull();
  });

  it('shows the API’s refusal in the page and stays signed out', async () => {
    stubApi({ mode: 'demo', users: [{ sub: 'ghost', name: 'ghost', roles: ['officer'], department: 'customs' }] });
    renderSignIn();
    await userEvent.click(await screen.findByRole('button', { name: 'ghost · 经办人 · 海关' }));
    expect(await screen.findByText("no demo user has the subject 'ghost'")).toBeVisible();
    expect(sessionStorage.getItem('approvals.token')).toBeNull();
  });

  it('offers single sign-on when an OIDC provider is configured, and says so when nothing is', async () => {
    stubApi({ mode: 'oidc', issuer: 'https://sso.example.gov.cn', clientId: 'approvals-workbench', scope: 'openid profile' });
    const { unmount } = renderSignIn();
    expect(await screen.findByRole('button', { name: '使用统一身份认证登录' })).toBeVisible();
    expect(screen.queryByRole('button', { name: /nrp-li/ })).toBeNull();
    unmount();

    stubApi({ mode: 'none' });
    renderSignIn();
    expect(await screen.findByText('未配置登录方式')).toBeVisible();
  });

  it('speaks English after the switch', async () => {
    stubApi();
    renderSignIn();
    await userEvent.click(await screen.findByRole('button', { name: 'English' }));
    expect(await screen.findByRole('button', { name: 'nrp-li · Officer · Natural Resources and Planning' })).toBeVisible();
    expect(screen.getByRole('heading', { name: 'Sign in as a demo user' })).toBeVisible();
  });
});
