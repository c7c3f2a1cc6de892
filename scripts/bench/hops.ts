/*
 * The per-hop breakdown of officer actions printed by `npm run bench:actions`, from a pass in which the API traces
 * (each action one trace: the HTTP request's span, its children in the API, the Temporal Update's client span) and the
 * worker does not (spans inside the workflow sandbox would slow the Update they measure several times over) but times
 * its activities; the actions run one at a time, so the local activities that ran within an Update's span are its.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** An action's request span: `POST /api/v1/projects/:code/steps/:step/actions`. */
const ACTION_ROUTE = /^POST \S*\/projects\/:code\/steps\/:step\/actions$/;
/** The Temporal client's span of the Update (`StartWorkflowUpdate:stepAction`). */
const UPDATE = /^(StartWorkflowUpdate|UpdateWorkflow|ExecuteWorkflowUpdate):stepAction$/;
/** The API's own hops, in the order a request meets them. */
const API_HOPS = ['authentication', 'authorization: read-model lookup', 'idempotency: begin', 'answer mapping', 'idempotency: complete'];

function ms(span: ReadableSpan): number {
  return span.duration[0] * 1e3 + span.duration[1] / 1e6;
}

function epochMs(t: ReadableSpan['endTime']): number {
  return t[0] * 1e3 + t[1] / 1e6;
}

/** One run of an activity in the worker: its name and when it started and ended (epoch ms). */
export interface ActivityRun {
  name: string;
  startMs: number;
  endMs: number;
}

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

/**
 * The breakdown of the actions among `spans`, the first `skip` (by start) left out as warm-up.
 * @param activityRuns the worker's activity runs in the same time (epoch ms, the clock the spans use)
 * @returns printable lines: per hop its median and p99 in milliseconds and its share of the median action; the
 *   Update split into each local activity that ran within its span and the rest (Temporal's server round trips and
 *   the workflow tasks); the remainder of the request (NestJS, validation, JSON)
 */
export function hopBreakdown(spans: readonly ReadableSpan[], skip: number, activityRuns: readonly ActivityRun[]): string[] {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const s of spans) {
    const id = s.spanContext().traceId;
    byTrace.set(id, [...(byTrace.get(id) ?? []), s]);
  }
  const roots = spans
    .filter((s) => ACTION_ROUTE.test(s.name))
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
    .slice(skip);
  const hops = new Map<string, number[]>();
  const add = (hop: string, value: number): void => {
    hops.set(hop, [...(hops.get(hop) ?? []), value]);
  };
  for (const root of roots) {
    const trace = byTrace.get(root.spanContext().traceId) ?? [];
    const total = ms(root);
    add('whole action (HTTP request)', total);
    let accounted = 0;
    for (const hop of API_HOPS) {
      const d = trace.filter((s) => s.name === hop).reduce((a, s) => a + ms(s), 0);
      add(`  ${hop}`, d);
      accounted += d;
    }
    const update = trace.find((s) => UPDATE.test(s.name));
    const updateMs = update ? ms(update) : 0;
    add('  Temporal Update (client span)', updateMs);
    accounted += updateMs;
    let inActivities = 0;
    const activities = new Map<string, number>();
    const [from, to] = update ? [epochMs(update.startTime), epochMs(update.endTime)] : [0, -1];
    for (const run of activityRuns.filter((r) => r.startMs >= from && r.endMs <= to)) {
      activities.set(run.name, (activities.get(run.name) ?? 0) + run.endMs - run.startMs);
      inActivities += run.endMs - run.startMs;
    }
    for (const name of ['planClocks', 'syncReadModel', ...activities.keys()].filter((n, i, a) => a.indexOf(n) === i)) {
      add(`    local activity ${name}`, activities.get(name) ?? 0);
    }
    add('    rest of the Update (server round trips, workflow tasks)', Math.max(0, updateMs - inActivities));
    add('  rest of the request (NestJS pipeline, validation, JSON)', Math.max(0, total - accounted));
  }
  if (roots.length === 0) return ['(no traced action found)'];
  const medianTotal = quantile([...hops.get('whole action (HTTP request)')!].sort((a, b) => a - b), 0.5);
  const width = Math.max(...[...hops.keys()].map((k) => k.length));
  return [...hops.entries()].map(([hop, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    const share = medianTotal > 0 ? ((median / medianTotal) * 100).toFixed(0) : '0';
    return `${hop.padEnd(width)}  median ${median.toFixed(1).padStart(6)} ms  p99 ${quantile(sorted, 0.99).toFixed(1).padStart(6)} ms  (${share.padStart(3)}% of the median action)  n=${sorted.length}`;
  });
}
