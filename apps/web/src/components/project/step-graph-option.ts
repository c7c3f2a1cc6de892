import type { Schemas } from '../../api/client';
import { LIGHT_COLORS } from '../tags';
import { layoutSteps } from '../step-graph-layout';

type Step = Schemas['StepDto'];

/** States in which a step's clock runs (or is stopped for a supplement): its light is what matters then. */
export const RUNNING_STATES: ReadonlySet<string> = new Set(['received', 'in_review', 'supplement_requested']);

/** States in which a step no longer holds its dependents back (the domain's isStepDone, libs/domain/project/core.ts). */
export const DONE_STATES: ReadonlySet<string> = new Set(['approved', 'delivered', 'waived']);

/**
 * A node's colour class: `light_green|light_yellow|light_red` for a running step with a light, otherwise its state
 * (`blocked`, `ready`, `approved` …). One class, one colour, one legend entry.
 */
export function nodeCategory(step: Pick<Step, 'state' | 'light'>): string {
  return RUNNING_STATES.has(step.state) && step.light ? `light_${step.light}` : step.state;
}

/** The colour of each {@link nodeCategory}: the lights from the shared light tokens, the states from a neutral set. */
export const CATEGORY_COLORS: Record<string, string> = {
  light_green: LIGHT_COLORS.green,
  light_yellow: LIGHT_COLORS.yellow,
  light_red: LIGHT_COLORS.red,
  blocked: '#bfbfbf',
  ready: '#4096ff',
  received: '#36cfc9',
  in_review: '#1677ff',
  supplement_requested: '#fa8c16',
  approved: '#1d6f8f',
  delivered: '#10239e',
  waived: '#722ed1',
  rejected: '#262626',
};

/** Categories light enough that their label is written dark. */
const DARK_TEXT: ReadonlySet<string> = new Set(['blocked', 'light_yellow', 'received']);

/** The order of the legend: lights first, then the states from not started to done. */
export const CATEGORY_ORDER = Object.keys(CATEGORY_COLORS);

/** The colour of a step's node. */
export function nodeColor(step: Pick<Step, 'state' | 'light'>): string {
  return CATEGORY_COLORS[nodeCategory(step)] ?? '#8c8c8c';
}

/** Geometry of the graph, CSS pixels. */
export const GRAPH_COLUMN_WIDTH = 150;
export const GRAPH_ROW_HEIGHT = 64;

/** Pixel size a graph of these steps wants: wide enough for every column, tall enough for the fullest one. */
export function graphSize(steps: ReadonlyArray<Pick<Step, 'key' | 'dependsOn'>>): { width: number; height: number } {
  const { columns, rows } = layoutSteps(steps);
  return { width: Math.max(columns, 1) * GRAPH_COLUMN_WIDTH + 40, height: Math.max(rows, 1) * GRAPH_ROW_HEIGHT + 40 };
}

/** Labels the option builder needs, already translated. */
export interface GraphLabels {
  /** Step name in the page's language. */
  stepName: (step: Step) => string;
  /** A line describing the step in its tooltip (state, light, department). */
  describe: (step: Step) => string;
}

/**
 * The ECharts option of the step graph: a `graph` series with fixed positions from {@link layoutSteps} (columns
 * left to right by dependency depth, rows centred in each column), one node per step coloured by
 * {@link nodeColor}, one arrow per `dependsOn` edge (solid once the dependency is done, dashed while it still holds
 * the step back). The selected step gets a thick outline.
 */
export function buildStepGraphOption(steps: readonly Step[], labels: GraphLabels, selectedKey: string | null) {
  const layout = layoutSteps(steps);
  const perColumn = new Map<number, number>();
  for (const n of layout.nodes) perColumn.set(n.depth, (perColumn.get(n.depth) ?? 0) + 1);
  const keys = new Set(steps.map((s) => s.key));
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const nodes = steps.map((s, i) => {
    const n = layout.nodes[i]!;
    const inColumn = perColumn.get(n.depth)!;
    const selected = s.key === selectedKey;
    return {
      id: s.key,
      name: labels.stepName(s),
      x: n.depth * GRAPH_COLUMN_WIDTH,
      y: (n.row - (inColumn - 1) / 2) * GRAPH_ROW_HEIGHT,
      category: nodeCategory(s),
      label: { color: DARK_TEXT.has(nodeCategory(s)) ? '#1f1f1f' : '#fff' },
      itemStyle: {
        color: nodeColor(s),
        borderColor: selected ? '#000' : s.statutoryOverdue ? '#820014' : '#fff',
        borderWidth: selected ? 4 : s.statutoryOverdue ? 3 : 1,
      },
      tooltip: { formatter: `${escapeHtml(labels.stepName(s))}<br/>${escapeHtml(labels.describe(s))}` },
    };
  });
  const edges = steps.flatMap((s) =>
    s.dependsOn
      .filter((d) => keys.has(d))
      .map((d) => ({
        source: d,
        target: s.key,
        lineStyle: { type: DONE_STATES.has(byKey.get(d)!.state) ? 'solid' : 'dashed', color: '#8c8c8c', width: 1.5 },
      })),
  );
  return {
    animation: false,
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: false,
        symbol: 'roundRect',
        symbolSize: [118, 36],
        left: 60,
        right: 60,
        top: 24,
        bottom: 24,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 8,
        categories: CATEGORY_ORDER.map((name) => ({ name })),
        label: { show: true, fontSize: 12, width: 110, overflow: 'truncate' },
        emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
        data: nodes,
        links: edges,
      },
    ],
  };
}

/** Text for ECharts' HTML tooltips, with markup characters escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
