import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import type { Schemas } from '../src/api/client';
import { NotificationsPage } from '../src/pages/NotificationsPage';
import { renderPage, stubApi } from './support/pages';

const NOTICE: Schemas['NotificationDto'] = {
  id: '42',
  dedupeKey: 'k',
  projectCode: '2022-330602-39-03-000101',
  projectName: '比亚迪半导体项目',
  step: 'land_use_planning_permit',
  kind: 'red',
  department: 'natural_resources',
  channel: 'webhook',
  target: 'https://hooks.example/notify',
  recipients: [{ role: 'officers', department: 'natural_resources' }, { role: 'supervisors' }],
  state: 'pending',
  attempts: 2,
  lastError: 'HTTP 503',
  createdAt: '2025-06-16T01:30:00.000Z',
  deliveredAt: null,
  nextAttemptAt: '2025-06-16T02:00:00.000Z',
  dueAt: '2025-06-14T00:00:00+08:00',
  message: '建设用地规划许可证已超期 / overdue',
};

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('NotificationsPage', { timeout: 30_000 }, () => {
  it('asks for the officer’s own department and shows the delivery state in Beijing time', async () => {
    const sent = stubApi(() => ({ body: { items: [NOTICE], total: 1, page: 1, pageSize: 20 } }));
    renderPage(<NotificationsPage />, { path: '/notifications?kind=red', route: '/notifications', user: { sub: 'nrp-li', roles: ['officer'], department: 'natural_resources' } });
    const row = (await screen.findByRole('link', { name: NOTICE.projectCode })).closest('tr')!;
    const q = sent[0]!.url.searchParams;
    expect(q.get('department')).toBe('natural_resources');
    expect(q.get('kind')).toBe('red');
    expect(within(row).getByText('待投递')).toBeInTheDocument();
    expect(within(row).getByText('2025-06-16 09:30')).toBeInTheDocument(); // 01:30Z in Asia/Shanghai
    expect(within(row).getByText(/已尝试 2 次；下次尝试 2025-06-16 10:00/)).toBeInTheDocument();
    expect(within(row).getByText('最近错误：HTTP 503')).toBeInTheDocument();
    expect(screen.getByLabelText('部门').closest('.ant-select')).toHaveClass('ant-select-disabled');
  });

  it('lets a supervisor see every department', async () => {
    const sent = stubApi(() => ({ body: { items: [], total: 0, page: 1, pageSize: 20 } }));
    renderPage(<NotificationsPage />, { path: '/notifications', route: '/notifications', user: { sub: 'sup-zhou', roles: ['supervisor'], department: 'project_office' } });
    expect(await screen.findByText('没有符合条件的通知')).toBeInTheDocument();
    expect(sent[0]!.url.searchParams.get('department')).toBeNull();
    expect(screen.getByText('显示全部部门的提醒和督办通知')).toBeInTheDocument();
  });
});
