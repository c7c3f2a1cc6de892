import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import type { Schemas } from '../src/api/client';
import { EventsPage, readsEvents } from '../src/pages/EventsPage';
import { currentLocation, renderPage, stubApi } from './support/pages';

const EVENT: Schemas['InboundEventDto'] = {
  id: 'TDGY-2026-000731',
  source: 'land-supply',
  type: 'land_title_registered',
  projectCode: '2026-330602-39-03-000301',
  occurredAt: '2026-11-20T02:30:00.000Z',
  status: 'needs_attention',
  reason: 'step land_title is blocked: it waits for land_price_paid',
  receivedAt: '2026-11-20T03:05:00.000Z',
  appliedAt: null,
  entries: [],
};
const SUPERVISOR = { sub: 'sup-zhou', roles: ['supervisor'], department: 'project_office' };

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('EventsPage (事件待处理)', { timeout: 30_000 }, () => {
  it('lists the events needing attention with source, type, a link to the project, Beijing times and the reason', async () => {
    const sent = stubApi(() => ({ body: { items: [EVENT], total: 1, page: 1, pageSize: 20 } }));
    renderPage(<EventsPage />, { path: '/events', route: '/events', user: SUPERVISOR });
    const link = await screen.findByRole('link', { name: EVENT.projectCode });
    expect(link).toHaveAttribute('href', `/projects/${EVENT.projectCode}`);
    expect(sent[0]!.url.pathname).toBe('/api/v1/events');
    expect(sent[0]!.url.searchParams.get('status')).toBe('needs_attention');
    const row = link.closest('tr')!;
    expect(within(row).getByText('land-supply')).toBeInTheDocument();
    expect(within(row).getByText('不动产权登记完成')).toBeInTheDocument();
    expect(within(row).getByText('2026-11-20 10:30')).toBeInTheDocument(); // 02:30Z in Asia/Shanghai
    expect(within(row).getByText('2026-11-20 11:05')).toBeInTheDocument();
    expect(within(row).getByText(EVENT.reason!)).toBeInTheDocument();
    expect(screen.getByText('共 1 条')).toBeInTheDocument();

    await userEvent.click(link);
    expect(currentLocation()).toBe(`/projects/${EVENT.projectCode}`);
  });

  it('says so when no event needs attention, and reads another status on request (kept in the URL)', async () => {
    const sent = stubApi(() => ({ body: { items: [], total: 0, page: 1, pageSize: 20 } }));
    renderPage(<EventsPage />, { path: '/events?status=parked', route: '/events', user: SUPERVISOR });
    expect(await screen.findByText('没有需要处理的事件')).toBeInTheDocument();
    expect(sent[0]!.url.searchParams.get('status')).toBe('parked');
    expect(screen.getByLabelText('状态')).toBeInTheDocument();
  });

  it('shows the API’s refusal with its detail', async () => {
    stubApi(() => ({ status: 403, body: { type: 'about:blank', title: 'Forbidden', status: 403, code: 'AUTH.FORBIDDEN', detail: 'reading inbound events is for the project office and supervisors' } }));
    renderPage(<EventsPage />, { path: '/events', route: '/events', user: { sub: 'nr-zhao', roles: ['officer'], department: 'natural_resources' } });
    expect(await screen.findByText('无法加载事件：reading inbound events is for the project office and supervisors')).toBeInTheDocument();
  });

  it('speaks English on the switch', async () => {
    await i18n.changeLanguage('en');
    stubApi(() => ({ body: { items: [EVENT], total: 1, page: 1, pageSize: 20 } }));
    renderPage(<EventsPage />, { path: '/events', route: '/events', user: SUPERVISOR });
    expect(await screen.findByRole('heading', { name: 'Events needing attention' })).toBeInTheDocument();
    expect(await screen.findByText('Real-estate title registered')).toBeInTheDocument();
  });

  it('is in the menu of those the API lets read events: supervisors and the project office', () => {
    expect(readsEvents(['supervisor'], 'project_office')).toBe(true);
    expect(readsEvents(['officer'], 'project_office')).toBe(true);
    expect(readsEvents(['department_head'], 'project_office')).toBe(true);
    expect(readsEvents(['officer'], 'natural_resources')).toBe(false);
    expect(readsEvents(['admin'], 'project_office')).toBe(false);
  });
});
