import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Form, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { compact, pagingOf, useUrlFilters } from '../components/url-query';
import { formatInstant } from '../format';

type EventsQuery = NonNullable<operations['EventsController_list']['parameters']['query']>;
type InboundEvent = Schemas['InboundEventDto'];
type EventStatus = InboundEvent['status'];

/** The statuses the page lists, the one needing a person first (the API's default). */
const STATUSES: EventStatus[] = ['needs_attention', 'parked', 'applied', 'duplicate'];

/** The URL query parameters the events page reads and writes (the API's names). */
export const EVENT_FILTER_KEYS = ['status'] as const;

/**
 * Whether the caller may read the inbound events (the API's policy event.read): supervisors, and officers and heads of
 * the project office.
 * @param roles the token's roles
 * @param department the token's department
 */
export function readsEvents(roles: readonly string[], department: string | undefined): boolean {
  if (roles.includes('supervisor')) return true;
  return department === 'project_office' && (roles.includes('officer') || roles.includes('department_head'));
}

/**
 * 事件待处理: the events other government systems sent (`GET /api/v1/events`) that need a person — by default those that
 * did not fit their project's steps (`status=needs_attention`), with the reason the API gives; the other statuses on
 * request. Source system, event type, the project (a link to its page), when it happened and when it was received
 * (Asia/Shanghai). Status and paging live in the URL; an API refusal is shown with its problem `detail`.
 */
export function EventsPage() {
  const { t } = useTranslation('events');
  const { values, set, params } = useUrlFilters(EVENT_FILTER_KEYS);
  const status: EventStatus = STATUSES.includes(values.status as EventStatus) ? (values.status as EventStatus) : 'needs_attention';
  const query: EventsQuery = compact({ status, ...pagingOf(params) });
  const list = useQuery({
    queryKey: ['events', query],
    queryFn: () => unwrap(api.GET('/api/v1/events', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 26 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
        <Form.Item label={t('status')} htmlFor="events-status" style={{ marginBottom: 8 }}>
          <Select
            id="events-status"
            style={{ width: 180 }}
            value={status}
            options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
            onChange={(v: EventStatus) => set({ status: v === 'needs_attention' ? undefined : v })}
          />
        </Form.Item>
      </Form>
      {list.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('error', { detail: list.error.message })} /> : null}
      <Table<InboundEvent>
        rowKey={(e) => `${e.source}\u0000${e.id}`}
        size="middle"
        loading={list.isFetching && !list.data}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('empty') }}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('total', { count: n }),
          onChange: (page, pageSize) => set({ page: String(page), pageSize: String(pageSize) }),
        }}
        columns={[
          { title: t('columns.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => formatInstant(v) },
          { title: t('columns.source'), dataIndex: 'source', render: (s: string) => <Tag>{s}</Tag> },
          { title: t('columns.type'), dataIndex: 'type', render: (k: string) => t(`types.${k}`, { defaultValue: k }) },
          {
            title: t('columns.project'),
            dataIndex: 'projectCode',
            render: (c: string) => <Link to={`/projects/${encodeURIComponent(c)}`}>{c}</Link>,
          },
          { title: t('columns.reason'), dataIndex: 'reason', render: (r: string | null) => <span style={{ whiteSpace: 'pre-wrap' }}>{r ?? '—'}</span> },
          { title: t('columns.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatInstant(v) },
          { title: t('columns.id'), dataIndex: 'id', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
        ]}
      />
    </div>
  );
}
