import { Badge, Card, Typography } from 'antd';
import { CustomChart, GraphChart } from 'echarts/charts';
import { use } from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { EChart, type ChartClick } from '../EChart';
import { buildStepGraphOption, CATEGORY_COLORS, CATEGORY_ORDER, graphSize, nodeCategory } from './step-graph-option';
import { stepName } from './step-info';

// The project page's two chart types (the shared EChart registers the grid, tooltip and canvas renderer).
use([GraphChart, CustomChart]);

type Step = Schemas['StepDto'];

/** Props of {@link StepGraph}. */
export interface StepGraphProps {
  project: Pick<Schemas['ProjectDto'], 'name' | 'steps'>;
  selectedKey: string | null;
  /** Called with a step's key when its node is clicked. */
  onSelect: (key: string) => void;
}

/**
 * The project's steps as a dependency graph (ECharts `graph`, laid out left to right by dependency depth), each node
 * coloured by its light while it runs and by its state otherwise, with an HTML legend of the colours in use. For
 * screen readers the canvas is one image whose label counts the steps by colour class, and a table lists every step
 * with its state, light, department and dependencies.
 */
export function StepGraph({ project, selectedKey, onSelect }: StepGraphProps) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const steps = project.steps;
  const byKey = useMemo(() => new Map(steps.map((s) => [s.key, s])), [steps]);
  const category = (c: string) => t(`graph.categories.${c}`, { defaultValue: c });

  const option = useMemo(
    () =>
      buildStepGraphOption(
        steps,
        {
          stepName: (s: Step) => stepName(s, lang),
          describe: (s: Step) =>
            [category(nodeCategory(s)), t(`common:departments.${s.department}`, { defaultValue: s.department })].join(' · '),
        },
        selectedKey,
      ),
    [steps, lang, selectedKey],
  );
  const size = useMemo(() => graphSize(steps), [steps]);
  const present = CATEGORY_ORDER.filter((c) => steps.some((s) => nodeCategory(s) === c));
  const counts = present.map((c) => `${category(c)} ${steps.filter((s) => nodeCategory(s) === c).length}`).join(t('sep.count'));

  const onClick = (p: ChartClick) => {
    const id = (p.data as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && byKey.has(id)) onSelect(id);
  };

  return (
    <Card title={t('graph.title')} size="small">
      <ul aria-label={t('graph.legend')} style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', listStyle: 'none', margin: '0 0 8px', padding: 0 }}>
        {present.map((c) => (
          <li key={c} data-category={c}>
            <Badge color={CATEGORY_COLORS[c]} text={category(c)} />
          </li>
        ))}
      </ul>
      <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={t('graph.title')}>
        <div style={{ minWidth: size.width }}>
          <EChart
            ariaLabel={t('graph.summary', { name: project.name, count: steps.length, counts })}
            option={option}
            height={size.height}
            onClick={onClick}
            figures={{
              caption: t('graph.caption'),
              columns: [t('graph.columns.step'), t('graph.columns.state'), t('graph.columns.light'), t('graph.columns.department'), t('graph.columns.dependsOn')],
              rows: steps.map((s) => ({
                key: s.key,
                cells: [
                  stepName(s, lang),
                  t(`common:states.${s.state}`, { defaultValue: s.state }),
                  s.light ? t(`common:lights.${s.light}`) : '—',
                  t(`common:departments.${s.department}`, { defaultValue: s.department }),
                  s.dependsOn.map((d) => (byKey.get(d) ? stepName(byKey.get(d)!, lang) : d)).join(t('sep.list')) || t('common:none'),
                ],
              })),
            }}
          />
        </div>
      </div>
      <Typography.Text type="secondary">{t('graph.hint')}</Typography.Text>
    </Card>
  );
}
