import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import type { Schemas } from '../src/api/client';
import type { EChartProps } from '../src/components/EChart';
import { departmentBars, lightStageBars } from '../src/components/overview/charts';
import { departmentLink, districtLink, dueSoonLink, lightStageLink, linkOfClick, statutoryOverdueLink } from '../src/components/overview/links';
import { OverviewPage } from '../src/pages/OverviewPage';
import { currentLocation, renderPage, stubApi, type SentRequest } from './support/pages';

// The canvas cannot be drawn in jsdom: the chart is replaced by one button per bar segment, and a click on it hands
// the page what ECharts would report (the series and the data item with its link).
vi.mock('../src/components/EChart', () => ({
  EChart: ({ ariaLabel, option, onClick }: EChartProps) => {
    const series = (option as { series: Array<{ name: string; data: Array<{ value: number; link: string }> }> }).series;
    return (
      <div role="img" aria-label={ariaLabel}>
        {series.flatMap((s) =>
          s.data.map((d, i) => (
            <button key={`${s.name}-${i}`} type="button" onClick={() => onClick?.({ seriesName: s.name, dataIndex: i, data: d, value: d.value })}>
              {`${ariaLabel}|${s.name}|${i}|${d.value}`}
            </button>
          )),
        )}
      </div>
    );
  },
}));

const SUMMARY: Schemas['SupervisionSummaryDto'] = {
  projects: 7,
  byLightStage: [
    { stage: 'land_supply', light: 'green', projects: 2 },
    { stage: 'permits', light: 'yellow', projects: 1 },
    { stage: 'permits', light: 'red', projects: 3 },
  ],
  byDepartment: [
    { department: 'natural_resources', openSteps: 5, projects: 4, green: 2, yellow: 1, red: 1, noClock: 1 },
    { department: 'ecology_environment', openSteps: 2, projects: 2, green: 0, yellow: 0, red: 2, noClock: 0 },
  ],
  byDistrict: [{ district: '越城区', projects: 7, green: 2, yellow: 1, red: 4, stuck: 3 }],
  stuck: { total: 4, statutoryOverdue: 1, overdue: 3, idle: 1, atRisk: 1 },
  statutoryOverdue: { projects: 1, steps: 2, byDepartment: [{ department: 'ecology_environment', steps: 2, projects: 1 }] },
  governmentTime: {
    projects: 5,
    workingDaysTotal: 210,
    workingDaysAverage: 42,
    byPromise: [{ key: 'pre_groundbreaking', name: 'Pre-groundbreaking approvals within 100 days', nameZh: '开工前审批最多100天', projects: 5, exceeded: 1 }],
  },
  asOf: '2025-06-16',
  idleWorkingDays: 10,
};

const PROJECT = {
  code: '2022-330602-39-03-000101', name: '比亚迪半导体功率器件项目', light: 'red', nextDeadline: '2025-06-20T00:00:00+08:00',
};

function answer(req: SentRequest) {
  const p = req.url.pathname;
  if (p === '/api/v1/supervision/summary') return { body: SUMMARY };
  if (p === '/api/v1/calendar/deadline') {
    return { body: { dueOn: '2025-06-30', dueAt: '2025-07-01T00:00:00+08:00', provisional: false, usedDays: 0, remainingDays: 10, clockStoppedDays: 0, stopped: false } };
  }
  if (p === '/api/v1/projects') return { body: { items: [PROJECT], total: 1, page: 1, pageSize: 50 } };
  return { status: 404, body: { detail: `no ${p}` } };
}

const SUPERVISOR = { sub: 'sup-zhou', roles: ['supervisor'], department: 'project_office' };

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('overview click-through mapping', () => {
  it('links each figure to the list filtered by what it counts', () => {
    expect(lightStageLink('permits', 'red')).toBe('/projects?stage=permits&light=red');
    expect(departmentLink('natural_resources')).toBe('/projects?department=natural_resources');
    expect(departmentLink('natural_resources', 'yellow')).toBe('/projects?department=natural_resources&light=yellow');
    expect(districtLink('越城区', 'stuck')).toBe(`/stuck?district=${encodeURIComponent('越城区')}`);
    expect(statutoryOverdueLink('ecology_environment')).toBe('/stuck?kind=statutory_overdue&department=ecology_environment');
    expect(dueSoonLink('2025-06-16', '2025-06-30')).toBe('/projects?dueFrom=2025-06-16&dueTo=2025-06-30');
  });

  it('puts the link on every data item, so a chart click knows where to go', () => {
    const bars = lightStageBars(SUMMARY.byLightStage, (s) => s, (l) => l);
    expect(bars.categories.map((c) => c.key)).toEqual(['land_supply', 'permits']);
    const red = bars.series.find((s) => s.key === 'red')!;
    expect(red.data).toEqual([
      { value: 0, link: '/projects?stage=land_supply&light=red' },
      { value: 3, link: '/projects?stage=permits&light=red' },
    ]);
    expect(linkOfClick({ data: red.data[1] })).toBe('/projects?stage=permits&light=red');
    expect(linkOfClick({ data: 3 })).toBeNull();
    const dept = departmentBars(SUMMARY.byDepartment, (d) => d, (l) => l, 'no clock');
    expect(dept.series.find((s) => s.key === 'noClock')!.data[0]).toEqual({ value: 1, link: '/projects?department=natural_resources' });
  });
});

describe('OverviewPage', { timeout: 30_000 }, () => {
  it('navigates to the filtered project list when a light × stage segment is clicked', async () => {
    stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<OverviewPage />, { path: '/overview', route: '/overview', user: SUPERVISOR });
    await user.click(await screen.findByRole('button', { name: '在办项目按阶段和灯色|红灯|1|3' }));
    expect(currentLocation()).toBe('/projects?stage=permits&light=red');
  });

  it("navigates to a department's statutory overruns on the stuck list from the statutory chart", async () => {
    stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<OverviewPage />, { path: '/overview', route: '/overview', user: SUPERVISOR });
    await user.click(await screen.findByRole('button', { name: '超法定时限事项按部门|事项数|0|2' }));
    expect(currentLocation()).toBe('/stuck?kind=statutory_overdue&department=ecology_environment');
  });

  it('links the headline figures (stuck, statutory overruns) to the stuck list of that kind', async () => {
    stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<OverviewPage />, { path: '/overview', route: '/overview', user: SUPERVISOR });
    await user.click(await screen.findByRole('link', { name: /^超法定时限事项: 2/ }));
    expect(currentLocation()).toBe('/stuck?kind=statutory_overdue');
  });

  it('counts the deadlines of the next 10 working days from the calendar and lists them, linking to the list', async () => {
    const sent = stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<OverviewPage />, { path: '/overview', route: '/overview', user: SUPERVISOR });
    expect(await screen.findByRole('link', { name: PROJECT.code })).toHaveAttribute('href', `/projects/${PROJECT.code}`);
    const horizon = sent.find((r) => r.url.pathname === '/api/v1/calendar/deadline')!;
    expect(horizon.url.searchParams.get('limit')).toBe('10');
    expect(horizon.url.searchParams.get('unit')).toBe('working_days');
    const today = horizon.url.searchParams.get('start')!;
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const list = sent.find((r) => r.url.pathname === '/api/v1/projects')!;
    expect(list.url.searchParams.get('dueFrom')).toBe(today);
    expect(list.url.searchParams.get('dueTo')).toBe('2025-06-30');
    expect(list.url.searchParams.get('view')).toBe('basic'); // the card needs no steps
    expect(screen.getByText('2025-06-19')).toBeInTheDocument(); // the deadline 2025-06-20T00:00+08:00 closes the 19th
    await user.click(screen.getByRole('link', { name: '查看全部 1 个项目' }));
    await waitFor(() => expect(currentLocation()).toBe(`/projects?dueFrom=${today}&dueTo=2025-06-30`));
  });

  it('shows the problem’s detail when the summary is refused', async () => {
    stubApi((req) =>
      req.url.pathname === '/api/v1/supervision/summary'
        ? { status: 403, body: { status: 403, code: 'AUTH.FORBIDDEN', detail: 'the supervision lists are for supervisors' } }
        : answer(req),
    );
    renderPage(<OverviewPage />, { path: '/overview', route: '/overview', user: { sub: 'nrp-li', roles: ['officer'], department: 'natural_resources' } });
    expect(await screen.findByText(/the supervision lists are for supervisors/)).toBeInTheDocument();
  });
});
