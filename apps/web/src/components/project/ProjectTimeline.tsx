import { Alert, Button, Card, Empty, Spin, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatInstant } from '../../format';
import type { TimelineData } from './queries';
import { stepName } from './step-info';

type Entry = Schemas['TimelineEntryDto'];

/** Entries shown at first; more on request (a busy project has hundreds of reminders and light changes). */
const FIRST_SHOWN = 50;

const RED = new Set(['project.escalated', 'escalation.automatic', 'step.statutory_overdue', 'step.rejected', 'project.cancelled', 'expiry.lapsed', 'forecast.at_risk']);
const ORANGE = new Set(['step.returned', 'project.suspended', 'reminder.sent', 'light.changed', 'step.excluded', 'step.extended']);
const GREEN = new Set(['step.statutory_overdue_withdrawn', 'step.approved', 'step.delivered', 'step.waived', 'project.completed', 'project_deadline.met', 'forecast.on_track', 'supervision.cleared', 'expiry.used']);

/** The colour of an entry's dot: escalations and refusals red, warnings orange, decisions green, clocks grey, the rest blue. */
export function entryColor(type: string): string {
  if (RED.has(type)) return 'red';
  if (ORANGE.has(type)) return 'orange';
  if (GREEN.has(type)) return 'green';
  if (type.startsWith('deadline.') || type === 'step.ready') return 'gray';
  return 'blue';
}

/** The kind of an entry in words (`step.approved` → 办结); an unknown kind as the API names it. */
export function entryTypeLabel(type: string, t: TFunction): string {
  const label = t(`project:timeline.types.${type}`, { defaultValue: type });
  return typeof label === 'string' ? label : type;
}

/** A short line on what changed, for the kinds whose data says it plainly (light and deadline changes). */
function entryDetail(e: Entry, t: TFunction): string | null {
  const d = e.data as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const due = (v: unknown) => str((v as { dueOn?: unknown } | null)?.dueOn);
  if (e.type === 'light.changed' && str(d.to)) return `${str(d.from) ? t(`common:lights.${str(d.from)}`) : '—'} → ${t(`common:lights.${str(d.to)}`)}`;
  if ((e.type === 'deadline.set' || e.type === 'deadline.resumed') && str(d.dueOn)) return t('timeline.due', { due: str(d.dueOn) });
  if (e.type === 'deadline.replanned' && due(d.to)) return t('timeline.due', { due: `${due(d.from) ?? '—'} → ${due(d.to)}` });
  return null;
}

/** Props of {@link ProjectTimeline}. */
export interface ProjectTimelineProps {
  steps: Schemas['StepDto'][];
  data: TimelineData | undefined;
  loading: boolean;
  error: Error | null;
}

/**
 * The project's audit trail, newest first (what happened last is what people come to see): the kind of entry in
 * words, when (Asia/Shanghai), who (and their department), the step, the comment, and for light and deadline changes
 * what changed. The first 50 entries show; older ones on request.
 */
export function ProjectTimeline({ steps, data, loading, error }: ProjectTimelineProps) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const [shown, setShown] = useState(FIRST_SHOWN);
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const entries = [...(data?.items ?? [])].sort((a, b) => b.seq - a.seq);
  const visible = entries.slice(0, shown);

  let body;
  if (error) body = <Alert type="error" showIcon message={t('loadFailed')} description={error.message} />;
  else if (loading && !data) body = <Spin />;
  else if (entries.length === 0) body = <Empty description={t('timeline.empty')} />;
  else
    body = (
      <>
        <Timeline
          items={visible.map((e) => {
            const step = e.step ? byKey.get(e.step) : undefined;
            const detail = entryDetail(e, t);
            const actor = !e.actor || e.actor === 'system' ? t('timeline.system') : e.actor;
            return {
              key: e.seq,
              color: entryColor(e.type),
              children: (
                <div data-testid="timeline-entry" data-type={e.type}>
                  <Typography.Text strong>{entryTypeLabel(e.type, t)}</Typography.Text>
                  {e.step && <Typography.Text> · {step ? stepName(step, lang) : e.step}</Typography.Text>}
                  <div>
                    <Typography.Text type="secondary">
                      <time dateTime={e.at}>{formatInstant(e.at)}</time> · {actor}
                      {e.actorDepartment ? t('paren', { text: t(`common:departments.${e.actorDepartment}`, { defaultValue: e.actorDepartment }) }) : ''}
                    </Typography.Text>
                  </div>
                  {detail && <div>{detail}</div>}
                  {e.comment && <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{e.comment}</Typography.Paragraph>}
                </div>
              ),
            };
          })}
        />
        {entries.length > shown && (
          <Button onClick={() => setShown((n) => n + FIRST_SHOWN * 4)}>{t('timeline.showMore', { count: Math.min(entries.length - shown, FIRST_SHOWN * 4) })}</Button>
        )}
        {data && data.total > entries.length && (
          <Typography.Paragraph type="secondary">{t('timeline.partial', { total: data.total, shown: entries.length })}</Typography.Paragraph>
        )}
      </>
    );

  return (
    <Card title={t('timeline.title')} size="small" extra={<Typography.Text type="secondary">{t('timeline.order')}</Typography.Text>}>
      {body}
    </Card>
  );
}
