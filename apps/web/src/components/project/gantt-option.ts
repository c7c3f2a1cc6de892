import dayjs from 'dayjs';
import type { Schemas } from '../../api/client';
import { ZONE } from '../../format';
import { escapeHtml, nodeColor } from './step-graph-option';

type Step = Schemas['StepDto'];

/**
 * An instant as the milliseconds of its Asia/Shanghai wall clock read as UTC. The Gantt draws with ECharts'
 * `useUTC`, so its axis shows Shanghai dates and times whatever the browser's zone.
 */
export function shanghaiWallClock(iso: string): number {
  return Date.parse(`${dayjs(iso).tz(ZONE).format('YYYY-MM-DDTHH:mm:ss')}Z`);
}

/** One clock-stopped span of a step (补正, 中止, an excluded period), wall-clock ms. */
export interface GanttStop {
  start: number;
  end: number;
  /** Still stopped: the span runs to today. */
  open: boolean;
  reason: Schemas['ClockStopDto']['reason'];
}

/** One row of the Gantt: a step that has started (received or accepted). All times are {@link shanghaiWallClock} ms. */
export interface GanttRow {
  key: string;
  /** Acceptance (受理), or receipt (收件) before it. */
  start: number;
  /** End of the published limit (`dueAt`); null while the API gives none (e.g. a stopped calendar-day clock). */
  plannedEnd: number | null;
  /** The decision, or now while the step is open. */
  actualEnd: number;
  decided: boolean;
  stops: GanttStop[];
  /** End of the statutory limit's last day (`statutoryDueAt`), null when the API gives none. */
  statutoryDue: number | null;
  /** Colour of the actual bar: the step's light while it runs, its state's colour otherwise (as in the graph). */
  color: string;
}

/**
 * The Gantt's rows: the steps that have started, in the track's order. A step never received or accepted has no
 * bar and no row.
 * @param steps the project's steps
 * @param nowMs the current instant (epoch ms), the end of open bars and spans
 */
export function ganttRows(steps: readonly Step[], nowMs: number): GanttRow[] {
  const now = shanghaiWallClock(new Date(nowMs).toISOString());
  return steps.flatMap((s) => {
    const startIso = s.acceptedAt ?? s.receivedAt;
    if (!startIso) return [];
    const start = shanghaiWallClock(startIso);
    return [
      {
        key: s.key,
        start,
        plannedEnd: s.dueAt && s.acceptedAt ? shanghaiWallClock(s.dueAt) : null,
        actualEnd: s.decidedAt ? shanghaiWallClock(s.decidedAt) : Math.max(now, start),
        decided: s.decidedAt !== null,
        stops: s.clockStops.map((c) => ({
          start: shanghaiWallClock(c.stoppedAt),
          end: c.resumedAt ? shanghaiWallClock(c.resumedAt) : Math.max(now, shanghaiWallClock(c.stoppedAt)),
          open: c.resumedAt === null,
          reason: c.reason,
        })),
        statutoryDue: s.statutoryDueAt ? shanghaiWallClock(s.statutoryDueAt) : null,
        color: nodeColor(s),
      },
    ];
  });
}

/** Labels the Gantt needs, already translated. */
export interface GanttLabels {
  stepName: (key: string) => string;
  planned: string;
  actual: string;
  stopped: (reason: string) => string;
  statutoryDue: string;
  today: string;
  /** A wall-clock ms as people read it (e.g. `2022-03-05 09:00`). */
  time: (wallClockMs: number) => string;
}

/** Colours of the Gantt's marks. */
export const GANTT_COLORS = { planned: '#91caff', plannedBorder: '#1677ff', stopped: '#8c8c8c', statutory: '#820014', today: '#595959' } as const;

/** Height of one Gantt row, CSS pixels. */
export const GANTT_ROW_HEIGHT = 40;

interface RenderApi {
  value: (dim: number) => number;
  coord: (point: [number, number]) => [number, number];
  size: (span: [number, number]) => [number, number];
}
interface RenderParams {
  coordSys: { x: number; y: number; width: number; height: number };
}

/** A bar in the band of row `value(0)` from `value(1)` to `value(2)`, between fractions `top` and `bottom` of the band. */
const bar =
  (top: number, bottom: number, style: Record<string, unknown>) =>
  (_params: RenderParams, api: RenderApi) => {
    const [x0, yc] = api.coord([api.value(1), api.value(0)]);
    const [x1] = api.coord([api.value(2), api.value(0)]);
    const band = api.size([0, 1])[1];
    return {
      type: 'rect',
      shape: { x: x0, y: yc - band / 2 + band * top, width: Math.max(x1 - x0, 2), height: band * (bottom - top) },
      style,
    };
  };

const tip = (title: string, from: string, to: string) => `${escapeHtml(title)}<br/>${escapeHtml(from)} → ${escapeHtml(to)}`;

/**
 * The ECharts option of the Gantt: one row per {@link GanttRow} (first step on top), a time axis in Asia/Shanghai
 * wall-clock time (`useUTC` over {@link shanghaiWallClock} values), and custom series drawing per row the planned
 * bar (acceptance → end of the published limit, upper half), the actual bar (acceptance → decision or today, lower
 * half, coloured like the graph), grey clock-stopped spans over the actual bar, a dark-red tick on the statutory
 * limit's end, and a line at today (while a step is open).
 */
export function buildGanttOption(rows: readonly GanttRow[], labels: GanttLabels, nowMs: number) {
  const now = shanghaiWallClock(new Date(nowMs).toISOString());
  const item = (i: number, from: number, to: number, tooltip: string, extra: Record<string, unknown> = {}) => ({ value: [i, from, to], tip: tooltip, ...extra });
  const planned = rows.flatMap((r, i) =>
    r.plannedEnd === null ? [] : [item(i, r.start, r.plannedEnd, tip(`${labels.stepName(r.key)} · ${labels.planned}`, labels.time(r.start), labels.time(r.plannedEnd)))],
  );
  const actual = rows.map((r, i) =>
    item(i, r.start, r.actualEnd, tip(`${labels.stepName(r.key)} · ${labels.actual}`, labels.time(r.start), r.decided ? labels.time(r.actualEnd) : labels.today), {
      itemStyle: { color: r.color },
    }),
  );
  const stops = rows.flatMap((r, i) =>
    r.stops.map((s) => item(i, s.start, s.end, tip(`${labels.stepName(r.key)} · ${labels.stopped(s.reason)}`, labels.time(s.start), s.open ? labels.today : labels.time(s.end)))),
  );
  const statutory = rows.flatMap((r, i) =>
    r.statutoryDue === null ? [] : [item(i, r.statutoryDue, r.statutoryDue, `${escapeHtml(labels.stepName(r.key))} · ${escapeHtml(labels.statutoryDue)}<br/>${escapeHtml(labels.time(r.statutoryDue))}`)],
  );
  const common = { type: 'custom', encode: { x: [1, 2], y: 0 }, clip: true };
  return {
    animation: false,
    useUTC: true,
    tooltip: { trigger: 'item', confine: true, formatter: (p: { data?: { tip?: string } }) => p.data?.tip ?? '' },
    grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: 'time', axisLabel: { formatter: '{yyyy}-{MM}-{dd}', hideOverlap: true }, splitLine: { show: true, lineStyle: { color: '#f0f0f0' } } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => labels.stepName(r.key)), axisTick: { show: false }, axisLabel: { width: 180, overflow: 'truncate' } },
    series: [
      { ...common, id: 'planned', name: labels.planned, renderItem: bar(0.1, 0.45, { fill: GANTT_COLORS.planned, stroke: GANTT_COLORS.plannedBorder, lineWidth: 1 }), data: planned },
      {
        ...common,
        id: 'actual',
        name: labels.actual,
        renderItem: (params: RenderParams, api: RenderApi & { visual: (k: string) => string }) => bar(0.5, 0.9, { fill: api.visual('color') })(params, api),
        data: actual,
      },
      { ...common, id: 'stopped', name: labels.stopped(''), renderItem: bar(0.5, 0.9, { fill: GANTT_COLORS.stopped, opacity: 0.85 }), data: stops },
      {
        ...common,
        id: 'statutory',
        name: labels.statutoryDue,
        renderItem: (_params: RenderParams, api: RenderApi) => {
          const [x, yc] = api.coord([api.value(1), api.value(0)]);
          const band = api.size([0, 1])[1];
          return { type: 'rect', shape: { x: x - 2, y: yc - band * 0.45, width: 4, height: band * 0.9 }, style: { fill: GANTT_COLORS.statutory } };
        },
        data: statutory,
      },
      {
        type: 'custom',
        id: 'today',
        name: labels.today,
        silent: true,
        encode: { x: 0 },
        renderItem: (params: RenderParams, api: RenderApi) => {
          const [x] = api.coord([api.value(0), 0]);
          const { y, height } = params.coordSys;
          return { type: 'line', shape: { x1: x, y1: y, x2: x, y2: y + height }, style: { stroke: GANTT_COLORS.today, lineDash: [4, 4], lineWidth: 1 } };
        },
        // Only while a bar is open: a finished project's chart should not stretch to today.
        data: rows.some((r) => !r.decided) ? [{ value: [now] }] : [],
      },
    ],
  };
}
