import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../src/i18n';
import i18n from '../src/i18n';
import { ActionDialog, shanghaiInstant, type DialogAction } from '../src/components/ActionDialog';
import axe from 'axe-core';
import dayjs from 'dayjs';

const CODE = '2022-330602-39-03-000101';
const STEP = { key: 'planning_permit', name: 'Construction land planning permit', nameZh: '建设用地规划许可证', department: 'natural_resources' };

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
}

let sent: Sent[] = [];

function stubFetch(...answers: Array<{ status: number; body: unknown }>) {
  sent = [];
  let i = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const req = input instanceof Request ? input : new Request(input);
      sent.push({ url: req.url, method: req.method, headers: req.headers, body: JSON.parse((await req.text()) || 'null') as Record<string, unknown> });
      const a = answers[Math.min(i++, answers.length - 1)]!;
      const type = a.status >= 400 ? 'application/problem+json' : 'application/json';
      return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': type } });
    }),
  );
}

const RESULT = {
  project: { code: CODE, light: 'green', underSupervision: false, supervision: null, steps: [] },
  step: { ...STEP, state: 'approved', availableActions: [] },
  entries: [],
};

function renderDialog(action: DialogAction, props: { onClose?: () => void; onDone?: () => void } = {}) {
  const client = new QueryClient();
  const onClose = props.onClose ?? vi.fn();
  const onDone = props.onDone ?? vi.fn();
  render(
    <AntApp>
      <QueryClientProvider client={client}>
        <ActionDialog open projectCode={CODE} step={STEP} action={action} onClose={onClose} onDone={onDone} />
      </QueryClientProvider>
    </AntApp>,
  );
  return { onClose, onDone, client };
}

beforeEach(async () => {
  await i18n.changeLanguage('zh');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ActionDialog', { timeout: 20_000 }, () => {
  it('requires the comment for a return and says so, sending nothing', async () => {
    stubFetch({ status: 200, body: RESULT });
    const user = userEvent.setup({ delay: null });
    renderDialog('return');
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /确认退回补正/ }));
    expect(await within(dialog).findByText('退回补正须填写意见')).toBeInTheDocument();
    expect(sent).toHaveLength(0);
  });

  it('shows a 409 refusal’s detail inside the dialog and keeps it open', async () => {
    stubFetch({
      status: 409,
      body: { type: 'about:blank', title: 'Conflict', status: 409, code: 'STEP.INVALID_STATE', detail: "cannot approve step 'planning_permit': it is waiting for a supplement" },
    });
    const user = userEvent.setup({ delay: null });
    const { onClose, onDone } = renderDialog('approve');
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /确认办结/ }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent("cannot approve step 'planning_permit': it is waiting for a supplement");
    expect(onClose).not.toHaveBeenCalled();
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('sends the action with an Idempotency-Key and calls onDone on success', async () => {
    stubFetch({ status: 200, body: RESULT });
    const user = userEvent.setup({ delay: null });
    const { onClose, onDone } = renderDialog('return');
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('补正材料清单（一次性告知）'), '缺少用地红线图');
    await user.click(within(dialog).getByRole('button', { name: /确认退回补正/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(RESULT));
    expect(onClose).toHaveBeenCalled();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('POST');
    expect(new URL(sent[0]!.url).pathname).toBe(`/api/v1/projects/${CODE}/steps/planning_permit/actions`);
    expect(sent[0]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[0]!.body).toEqual({ action: 'return', comment: '缺少用地红线图' });
  });

  it('retries after a refusal with a new Idempotency-Key (the API keeps a refusal as its key’s answer)', async () => {
    stubFetch({ status: 422, body: { status: 422, code: 'RULE.REFUSED', detail: 'the extension cap is 10 working days (行政许可法 Art. 42)' } }, { status: 200, body: RESULT });
    const user = userEvent.setup({ delay: null });
    const { onDone } = renderDialog('extend');
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('延长工作日数'), '15');
    await user.type(within(dialog).getByLabelText('延期理由（告知申请人）'), '需专家论证');
    await user.click(within(dialog).getByRole('button', { name: /确认延期/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('the extension cap is 10 working days');
    expect(sent[0]!.body).toEqual({ action: 'extend', comment: '需专家论证', extensionWorkingDays: 15 });
    const days = within(dialog).getByLabelText('延长工作日数');
    await user.clear(days);
    await user.type(days, '10');
    await user.click(within(dialog).getByRole('button', { name: /确认延期/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toHaveLength(2);
    expect(sent[1]!.headers.get('Idempotency-Key')).not.toBe(sent[0]!.headers.get('Idempotency-Key'));
  });

  it('puts the focus in the dialog and closes on Escape', async () => {
    stubFetch({ status: 200, body: RESULT });
    const user = userEvent.setup({ delay: null });
    const { onClose } = renderDialog('return');
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });

  it('labels every field of the longer forms (axe finds nothing serious)', async () => {
    stubFetch({ status: 200, body: RESULT });
    for (const action of ['exclude', 'extend', 'renew', 'reassign', 'waive'] as const) {
      const { unmount } = render(
        <AntApp>
          <QueryClientProvider client={new QueryClient()}>
            <ActionDialog open projectCode={CODE} step={{ ...STEP, jointGroup: 'joint_acceptance', extensionCap: { value: 15, source: 'Art. 42 ¶2' } }} action={action} onClose={() => {}} />
          </QueryClientProvider>
        </AntApp>,
      );
      const dialog = await screen.findByRole('dialog');
      const result = await axe.run(dialog, { rules: { 'color-contrast': { enabled: false } } });
      expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${action} ${v.id}`)).toEqual([]);
      unmount();
    }
  });

  it('sends the exclusion kind and notice day for exclude', async () => {
    stubFetch({ status: 200, body: RESULT });
    const user = userEvent.setup({ delay: null });
    const { onDone } = renderDialog('exclude');
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('不计入期限的程序'), 'expert_review');
    await user.type(within(dialog).getByLabelText('书面告知申请人日期'), '2022-05-10{Enter}');
    await user.type(within(dialog).getByLabelText('特别程序说明'), '组织专家评审');
    await user.click(within(dialog).getByRole('button', { name: /确认扣除时限/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent[0]!.body).toEqual({ action: 'exclude', comment: '组织专家评审', exclusionKind: 'expert_review', noticeOn: '2022-05-10' });
  });

  it('sends a paper record’s time as an Asia/Shanghai instant with +08:00', () => {
    expect(shanghaiInstant(dayjs('2022-04-20T10:00:00'))).toBe('2022-04-20T10:00:00+08:00');
  });
});
