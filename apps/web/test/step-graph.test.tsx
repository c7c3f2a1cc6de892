import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import '../src/i18n';
import i18n from '../src/i18n';
import { layoutSteps } from '../src/components/step-graph-layout';
import { buildStepGraphOption, CATEGORY_COLORS, nodeCategory, nodeColor } from '../src/components/project/step-graph-option';
import { StepGraph } from '../src/components/project/StepGraph';
import { LIGHT_COLORS } from '../src/components/tags';
import { PROJECT, STANDARD_STEPS } from './fixtures/project-standard';

// jsdom has no canvas: ECharts' init is replaced by a recorder of the options set and the click handler.
const chart = vi.hoisted(() => ({ options: [] as unknown[], click: null as null | ((p: unknown) => void) }));
vi.mock('echarts/core', () => ({
  use: () => undefined,
  init: () => ({
    on: (_event: string, handler: (p: unknown) => void) => {
      chart.click = handler;
    },
    setOption: (option: unknown) => chart.options.push(option),
    resize: () => undefined,
    dispose: () => undefined,
  }),
}));

const depthOf = (layout: ReturnType<typeof layoutSteps>, key: string) => layout.nodes.find((n) => n.key === key)!.depth;

beforeEach(async () => {
  await i18n.changeLanguage('zh');
  chart.options = [];
  chart.click = null;
});

describe(layoutSteps.name, () => {
  it("puts every dependency of the standard track's 20 steps left of the step that waits for it", () => {
    const layout = layoutSteps(STANDARD_STEPS);
    expect(layout.nodes).toHaveLength(20);
    for (const s of STANDARD_STEPS) {
      for (const d of s.dependsOn) expect(depthOf(layout, d)).toBeLessThan(depthOf(layout, s.key));
    }
  });

  it('places a step one column right of its deepest dependency (longest path), not of its first one', () => {
    const layout = layoutSteps(STANDARD_STEPS);
    expect(depthOf(layout, 'project_filing')).toBe(0);
    expect(depthOf(layout, 'land_prereview')).toBe(0);
    expect(depthOf(layout, 'eia_approval')).toBe(1);
    // land_use_planning_permit waits for project_filing (0) and land_contract (2): column 3.
    expect(depthOf(layout, 'land_use_planning_permit')).toBe(3);
    // groundbreaking waits for the construction permit (6), the EIA (1) and the energy review (1): column 7.
    expect(depthOf(layout, 'groundbreaking')).toBe(7);
    expect(depthOf(layout, 'in_production')).toBe(13);
    expect(layout.columns).toBe(14);
  });

  it('gives the steps of one column distinct rows, and the three joint sub-acceptances one column', () => {
    const layout = layoutSteps(STANDARD_STEPS);
    const columns = new Map<number, number[]>();
    for (const n of layout.nodes) columns.set(n.depth, [...(columns.get(n.depth) ?? []), n.row]);
    for (const rows of columns.values()) expect(new Set(rows).size).toBe(rows.length);
    const joint = ['fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing'].map((k) => depthOf(layout, k));
    expect(new Set(joint).size).toBe(1);
    expect(layout.rows).toBe(3);
  });

  it('ignores unknown dependencies and does not loop on a cycle', () => {
    const layout = layoutSteps([
      { key: 'a', dependsOn: ['b', 'ghost'] },
      { key: 'b', dependsOn: ['a'] },
      { key: 'c', dependsOn: [] },
    ]);
    expect(layout.nodes.map((n) => n.key)).toEqual(['a', 'b', 'c']);
    expect(layout.columns).toBe(2);
    expect(layoutSteps([])).toEqual({ nodes: [], columns: 0, rows: 0 });
  });
});

describe('step graph colours', () => {
  it('colours a running step by its light and any other step by its state', () => {
    const byKey = new Map(STANDARD_STEPS.map((s) => [s.key, s]));
    expect(nodeCategory(byKey.get('land_use_planning_permit')!)).toBe('light_red');
    expect(nodeColor(byKey.get('land_use_planning_permit')!)).toBe(LIGHT_COLORS.red);
    expect(nodeCategory(byKey.get('eia_approval')!)).toBe('light_yellow');
    expect(nodeCategory(byKey.get('project_filing')!)).toBe('approved');
    expect(nodeColor(byKey.get('land_title')!)).toBe(CATEGORY_COLORS.blocked);
    expect(nodeCategory({ state: 'approved', light: 'green' })).toBe('approved');
    expect(nodeCategory({ state: 'in_review', light: null })).toBe('in_review');
  });

  it('builds one node per step and one edge per dependency, dashed while the dependency is not done', () => {
    const option = buildStepGraphOption(STANDARD_STEPS, { stepName: (s) => s.nameZh, describe: () => '' }, 'land_title');
    const series = option.series[0]!;
    expect(series.data).toHaveLength(20);
    expect(series.links).toHaveLength(STANDARD_STEPS.reduce((n, s) => n + s.dependsOn.length, 0));
    const edge = (source: string, target: string) => series.links.find((l) => l.source === source && l.target === target)!;
    expect(edge('land_contract', 'land_title').lineStyle.type).toBe('solid');
    expect(edge('land_title', 'construction_permit').lineStyle.type).toBe('dashed');
    const node = (key: string) => series.data.find((n) => n.id === key)!;
    expect(node('land_use_planning_permit').itemStyle.color).toBe(LIGHT_COLORS.red);
    expect(node('land_title').itemStyle.borderWidth).toBe(4);
    expect(node('project_filing').x).toBeLessThan(node('land_use_planning_permit').x);
  });
});

describe(StepGraph.name, () => {
  function renderGraph(onSelect = vi.fn()) {
    render(
      <AntApp>
        <QueryClientProvider client={new QueryClient()}>
          <StepGraph project={PROJECT} selectedKey={null} onSelect={onSelect} />
        </QueryClientProvider>
      </AntApp>,
    );
    return onSelect;
  }

  it('offers screen readers a table of every step with its state, and a summary of the canvas', () => {
    renderGraph();
    const table = screen.getByRole('table', { name: '审批环节（依赖图的文字版）' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(20);
    const row = (name: string) => rows.find((r) => within(r).queryByRole('rowheader', { name }))!;
    expect(within(row('不动产权证')).getByText('待前置')).toBeInTheDocument();
    expect(within(row('建设用地规划许可证')).getByText('审查中')).toBeInTheDocument();
    expect(within(row('建设用地规划许可证')).getByText('红灯')).toBeInTheDocument();
    expect(within(row('项目备案/核准')).getByText('已办结')).toBeInTheDocument();
    expect(within(row('开工')).getByText('施工许可证、环境影响评价审批、节能审查')).toBeInTheDocument();
    const img = screen.getByRole('img', { name: /高端装备制造基地项目的 20 个审批环节/ });
    expect(img.getAttribute('aria-label')).toContain('办理中 · 红灯 1');
    expect(img.getAttribute('aria-label')).toContain('待前置 13');
  });

  it('shows a legend of the colours in use', () => {
    renderGraph();
    const legend = screen.getByRole('list', { name: '图例' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '办理中 · 黄灯',
      '办理中 · 红灯',
      '待前置',
      '已办结',
    ]);
  });

  it('selects the step whose node is clicked', () => {
    const onSelect = renderGraph();
    expect(chart.options.length).toBeGreaterThan(0);
    chart.click!({ dataType: 'node', data: { id: 'land_title' } });
    expect(onSelect).toHaveBeenCalledWith('land_title');
    chart.click!({ dataType: 'edge', data: { source: 'a', target: 'b' } });
    expect(onSelect).toHaveBeenCalledTimes(1);
  });
});
