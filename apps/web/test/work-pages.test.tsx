import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import axe from 'axe-core';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../src/i18n';
import { SessionProvider } from '../src/auth/session';
import { allowedStepActions } from '../src/components/StepActions';
import { StuckPage } from '../src/pages/StuckPage';
import { TasksPage } from '../src/pages/TasksPage';

const CODE = '2022-330602-39-03-000101';

interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/** A fake API: `answer` says what each request gets; every request is recorded. */
function stubApi(answer: (r: Sent) => { status?: number; body: unknown }): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const text = await req.text();
      const r: Sent = { method: req.method, url: new URL(req.url), headers: req.headers, body: text ? JSON.parse(text) : null };
      sent.push(r);
      const a = answer(r);
      const status = a.status ?? 200;
      return new Response(JSON.stringify(a.body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
    }),
  );
  return sent;
}

function signInAs(claims: { sub: string; roles: string[]; department: string }) {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  sessionStorage.setItem('approvals.token', `${b64({ alg: 'none' })}.${b64({ ...claims, name: claims.sub, exp: Math.floor(Date.now() / 1000) + 3600 })}.x`);
}

function renderPage(page: ReactElement, url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <AntApp>
      <QueryClientProvider client={client}>
        <SessionProvider>
          <MemoryRouter initialEntries={[url]}>{page}</MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>
    </AntApp>,
  );
}

/** Serious or critical axe violations (colour contrast cannot be computed in jsdom). */
async function seriousViolations(el: Element): Promise<string[]> {
  const result = await axe.run(el, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

const STEP = {
  key: 'planning_permit',
  name: 'Construction land planning permit',
  nameZh: '建设用地规划许可证',
  stage: 'permits',
  department: 'natural_resources',
  state: 'in_review',
  light: 'red',
  dueOn: '2026-11-20',
  provisional: false,
  ledger: { asOf: '2026-11-24', usedDays: 22, usedWorkingDays: 17, remainingWorkingDays: 0, clockStoppedDays: 0, overdueWorkingDays: 2 },
  availableActions: ['return', 'approve', 'waive', 'reject', 'reassign', 'extend'],
  extensionCap: { value: 10, source: '行政许可法 Art. 42' },
  jointGroup: null,
};

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('allowedStepActions', () => {
  it('gives officers their own department’s step actions except reassign and extend, heads all of them, others none', () => {
    expect(allowedStepActions({ roles: ['officer'], department: 'natural_resources' }, STEP)).toEqual(['return', 'approve', 'waive', 'reject']);
    expect(allowedStepActions({ roles: ['department_head'], department: 'natural_resources' }, STEP)).toEqual(STEP.availableActions);
    expect(allowedStepActions({ roles: ['officer'], department: 'ecology_environment' }, STEP)).toEqual([]);
    expect(allowedStepActions({ roles: ['supervisor'], department: 'natural_resources' }, STEP)).toEqual([]);
  });
});

describe('TasksPage', { timeout: 60_000 }, () => {
  it('lists the queue with overdue working days and whose move it is, and an approval updates the row at once', async () => {
    signInAs({ sub: 'nrp-li', roles: ['officer'], department: 'natural_resources' });
    const task = { projectCode: CODE, projectName: '越城智能装备产业园', projectStage: 'permits', projectStatus: 'active', waitingOn: 'department', step: STEP };
    const sent = stubApi((r) => {
      if (r.url.pathname === '/api/v1/tasks') return { body: { items: [task], total: 1, page: 1, pageSize: 20 } };
      if (r.method === 'POST') {
        return {
          body: {
            project: { code: CODE, light: 'green', underSupervision: false, supervision: null, steps: [] },
            step: { ...STEP, state: 'approved', light: null, availableActions: ['deliver'] },
            entries: [],
          },
        };
      }
      return { status: 404, body: { detail: 'not here' } };
    });
    const { container } = renderPage(<TasksPage />, '/tasks');
    const row = (await screen.findByRole('link', { name: CODE })).closest('tr')!;
    expect(row).toHaveTextContent('建设用地规划许可证');
    expect(screen.getByRole('table')).toHaveAccessibleName('待办事项列表');
    expect(row).toHaveTextContent('超期 2 个工作日');
    expect(row).toHaveTextContent('本部门审查');
    expect(new URL(sent[0]!.url).searchParams.get('department')).toBe('natural_resources');
    expect(within(row).queryByRole('button', { name: /延期/ })).toBeNull();
    expect(await seriousViolations(container)).toEqual([]);

    const user = userEvent.setup({ delay: null });
    await user.click(within(row).getByRole('button', { name: '办结 建设用地规划许可证' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /确认办结/ }));
    await waitFor(() => expect(row).toHaveTextContent('已办结'));
    const post = sent.find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe(`/api/v1/projects/${CODE}/steps/planning_permit/actions`);
    expect(post.headers.get('Idempotency-Key')).toBeTruthy();
    expect(post.body).toEqual({ action: 'approve' });
  });
});

/** The track list as GET /tracks answers it, reduced to what the stuck list names steps with. */
const STEP_NAMED_TRACKS = {
  items: [
    {
      key: 'standard',
      versions: [
        {
          version: 3, name: 'Standard industrial project', nameZh: '一般工业项目', stepCount: 1, stages: ['permits'],
          stageNames: [{ key: 'permits', name: 'Planning and construction permits', nameZh: '工程建设许可与施工许可' }],
          stepNames: [{ key: 'planning_permit', name: 'Construction land planning permit', nameZh: '建设用地规划许可' }],
          latest: true, source: 'shipped', publishedAt: null, publishedBy: null, sha256: null,
        },
      ],
    },
  ],
  total: 1,
};

describe('StuckPage', { timeout: 60_000 }, () => {
  it('sends the URL’s filters to the API, shows the reasons, and an escalation marks the row under supervision at once', async () => {
    signInAs({ sub: 'sup-zhou', roles: ['supervisor'], department: 'project_office' });
    const item = {
      code: CODE,
      name: '越城智能装备产业园',
      track: 'standard',
      district: '越城区',
      stage: 'permits',
      status: 'active',
      light: 'red',
      lastProgressAt: '2026-10-30T10:00:00+08:00',
      forecastFinishOn: null,
      slackWorkingDays: -3,
      underSupervision: false,
      supervision: null,
      statutoryOverdueSteps: [],
      reasons: [{ kind: 'overdue', step: 'planning_permit', department: 'natural_resources', workingDays: 2, detail: 'Construction land planning permit: due 2026-11-20, 2 working days over' }],
    };
    const supervision = { step: 'planning_permit', department: 'natural_resources', since: '2026-11-24T09:30:00+08:00', by: 'sup-zhou', comment: '三日内办结' };
    const sent = stubApi((r) => {
      if (r.url.pathname === '/api/v1/supervision/stuck') return { body: { items: [item], total: 1, page: 1, pageSize: 20, asOf: '2026-11-24', idleWorkingDays: 10 } };
      if (r.url.pathname === '/api/v1/supervision/summary') return { body: { byDistrict: [{ district: '越城区', projects: 3, green: 1, yellow: 1, red: 1, stuck: 1 }] } };
      if (r.url.pathname === '/api/v1/tracks') return { body: STEP_NAMED_TRACKS };
      if (r.method === 'POST') return { body: { project: { code: CODE, light: 'red', underSupervision: true, supervision, steps: [] }, entries: [] } };
      return { status: 404, body: { detail: 'not here' } };
    });
    const { container } = renderPage(<StuckPage />, '/stuck?light=red&kind=overdue&dueTo=2026-11-30');
    const row = (await screen.findByRole('link', { name: CODE })).closest('tr')!;
    const asked = sent.find((r) => r.url.pathname === '/api/v1/supervision/stuck')!.url.searchParams;
    expect(Object.fromEntries(asked)).toEqual({ light: 'red', kind: 'overdue', dueTo: '2026-11-30', page: '1', pageSize: '20' });
    expect(row).toHaveTextContent('超承诺时限');
    expect(row).toHaveTextContent('自然资源和规划局 · 超期 2 个工作日');
    // What is late, in Chinese, with the step's Chinese name (the API's detail line is English).
    expect(await within(row).findByText('建设用地规划许可：已超承诺时限')).toBeInTheDocument();
    expect(row).not.toHaveTextContent('working days over');
    expect(row).toHaveTextContent('未督办');
    expect(await seriousViolations(container)).toEqual([]);

    const user = userEvent.setup({ delay: null });
    await user.click(within(row).getByRole('button', { name: `督办项目 ${CODE}` }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /确认督办/ }));
    expect(await within(dialog).findByText('督办须填写意见')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('督办意见（部门须办理的事项）'), '三日内办结');
    await user.click(within(dialog).getByRole('button', { name: /确认督办/ }));
    await waitFor(() => expect(row).toHaveTextContent('督办中'));
    expect(row).toHaveTextContent('sup-zhou 于 2026-11-24 09:30 督办');
    const post = sent.find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe(`/api/v1/projects/${CODE}/actions`);
    expect(post.body).toEqual({ action: 'escalate', comment: '三日内办结' });
    expect(post.headers.get('Idempotency-Key')).toBeTruthy();
  });
});
