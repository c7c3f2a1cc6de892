import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { operations } from '../api/schema';
import { useSession } from '../auth/session';
import { deadlineDay } from '../components/deadline-day';
import { FilterSelect } from '../components/FilterSelect';
import { compact, pagingOf, useUrlFilters } from '../components/url-query';
import { formatInstant } from '../format';

type NotificationsQuery = NonNullable<operations['NotificationsController_list']['parameters']['query']>;
type Notice = Schemas['NotificationDto'];

const KINDS: Array<Notice['kind']> = [
  'yellow', 'red', 'escalation', 'escalation_repeat', 'project_yellow', 'project_red', 'statutory_overdue',
  'certificate_yellow', 'certificate_red', 'expiry_warning', 'expiry_lapsed',
];
const STATES: Array<Notice['state']> = ['pending', 'delivered', 'dead'];
const DEPARTMENTS: Array<NonNullable<NotificationsQuery['department']>> = [
  'development_reform', 'natural_resources', 'ecology_environment', 'housing_construction', 'emergency_management', 'economy_information', 'customs', 'project_office',
];
/** Tag colours with text at WCAG AA contrast on their background (never colour alone: the tag has its text). */
const WARN = { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' };
const ALARM = { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' };
const GRAVE = { color: '#780650', background: '#fff0f6', borderColor: '#ffadd2' };
const ESCALATE = { color: '#391085', background: '#f9f0ff', borderColor: '#d3adf7' };
const KIND_STYLE: Record<Notice['kind'], CSSProperties> = {
  yellow: WARN, project_yellow: WARN, certificate_yellow: WARN, expiry_warning: WARN,
  red: ALARM, project_red: ALARM, certificate_red: ALARM, expiry_lapsed: ALARM, statutory_overdue: GRAVE,
  escalation: ESCALATE, escalation_repeat: ESCALATE,
};
const STATE_STYLE: Record<Notice['state'], CSSProperties> = {
  pending: { color: '#003eb3', background: '#e6f4ff', borderColor: '#91caff' },
  delivered: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  dead: ALARM,
};

/** The URL query parameters the notifications page reads and writes (the API's filter names). */
export const NOTIFICATION_FILTER_KEYS = ['kind', 'state', 'department', 'projectCode'] as const;

/**
 * Whether the caller reads every department's notices (policy notifications.read: supervisors and admins);
 * officers and heads read their own department's only.
 */
export function readsEveryDepartment(roles: readonly string[]): boolean {
  return roles.includes('supervisor') || roles.includes('admin');
}

/**
 * 通知: the reminders and escalations the system sent or is sending (`GET /notifications`), newest first, with
 * their delivery state. Officers and heads see their department's (the API refuses others); supervisors and
 * admins see all and may filter by department. Filters kind, state, project and paging live in the URL; times
 * in Asia/Shanghai.
 */
export function NotificationsPage() {
  const { t } = useTranslation(['notifications', 'common']);
  const { user } = useSession();
  const everyDepartment = readsEveryDepartment(user?.roles ?? []);
  const { values, set, params } = useUrlFilters(NOTIFICATION_FILTER_KEYS);
  const department = everyDepartment ? values.department : user?.department || undefined;
  const query: NotificationsQuery = compact({
    kind: values.kind as NotificationsQuery['kind'],
    state: values.state as NotificationsQuery['state'],
    department: department as NotificationsQuery['department'],
    projectCode: values.projectCode,
    ...pagingOf(params),
  });
  const list = useQuery({
    queryKey: queryKeys.notifications(query),
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const [code, setCode] = useState(values.projectCode ?? '');
  useEffect(() => setCode(values.projectCode ?? ''), [values.projectCode]);
  const any = t('notifications:filters.any');

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 26 }}>{t('notifications:title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {everyDepartment
          ? t('notifications:scopeAll')
          : t('notifications:scopeOwn', { department: t(`common:departments.${user?.department ?? ''}`, { defaultValue: user?.department ?? '' }) })}
      </Typography.Paragraph>
      <section aria-label={t('notifications:filters.label')}>
        <Form layout="inline" style={{ rowGap: 8, marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
          <FilterSelect
            id="notifications-kind"
            label={t('notifications:filters.kind')}
            anyLabel={any}
            value={values.kind}
            options={KINDS.map((k) => ({ value: k, label: t(`notifications:kinds.${k}`) }))}
            onChange={(v) => set({ kind: v })}
            width={170}
          />
          <FilterSelect
            id="notifications-state"
            label={t('notifications:filters.state')}
            anyLabel={any}
            value={values.state}
            options={STATES.map((k) => ({ value: k, label: t(`notifications:states.${k}`) }))}
            onChange={(v) => set({ state: v })}
            width={120}
          />
          <FilterSelect
            id="notifications-department"
            label={t('notifications:filters.department')}
            anyLabel={any}
            value={department}
            disabled={!everyDepartment}
            options={DEPARTMENTS.map((k) => ({ value: k, label: t(`common:departments.${k}`) }))}
            onChange={(v) => set({ department: v })}
            width={190}
          />
          <Form.Item label={t('notifications:filters.project')} htmlFor="notifications-project" style={{ marginBottom: 8 }}>
            <Input
              id="notifications-project"
              style={{ width: 240 }}
              value={code}
              placeholder={t('notifications:filters.projectPlaceholder')}
              onChange={(e) => setCode(e.target.value)}
              onPressEnter={() => set({ projectCode: code.trim() || undefined })}
              onBlur={() => code.trim() !== (values.projectCode ?? '') && set({ projectCode: code.trim() || undefined })}
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <Button
              onClick={() => set({ kind: undefined, state: undefined, department: undefined, projectCode: undefined })}
              disabled={Object.keys(values).length === 0}
            >
              {t('notifications:filters.clear')}
            </Button>
          </Form.Item>
        </Form>
      </section>
      {list.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('notifications:error', { detail: list.error.message })} /> : null}
      <Table<Notice>
        rowKey="id"
        size="middle"
        loading={list.isFetching && !list.data}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('notifications:empty') }}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('notifications:total', { count: n }),
          onChange: (page, pageSize) => set({ page: String(page), pageSize: String(pageSize) }),
        }}
        columns={[
          { title: t('notifications:columns.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatInstant(v) },
          {
            title: t('notifications:columns.kind'),
            dataIndex: 'kind',
            render: (k: Notice['kind']) => <Tag style={KIND_STYLE[k]}>{t(`notifications:kinds.${k}`, { defaultValue: k })}</Tag>,
          },
          {
            title: t('notifications:columns.project'),
            dataIndex: 'projectCode',
            render: (c: string, n) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/projects/${encodeURIComponent(c)}`}>{c}</Link>
                {n.projectName ? <Typography.Text type="secondary">{n.projectName}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: t('notifications:columns.step'), dataIndex: 'step', render: (s: string | null) => s ?? '—' },
          {
            title: t('notifications:columns.department'),
            dataIndex: 'department',
            render: (d: string) => t(`common:departments.${d}`, { defaultValue: d }),
          },
          { title: t('notifications:columns.message'), dataIndex: 'message', render: (m: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{m}</span> },
          {
            title: t('notifications:columns.dueAt'),
            dataIndex: 'dueAt',
            render: (v: string | null) => (v ? <span title={formatInstant(v)}>{deadlineDay(v)}</span> : '—'),
          },
          {
            title: t('notifications:columns.recipients'),
            dataIndex: 'recipients',
            render: (rs: Notice['recipients'], n) =>
              `${rs
                .map((r) => `${r.department ? `${t(`common:departments.${r.department}`, { defaultValue: r.department })} ` : ''}${t(`notifications:recipientRoles.${r.role}`)}`)
                .join('、')}（${t(`notifications:channels.${n.channel}`)}）`,
          },
          {
            title: t('notifications:columns.state'),
            dataIndex: 'state',
            render: (s: Notice['state'], n) => (
              <Space orientation="vertical" size={0}>
                <Tag style={STATE_STYLE[s]}>{t(`notifications:states.${s}`)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[
                    n.deliveredAt ? t('notifications:deliveredAt', { at: formatInstant(n.deliveredAt) }) : null,
                    n.attempts ? t('notifications:attempts', { count: n.attempts }) : null,
                    s === 'pending' && n.nextAttemptAt ? t('notifications:nextAttempt', { at: formatInstant(n.nextAttemptAt) }) : null,
                  ]
                    .filter(Boolean)
                    .join('；')}
                </Typography.Text>
                {n.lastError ? (
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {t('notifications:lastError', { error: n.lastError })}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
