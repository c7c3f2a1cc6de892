import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { downloadProjectsExport } from '../api/exports';
import { useTrackNames } from '../api/tracks';
import { queryKeys } from '../api/query-keys';
import type { operations } from '../api/schema';
import { useSession } from '../auth/session';
import { deadlineDay } from '../components/deadline-day';
import { ExportButtons } from '../components/ExportButtons';
import { FilterSelect } from '../components/FilterSelect';
import { stuckLink } from '../components/overview/links';
import { LightBadge } from '../components/tags';
import { compact, pagingOf, useUrlFilters } from '../components/url-query';
import { formatInstant, formatYuan } from '../format';

type ProjectsQuery = NonNullable<operations['ProjectsController_list']['parameters']['query']>;

/** The stages of the shipped tracks, in process order (the filter adds those of tracks published later, GET /tracks). */
export const STAGES: Array<NonNullable<ProjectsQuery['stage']>> = [
  'initiation', 'land_supply', 'permits', 'groundbreaking', 'construction', 'completion', 'joint_acceptance', 'production',
  'start', 'acceptance', 'operation',
];
const LIGHTS: Array<NonNullable<ProjectsQuery['light']>> = ['green', 'yellow', 'red'];
const STATUSES: Array<NonNullable<ProjectsQuery['status']>> = ['active', 'suspended', 'completed', 'cancelled'];
const DEPARTMENTS: Array<NonNullable<ProjectsQuery['department']>> = [
  'development_reform', 'natural_resources', 'ecology_environment', 'housing_construction', 'emergency_management', 'economy_information', 'customs', 'project_office',
];

/** The URL query parameters the project list reads and writes (the API's filter names). */
export const PROJECT_FILTER_KEYS = ['stage', 'track', 'light', 'department', 'district', 'status', 'dueFrom', 'dueTo', 'stuck'] as const;

/**
 * The request `GET /projects` gets for the URL's filters and paging. `stuck` is not a filter of this list (the
 * stuck list is its own page) and is left out.
 */
export function projectsQueryOf(params: URLSearchParams): ProjectsQuery {
  const get = (k: string) => params.get(k) || undefined;
  return compact({
    stage: get('stage') as ProjectsQuery['stage'],
    track: get('track') as ProjectsQuery['track'],
    light: get('light') as ProjectsQuery['light'],
    department: get('department') as ProjectsQuery['department'],
    district: get('district'),
    status: get('status') as ProjectsQuery['status'],
    dueFrom: get('dueFrom'),
    dueTo: get('dueTo'),
    ...pagingOf(params),
  });
}

/** The list's filters without its paging: what the ledger export (every page) is asked for. */
function filtersOf(query: ProjectsQuery): Omit<ProjectsQuery, 'page' | 'pageSize'> {
  const { page: _page, pageSize: _pageSize, ...filters } = query;
  return filters;
}

/**
 * 项目: every project the caller may read (`GET /projects`), filtered by stage, track, light, department with an
 * open step, district, status and step deadline range — all read from and written to the URL query, so the
 * overview links here filtered — with paging. `?stuck=true` is the stuck list (督办), where it goes with the
 * other filters.
 */
export function ProjectsPage() {
  const { t, i18n } = useTranslation(['projects', 'common', 'overview']);
  const { user } = useSession();
  const { values, set, params } = useUrlFilters(PROJECT_FILTER_KEYS);
  const query = projectsQueryOf(params);
  const list = useQuery({
    queryKey: queryKeys.projects(query),
    // The table shows project fields only: the list without each project's steps (view=basic), ~1 KiB a project, not ~25.
    queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query: { ...query, view: 'basic' } } })),
    placeholderData: keepPreviousData,
  });
  const [district, setDistrict] = useState(values.district ?? '');
  useEffect(() => setDistrict(values.district ?? ''), [values.district]);
  // Tracks are data (GET /tracks): the filter lists every released one, named as its definition names it.
  const tracks = useTrackNames();

  if (values.stuck && values.stuck !== 'false') {
    const { stage, light, department, district: d } = values;
    return <Navigate to={stuckLink({ stage, light, department, district: d })} replace />;
  }

  const zh = !i18n.language.startsWith('en');
  const any = t('projects:filters.any');
  const supervisor = user?.roles.includes('supervisor') ?? false;

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 26 }}>{t('projects:title')}</Typography.Title>
      <section aria-label={t('projects:filters.label')}>
        <Form layout="inline" style={{ rowGap: 8, marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
          <FilterSelect
            id="projects-stage"
            label={t('projects:filters.stage')}
            anyLabel={any}
            value={values.stage}
            options={[...new Set([...STAGES, ...tracks.stages])].map((s) => ({ value: s, label: t(`overview:stages.${s}`, { defaultValue: tracks.stageNameOf(s) ?? s }) }))}
            onChange={(v) => set({ stage: v })}
            width={200}
          />
          <FilterSelect
            id="projects-track"
            label={t('projects:filters.track')}
            anyLabel={any}
            value={values.track}
            options={tracks.keys.map((s) => ({ value: s, label: tracks.nameOf(s) }))}
            onChange={(v) => set({ track: v })}
          />
          <FilterSelect
            id="projects-light"
            label={t('projects:filters.light')}
            anyLabel={any}
            value={values.light}
            options={LIGHTS.map((s) => ({ value: s, label: t(`common:lights.${s}`) }))}
            onChange={(v) => set({ light: v })}
            width={110}
          />
          <FilterSelect
            id="projects-department"
            label={t('projects:filters.department')}
            anyLabel={any}
            value={values.department}
            options={DEPARTMENTS.map((s) => ({ value: s, label: t(`common:departments.${s}`) }))}
            onChange={(v) => set({ department: v })}
            width={190}
          />
          <FilterSelect
            id="projects-status"
            label={t('projects:filters.status')}
            anyLabel={any}
            value={values.status}
            options={STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) }))}
            onChange={(v) => set({ status: v })}
            width={110}
          />
          <Form.Item label={t('projects:filters.district')} htmlFor="projects-district" style={{ marginBottom: 8 }}>
            <Input
              id="projects-district"
              style={{ width: 140 }}
              value={district}
              placeholder={t('projects:filters.districtPlaceholder')}
              onChange={(e) => setDistrict(e.target.value)}
              onPressEnter={() => set({ district: district.trim() || undefined })}
              onBlur={() => district.trim() !== (values.district ?? '') && set({ district: district.trim() || undefined })}
            />
          </Form.Item>
          <Form.Item label={t('projects:filters.dueFrom')} htmlFor="projects-due-from" style={{ marginBottom: 8 }}>
            <Input id="projects-due-from" type="date" value={values.dueFrom ?? ''} onChange={(e) => set({ dueFrom: e.target.value || undefined })} />
          </Form.Item>
          <Form.Item label={t('projects:filters.dueTo')} htmlFor="projects-due-to" style={{ marginBottom: 8 }}>
            <Input id="projects-due-to" type="date" value={values.dueTo ?? ''} onChange={(e) => set({ dueTo: e.target.value || undefined })} />
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <Button
              onClick={() => set(Object.fromEntries(PROJECT_FILTER_KEYS.map((k) => [k, undefined])))}
              disabled={Object.keys(values).length === 0}
            >
              {t('projects:filters.clear')}
            </Button>
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <ExportButtons download={(format, lang) => downloadProjectsExport({ ...filtersOf(query), format, lang })} />
          </Form.Item>
          {supervisor ? (
            <Form.Item style={{ marginBottom: 8 }}>
              <Link to={stuckLink({ stage: values.stage, light: values.light, department: values.department, district: values.district })}>
                {t('projects:filters.stuckOnly')}
              </Link>
            </Form.Item>
          ) : null}
        </Form>
      </section>
      {list.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('projects:error', { detail: list.error.message })} /> : null}
      <Table<Schemas['ProjectListItemDto']>
        rowKey="code"
        loading={list.isFetching && !list.data}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('projects:empty') }}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('projects:total', { count: n }),
          onChange: (page, pageSize) => set({ page: String(page), pageSize: String(pageSize) }),
        }}
        columns={[
          {
            title: t('projects:columns.code'),
            dataIndex: 'code',
            render: (code: string) => <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link>,
          },
          { title: t('projects:columns.name'), dataIndex: 'name' },
          { title: t('projects:columns.track'), dataIndex: 'track', render: (v: string) => tracks.nameOf(v) },
          { title: t('projects:columns.stage'), dataIndex: 'stage', render: (_: string, p) => (zh ? p.stageNameZh : p.stageName) },
          { title: t('projects:columns.light'), dataIndex: 'light', render: (v: string) => <LightBadge light={v} /> },
          { title: t('projects:columns.status'), dataIndex: 'status', render: (v: string) => t(`common:status.${v}`) },
          {
            title: t('projects:columns.investment'),
            dataIndex: 'investmentYuan',
            align: 'right',
            render: (v: string | null) => formatYuan(v, i18n.language),
          },
          {
            title: t('projects:columns.nextDeadline'),
            dataIndex: 'nextDeadline',
            render: (v: string | null) =>
              v ? <span title={t('projects:nextDeadlineTitle', { at: formatInstant(v) })}>{deadlineDay(v)}</span> : '—',
          },
        ]}
      />
    </div>
  );
}
