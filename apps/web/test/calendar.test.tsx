import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fireEvent } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import type { Schemas } from '../src/api/client';
import { parseDates } from '../src/components/calendar/LoadNoticeForm';
import { CalendarPage } from '../src/pages/CalendarPage';
import { renderPage, stubApi, type SentRequest } from './support/pages';

const YEAR_2025: Schemas['CalendarYearDto'] = {
  year: 2025,
  provisional: false,
  origin: 'built_in',
  holidays: ['2025-01-01', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  makeUpWorkdays: ['2025-09-28', '2025-10-11'],
  workingDays: 248,
  workingDaysByMonth: [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23],
  source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
  loadedAt: null,
  loadedBy: null,
};
const YEAR_2027: Schemas['CalendarYearDto'] = {
  ...YEAR_2025, year: 2027, provisional: true, origin: 'provisional', holidays: ['2027-01-01'], makeUpWorkdays: [],
  source: '按国家法定节假日规则推算（2024 年修订）',
};
const DUE = { dueOn: '2025-10-13', dueAt: '2025-10-14T00:00:00+08:00', provisional: false, usedDays: 2, remainingDays: 3, clockStoppedDays: 6, stopped: false };

function answer(req: SentRequest) {
  const p = req.url.pathname;
  if (p === '/api/v1/calendar/2025') return { body: YEAR_2025 };
  if (p === '/api/v1/calendar/2027') return { body: YEAR_2027 };
  if (p === '/api/v1/calendar/deadline') return { body: DUE };
  return { status: 404, body: { detail: `no ${p}` } };
}

const OFFICER = { sub: 'nrp-li', roles: ['officer'], department: 'natural_resources' };

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('CalendarPage', { timeout: 30_000 }, () => {
  it('sends start, limit, unit and each clock stop as S/R, and shows the due day with the explanation', async () => {
    const sent = stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<CalendarPage />, { path: '/calendar?year=2025', route: '/calendar', user: OFFICER });
    fireEvent.change(screen.getByLabelText('受理日'), { target: { value: '2025-09-22' } });
    const limit = screen.getByLabelText('时限');
    await user.clear(limit);
    await user.type(limit, '5');
    await user.click(screen.getByRole('button', { name: '添加停止计时' }));
    fireEvent.change(screen.getByLabelText('第 1 次补正通知日（S）'), { target: { value: '2025-09-24' } });
    fireEvent.change(screen.getByLabelText('第 1 次补正提交日（R，未提交留空）'), { target: { value: '2025-10-09' } });
    await user.click(screen.getByRole('button', { name: '添加停止计时' }));
    fireEvent.change(screen.getByLabelText('第 2 次补正通知日（S）'), { target: { value: '2025-10-10' } });
    await user.click(screen.getByRole('button', { name: '计算截止日' }));

    const result = await screen.findByTestId('deadline-result', undefined, { timeout: 5_000 });
    expect(within(result).getByRole('heading', { name: '截止日：2025-10-13' })).toBeInTheDocument();
    expect(within(result).getByText(/自受理日 2025-09-22 次日起，按工作日计 5 天；补正等停止计时期间扣除 6 天；截止于 2025-10-13 当日 24:00/)).toBeInTheDocument();
    expect(within(result).getByText('3 天')).toBeInTheDocument();
    const req = sent.find((r) => r.url.pathname === '/api/v1/calendar/deadline')!;
    expect(req.url.searchParams.get('start')).toBe('2025-09-22');
    expect(req.url.searchParams.get('limit')).toBe('5');
    expect(req.url.searchParams.get('unit')).toBe('working_days');
    expect(req.url.searchParams.getAll('stop')).toEqual(['2025-09-24/2025-10-09', '2025-10-10/']);
  });

  it('shows a refusal of the calculator with the problem’s detail', async () => {
    stubApi((req) =>
      req.url.pathname === '/api/v1/calendar/deadline'
        ? { status: 400, body: { status: 400, code: 'REQUEST.INVALID', detail: 'stop 2025-10-09/2025-09-24: the resubmission is before the request' } }
        : answer(req),
    );
    const user = userEvent.setup({ delay: null });
    renderPage(<CalendarPage />, { path: '/calendar?year=2025', route: '/calendar', user: OFFICER });
    await user.click(screen.getByRole('button', { name: '计算截止日' }));
    expect(await screen.findByText(/the resubmission is before the request/, undefined, { timeout: 5_000 })).toBeInTheDocument();
  });

  it('marks holidays 休 and make-up working days 班 in the year, with the notice it follows', async () => {
    stubApi(answer);
    renderPage(<CalendarPage />, { path: '/calendar?year=2025', route: '/calendar', user: OFFICER });
    const year = await screen.findByTestId('calendar-year');
    expect(within(year).getByText(/国办发明电〔2024〕12号/)).toBeInTheDocument();
    const oct1 = year.querySelector('td[data-day="2025-10-01"]')!;
    expect(oct1).toHaveTextContent('1休');
    expect(oct1).toHaveAttribute('title', '2025-10-01 法定节假日（放假）');
    expect(year.querySelector('td[data-day="2025-09-28"]')).toHaveTextContent('28班');
    expect(year.querySelector('td[data-day="2025-10-09"]')).toHaveTextContent(/^9$/);
    expect(within(year).getByText('10月（18 个工作日）')).toBeInTheDocument();
    expect(screen.queryByText('该年度国务院通知尚未发布，按推算')).not.toBeInTheDocument();
    expect(screen.queryByText('载入年度放假通知（管理员）')).not.toBeInTheDocument();
  });

  it('flags a provisional year and lets an admin load its notice, showing a refusal’s detail', async () => {
    const sent = stubApi((req) =>
      req.method === 'PUT'
        ? { status: 400, body: { status: 400, code: 'CALENDAR.INVALID', detail: 'makeUpWorkdays 2027-02-03 is a weekday' } }
        : answer(req),
    );
    const user = userEvent.setup({ delay: null });
    renderPage(<CalendarPage />, { path: '/calendar?year=2027', route: '/calendar', user: { sub: 'admin-wang', roles: ['admin'] } });
    expect(await screen.findByText('该年度国务院通知尚未发布，按推算')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '载入 2027 年通知' }));
    await user.type(screen.getByLabelText('通知名称及文号'), '国务院办公厅关于2027年部分节假日安排的通知');
    await user.type(screen.getByLabelText(/调休上班日期/), '2027-02-03');
    await user.click(screen.getByRole('button', { name: '载入通知' }));
    expect(await screen.findByText(/makeUpWorkdays 2027-02-03 is a weekday/)).toBeInTheDocument();
    const put = sent.find((r) => r.method === 'PUT')!;
    expect(put.url.pathname).toBe('/api/v1/calendar/2027');
    expect(put.body).toEqual({ source: '国务院办公厅关于2027年部分节假日安排的通知', holidays: ['2027-01-01'], makeUpWorkdays: ['2027-02-03'] });
  });

  it('switches the year with the buttons, keeping it in the URL', async () => {
    const sent = stubApi(answer);
    const user = userEvent.setup({ delay: null });
    renderPage(<CalendarPage />, { path: '/calendar?year=2026', route: '/calendar', user: OFFICER });
    await user.click(screen.getByRole('button', { name: '上一年' }));
    await waitFor(() => expect(sent.some((r) => r.url.pathname === '/api/v1/calendar/2025')).toBe(true));
    expect(await screen.findByText('10月（18 个工作日）')).toBeInTheDocument();
  });
});

describe('parseDates', () => {
  it('splits on new lines, spaces and commas, dropping repeats', () => {
    expect(parseDates('2027-01-01\n2027-01-02, 2027-01-03，2027-01-01、2027-01-04')).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04']);
    expect(parseDates('  ')).toEqual([]);
  });
});
