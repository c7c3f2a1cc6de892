import { Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatDay, formatInstant } from '../../format';
import { StepActions } from '../StepActions';
import { LightBadge, StepStateTag } from '../tags';
import { blockedReasons, stepName, type PageStep, type StepGroup } from './step-info';

type Step = Schemas['StepDto'];

/** A limit as people read it: `20 个工作日`, `7 calendar days`. */
export function formatLimit(limit: { value: number; unit: string }, t: TFunction): string {
  return `${limit.value} ${t(`common:units.${limit.unit}`, { defaultValue: limit.unit })}`;
}

/** A step's ledger (working days used, left, stopped, overdue) on one line; '—' before the clock starts. */
export function LedgerText({ step }: { step: Step }) {
  const { t } = useTranslation(['project', 'common']);
  const l = step.ledger;
  if (!l) return <>—</>;
  return (
    <span data-testid={`ledger-${step.key}`}>
      {t('steps.ledgerLine', {
        used: l.usedWorkingDays,
        remaining: l.remainingWorkingDays ?? '—',
        stopped: l.clockStoppedDays,
        overdue: l.overdueWorkingDays,
      })}
    </span>
  );
}

/**
 * What holds a step back, in words: the open dependencies by name, each sub-step group it waits for with its mode and
 * open members, and the facts not yet recorded.
 */
export function BlockedText({ step, steps, groups }: { step: PageStep; steps: Step[]; groups?: StepGroup[] }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const why = blockedReasons(step, steps, groups);
  if (why.steps.length === 0 && why.groups.length === 0 && why.facts.length === 0) return <>—</>;
  const lang = i18n.language;
  return (
    <Space direction="vertical" size={0} data-testid={`blocked-${step.key}`}>
      {why.steps.length > 0 && <span>{t('steps.waitsForSteps', { steps: why.steps.map((s) => stepName(s, lang)).join(t('sep.list')) })}</span>}
      {why.groups.map(({ group, open }) => (
        <span key={group.key}>
          {t('steps.waitsForGroup', { group: stepName(group, lang), mode: t(`steps.groupModes.${group.mode}`), steps: open.map((s) => stepName(s, lang)).join(t('sep.list')) })}
        </span>
      ))}
      {why.facts.length > 0 && <span>{t('steps.waitsForFacts', { facts: why.facts.map((f) => stepName(f, lang)).join(t('sep.list')) })}</span>}
    </Space>
  );
}

/** Props of {@link StepsTable}. */
export interface StepsTableProps {
  project: Pick<Schemas['ProjectDto'], 'code' | 'steps' | 'expiries' | 'stepGroups'>;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

/** A step's state as a tag; a step no longer required (the other way through its sub-step group is done) says so. */
export function StepStateCell({ step }: { step: Step }) {
  const { t } = useTranslation('project');
  if (step.notRequired) return <Tag data-state="not_required">{t('steps.notRequired')}</Tag>;
  return <StepStateTag state={step.state} />;
}

/**
 * The project's steps as a table: name (a button selecting the step), state, department, published limit (and the
 * statutory one when it differs), acceptance, due day (provisional and past-the-statutory-limit flags), light, the
 * ledger in working days, what the step waits for, and the actions the signed-in person may take on it.
 */
export function StepsTable({ project, selectedKey, onSelect }: StepsTableProps) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const steps = project.steps;
  const columns: ColumnsType<Step> = [
    {
      key: 'step',
      title: t('steps.columns.step'),
      fixed: 'left',
      width: 200,
      render: (_, s) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
          aria-pressed={s.key === selectedKey}
          onClick={() => onSelect(s.key)}
        >
          {stepName(s, lang)}
        </Button>
      ),
    },
    { key: 'state', title: t('steps.columns.state'), render: (_, s) => <StepStateCell step={s} /> },
    { key: 'department', title: t('steps.columns.department'), render: (_, s) => t(`common:departments.${s.department}`, { defaultValue: s.department }) },
    {
      key: 'limit',
      title: t('steps.columns.limit'),
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <span>{formatLimit(s.limit, t)}</span>
          {(s.statutoryLimit.value !== s.limit.value || s.statutoryLimit.unit !== s.limit.unit) && (
            <Typography.Text type="secondary">
              {t('steps.statutory', { value: s.statutoryLimit.value, unit: t(`common:units.${s.statutoryLimit.unit}`) })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { key: 'accepted', title: t('steps.columns.accepted'), render: (_, s) => formatInstant(s.acceptedAt) },
    {
      key: 'due',
      title: t('steps.columns.due'),
      render: (_, s) => (
        <Space size={4} wrap>
          <span>{formatDay(s.dueOn)}</span>
          {s.dueOn && s.provisional && (
            <Tooltip title={t('steps.provisionalHint')}>
              <Tag>{t('steps.provisional')}</Tag>
            </Tooltip>
          )}
          {s.statutoryOverdue && <Tag color="magenta" style={{ color: '#9e1068' }}>{t('steps.statutoryOverdue')}</Tag>}
        </Space>
      ),
    },
    { key: 'light', title: t('steps.columns.light'), render: (_, s) => (s.light ? <LightBadge light={s.light} /> : '—') },
    { key: 'ledger', title: t('steps.columns.ledger'), width: 220, render: (_, s) => <LedgerText step={s} /> },
    { key: 'blocked', title: t('steps.columns.blocked'), width: 200, render: (_, s) => <BlockedText step={s} steps={steps} groups={project.stepGroups} /> },
    {
      key: 'actions',
      title: t('steps.columns.actions'),
      render: (_, s) => (
        <StepActions projectCode={project.code} step={s} expiries={project.expiries.filter((e) => e.step === s.key)} />
      ),
    },
  ];
  return (
    <Card title={t('steps.title')} size="small">
      <Table<Step>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={steps}
        pagination={false}
        scroll={{ x: 1400 }}
        rowClassName={(s) => (s.key === selectedKey ? 'ant-table-row-selected' : '')}
        onRow={(s) => ({ 'data-step': s.key, 'data-state': s.state }) as HTMLAttributes<HTMLElement>}
      />
    </Card>
  );
}
