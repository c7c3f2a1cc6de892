import { BarChart, HeatmapChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type ReactNode } from 'react';
import './visually-hidden.css';

// Only the chart types and components the workbench draws, so the bundle carries no more of ECharts than that.
echarts.use([BarChart, PieChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

/** The option object ECharts draws (series, axes, legend …). */
export type ChartOption = echarts.EChartsCoreOption;

/** What ECharts reports of a click: the series and the data item (with any extra fields put on it, e.g. `link`). */
export interface ChartClick {
  seriesName?: string;
  seriesId?: string;
  name?: string;
  dataIndex?: number;
  value?: unknown;
  data?: unknown;
}

/** The figures behind a chart, as a table for screen readers and keyboard users (links allowed in cells). */
export interface ChartFigures {
  caption: string;
  columns: string[];
  rows: Array<{ key: string; cells: ReactNode[] }>;
}

/** Props of {@link EChart}. */
export interface EChartProps {
  /** What the chart shows, read out instead of the canvas (e.g. "在办项目按阶段和灯色"). */
  ariaLabel: string;
  option: ChartOption;
  /** The same figures as a table: hidden from sight until focused into, always read out. */
  figures: ChartFigures;
  /** Height in CSS pixels; the width follows the container. */
  height?: number;
  onClick?: (params: ChartClick) => void;
}

/**
 * An Apache ECharts chart: initialised on mount (canvas), updated with `setOption` when the option changes,
 * resized with its container, disposed on unmount. The canvas is one image labelled `ariaLabel`; its figures are
 * also in a table (visually hidden, shown when a keyboard user tabs into its links), so nothing depends on seeing
 * colours or on a mouse.
 */
export function EChart({ ariaLabel, option, figures, height = 320, onClick }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (p) => click.current?.(p as ChartClick));
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <figure style={{ margin: 0 }}>
      <div ref={box} role="img" aria-label={ariaLabel} style={{ width: '100%', height, cursor: onClick ? 'pointer' : undefined }} />
      <div className="visually-hidden-until-focus">
        <table>
          <caption>{figures.caption}</caption>
          <thead>
            <tr>
              {figures.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {figures.rows.map((r) => (
              <tr key={r.key}>
                {r.cells.map((c, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {c}
                    </th>
                  ) : (
                    <td key={i}>{c}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
