import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyActionResult } from '../../api/apply-action-result';
import { api, ApiError, unwrap, type Problem, type Schemas } from '../../api/client';
import { useSession, type SessionUser } from '../../auth/session';

type Project = Schemas['ProjectDto'];
type TrackVersion = Schemas['TrackVersionSummaryDto'];

/**
 * Whether the person may move a project to a newer version of its track: admins, and the heads of the project office
 * (policy project.migrate_track in apps/api/src/auth/policy.ts); only a project still running. The API decides again.
 */
export function mayMigrateTrack(user: Pick<SessionUser, 'roles' | 'department'> | null, status: string): boolean {
  if (!user || (status !== 'active' && status !== 'suspended')) return false;
  return user.roles.includes('admin') || (user.roles.includes('department_head') && user.department === 'project_office');
}

/**
 * The version a project runs on (`definition`, e.g. `standard@1`) and the newest released version of its track, when
 * newer; null when the project is on the newest one or its track is not listed.
 */
export function newerVersion(definition: string, tracks: Schemas['TrackListDto'] | undefined): { current: number; target: TrackVersion; currentVersion?: TrackVersion } | null {
  const [track, v] = definition.split('@');
  const current = Number(v);
  const versions = tracks?.items.find((t) => t.key === track)?.versions ?? [];
  const target = versions.reduce<TrackVersion | undefined>((best, x) => (x.version > (best?.version ?? current) ? x : best), undefined);
  return target ? { current, target, currentVersion: versions.find((x) => x.version === current) } : null;
}

/**
 * 「迁移到新版本」: for admins and heads of the project office ({@link mayMigrateTrack}), when the project's track has a
 * version newer than the one it runs on (GET /api/v1/tracks), a button opening a confirmation dialog that shows the
 * version it runs on and the one it moves to (key, number, name), what a move does, and an optional reason. Confirming
 * sends `POST /api/v1/projects/{code}/track-migration` `{ toVersion, comment? }` with an Idempotency-Key made per
 * opening (renewed after a refusal); a success updates the cached project at once; a refusal shows the problem's
 * detail in the dialog. Renders nothing for anyone else, or when there is no newer version.
 */
export function TrackMigration({ project }: { project: Project }) {
  const { t } = useTranslation(['trackMigration', 'common']);
  const { user } = useSession();
  const allowed = mayMigrateTrack(user, project.status);
  const tracks = useQuery({
    queryKey: ['tracks'],
    queryFn: () => unwrap(api.GET('/api/v1/tracks')),
    enabled: allowed,
    staleTime: 5 * 60_000,
  });
  const [open, setOpen] = useState(false);
  const newer = allowed ? newerVersion(project.definition, tracks.data) : null;
  if (!newer && !open) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)} autoInsertSpace={false}>
        {t('button')}
      </Button>
      {newer && <MigrationDialog open={open} project={project} newer={newer} onClose={() => setOpen(false)} />}
    </>
  );
}

interface MigrationDialogProps {
  open: boolean;
  project: Project;
  newer: NonNullable<ReturnType<typeof newerVersion>>;
  onClose: () => void;
}

/** The confirmation dialog of {@link TrackMigration}. */
function MigrationDialog({ open, project, newer, onClose }: MigrationDialogProps) {
  const { t, i18n } = useTranslation(['trackMigration', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ comment?: string }>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const key = useRef('');
  const zh = i18n.language !== 'en';

  useEffect(() => {
    if (!open) return;
    key.current = globalThis.crypto.randomUUID();
    setProblem(null);
    form.resetFields();
  }, [open, form]);

  const label = (version: number, v?: TrackVersion) => t('version', { track: project.track, version, name: v ? (zh ? v.nameZh : v.name) : '' });

  const submit = async ({ comment }: { comment?: string }) => {
    setSubmitting(true);
    setProblem(null);
    try {
      const body: Schemas['TrackMigrationDto'] = { toVersion: newer.target.version, ...(comment?.trim() ? { comment: comment.trim() } : {}) };
      const result = await unwrap(
        api.POST('/api/v1/projects/{code}/track-migration', { params: { path: { code: project.code }, header: { 'Idempotency-Key': key.current } }, body }),
      );
      applyActionResult(queryClient, project.code, result);
      void message.success(t('done', { definition: result.project.definition }));
      onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        setProblem(err.problem.detail || err.problem.title ? err.problem : { ...err.problem, detail: `HTTP ${err.status}` });
        if (err.status < 500 && err.problem.code !== 'IDEMPOTENCY.IN_PROGRESS') key.current = globalThis.crypto.randomUUID();
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
      title={t('title', { code: project.code })}
      okText={t('confirm')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
      data-testid="track-migration-dialog"
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('from')}>{label(newer.current, newer.currentVersion)}</Descriptions.Item>
        <Descriptions.Item label={t('to')}>{label(newer.target.version, newer.target)}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('explain')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} disabled={submitting} name="track-migration">
        <Form.Item name="comment" label={t('comment')} extra={t('commentHint')}>
          <Input.TextArea rows={2} maxLength={2000} autoFocus />
        </Form.Item>
      </Form>
      {problem && <Alert type="error" showIcon role="alert" message={problem.title ?? t('refused')} description={<div data-testid="problem-detail">{problem.detail}</div>} />}
    </Modal>
  );
}
