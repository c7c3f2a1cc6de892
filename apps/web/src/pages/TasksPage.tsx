import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Form, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { operations } from '../api/schema';
import { useSession } from '../auth/session';
import { allowedStepActions, StepActions } from '../components/StepActions';
import { DEPARTMENTS } from '../components/StuckFilters';
import { LightBadge, StepStateTag } from '../components/tags';
import { formatDay } from '../format';

type Task = Schemas['TaskDto'];
type TasksQuery = NonNullable<operations['TasksController_tasks']['parameters']['query']>;
type Department = NonNullable<TasksQuery['department']>;
type OpenState = NonNullable<TasksQuery['state']>;

const OPEN_STATES: readonly OpenState[] = ['received', 'in_review', 'supplement_requested', 'ready'];

function intParam(v: string | null, fallback: number, max: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/**
 * What the "left / overdue" column says of a step, from its ledger (working days, as the API counts them):
 * overdue N, N left (due today when 0), the clock stopped while the applicant supplements, or not started before
 * acceptance.
 */
export function remainingOf(step: Pick<Schemas['StepDto'], 'state' | 'ledger'>): { kind: 'overdue' | 'remaining' | 'dueToday' | 'stopped' | 'notStarted'; count?: number } {
  const l = step.ledger;
  if (!l) return { kind: 'notStarted' };
  if (l.overdueWorkingDays > 0) return { kind: 'overdue', count: l.overdueWorkingDays };
  // Null while a calendar-day clock is stopped: no working-day count to show.
  const left = l.remainingWorkingDays ?? undefined;
  if (step.state === 'supplement_requested' || left === undefined) return { kind: 'stopped', count: left };
  return left > 0 ? { kind: 'remaining', count: left } : { kind: 'dueToday' };
}

function Remaining({ step }: { step: Schemas['StepDto'] }) {
  const { t } = useTranslation('tasks');
  const r = remainingOf(step);
  switch (r.kind) {
    case 'overdue':
      return <Typography.Text type="danger">{t('overdue', { count: r.count })}</Typography.Text>;
    case 'remaining':
      return <span>{t('remaining', { count: r.count })}</span>;
    case 'dueToday':
      return <Typography.Text type="warning">{t('dueToday')}</Typography.Text>;
    case 'stopped':
      return (
        <span>
          {t('clockStopped')}
          {r.count !== undefined ? ` · ${t('remaining', { count: r.count })}` : ''}
        </span>
      );
    default:
      return <Typography.Text type="secondary">{t('notStarted')}</Typography.Text>;
  }
}

/**
 * 待办 — the work queue (`GET /api/v1/tasks`): the department's steps that wait for action, in the API's order
 * (received and in review first, oldest first; then ready; then waiting for a supplement), with the step's state,
 * light, due day, working days left or overdue, whose move it is, and the actions the step allows the caller
 * ({@link StepActions}; a success updates the row at once). Officers and heads see their own department; a
 * supervisor picks one (`?department=`). The department, state and paging live in the URL query.
 */
export function TasksPage() {
  const { t, i18n } = useTranslation('tasks');
  const { t: tc } = useTranslation();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const supervisor = user?.roles.includes('supervisor') ?? false;
  const ownDepartment = (DEPARTMENTS as readonly string[]).includes(user?.department ?? '') ? (user!.department as Department) : undefined;
  const asked = params.get('department');
  const department = supervisor && asked && (DEPARTMENTS as readonly string[]).includes(asked) ? (asked as Department) : ownDepartment;
  const stateParam = params.get('state');
  const state = OPEN_STATES.includes(stateParam as OpenState) ? (stateParam as OpenState) : undefined;
  const page = intParam(params.get('page'), 1, 1_000_000);
  const pageSize = intParam(params.get('pageSize'), 20, 200);

  const query: TasksQuery = { page, pageSize, ...(department ? { department } : {}), ...(state ? { state } : {}) };
  const tasks = useQuery({
    queryKey: queryKeys.tasks(query),
    queryFn: () => unwrap(api.GET('/api/v1/tasks', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled: department !== undefined,
  });

  const setParam = (changes: Record<string, string | undefined>, keepPage = false) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) next.delete(k);
        else next.set(k, v);
      }
      if (!keepPage) next.delete('page');
      return next;
    });

  const columns: ColumnsType<Task> = [
    {
      key: 'project',
      title: t('columns.project'),
      width: 230,
      render: (_, r) => (
        <div>
          <Link to={`/projects/${encodeURIComponent(r.projectCode)}`} style={{ whiteSpace: 'nowrap' }}>
            {r.projectCode}
          </Link>
          <div>{r.projectName}</div>
          {r.projectStatus === 'suspended' ? <Tag>{t('suspended')}</Tag> : null}
        </div>
      ),
    },
    { key: 'step', title: t('columns.step'), render: (_, r) => (i18n.language === 'en' ? r.step.name : r.step.nameZh) },
    { key: 'state', title: t('columns.state'), render: (_, r) => <StepStateTag state={r.step.state} /> },
    { key: 'light', title: t('columns.light'), render: (_, r) => <LightBadge light={r.step.light} />, onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    {
      key: 'dueOn',
      title: t('columns.dueOn'),
      render: (_, r) => (
        <span>
          {formatDay(r.step.dueOn)}
          {r.step.provisional ? (
            <Tooltip title={t('provisionalHint')}>
              <Tag style={{ marginInlineStart: 4 }} tabIndex={0} aria-label={t('provisionalHint')}>
                {t('provisional')}
              </Tag>
            </Tooltip>
          ) : null}
        </span>
      ),
    },
    { key: 'remaining', title: t('columns.remaining'), render: (_, r) => <Remaining step={r.step} /> },
    { key: 'waitingOn', title: t('columns.waitingOn'), render: (_, r) => t(`waitingOn.${r.waitingOn}`) },
    {
      key: 'actions',
      title: t('columns.actions'),
      render: (_, r) =>
        allowedStepActions(user, r.step).length > 0 ? <StepActions projectCode={r.projectCode} step={r.step} /> : t('noActions'),
    },
  ];

  return (
    <section aria-labelledby="tasks-title">
      <Typography.Title level={1} id="tasks-title" style={{ fontSize: 26 }}>
        {t('title')}
        {department ? <Typography.Text type="secondary" style={{ fontSize: 16, marginInlineStart: 12 }}>{tc(`departments.${department}`)}</Typography.Text> : null}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 8 }}>
        {supervisor ? (
          <Form.Item label={t('departmentPicker')} htmlFor="tasks-department" style={{ marginBottom: 0 }}>
            <Select
              id="tasks-department"
              style={{ width: 200 }}
              value={department}
              placeholder={t('department')}
              options={DEPARTMENTS.map((d) => ({ value: d, label: tc(`departments.${d}`) }))}
              onChange={(v: string) => setParam({ department: v })}
              virtual={false}
            />
          </Form.Item>
        ) : null}
        <Form.Item label={t('stateFilter')} htmlFor="tasks-state" style={{ marginBottom: 0 }}>
          <Select
            id="tasks-state"
            style={{ width: 160 }}
            value={state ?? ''}
            options={[{ value: '', label: t('allStates') }, ...OPEN_STATES.map((s) => ({ value: s, label: tc(`states.${s}`) }))]}
            onChange={(v: string) => setParam({ state: v || undefined })}
            virtual={false}
          />
        </Form.Item>
      </Space>
      {tasks.isError ? <Alert type="error" showIcon title={t('loadFailed')} description={tasks.error.message} role="alert" /> : null}
      <Table<Task>
        rowKey={(r) => `${r.projectCode}/${r.step.key}`}
        columns={columns}
        dataSource={tasks.data?.items ?? []}
        loading={tasks.isFetching && !tasks.data}
        locale={{ emptyText: t('empty') }}
        aria-label={t('tableLabel')}
        pagination={{
          current: page,
          pageSize,
          total: tasks.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => t('total', { total }),
          onChange: (p, size) => setParam({ page: p === 1 ? undefined : String(p), pageSize: size === 20 ? undefined : String(size) }, true),
        }}
        scroll={{ x: 1000 }}
      />
    </section>
  );
}
