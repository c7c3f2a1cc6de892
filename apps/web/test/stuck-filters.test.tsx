import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render as renderBare, screen, waitFor } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, useLocation } from 'react-router-dom';
import i18n from '../src/i18n';
import {
  searchWithStuckFilters,
  StuckFilters,
  stuckFiltersFromSearch,
  useStuckFiltersInUrl,
  type StuckFilterValues,
} from '../src/components/StuckFilters';
import { stubApi } from './support/pages';

/** GET /tracks of the fake API: the shipped tracks and a track published at run time with its own stage. */
const TRACKS = {
  items: [
    {
      key: 'pilot_exit',
      versions: [
        {
          version: 1, name: 'Pilot withdrawal', nameZh: '退出试点', stepCount: 3, stages: ['exit'], stageNames: [{ key: 'exit', name: 'Withdrawal', nameZh: '退出阶段' }],
          latest: true, source: 'published', publishedAt: null, publishedBy: null, sha256: null,
        },
      ],
    },
  ],
  total: 1,
};

/** Renders with a fresh query client (the filter reads the released tracks' stages through it). */
function render(ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderBare(ui, { wrapper: ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider> });
}

/** Picks `option` in the antd select labelled `label`, with the keyboard-reachable combobox. */
async function choose(label: string, option: string) {
  const combo = screen.getByLabelText(label);
  fireEvent.mouseDown(combo);
  const items = await screen.findAllByTitle(option);
  fireEvent.click(items[items.length - 1]!);
}

/** Types a day into the date picker labelled `label` and confirms it with Enter. */
async function typeDay(label: string, day: string) {
  const user = userEvent.setup({ delay: null });
  const input = screen.getByLabelText(label);
  await user.click(input);
  await user.clear(input);
  await user.type(input, `${day}{Enter}`);
}

function Harness() {
  const [values, set] = useStuckFiltersInUrl();
  const location = useLocation();
  return (
    <>
      <StuckFilters value={values} onChange={set} districts={['越城区', '柯桥区']} />
      <output data-testid="search">{location.search}</output>
    </>
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh');
  stubApi((req) => (req.url.pathname === '/api/v1/tracks' ? { body: TRACKS } : { status: 404, body: { detail: 'not here' } }));
});

describe('StuckFilters', { timeout: 20_000 }, () => {
  it('reports each choice with the whole set of filters, named as the API’s query', async () => {
    const onChange = vi.fn<(v: StuckFilterValues) => void>();
    render(<StuckFilters value={{ light: 'red' }} onChange={onChange} districts={['越城区']} />);
    await choose('阶段', '供地');
    expect(onChange).toHaveBeenLastCalledWith({ light: 'red', stage: 'land_supply' });
    await choose('部门', '自然资源和规划局');
    expect(onChange).toHaveBeenLastCalledWith({ light: 'red', department: 'natural_resources' });
    await choose('滞后原因', '超法定时限');
    expect(onChange).toHaveBeenLastCalledWith({ light: 'red', kind: 'statutory_overdue' });
    await choose('区域', '越城区');
    expect(onChange).toHaveBeenLastCalledWith({ light: 'red', district: '越城区' });
    await choose('灯色', '全部');
    expect(onChange).toHaveBeenLastCalledWith({});
  });

  it('keeps the filters in the URL query and goes back to page 1 on a change', async () => {
    render(
      <MemoryRouter initialEntries={['/stuck?light=red&page=3&pageSize=50']}>
        <Harness />
      </MemoryRouter>,
    );
    expect(screen.getByLabelText('灯色').closest('.ant-select')).toHaveTextContent('红灯');
    await choose('阶段', '工程建设许可与施工许可');
    await waitFor(() => expect(screen.getByTestId('search')).toHaveTextContent('?light=red&pageSize=50&stage=permits'));
    await choose('区域', '柯桥区');
    await waitFor(() => expect(new URLSearchParams(screen.getByTestId('search').textContent!).get('district')).toBe('柯桥区'));
    await userEvent.setup({ delay: null }).click(screen.getByRole('button', { name: '清除筛选' }));
    await waitFor(() => expect(screen.getByTestId('search')).toHaveTextContent('?pageSize=50'));
  });

  it('sets the due-date range as dueFrom and dueTo days', async () => {
    render(
      <MemoryRouter initialEntries={['/stuck?kind=overdue']}>
        <Harness />
      </MemoryRouter>,
    );
    await typeDay('到期日自', '2026-11-01');
    await waitFor(() => expect(new URLSearchParams(screen.getByTestId('search').textContent!).get('dueFrom')).toBe('2026-11-01'));
    await typeDay('到期日至', '2026-11-30');
    await waitFor(() => {
      const q = new URLSearchParams(screen.getByTestId('search').textContent!);
      expect(Object.fromEntries(q)).toEqual({ kind: 'overdue', dueFrom: '2026-11-01', dueTo: '2026-11-30' });
    });
  });

  it('offers the stages of a track published at run time, named as its definition names them', async () => {
    const onChange = vi.fn<(v: StuckFilterValues) => void>();
    render(<StuckFilters value={{}} onChange={onChange} />);
    await choose('阶段', '退出阶段');
    expect(onChange).toHaveBeenLastCalledWith({ stage: 'exit' });
    expect(stuckFiltersFromSearch(new URLSearchParams('stage=exit'))).toEqual({ stage: 'exit' });
  });

  it('reads only values the API accepts from a link', () => {
    const q = new URLSearchParams('stage=permits&light=purple&kind=idle&dueFrom=2026-02-30x&dueTo=2026-11-30&district=%20&page=2&pageSize=50');
    expect(stuckFiltersFromSearch(q)).toEqual({ stage: 'permits', kind: 'idle', dueTo: '2026-11-30' });
    expect(searchWithStuckFilters(q, { department: 'customs' }).toString()).toBe('pageSize=50&department=customs');
  });
});
