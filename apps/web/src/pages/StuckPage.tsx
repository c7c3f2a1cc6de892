import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { useTrackNames } from '../api/tracks';
import { downloadStuckExport, downloadWeeklyReport } from '../api/exports';
import type { operations } from '../api/schema';
import { queryKeys } from '../api/query-keys';
import { ActionDialog } from '../components/ActionDialog';
import { ExportButtons, WeeklyReportButton } from '../components/ExportButtons';
import { StuckFilters, useStuckFiltersInUrl, type StuckFilterValues } from '../components/StuckFilters';
import { LightBadge } from '../components/tags';
import { formatInstant } from '../format';

type StuckProject = Schemas['StuckProjectDto'];
type StuckQuery = NonNullable<operations['SupervisionController_stuck']['parameters']['query']>;

/** Orders the page can be shown in: the API's urgency order, or a re-ordering of the page shown. */
const SORTS = ['urgency', 'slack', 'lastProgress', 'code'] as const;
type Sort = (typeof SORTS)[number];

/** The page's rows in the chosen order (`urgency`: as the API sent them, most urgent first). */
export function sortStuck(items: readonly StuckProject[], sort: Sort): StuckProject[] {
  const rows = [...items];
  if (sort === 'slack') rows.sort((a, b) => (a.slackWorkingDays ?? Infinity) - (b.slackWorkingDays ?? Infinity) || a.code.localeCompare(b.code));
  if (sort === 'lastProgress') rows.sort((a, b) => a.lastProgressAt.localeCompare(b.lastProgressAt) || a.code.localeCompare(b.code));
  if (sort === 'code') rows.sort((a, b) => a.code.localeCompare(b.code));
  return rows;
}

function intParam(v: string | null, fallback: number, max: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** The request's query: the filters, then paging; unset filters left out, so equal filters give equal query keys. */
function stuckQuery(filters: StuckFilterValues, page: number, pageSize: number): StuckQuery {
  return { ...filters, page, pageSize };
}

/**
 * The line under a reason, worded in the page's language from the reason's fields and its row: the step's name, the
 * statutory last day, the forecast finish, the day of the last progress (the API's `detail` is English only).
 */
function reasonLine(reason: Schemas['StuckReasonDto'], row: StuckProject, stepNameOf: (key: string) => string | undefined, t: TFunction<'stuck'>): string {
  const step = reason.step ? (stepNameOf(reason.step) ?? reason.step) : null;
  const prefixed = (text: string) => (step ? t('reasonLine.ofStep', { step, text }) : text);
  if (reason.kind === 'statutory_overdue') {
    const dueOn = row.statutoryOverdueSteps.find((s) => s.step === reason.step)?.statutoryDueOn ?? null;
    return prefixed(dueOn ? t('reasonLine.statutory', { day: dueOn }) : t('reasonLine.statutoryStopped'));
  }
  if (reason.kind === 'overdue') return prefixed(reason.workingDays === null ? t('reasonLine.overdueStopped') : t('reasonLine.overdue'));
  if (reason.kind === 'at_risk') return prefixed(row.forecastFinishOn ? t('reasonLine.atRisk', { day: row.forecastFinishOn }) : t('reasonLine.atRiskNoDay'));
  return t('reasonLine.idle', { day: row.lastProgressAt.slice(0, 10) });
}

/** One reason a project is stuck: its kind as a tag, the department and the working days, and a line on what is late. */
function Reason({ reason, row, stepNameOf }: { reason: Schemas['StuckReasonDto']; row: StuckProject; stepNameOf: (key: string) => string | undefined }) {
  const { t } = useTranslation('stuck');
  const { t: tc } = useTranslation();
  // Solid tags with white text: antd's light preset tags miss WCAG AA contrast.
  const colors: Record<string, string> = { statutory_overdue: '#9e1068', overdue: '#a8071a', at_risk: '#ad4e00', idle: 'default' };
  const parts = [
    reason.department ? tc(`departments.${reason.department}`) : null,
    reason.workingDays !== null ? t(`reasonDays.${reason.kind}`, { count: reason.workingDays }) : null,
  ].filter(Boolean);
  return (
    <li data-kind={reason.kind}>
      <Tag color={colors[reason.kind]}>{t(`kinds.${reason.kind}`)}</Tag>
      {parts.join(' · ')}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {reasonLine(reason, row, stepNameOf, t)}
        </Typography.Text>
      </div>
    </li>
  );
}

/** Whether the project is under supervision (督办), by whom and since when, and the step escalated. */
function SupervisionCell({ row, stepNameOf }: { row: StuckProject; stepNameOf: (key: string) => string | undefined }) {
  const { t } = useTranslation('stuck');
  const { t: tc } = useTranslation();
  if (!row.underSupervision || !row.supervision) return <Typography.Text type="secondary">{t('notSupervised')}</Typography.Text>;
  const s = row.supervision;
  return (
    <div data-testid={`supervision-${row.code}`}>
      <Tag color="#ad2102">{t('underSupervision')}</Tag>
      <div style={{ fontSize: 12 }}>{t('supervisedSince', { by: s.by, since: formatInstant(s.since) })}</div>
      {s.step ? <div style={{ fontSize: 12 }}>{t('supervisedStep', { step: stepNameOf(s.step) ?? s.step, department: s.department ? tc(`departments.${s.department}`) : '—' })}</div> : null}
      {s.comment ? (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }} ellipsis={{ rows: 2, tooltip: s.comment }}>
          {s.comment}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}

/** The open steps of a row the supervisor may escalate: those past a limit, gravest first, once each. */
function escalatableSteps(row: StuckProject, departmentLabel: (d: string) => string, stepNameOf: (key: string) => string | undefined): Array<{ key: string; label: string }> {
  const seen = new Map<string, string>();
  for (const s of row.statutoryOverdueSteps) seen.set(s.step, `${stepNameOf(s.step) ?? s.name} (${departmentLabel(s.department)})`);
  for (const r of row.reasons) {
    if (r.step && !seen.has(r.step)) seen.set(r.step, `${stepNameOf(r.step) ?? r.step}${r.department ? ` (${departmentLabel(r.department)})` : ''}`);
  }
  return [...seen].map(([key, label]) => ({ key, label }));
}

/**
 * 督办 — the supervisors' stuck list (`GET /api/v1/supervision/stuck`): each project past a statutory or published
 * limit, at risk or idle, with its reasons (kind, department, working days, the step and what is late), its light, stage,
 * district, last progress, slack and supervision. Filters ({@link StuckFilters}: stage, department, district, light,
 * kind, due-date range), the order and the paging live in the URL query, so the overview's click-through and a
 * reload give the same list. Escalate (督办) from a row opens a dialog with the required comment and, optionally,
 * the step; on success the row shows it is under supervision at once.
 */
export function StuckPage() {
  const { t } = useTranslation('stuck');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useStuckFiltersInUrl();
  const page = intParam(params.get('page'), 1, 1_000_000);
  const pageSize = intParam(params.get('pageSize'), 20, 200);
  const sort: Sort = (SORTS as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as Sort) : 'urgency';
  // The row escalated last: kept after the dialog closes, so its closing animation still names the project.
  const [escalating, setEscalating] = useState<StuckProject | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);

  const query = stuckQuery(filters, page, pageSize);
  const stuck = useQuery({
    queryKey: queryKeys.stuck(query),
    queryFn: () => unwrap(api.GET('/api/v1/supervision/stuck', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  // The districts to filter by: those the overview counts (one cheap aggregate, cached with the overview's key).
  const summary = useQuery({
    queryKey: queryKeys.summary({}),
    queryFn: () => unwrap(api.GET('/api/v1/supervision/summary', {})),
    staleTime: 60_000,
  });
  const districts = useMemo(() => (summary.data?.byDistrict ?? []).map((d) => d.district), [summary.data]);
  // A stage of a track published at run time is named as its definition names it (GET /tracks).
  const tracks = useTrackNames();
  const rows = useMemo(() => sortStuck(stuck.data?.items ?? [], sort), [stuck.data, sort]);

  const setParam = (changes: Record<string, string | undefined>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) next.delete(k);
        else next.set(k, v);
      }
      return next;
    });

  const departmentLabel = (d: string) => tc(`departments.${d}`);
  const columns: ColumnsType<StuckProject> = [
    {
      key: 'project',
      title: t('columns.project'),
      width: 230,
      render: (_, r) => (
        <div>
          <Link to={`/projects/${encodeURIComponent(r.code)}`} style={{ whiteSpace: 'nowrap' }}>
            {r.code}
          </Link>
          <div>{r.name}</div>
          {r.status === 'suspended' ? <Tag>{t('suspended')}</Tag> : null}
        </div>
      ),
    },
    { key: 'light', title: t('columns.light'), render: (_, r) => <LightBadge light={r.light} />, onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { key: 'stage', title: t('columns.stage'), render: (_, r) => t(`stages.${r.stage}`, { defaultValue: tracks.stageNameOf(r.stage) ?? r.stage }) },
    { key: 'district', title: t('columns.district'), dataIndex: 'district', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    {
      key: 'reasons',
      title: t('columns.reasons'),
      render: (_, r) => (
        <ul style={{ margin: 0, paddingInlineStart: 0, listStyle: 'none' }}>
          {r.reasons.map((reason, i) => (
            <Reason key={`${reason.kind}:${reason.step ?? i}`} reason={reason} row={r} stepNameOf={tracks.stepNameOf} />
          ))}
        </ul>
      ),
    },
    { key: 'lastProgress', title: t('columns.lastProgress'), render: (_, r) => formatInstant(r.lastProgressAt) },
    {
      key: 'slack',
      title: <span title={t('slackHint')}>{t('columns.slack')}</span>,
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_, r) =>
        r.slackWorkingDays === null ? '—' : r.slackWorkingDays < 0 ? (
          <Typography.Text type="danger">{t('late', { count: -r.slackWorkingDays })}</Typography.Text>
        ) : (
          t('slack', { count: r.slackWorkingDays })
        ),
    },
    { key: 'supervision', title: t('columns.supervision'), render: (_, r) => <SupervisionCell row={r} stepNameOf={tracks.stepNameOf} />, onCell: () => ({ style: { minWidth: 88 } }) },
    {
      key: 'actions',
      title: t('columns.actions'),
      render: (_, r) => (
        <Button size="small" danger aria-label={t('escalateLabel', { code: r.code })} onClick={() => {
            setEscalating(r);
            setDialogOpen(true);
          }}
        >
          {t('escalate')}
        </Button>
      ),
    },
  ];

  return (
    <section aria-labelledby="stuck-title">
      <Typography.Title level={1} id="stuck-title" style={{ fontSize: 26 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <StuckFilters value={filters} onChange={setFilters} districts={districts} />
      <Space style={{ margin: '8px 0' }} wrap>
        <Form.Item label={t('sort.label')} htmlFor="stuck-sort" style={{ marginBottom: 0 }} extra={sort === 'urgency' ? undefined : t('sort.hint')}>
          <Select
            id="stuck-sort"
            style={{ width: 200 }}
            value={sort}
            options={SORTS.map((s) => ({ value: s, label: t(`sort.${s}`) }))}
            onChange={(v: Sort) => setParam({ sort: v === 'urgency' ? undefined : v })}
            virtual={false}
          />
        </Form.Item>
        <ExportButtons download={(format, lang) => downloadStuckExport({ ...filters, format, lang })} />
        <WeeklyReportButton download={(lang) => downloadWeeklyReport({ lang })} />
        {stuck.data ? (
          <Typography.Text type="secondary">{t('asOf', { day: stuck.data.asOf, idle: stuck.data.idleWorkingDays })}</Typography.Text>
        ) : null}
      </Space>
      {stuck.isError ? <Alert type="error" showIcon title={t('loadFailed')} description={stuck.error.message} role="alert" /> : null}
      <Table<StuckProject>
        rowKey="code"
        columns={columns}
        dataSource={rows}
        loading={stuck.isFetching && !stuck.data}
        locale={{ emptyText: t('empty') }}
        aria-label={t('tableLabel')}
        pagination={{
          current: page,
          pageSize,
          total: stuck.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => t('total', { total }),
          onChange: (p, size) => setParam({ page: p === 1 ? undefined : String(p), pageSize: size === 20 ? undefined : String(size) }),
        }}
        scroll={{ x: 1100 }}
      />
      <ActionDialog
        open={dialogOpen}
        projectCode={escalating?.code ?? ''}
        action="escalate"
        escalateSteps={escalating ? escalatableSteps(escalating, departmentLabel, tracks.stepNameOf) : []}
        onClose={() => setDialogOpen(false)}
      />
    </section>
  );
}
