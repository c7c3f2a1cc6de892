import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import { ProjectsPage } from '../src/pages/ProjectsPage';
import { currentLocation, renderPage, stubApi, type SentRequest } from './support/pages';

const BYD = {
  code: '2022-330602-39-03-000101', name: '比亚迪半导体功率器件和传感控制器件研发及产业化项目', track: 'standard', stage: 'permits',
  stageName: 'Planning and construction permits', stageNameZh: '工程建设许可与施工许可', light: 'red', status: 'active',
  investmentYuan: '10000000000', nextDeadline: '2025-06-20T00:00:00+08:00',
};
const SODIUM = {
  ...BYD, code: '2022-330602-39-03-000102', name: '钠离子电池项目', light: 'yellow', investmentYuan: '85000000', nextDeadline: null,
};

/** A released version as GET /tracks lists it. */
const version = (key: string, nameZh: string, name: string, stages: Array<[string, string, string]>, source = 'shipped') => ({
  key,
  versions: [
    {
      version: 1, name, nameZh, stepCount: 3, stages: stages.map(([k]) => k), stageNames: stages.map(([k, en, zh]) => ({ key: k, name: en, nameZh: zh })),
      latest: true, source, publishedAt: null, publishedBy: null, sha256: null,
    },
  ],
});
const TRACKS = {
  items: [version('bonded_zone', '综保区项目', 'Bonded zone', [['start', 'Start', '开工']]), version('standard', '一般工业项目', 'Standard', [['permits', 'Permits', '许可']])],
  total: 2,
};

function answer(req: SentRequest) {
  if (req.url.pathname === '/api/v1/projects') return { body: { items: [BYD, SODIUM], total: 42, page: 2, pageSize: 20 } };
  if (req.url.pathname === '/api/v1/tracks') return { body: TRACKS };
  return { status: 404, body: { detail: 'not here' } };
}

const OFFICER = { sub: 'nrp-li', roles: ['officer'], department: 'natural_resources' };

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('ProjectsPage', { timeout: 30_000 }, () => {
  it('asks the API for the filters and page in the URL and shows them in the filter controls', async () => {
    const sent = stubApi(answer);
    renderPage(<ProjectsPage />, {
      path: '/projects?stage=permits&light=red&department=natural_resources&district=%E8%B6%8A%E5%9F%8E%E5%8C%BA&dueFrom=2025-06-01&dueTo=2025-06-30&page=2',
      route: '/projects',
      user: OFFICER,
    });
    expect(await screen.findByRole('link', { name: BYD.code })).toHaveAttribute('href', `/projects/${BYD.code}`);
    const q = sent.find((r) => r.url.pathname === '/api/v1/projects')!.url.searchParams;
    expect(Object.fromEntries(q)).toEqual({
      stage: 'permits', light: 'red', department: 'natural_resources', district: '越城区', dueFrom: '2025-06-01', dueTo: '2025-06-30',
      page: '2', pageSize: '20', view: 'basic', // the table needs no steps
    });
    const filters = screen.getByRole('region', { name: '筛选' });
    expect(within(filters).getByText('工程建设许可与施工许可')).toBeInTheDocument();
    expect(within(filters).getByText('红灯')).toBeInTheDocument();
    expect(within(filters).getByText('自然资源和规划局')).toBeInTheDocument();
    expect(screen.getByLabelText('区域')).toHaveValue('越城区');
    expect(screen.getByLabelText('截止日期自')).toHaveValue('2025-06-01');
    expect(screen.getByText('共 42 个项目')).toBeInTheDocument();
  });

  it('shows the columns people read: stage, light, status, money in 亿元/万元, the deadline day', async () => {
    stubApi(answer);
    renderPage(<ProjectsPage />, { path: '/projects', route: '/projects', user: OFFICER });
    const row = (await screen.findByRole('link', { name: BYD.code })).closest('tr')!;
    expect(within(row).getByText('一般工业项目')).toBeInTheDocument();
    expect(within(row).getByText('工程建设许可与施工许可')).toBeInTheDocument();
    expect(within(row).getByText('红灯')).toBeInTheDocument();
    expect(within(row).getByText('进行中')).toBeInTheDocument();
    expect(within(row).getByText('100 亿元')).toBeInTheDocument();
    expect(within(row).getByText('2025-06-19')).toBeInTheDocument();
    const other = screen.getByRole('link', { name: SODIUM.code }).closest('tr')!;
    expect(within(other).getByText('8,500 万元')).toBeInTheDocument();
  });

  it('writes a changed filter into the URL and asks again, back on page 1', async () => {
    const sent = stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<ProjectsPage />, { path: '/projects?light=red&page=3', route: '/projects', user: OFFICER });
    await screen.findByRole('link', { name: BYD.code });
    await user.type(screen.getByLabelText('区域'), '越城区{Enter}');
    await waitFor(() => expect(currentLocation()).toBe(`/projects?light=red&district=${encodeURIComponent('越城区')}`));
    await waitFor(() => expect(sent.at(-1)!.url.searchParams.get('district')).toBe('越城区'));
    expect(sent.at(-1)!.url.searchParams.get('page')).toBe('1');
    expect(sent.at(-1)!.url.searchParams.get('light')).toBe('red');
  });

  it('names a track published at run time and its stages as its definition does, in the rows and the filters, with no code for it', async () => {
    const PILOT = { ...BYD, code: '2026-330602-77-01-000902', name: '试点企业乙', track: 'pilot_exit', stage: 'exit', stageName: 'Withdrawal', stageNameZh: '退出' };
    const tracks = { items: [...TRACKS.items, version('pilot_exit', '退出试点', 'Pilot withdrawal', [['exit', 'Withdrawal', '退出阶段']], 'published')], total: 3 };
    const sent = stubApi((req) => {
      if (req.url.pathname === '/api/v1/projects') return { body: { items: [PILOT], total: 1, page: 1, pageSize: 20 } };
      if (req.url.pathname === '/api/v1/tracks') return { body: tracks };
      return { status: 404, body: { detail: 'not here' } };
    });
    renderPage(<ProjectsPage />, { path: '/projects?track=pilot_exit&stage=exit', route: '/projects', user: OFFICER });
    const row = (await screen.findByRole('link', { name: PILOT.code })).closest('tr')!;
    expect(await within(row).findByText('退出试点')).toBeInTheDocument();
    const filters = screen.getByRole('region', { name: '筛选' });
    expect(within(filters).getByText('退出试点')).toBeInTheDocument();
    expect(within(filters).getByText('退出阶段')).toBeInTheDocument();
    expect(sent.find((r) => r.url.pathname === '/api/v1/projects')!.url.searchParams.get('track')).toBe('pilot_exit');

    await i18n.changeLanguage('en');
    expect(await within(row).findByText('Pilot withdrawal')).toBeInTheDocument();
  });

  it('sends ?stuck=true to the stuck list with the other filters', async () => {
    stubApi(answer);
    renderPage(<ProjectsPage />, { path: '/projects?stuck=true&department=customs', route: '/projects', user: OFFICER });
    await waitFor(() => expect(currentLocation()).toBe('/stuck?department=customs'));
  });
});
