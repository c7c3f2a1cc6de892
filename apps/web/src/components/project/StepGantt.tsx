import { Badge, Card, Empty, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatInstant } from '../../format';
import { EChart } from '../EChart';
import { buildGanttOption, GANTT_COLORS, GANTT_ROW_HEIGHT, ganttRows } from './gantt-option';
import { stepName } from './step-info';

/** Props of {@link StepGantt}. */
export interface StepGanttProps {
  steps: Schemas['StepDto'][];
  /** The current instant (epoch ms): the end of the bars of open steps. */
  nowMs: number;
}

/**
 * Planned against actual per step (ECharts custom series): the planned bar from acceptance to the end of the
 * published limit, the actual bar from acceptance to the decision or today, grey clock-stopped spans, a dark-red mark
 * at the end of the statutory limit. Times are Asia/Shanghai. The same figures are in a table for screen readers.
 */
export function StepGantt({ steps, nowMs }: StepGanttProps) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const byKey = useMemo(() => new Map(steps.map((s) => [s.key, s])), [steps]);
  const rows = useMemo(() => ganttRows(steps, nowMs), [steps, nowMs]);
  const option = useMemo(
    () =>
      buildGanttOption(
        rows,
        {
          stepName: (key) => (byKey.get(key) ? stepName(byKey.get(key)!, lang) : key),
          planned: t('gantt.planned'),
          actual: t('gantt.actual'),
          stopped: (reason) => (reason ? `${t('gantt.stopped')}${t('paren', { text: t(`gantt.stopReasons.${reason}`, { defaultValue: reason }) })}` : t('gantt.stopped')),
          statutoryDue: t('gantt.statutoryDue'),
          today: t('gantt.today'),
          time: (ms) => dayjs.utc(ms).format('YYYY-MM-DD HH:mm'),
        },
        nowMs,
      ),
    [rows, lang],
  );
  const notStarted = steps.length - rows.length;

  const legend = [
    { key: 'planned', color: GANTT_COLORS.planned, text: t('gantt.planned') },
    { key: 'actual', color: '#1677ff', text: t('gantt.actual') },
    { key: 'stopped', color: GANTT_COLORS.stopped, text: t('gantt.stopped') },
    { key: 'statutory', color: GANTT_COLORS.statutory, text: t('gantt.statutoryDue') },
  ];

  return (
    <Card title={t('gantt.title')} size="small">
      {rows.length === 0 ? (
        <Empty description={t('gantt.empty')} />
      ) : (
        <>
          <ul style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', listStyle: 'none', margin: '0 0 8px', padding: 0 }}>
            {legend.map((l) => (
              <li key={l.key}>
                <Badge color={l.color} text={l.text} />
              </li>
            ))}
          </ul>
          <EChart
            ariaLabel={t('gantt.summary', { count: rows.length })}
            option={option}
            height={rows.length * GANTT_ROW_HEIGHT + 56}
            figures={{
              caption: t('gantt.caption'),
              columns: ['step', 'start', 'planned', 'actual', 'stopped', 'statutory'].map((c) => t(`gantt.columns.${c}`)),
              rows: rows.map((r) => {
                const s = byKey.get(r.key)!;
                return {
                  key: r.key,
                  cells: [
                    stepName(s, lang),
                    formatInstant(s.acceptedAt ?? s.receivedAt),
                    formatInstant(s.dueAt),
                    s.decidedAt ? formatInstant(s.decidedAt) : t('gantt.open'),
                    s.clockStops
                      .map((c) => `${t(`gantt.stopReasons.${c.reason}`, { defaultValue: c.reason })} ${formatInstant(c.stoppedAt)} → ${c.resumedAt ? formatInstant(c.resumedAt) : t('gantt.today')}`)
                      .join(t('sep.clause')) || t('common:none'),
                    formatInstant(s.statutoryDueAt),
                  ],
                };
              }),
            }}
          />
        </>
      )}
      {notStarted > 0 && <Typography.Text type="secondary">{t('gantt.notStarted', { count: notStarted })}</Typography.Text>}
    </Card>
  );
}
