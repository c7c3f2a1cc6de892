import { Alert, Col, Row, Space, Spin } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { ProjectActions } from '../components/project/ProjectActions';
import { ProjectHeader } from '../components/project/ProjectHeader';
import { ProjectTimeline } from '../components/project/ProjectTimeline';
import { useProject, useTimeline } from '../components/project/queries';
import { StepDetail } from '../components/project/StepDetail';
import { StepGantt } from '../components/project/StepGantt';
import { StepGraph } from '../components/project/StepGraph';
import { StepsTable } from '../components/project/StepsTable';
import { TrackMigration } from '../components/project/TrackMigration';

/**
 * One project (`/projects/:code`): the header (code, name, investor, investment, track and version, stage, light,
 * supervision, forecast), the project actions the person may take, the step dependency graph with the selected
 * step's details and actions beside it, the Gantt of planned against actual, the steps table (ledger, what each
 * waits for, actions) and the timeline. The selected step is kept in the address (`?step=land_title`), so a link
 * can point at a step. Data: GET /api/v1/projects/{code} and its timeline, under the keys the live stream refreshes.
 */
export function ProjectPage() {
  const { code = '' } = useParams<{ code: string }>();
  const { t } = useTranslation(['project', 'common']);
  const [search, setSearch] = useSearchParams();
  const project = useProject(code);
  const timeline = useTimeline(code);
  const p = project.data;
  const selectedKey = search.get('step');
  // The bars of open steps end "now"; recomputed when the project changes rather than on every render.
  const nowMs = useMemo(() => Date.now(), [p]);

  const select = (key: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('step', key);
        return next;
      },
      { replace: true },
    );

  if (project.error) {
    const err = project.error;
    const notFound = err instanceof ApiError && err.status === 404;
    return (
      <Alert
        type="error"
        showIcon
        message={notFound ? t('notFound', { code }) : t('loadFailed')}
        description={
          <>
            <div>{err.message}</div>
            <Link to="/projects">{t('back')}</Link>
          </>
        }
      />
    );
  }
  if (!p) return <Spin aria-label={t('common:loading')} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="project-page">
      <ProjectHeader
        project={p}
        extra={
          <Space wrap>
            <ProjectActions project={p} selectedKey={selectedKey} />
            <TrackMigration project={p} />
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <StepGraph project={p} selectedKey={selectedKey} onSelect={select} />
        </Col>
        <Col xs={24} xl={8}>
          <StepDetail project={p} stepKey={selectedKey} />
        </Col>
      </Row>
      <StepGantt steps={p.steps} nowMs={nowMs} />
      <StepsTable project={p} selectedKey={selectedKey} onSelect={select} />
      <ProjectTimeline steps={p.steps} data={timeline.data} loading={timeline.isPending} error={timeline.error} />
    </Space>
  );
}
