import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyActionResult } from '../../api/apply-action-result';
import { api, ApiError, unwrap, type Problem, type Schemas } from '../../api/client';
import { useSession, type SessionUser } from '../../auth/session';
import { ActionDialog } from '../ActionDialog';
import { RUNNING_STATES } from './step-graph-option';

type Project = Schemas['ProjectDto'];
/** A project-level action other than escalate (督办 has the shared action dialog). */
export type LifecycleAction = 'suspend' | 'resume' | 'cancel';
type ProjectAction = LifecycleAction | 'escalate';

/**
 * The project actions the signed-in person may take now, by the authorization policy (apps/api/src/auth/policy.ts)
 * and the project's status: escalate (督办) and suspend (中止) an active project and resume (恢复) a suspended one are
 * the supervisor's; cancel (撤销) an active or suspended project is the supervisor's and project_office's officers'
 * and heads'. The API decides again on every request.
 */
export function allowedProjectActions(user: Pick<SessionUser, 'roles' | 'department'> | null, status: string): ProjectAction[] {
  if (!user) return [];
  const supervisor = user.roles.includes('supervisor');
  const projectOffice = user.department === 'project_office' && (user.roles.includes('officer') || user.roles.includes('department_head'));
  const out: ProjectAction[] = [];
  if (supervisor && status === 'active') out.push('escalate', 'suspend');
  if (supervisor && status === 'suspended') out.push('resume');
  if ((supervisor || projectOffice) && (status === 'active' || status === 'suspended')) out.push('cancel');
  return out;
}

/** Actions whose comment the API requires (project-action.dto.ts: the special procedure, why cancelled). */
const NEEDS_COMMENT: readonly LifecycleAction[] = ['suspend', 'cancel'];

/** An Idempotency-Key: a random UUID (crypto.getRandomValues also works outside secure contexts). */
function newKey(): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface LifecycleDialogProps {
  open: boolean;
  project: Pick<Project, 'code'>;
  action: LifecycleAction;
  onClose: () => void;
}

/**
 * The dialog of suspend, resume or cancel: a comment (required for suspend and cancel), sent as
 * `POST /api/v1/projects/{code}/actions` with an Idempotency-Key made per opening and renewed after a refusal (the
 * API keeps a refusal as its key's answer). A refusal shows the problem's detail in the dialog; a success updates
 * the cached project at once and closes.
 */
function LifecycleDialog({ open, project, action, onClose }: LifecycleDialogProps) {
  const { t } = useTranslation(['project', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ comment?: string }>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const key = useRef('');
  const label = t(`actions.${action}`);

  useEffect(() => {
    if (!open) return;
    key.current = newKey();
    setProblem(null);
    form.resetFields();
  }, [open, form]);

  const submit = async ({ comment }: { comment?: string }) => {
    setSubmitting(true);
    setProblem(null);
    try {
      const body: Schemas['ProjectActionDto'] = { action, ...(comment?.trim() ? { comment: comment.trim() } : {}) };
      const result = await unwrap(
        api.POST('/api/v1/projects/{code}/actions', { params: { path: { code: project.code }, header: { 'Idempotency-Key': key.current } }, body }),
      );
      applyActionResult(queryClient, project.code, result);
      void message.success(t('actions.done', { action: label }));
      onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        setProblem(err.problem.detail || err.problem.title ? err.problem : { ...err.problem, detail: `HTTP ${err.status}` });
        if (err.status < 500 && err.problem.code !== 'IDEMPOTENCY.IN_PROGRESS') key.current = newKey();
      } else {
        setProblem({ detail: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('actions.dialogTitle', { action: label, code: project.code })}
      okText={t('actions.confirm', { action: label })}
      okButtonProps={{ danger: action === 'cancel' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
      data-testid="project-action-dialog"
    >
      <Form form={form} layout="vertical" onFinish={submit} disabled={submitting} name={`project-${action}`}>
        <Form.Item
          name="comment"
          label={t('actions.comment')}
          extra={t(`actions.commentHint.${action}`)}
          rules={NEEDS_COMMENT.includes(action) ? [{ required: true, whitespace: true, message: t('actions.commentRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} autoFocus />
        </Form.Item>
      </Form>
      {problem && (
        <Alert type="error" showIcon role="alert" message={problem.title ?? t('actions.refused')} description={<div data-testid="problem-detail">{problem.detail}</div>} />
      )}
    </Modal>
  );
}

/** Props of {@link ProjectActions}. */
export interface ProjectActionsProps {
  project: Project;
  /** The step selected on the page: escalate targets it when it is running (else the API picks the most overdue). */
  selectedKey: string | null;
}

/**
 * The project-level actions the signed-in person may take ({@link allowedProjectActions}) as buttons: escalate
 * (督办, the shared action dialog with its required 督办意见), suspend, resume and cancel (their own dialog).
 * Renders nothing for people who may take none.
 */
export function ProjectActions({ project, selectedKey }: ProjectActionsProps) {
  const { t } = useTranslation(['project', 'common']);
  const { user } = useSession();
  const [open, setOpen] = useState<ProjectAction | null>(null);
  const [last, setLast] = useState<LifecycleAction>('suspend');
  const actions = allowedProjectActions(user, project.status);
  if (actions.length === 0 && open === null) return null;
  const selected = project.steps.find((s) => s.key === selectedKey && RUNNING_STATES.has(s.state)) ?? null;
  return (
    <>
      <Space wrap aria-label={t('actions.title')} role="group">
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'escalate' ? 'primary' : 'default'}
            danger={a === 'cancel'}
            autoInsertSpace={false}
            onClick={() => {
              if (a !== 'escalate') setLast(a);
              setOpen(a);
            }}
          >
            {t(`actions.${a}`)}
          </Button>
        ))}
      </Space>
      <ActionDialog open={open === 'escalate'} projectCode={project.code} step={selected} action="escalate" onClose={() => setOpen(null)} />
      <LifecycleDialog open={open !== null && open !== 'escalate'} project={project} action={open !== null && open !== 'escalate' ? open : last} onClose={() => setOpen(null)} />
    </>
  );
}
