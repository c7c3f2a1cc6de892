import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useTrackNames } from '../../api/tracks';
import { formatDay, formatInstant, formatYuan } from '../../format';
import { LightBadge } from '../tags';

type Project = Schemas['ProjectDto'];

const STATUS_COLORS: Record<string, string> = { active: 'processing', suspended: 'warning', completed: 'success', cancelled: 'default' };
/** Text colours of those tags dark enough for WCAG AA contrast on their tint. */
const STATUS_TEXT: Record<string, string> = { suspended: '#874d00', completed: '#135200' };

/** The version of a pinned definition (`standard@3` → `3`). */
function trackVersion(definition: string): { version: string } {
  return { version: definition.split('@')[1] ?? definition };
}

/**
 * The project's header: code, name, investor, investment (万元/亿元), track and version, district, signing day,
 * stage, status, light, next deadline, supervision (督办中 with who and since when), the forecast (at risk with its
 * reason, or on track with its slack), the overdue steps and the facts recorded from outside. `extra` holds the
 * project-level actions.
 */
export function ProjectHeader({ project, extra }: { project: Project; extra?: ReactNode }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const p = project;
  const f = p.forecast;
  const sup = p.supervision;
  const { nameOf } = useTrackNames();
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ margin: 0, whiteSpace: 'normal', fontSize: 24 }}>
          {p.name}
        </Typography.Title>
      }
      extra={extra}
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('header.code')}>
          <Typography.Text copyable>{p.code}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('header.investor')}>{p.investor ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('header.investment')}>
          <span data-testid="project-investment">{formatYuan(p.investmentYuan, lang)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('header.track')}>
          {t('header.trackVersion', { track: nameOf(p.track, Number(trackVersion(p.definition).version)), ...trackVersion(p.definition) })}
          {' · '}
          {t(`header.route.${p.approvalRoute}`, { defaultValue: p.approvalRoute })}
        </Descriptions.Item>
        <Descriptions.Item label={t('header.district')}>{p.district}</Descriptions.Item>
        <Descriptions.Item label={t('header.signedAt')}>{formatDay(p.signedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('header.stage')}>{lang.startsWith('zh') ? p.stageNameZh : p.stageName}</Descriptions.Item>
        <Descriptions.Item label={t('header.status')}>
          <Tag color={STATUS_COLORS[p.status] ?? 'default'} style={STATUS_TEXT[p.status] ? { color: STATUS_TEXT[p.status] } : undefined}>{t(`common:status.${p.status}`, { defaultValue: p.status })}</Tag>
          {p.suspendedAt && <Typography.Text type="secondary">{formatInstant(p.suspendedAt)}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('header.light')}>
          <LightBadge light={p.light} />
        </Descriptions.Item>
        <Descriptions.Item label={t('header.nextDeadline')}>{formatInstant(p.nextDeadline)}</Descriptions.Item>
        <Descriptions.Item label={t('header.supervision')}>
          {p.underSupervision && sup ? (
            <Space direction="vertical" size={0}>
              <Tag color="red" style={{ color: '#a8071a' }} data-testid="under-supervision">
                {t('header.supervised')}
              </Tag>
              <Typography.Text type="secondary">{t('header.supervisedSince', { by: sup.by, since: formatInstant(sup.since) })}</Typography.Text>
              {sup.comment && <Typography.Text>{sup.comment}</Typography.Text>}
            </Space>
          ) : (
            t('header.notSupervised')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('header.forecast')}>
          <Space direction="vertical" size={0}>
            <span>
              {formatDay(f?.finishOn)}{' '}
              {p.atRisk || f?.atRisk ? (
                <Tag color="volcano" style={{ color: '#ad2102' }} data-testid="at-risk">
                  {t('header.atRisk')}
                </Tag>
              ) : f ? (
                <Tag color="green" style={{ color: '#135200' }}>
                  {t('header.onTrack')}
                </Tag>
              ) : null}
            </span>
            {(p.atRisk || f?.atRisk) && f?.reason && <Typography.Text type="danger">{f.reason}</Typography.Text>}
            {f?.slackWorkingDays != null && <Typography.Text type="secondary">{t('header.slack', { count: f.slackWorkingDays })}</Typography.Text>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('header.overdueSteps')}>
          {t('header.overdueCount', { red: p.overdueSteps, statutory: p.statutoryOverdueSteps })}
        </Descriptions.Item>
        <Descriptions.Item label={t('header.facts')}>
          {p.facts.length === 0
            ? t('header.noFacts')
            : p.facts
                .map((fact) => t('header.factRecorded', { name: t(`timeline.types.fact.${fact.kind}`, { defaultValue: fact.kind }), at: formatInstant(fact.occurredAt) }))
                .join(t('sep.clause'))}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
