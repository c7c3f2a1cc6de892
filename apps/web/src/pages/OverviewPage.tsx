import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Spin, Statistic, Table, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { useTrackNames } from '../api/tracks';
import type { operations } from '../api/schema';
import { queryKeys } from '../api/query-keys';
import { deadlineDay, todayInShanghai } from '../components/deadline-day';
import { EChart, type ChartFigures } from '../components/EChart';
import { barOption, departmentBars, districtBars, lightStageBars, statutoryBars, type StackedBars } from '../components/overview/charts';
import { dueSoonLink, linkOfClick, projectsLink, statutoryOverdueLink, stuckKindLink } from '../components/overview/links';
import { LightBadge } from '../components/tags';

type ProjectsQuery = NonNullable<operations['ProjectsController_list']['parameters']['query']>;

/** How far ahead the overview looks for deadlines, in working days. */
export const DUE_SOON_WORKING_DAYS = 10;

/** The figures of a stacked bar chart as a table: one row per category, one linked count per series. */
function barFigures(bars: StackedBars, caption: string, firstColumn: string): ChartFigures {
  return {
    caption,
    columns: [firstColumn, ...bars.series.map((s) => s.label)],
    rows: bars.categories.map((c, i) => ({
      key: c.key,
      cells: [c.label, ...bars.series.map((s) => <Link to={s.data[i]!.link}>{s.data[i]!.value}</Link>)],
    })),
  };
}

/** A card around one chart, with its title and what a click does. */
function ChartCard({ title, hint, empty, children }: { title: string; hint: string; empty: boolean; children: ReactNode }) {
  const { t } = useTranslation('overview');
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{title}</Typography.Title>}>
      {empty ? (
        <Empty description={t('charts.empty')} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {hint}
          </Typography.Paragraph>
          {children}
        </>
      )}
    </Card>
  );
}

/** A headline figure that is itself the link to its filtered list. */
function FigureCard({ title, value, to, note }: { title: string; value: number | string; to: string; note?: string }) {
  return (
    <Link to={to} aria-label={`${title}: ${value}${note ? `（${note}）` : ''}`} style={{ display: 'block' }}>
      <Card hoverable size="small">
        <Statistic title={title} value={value} />
        {note ? <Typography.Text type="secondary">{note}</Typography.Text> : null}
      </Card>
    </Link>
  );
}

/** Earlier instants first, absent ones last. */
function byInstant(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return Date.parse(a) - Date.parse(b);
}

/** The projects whose step deadlines fall in the next 10 working days (Asia/Shanghai), nearest first. */
function useDueSoon() {
  const today = todayInShanghai();
  const horizonParams = { start: today, limit: DUE_SOON_WORKING_DAYS, unit: 'working_days' as const };
  const horizon = useQuery({
    queryKey: queryKeys.deadline(horizonParams),
    queryFn: () => unwrap(api.GET('/api/v1/calendar/deadline', { params: { query: horizonParams } })),
    staleTime: 60 * 60_000,
  });
  const to = horizon.data?.dueOn ?? undefined;
  // The card shows project fields only: the list without each project's steps (view=basic) is a few KiB, not a MiB.
  const query: ProjectsQuery = { dueFrom: today, dueTo: to, pageSize: 50, view: 'basic' };
  const list = useQuery({
    queryKey: queryKeys.projects(query),
    queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query } })),
    enabled: Boolean(to),
  });
  const items = useMemo(
    () =>
      [...(list.data?.items ?? [])]
        .sort((a, b) => byInstant(a.nextDeadline, b.nextDeadline))
        .slice(0, DUE_SOON_WORKING_DAYS),
    [list.data],
  );
  return { from: today, to, total: list.data?.total, items, error: horizon.error ?? list.error, loading: horizon.isLoading || list.isLoading };
}

/**
 * 总览: the supervisors' dashboard from `GET /supervision/summary` — headline figures (running, stuck by kind,
 * steps past the statutory limit, deadlines in the next 10 working days), charts of running projects by light ×
 * stage, open steps by department, projects by district and statutory overruns by department, and government
 * time against the district's promises (浙江: 开工前审批最多 100 天, 90 天). Every figure links to the project list
 * or the stuck list filtered by what it counts (components/overview/links.ts).
 */
export function OverviewPage() {
  const { t } = useTranslation(['overview', 'common']);
  const navigate = useNavigate();
  const summary = useQuery({ queryKey: queryKeys.summary({}), queryFn: () => unwrap(api.GET('/api/v1/supervision/summary')) });
  const due = useDueSoon();
  const s = summary.data;
  // A stage of a track published at run time is named as its definition names it (GET /tracks).
  const tracks = useTrackNames();

  const charts = useMemo(() => {
    if (!s) return null;
    const stage = (k: string) => t(`overview:stages.${k}`, { defaultValue: tracks.stageNameOf(k) ?? k });
    const light = (k: string) => t(`common:lights.${k}`);
    const dept = (k: string) => t(`common:departments.${k}`, { defaultValue: k });
    return {
      lightStage: lightStageBars(s.byLightStage, stage, light),
      department: departmentBars(s.byDepartment, dept, light, t('overview:charts.noClock')),
      district: districtBars(s.byDistrict, light, t('overview:charts.stuck')),
      statutory: statutoryBars(s.statutoryOverdue.byDepartment, dept, t('overview:charts.steps')),
    };
  }, [s, t, tracks]);

  const onChartClick = (p: { data?: unknown }) => {
    const link = linkOfClick(p);
    if (link) void navigate(link);
  };

  if (summary.isLoading) return <Spin description={t('common:loading')} />;
  if (summary.error || !s || !charts) {
    return <Alert type="error" showIcon title={t('overview:error', { detail: summary.error?.message ?? '' })} />;
  }

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 26 }}>{t('overview:title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('overview:asOf', { day: s.asOf, idle: s.idleWorkingDays })}</Typography.Paragraph>

      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6} xl={3}>
          <FigureCard title={t('overview:cards.projects')} value={s.projects} to={projectsLink()} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <FigureCard title={t('overview:cards.stuck')} value={s.stuck.total} to={stuckKindLink()} />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <FigureCard
            title={t('overview:cards.statutoryOverdue')}
            value={s.statutoryOverdue.steps}
            note={t('overview:cards.statutoryOverdueProjects', { count: s.statutoryOverdue.projects })}
            to={statutoryOverdueLink()}
          />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <FigureCard title={t('overview:cards.overdue')} value={s.stuck.overdue} to={stuckKindLink('overdue')} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <FigureCard title={t('overview:cards.atRisk')} value={s.stuck.atRisk} to={stuckKindLink('at_risk')} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <FigureCard title={t('overview:cards.idle')} value={s.stuck.idle} to={stuckKindLink('idle')} />
        </Col>
        <Col xs={24} md={12} xl={5}>
          {due.to ? (
            <FigureCard
              title={t('overview:cards.dueSoon')}
              value={due.total ?? '…'}
              note={t('overview:cards.dueSoonRange', { from: due.from, to: due.to })}
              to={dueSoonLink(due.from, due.to)}
            />
          ) : (
            <Card size="small">
              <Statistic title={t('overview:cards.dueSoon')} value="…" />
            </Card>
          )}
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ChartCard title={t('overview:charts.lightStage')} hint={t('overview:charts.lightStageHint')} empty={charts.lightStage.categories.length === 0}>
            <EChart
              ariaLabel={t('overview:charts.lightStage')}
              option={barOption(charts.lightStage)}
              figures={barFigures(charts.lightStage, t('overview:charts.lightStage'), t('overview:charts.stage'))}
              onClick={onChartClick}
            />
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={t('overview:charts.department')} hint={t('overview:charts.departmentHint')} empty={charts.department.categories.length === 0}>
            <EChart
              ariaLabel={t('overview:charts.department')}
              option={barOption(charts.department, { horizontal: true })}
              figures={barFigures(charts.department, t('overview:charts.department'), t('overview:charts.departmentColumn'))}
              onClick={onChartClick}
            />
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={t('overview:charts.district')} hint={t('overview:charts.districtHint')} empty={charts.district.categories.length === 0}>
            <EChart
              ariaLabel={t('overview:charts.district')}
              option={barOption(charts.district, { stacked: false })}
              figures={barFigures(charts.district, t('overview:charts.district'), t('overview:charts.districtColumn'))}
              height={260}
              onClick={onChartClick}
            />
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={t('overview:charts.statutory')} hint={t('overview:charts.statutoryHint')} empty={charts.statutory.categories.length === 0}>
            <EChart
              ariaLabel={t('overview:charts.statutory')}
              option={barOption(charts.statutory, { horizontal: true })}
              figures={barFigures(charts.statutory, t('overview:charts.statutory'), t('overview:charts.departmentColumn'))}
              height={260}
              onClick={onChartClick}
            />
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <GovernmentTimeCard summary={s.governmentTime} />
        </Col>
        <Col xs={24} xl={12}>
          <DueSoonCard due={due} />
        </Col>
      </Row>
    </div>
  );
}

/** Government time (政府审批用时) of the running projects against each promise: how many exceeded it. */
function GovernmentTimeCard({ summary }: { summary: Schemas['GovernmentTimeSummaryDto'] }) {
  const { t, i18n } = useTranslation('overview');
  const zh = !i18n.language.startsWith('en');
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('governmentTime.title')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">{t('governmentTime.hint')}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={summary.byPromise}
        columns={[
          { title: t('governmentTime.promise'), dataIndex: 'key', render: (_: unknown, r) => (zh ? r.nameZh : r.name) },
          { title: t('governmentTime.projects'), dataIndex: 'projects', render: (v: number) => <Link to={projectsLink()}>{v}</Link> },
          { title: t('governmentTime.within'), key: 'within', render: (_: unknown, r) => r.projects - r.exceeded },
          {
            title: t('governmentTime.exceeded'),
            dataIndex: 'exceeded',
            render: (v: number) => <Typography.Text type={v > 0 ? 'danger' : undefined}>{v}</Typography.Text>,
          },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
        {t('governmentTime.computed', { count: summary.projects, total: summary.workingDaysTotal })}
        {summary.workingDaysAverage !== null ? `；${t('governmentTime.average')} ${t('governmentTime.averageValue', { value: summary.workingDaysAverage })}` : ''}
      </Typography.Paragraph>
    </Card>
  );
}

/** The nearest deadlines: up to ten projects, nearest first, and a link to all of them. */
function DueSoonCard({ due }: { due: ReturnType<typeof useDueSoon> }) {
  const { t } = useTranslation('overview');
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('dueSoon.title')}</Typography.Title>}>
      {due.error ? (
        <Alert type="error" showIcon title={due.error.message} />
      ) : due.loading || !due.to ? (
        <Spin />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('dueSoon.range', { from: due.from, to: due.to })}</Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="code"
            dataSource={due.items}
            locale={{ emptyText: <Typography.Text type="secondary">{t('dueSoon.none')}</Typography.Text> }}
            columns={[
              { title: t('dueSoon.code'), dataIndex: 'code', render: (code: string) => <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> },
              { title: t('dueSoon.name'), dataIndex: 'name' },
              { title: t('dueSoon.deadline'), dataIndex: 'nextDeadline', render: (v: string | null) => deadlineDay(v) },
              { title: t('dueSoon.light'), dataIndex: 'light', render: (v: string) => <LightBadge light={v} /> },
            ]}
          />
          {due.total ? (
            <Link to={dueSoonLink(due.from, due.to)} style={{ display: 'inline-block', marginTop: 8 }}>
              {t('dueSoon.all', { count: due.total })}
            </Link>
          ) : null}
        </>
      )}
    </Card>
  );
}
