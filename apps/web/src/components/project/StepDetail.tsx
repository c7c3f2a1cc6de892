import { Card, Descriptions, Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatDay, formatInstant } from '../../format';
import { StepActions } from '../StepActions';
import { LightBadge } from '../tags';
import { stepName, type PageStep } from './step-info';
import { BlockedText, formatLimit, LedgerText, StepStateCell } from './StepsTable';

/** Labels dark enough for WCAG AA contrast on white (antd's tertiary grey is 3.4:1). */
const LABEL_COLOR = 'rgba(0, 0, 0, 0.7)';

/** Props of {@link StepDetail}. */
export interface StepDetailProps {
  project: Pick<Schemas['ProjectDto'], 'code' | 'steps' | 'expiries' | 'stepGroups'>;
  /** The selected step's key; null shows a hint to choose one. */
  stepKey: string | null;
}

/**
 * The selected step in full: state, light, department, published and statutory limits with their sources, the
 * days (accepted, due, statutory due, decided), ledger, what it waits for, clock stops, extension, certificate,
 * government time, the last comment, and the actions the signed-in person may take on it.
 */
export function StepDetail({ project, stepKey }: StepDetailProps) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const step = project.steps.find((s) => s.key === stepKey) as PageStep | undefined;
  return (
    <Card title={step ? t('detail.titleOf', { step: stepName(step, lang) }) : t('detail.title')} size="small" data-testid="step-detail">
      {!step ? (
        <Empty description={t('detail.none')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} styles={{ label: { color: LABEL_COLOR } }}>
            <Descriptions.Item label={t('steps.columns.state')}>
              <Space>
                <StepStateCell step={step} />
                {step.light && <LightBadge light={step.light} />}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('steps.columns.department')}>
              {t(`common:departments.${step.department}`, { defaultValue: step.department })}
              {step.assignee ? ` · ${step.assignee}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('steps.columns.limit')}>
              <Space direction="vertical" size={0}>
                <span>{formatLimit(step.limit, t)}</span>
                <Typography.Text type="secondary">{step.limitSource}</Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.statutoryLimit')}>
              <Space direction="vertical" size={0}>
                <span>{formatLimit(step.statutoryLimit, t)}</span>
                <Typography.Text type="secondary">{step.statutoryLimit.source}</Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('steps.columns.accepted')}>{formatInstant(step.acceptedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('steps.columns.due')}>
              {formatDay(step.dueOn)}
              {step.dueOn && step.provisional ? t('paren', { text: t('steps.provisional') }) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.statutoryDue')}>
              {formatDay(step.statutoryDueOn)}
              {step.statutoryOverdue ? t('paren', { text: t('steps.statutoryOverdue') }) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.decided')}>{formatInstant(step.decidedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('steps.columns.ledger')}>
              <LedgerText step={step} />
            </Descriptions.Item>
            <Descriptions.Item label={t('steps.columns.blocked')}>
              <BlockedText step={step} steps={project.steps} groups={project.stepGroups} />
            </Descriptions.Item>
            {step.clockStops.length > 0 && (
              <Descriptions.Item label={t('detail.clockStops')}>
                <Space direction="vertical" size={0}>
                  {step.clockStops.map((c) => (
                    <span key={c.stoppedAt}>
                      {t('detail.stopLine', {
                        reason: `${t(`gantt.stopReasons.${c.reason}`, { defaultValue: c.reason })}${c.kind ? t('paren', { text: c.kind }) : ''}`,
                        from: formatInstant(c.stoppedAt),
                        to: c.resumedAt ? formatInstant(c.resumedAt) : t('gantt.today'),
                      })}
                    </span>
                  ))}
                </Space>
              </Descriptions.Item>
            )}
            {step.extension && (
              <Descriptions.Item label={t('detail.extension')}>
                {t('detail.extensionText', { days: step.extension.workingDays, by: step.extension.by, reason: step.extension.reason })}
              </Descriptions.Item>
            )}
            {step.certificate && (
              <Descriptions.Item label={t('detail.certificate')}>
                {lang.startsWith('zh') ? step.certificate.nameZh : step.certificate.name}
                {step.certificate.deliveredAt ? ` · ${formatInstant(step.certificate.deliveredAt)}` : step.certificate.dueOn ? ` · ${formatDay(step.certificate.dueOn)}` : ''}
              </Descriptions.Item>
            )}
            {step.governmentWorkingDays !== null && (
              <Descriptions.Item label={t('detail.governmentDays')}>{t('common:workingDays', { count: step.governmentWorkingDays })}</Descriptions.Item>
            )}
            {step.comment && <Descriptions.Item label={t('detail.comment')}>{step.comment}</Descriptions.Item>}
          </Descriptions>
          <StepActions projectCode={project.code} step={step} expiries={project.expiries.filter((e) => e.step === step.key)} size="middle" />
        </Space>
      )}
    </Card>
  );
}
