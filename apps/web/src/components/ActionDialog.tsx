import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyActionResult } from '../api/apply-action-result';
import { api, ApiError, unwrap, type Problem, type Schemas } from '../api/client';
import { ZONE } from '../format';

/** A step action the API takes (`StepActionDto.action`). */
export type StepActionKind = Schemas['StepActionDto']['action'];
/** Every action the dialog can send: a step action, or escalate (督办) on the project. */
export type DialogAction = StepActionKind | 'escalate';

/** What the dialog needs to know of the step acted on (a subset of the API's `StepDto`). */
export type DialogStep = Pick<Schemas['StepDto'], 'key' | 'name' | 'nameZh'> &
  Partial<Pick<Schemas['StepDto'], 'department' | 'extensionCap' | 'jointGroup'>>;

/**
 * Actions whose comment the API requires (apps/api/src/projects/dto/step-action.dto.ts NEEDS_COMMENT: the applicant
 * is owed the reason in writing; project-action.dto.ts for escalate: the 督办意见).
 */
export const COMMENT_REQUIRED: readonly DialogAction[] = ['return', 'waive', 'reject', 'extend', 'exclude', 'renew', 'escalate'];

/** Kinds of excluded period (行政许可法 Art. 45, and the district's default local kind 公示); others may be typed. */
export const EXCLUSION_KINDS = ['hearing', 'bidding', 'auction', 'inspection', 'testing', 'quarantine', 'appraisal', 'expert_review', 'public_notice'] as const;

/** The step whose approval is the land contract: its preparation and build periods start the expiry clocks. */
const LAND_CONTRACT_STEP = 'land_contract';

interface FormValues {
  comment?: string;
  escalateStep?: string;
  assignee?: string;
  occurredAt?: Dayjs | null;
  waiverDueOn?: Dayjs | null;
  extensionWorkingDays?: number | null;
  approvalRef?: string;
  noticeOn?: Dayjs | null;
  exclusionKind?: string;
  expiry?: string;
  renewalMonths?: number | null;
  preparationMonths?: number | null;
  buildMonths?: number | null;
}

/** Props of {@link ActionDialog}. */
export interface ActionDialogProps {
  /** Whether the dialog shows; each opening gets a fresh Idempotency-Key. */
  open: boolean;
  /** The project's code, e.g. `2022-330602-39-03-000101`. */
  projectCode: string;
  /** The step acted on; for escalate, the step escalated (optional: the API then picks the most overdue open one). */
  step?: DialogStep | null;
  action: DialogAction;
  /** Validities the step may renew (from the project's `expiries`); without it the API renews the only running one. */
  expiries?: ReadonlyArray<{ key: string; name: string; nameZh: string }>;
  /** For escalate: the open steps the supervisor may name (e.g. the stuck list's overdue steps); none: the API picks. */
  escalateSteps?: ReadonlyArray<{ key: string; label: string }>;
  /** Called when the dialog is dismissed (Escape, the close button, Cancel). */
  onClose: () => void;
  /** Called with the API's answer after a success; the dialog has closed and the caches are updated by then. */
  onDone?: (result: Schemas['ActionResultDto']) => void;
}

/** A wall-clock time picked in the form, read as Asia/Shanghai, as an ISO 8601 instant with +08:00. */
export function shanghaiInstant(value: Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), ZONE).format();
}

function newKey(): string {
  return globalThis.crypto.randomUUID();
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The request body for the values the person entered (only the fields the action takes). */
function bodyOf(action: DialogAction, v: FormValues, step: DialogStep | null | undefined) {
  const comment = v.comment?.trim() ? v.comment.trim() : undefined;
  if (action === 'escalate') {
    const key = v.escalateStep || step?.key;
    return { action, comment, ...(key ? { step: key } : {}) } satisfies Schemas['ProjectActionDto'];
  }
  const body: Schemas['StepActionDto'] = { action, ...(comment ? { comment } : {}) };
  if (v.occurredAt) body.occurredAt = shanghaiInstant(v.occurredAt);
  if (action === 'reassign' && v.assignee) body.assignee = v.assignee.trim();
  if (action === 'waive' && v.waiverDueOn) body.waiverDueOn = v.waiverDueOn.format('YYYY-MM-DD');
  if (action === 'extend') {
    if (present(v.extensionWorkingDays)) body.extensionWorkingDays = v.extensionWorkingDays!;
    if (v.approvalRef?.trim()) body.approvalRef = v.approvalRef.trim();
  }
  if ((action === 'extend' || action === 'exclude') && v.noticeOn) body.noticeOn = v.noticeOn.format('YYYY-MM-DD');
  if (action === 'exclude' && v.exclusionKind) body.exclusionKind = v.exclusionKind.trim();
  if (action === 'renew') {
    if (v.expiry) body.expiry = v.expiry;
    if (present(v.renewalMonths)) body.renewalMonths = v.renewalMonths!;
  }
  if (action === 'approve' && step?.key === LAND_CONTRACT_STEP && (present(v.preparationMonths) || present(v.buildMonths))) {
    body.contractTerms = {
      ...(present(v.preparationMonths) ? { preparationMonths: v.preparationMonths! } : {}),
      ...(present(v.buildMonths) ? { buildMonths: v.buildMonths! } : {}),
    };
  }
  return body;
}

/**
 * Enter in a date field confirms the typed day in the picker; it must not also submit the form, or the action
 * would be sent before the typed day is taken (a record made on paper dated today instead of the day typed).
 */
function keepEnterInPicker(e: { key: string; preventDefault(): void }): void {
  if (e.key === 'Enter') e.preventDefault();
}

/**
 * A modal form for one action on a step (收件, 受理, 退回补正, 办结, 容缺, 延期, 扣除时限 …) or for escalating
 * (督办) a project, with the fields the API's `StepActionDto` / `ProjectActionDto` take for that action: a comment
 * (required where the API requires one, {@link COMMENT_REQUIRED}), extension working days, the exclusion kind and the
 * notice date, the waiver's due date, the reassign target, renewal months, the land contract's periods, and for
 * records made on paper the time it really happened (`occurredAt`, picked as Asia/Shanghai wall-clock time and sent
 * with +08:00).
 *
 * Sends `POST /api/v1/projects/{code}/steps/{step}/actions` (or `/projects/{code}/actions` for escalate) with an
 * `Idempotency-Key` made once per opening, so a double click or a retry after a lost answer has one effect; after a
 * refusal the key is renewed, since the API keeps a refusal as the answer to its key. A refusal (403/404/409/422,
 * problem+json) shows the problem's `detail` in the dialog (role="alert") and keeps it open; a success updates the
 * cached views of the project at once ({@link applyActionResult}), shows a message, closes and calls `onDone`.
 * Keyboard: focus starts in the form's first field, Tab moves through it to the buttons, Escape closes.
 */
export function ActionDialog({ open, projectCode, step, action, expiries, escalateSteps, onClose, onDone }: ActionDialogProps) {
  const { t, i18n } = useTranslation('tasks');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const idempotencyKey = useRef<string>('');
  const firstField = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!open) return;
    idempotencyKey.current = newKey();
    setProblem(null);
    form.resetFields();
    const timer = setTimeout(() => firstField.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [open, form]);

  const needsComment = COMMENT_REQUIRED.includes(action);
  const actionLabel = tc(`actions.${action}`);
  const stepName = step ? (i18n.language === 'en' ? step.name : step.nameZh) : null;
  const title = stepName ? t('dialog.title', { action: actionLabel, step: stepName }) : t('dialog.titleProject', { action: actionLabel, code: projectCode });

  async function submit(values: FormValues) {
    if (submitting) return;
    setSubmitting(true);
    setProblem(null);
    const body = bodyOf(action, values, step);
    const headers = { 'Idempotency-Key': idempotencyKey.current };
    try {
      const result =
        action === 'escalate'
          ? await unwrap(api.POST('/api/v1/projects/{code}/actions', { params: { path: { code: projectCode }, header: headers }, body: body as Schemas['ProjectActionDto'] }))
          : await unwrap(
              api.POST('/api/v1/projects/{code}/steps/{step}/actions', {
                params: { path: { code: projectCode, step: step!.key }, header: headers },
                body: body as Schemas['StepActionDto'],
              }),
            );
      applyActionResult(queryClient, projectCode, result);
      void message.success(t('dialog.done', { action: actionLabel, step: stepName ?? projectCode }));
      onClose();
      onDone?.(result);
    } catch (err) {
      if (err instanceof ApiError) {
        setProblem(err.problem.detail || err.problem.title ? err.problem : { ...err.problem, detail: t('dialog.failedStatus', { status: err.status }) });
        // The API keeps a refusal as the answer to its key: the corrected request needs a new one.
        if (err.status < 500 && err.problem.code !== 'IDEMPOTENCY.IN_PROGRESS') idempotencyKey.current = newKey();
      } else {
        setProblem({ detail: t("dialog.network") });
      }
    } finally {
      setSubmitting(false);
    }
  }

  const focusRef = (el: { focus: () => void } | null) => {
    if (el && !firstField.current) firstField.current = el as HTMLElement;
  };
  // The first field of this action's form takes the focus when the dialog opens.
  firstField.current = null;
  const isStep = action !== 'escalate';
  // Today in Asia/Shanghai as a wall-clock day of the picker (which works in the browser's zone).
  const today = dayjs(dayjs().tz(ZONE).format('YYYY-MM-DD'));

  return (
    <Modal
      open={open}
      title={title}
      okText={t('dialog.submit', { action: actionLabel })}
      cancelText={t('dialog.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      keyboard
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="action-dialog"
    >
      {step && action === 'escalate' ? (
        <Typography.Paragraph type="secondary">{t('dialog.escalateStep', { step: stepName })}</Typography.Paragraph>
      ) : null}
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} requiredMark disabled={submitting} name={`action-${action}`}>
        {action === 'escalate' && !step && escalateSteps && escalateSteps.length > 0 ? (
          <Form.Item name="escalateStep" label={t('dialog.escalateStepChoice')} htmlFor="action-escalate-step">
            <Select
              id="action-escalate-step"
              allowClear
              placeholder={t('dialog.escalateStepAuto')}
              options={escalateSteps.map((s) => ({ value: s.key, label: s.label }))}
              virtual={false}
            />
          </Form.Item>
        ) : null}
        {action === 'reassign' ? (
          <Form.Item name="assignee" label={t('dialog.assignee')} extra={t('dialog.assigneeHint')} rules={[{ required: true, whitespace: true, message: t('dialog.assigneeRequired') }, { pattern: /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, message: t('dialog.assigneeInvalid') }]}>
            <Input ref={focusRef} autoComplete="off" />
          </Form.Item>
        ) : null}
        {action === 'extend' ? (
          <>
            <Form.Item
              name="extensionWorkingDays"
              label={t('dialog.extensionWorkingDays')}
              extra={step?.extensionCap ? t('dialog.extensionCap', { cap: step.extensionCap.value, source: step.extensionCap.source }) : undefined}
              rules={[{ required: true, message: t('dialog.extensionRequired') }, { type: 'integer', min: 1, max: 60, message: t('dialog.extensionRange') }]}
            >
              <InputNumber ref={focusRef} min={1} max={60} precision={0} style={{ width: 160 }} />
            </Form.Item>
            {step?.jointGroup ? (
              <Form.Item name="approvalRef" label={t('dialog.approvalRef')} extra={t('dialog.approvalRefHint')} rules={[{ max: 200 }]}>
                <Input autoComplete="off" />
              </Form.Item>
            ) : null}
          </>
        ) : null}
        {action === 'exclude' ? (
          <Form.Item name="exclusionKind" label={t('dialog.exclusionKind')} extra={t('dialog.exclusionKindHint')} rules={[{ required: true, whitespace: true, message: t('dialog.exclusionKindRequired') }, { pattern: /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, message: t('dialog.exclusionKindInvalid') }]}>
            <AutoComplete
              ref={focusRef}
              options={EXCLUSION_KINDS.map((k) => ({ value: k, label: `${t(`exclusionKinds.${k}`)} (${k})` }))}
              filterOption={(input, option) => String(option?.label ?? '').toLowerCase().includes(input.toLowerCase())}
            />
          </Form.Item>
        ) : null}
        {action === 'extend' || action === 'exclude' ? (
          <Form.Item name="noticeOn" label={t('dialog.noticeOn')} extra={t('dialog.noticeOnHint')}>
            <DatePicker onKeyDown={keepEnterInPicker} disabledDate={(d) => d.isAfter(today, 'day')} />
          </Form.Item>
        ) : null}
        {action === 'renew' ? (
          <>
            {expiries && expiries.length > 0 ? (
              <Form.Item name="expiry" label={t('dialog.expiry')} extra={t('dialog.expiryHint')}>
                <Select allowClear options={expiries.map((e) => ({ value: e.key, label: i18n.language === 'en' ? e.name : e.nameZh }))} />
              </Form.Item>
            ) : null}
            <Form.Item name="renewalMonths" label={t('dialog.renewalMonths')} rules={[{ required: true, message: t('dialog.renewalRequired') }, { type: 'integer', min: 1, max: 24, message: t('dialog.renewalRange') }]}>
              <InputNumber ref={focusRef} min={1} max={24} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </>
        ) : null}
        {action === 'waive' ? (
          <Form.Item name="waiverDueOn" label={t('dialog.waiverDueOn')} extra={t('dialog.waiverDueOnHint')}>
            <DatePicker onKeyDown={keepEnterInPicker} />
          </Form.Item>
        ) : null}
        {action === 'approve' && step?.key === LAND_CONTRACT_STEP ? (
          <>
            <Form.Item name="preparationMonths" label={t('dialog.preparationMonths')} extra={t('dialog.defaultMonths', { months: 6 })} rules={[{ type: 'integer', min: 1, max: 120, message: t('dialog.monthsRange') }]}>
              <InputNumber min={1} max={120} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="buildMonths" label={t('dialog.buildMonths')} extra={t('dialog.defaultMonths', { months: 30 })} rules={[{ type: 'integer', min: 1, max: 120, message: t('dialog.monthsRange') }]}>
              <InputNumber min={1} max={120} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item
          name="comment"
          label={needsComment ? t(`dialog.commentFor.${action}`, { defaultValue: t('dialog.comment') }) : t('dialog.commentOptional')}
          rules={[
            ...(needsComment ? [{ required: true, whitespace: true, message: t('dialog.commentRequired', { action: actionLabel }) }] : []),
            { max: 2000, message: t('dialog.commentTooLong') },
          ]}
        >
          <Input.TextArea ref={focusRef} rows={3} maxLength={2000} showCount />
        </Form.Item>
        {isStep ? (
          <Form.Item name="occurredAt" label={t('dialog.occurredAt')} extra={t('dialog.occurredAtHint')}>
            <DatePicker onKeyDown={keepEnterInPicker} showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isAfter(today, 'day')} />
          </Form.Item>
        ) : null}
        {problem ? (
          <Alert
            type="error"
            showIcon
            title={t('dialog.refused')}
            description={
              <>
                <div data-testid="problem-detail">{problem.detail}</div>
                {problem.errors?.length ? (
                  <ul>
                    {problem.errors.map((e) => (
                      <li key={`${e.field}:${e.message}`}>{e.message}</li>
                    ))}
                  </ul>
                ) : null}
              </>
            }
            role="alert"
          />
        ) : null}
      </Form>
    </Modal>
  );
}
