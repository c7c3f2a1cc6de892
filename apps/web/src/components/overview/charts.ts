import type { Schemas } from '../../api/client';
import type { ChartOption } from '../EChart';
import { LIGHT_COLORS } from '../tags';
import { departmentLink, districtLink, lightStageLink, statutoryOverdueLink } from './links';

/** The lights in the order the charts stack them. */
export const LIGHTS = ['green', 'yellow', 'red'] as const;

/** Turns a key into the words people read (i18next's `t` bound to the right namespaces). */
export type Label = (key: string) => string;

/** One stacked bar chart's data: categories, and per series the values with the link each bar leads to. */
export interface StackedBars {
  categories: Array<{ key: string; label: string }>;
  series: Array<{ key: string; label: string; color: string; data: Array<{ value: number; link: string }> }>;
}

/**
 * Running projects by stage × light (the summary's `byLightStage`, only the combinations that occur): one bar per
 * stage, stacked green/yellow/red; each segment links to `/projects?stage=…&light=…`.
 * @param stageLabel the stage's name in the current language
 */
export function lightStageBars(rows: Schemas['LightStageCountDto'][], stageLabel: Label, lightLabel: Label): StackedBars {
  const stages = [...new Set(rows.map((r) => r.stage))];
  return {
    categories: stages.map((s) => ({ key: s, label: stageLabel(s) })),
    series: LIGHTS.map((light) => ({
      key: light,
      label: lightLabel(light),
      color: LIGHT_COLORS[light],
      data: stages.map((stage) => ({
        value: rows.find((r) => r.stage === stage && r.light === light)?.projects ?? 0,
        link: lightStageLink(stage, light),
      })),
    })),
  };
}

/**
 * Open steps per department by the light of their clock, and those whose clock has not started (ready); a
 * segment links to the department's projects (with a light, those whose worst light it is).
 */
export function departmentBars(rows: Schemas['DepartmentCountDto'][], departmentLabel: Label, lightLabel: Label, noClockLabel: string): StackedBars {
  return {
    categories: rows.map((r) => ({ key: r.department, label: departmentLabel(r.department) })),
    series: [
      ...LIGHTS.map((light) => ({
        key: light,
        label: lightLabel(light),
        color: LIGHT_COLORS[light],
        data: rows.map((r) => ({ value: r[light], link: departmentLink(r.department, light) })),
      })),
      { key: 'noClock', label: noClockLabel, color: '#8c8c8c', data: rows.map((r) => ({ value: r.noClock, link: departmentLink(r.department) })) },
    ],
  };
}

/** Projects per district by light, and the district's stuck projects beside them (linking to its stuck list). */
export function districtBars(rows: Schemas['DistrictCountDto'][], lightLabel: Label, stuckLabel: string): StackedBars {
  return {
    categories: rows.map((r) => ({ key: r.district, label: r.district })),
    series: [
      ...LIGHTS.map((light) => ({
        key: light,
        label: lightLabel(light),
        color: LIGHT_COLORS[light],
        data: rows.map((r) => ({ value: r[light], link: districtLink(r.district, light) })),
      })),
      { key: 'stuck', label: stuckLabel, color: '#531dab', data: rows.map((r) => ({ value: r.stuck, link: districtLink(r.district, 'stuck') })) },
    ],
  };
}

/** Steps past the statutory limit (超法定时限) per department; a bar links to that department's stuck list of that kind. */
export function statutoryBars(rows: Schemas['StatutoryOverdueDepartmentDto'][], departmentLabel: Label, stepsLabel: string): StackedBars {
  return {
    categories: rows.map((r) => ({ key: r.department, label: departmentLabel(r.department) })),
    series: [{ key: 'steps', label: stepsLabel, color: '#820014', data: rows.map((r) => ({ value: r.steps, link: statutoryOverdueLink(r.department) })) }],
  };
}

/**
 * The ECharts option of {@link StackedBars}: a bar per category, its series stacked (unless `stacked` is false),
 * horizontal when the category names are long (departments).
 */
export function barOption(bars: StackedBars, { horizontal = false, stacked = true } = {}): ChartOption {
  // Horizontal bars read top-down in the order given (ECharts draws a vertical category axis bottom-up).
  const categoryAxis = { type: 'category', data: bars.categories.map((c) => c.label), axisLabel: { interval: 0 }, inverse: horizontal };
  const valueAxis = { type: 'value', minInterval: 1 };
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: bars.series.map((s) => ({
      id: s.key,
      name: s.label,
      type: 'bar',
      stack: stacked ? 'total' : undefined,
      itemStyle: { color: s.color },
      emphasis: { focus: 'series' },
      data: s.data,
    })),
  };
}
