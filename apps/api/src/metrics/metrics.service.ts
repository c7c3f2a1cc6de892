import { Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PROJECT_ACTIONS, STEP_ACTIONS } from '../../../../libs/domain/index.js';
import { OperationsRepository } from '../../../../libs/persistence/index.js';

/** Limit of the read-model queries of one scrape, milliseconds: a scrape never waits on a frozen database longer. */
export const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

/** Seconds buckets of the request-latency histogram: 5 ms to the 10 s request budget and beyond. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

const KNOWN_ACTIONS = new Set<string>([...STEP_ACTIONS, ...PROJECT_ACTIONS]);

/** The kind of write a request is, for `approvals_actions_total`, or null when it is not an action. */
export function actionKind(req: Request, route: string): string | null {
  if (req.method !== 'POST') return null;
  const action = (req.body as { action?: unknown } | undefined)?.action;
  const named = typeof action === 'string' && KNOWN_ACTIONS.has(action) ? action : 'other';
  if (route.endsWith('/projects/:code/steps/:step/actions')) return `step.${named}`;
  if (route.endsWith('/projects/:code/actions')) return `project.${named}`;
  if (route.endsWith('/projects')) return 'register';
  if (route.endsWith('/events')) return 'event';
  return null;
}

/** The outcome of a write by its status: succeeded (2xx), refused (4xx), unavailable (503), failed (other 5xx). */
export function outcomeOf(status: number): 'succeeded' | 'refused' | 'unavailable' | 'failed' {
  if (status < 400) return 'succeeded';
  if (status < 500) return 'refused';
  return status === 503 ? 'unavailable' : 'failed';
}

/**
 * The API's Prometheus metrics (prom-client, one registry per application):
 * - `http_request_duration_seconds{method, route, status}`: latency of every request, by the route's pattern
 *   (`/api/v1/projects/:code`, never the raw path; `unmatched` for paths no route serves);
 * - `approvals_actions_total{kind, outcome}`: registrations, step and project actions and inbound events, by outcome;
 * - `approvals_projects{light, stage}`: active and suspended projects, counted in the read model at scrape;
 * - `approvals_outbox_pending` and `approvals_outbox_oldest_age_seconds`: the notification outbox's backlog, at scrape;
 * - `approvals_metrics_scrape_errors_total`: scrapes whose read-model figures could not be read (PostgreSQL down);
 * - the process's default metrics (CPU, memory, event-loop lag, GC) with the prefix `approvals_api_`.
 * The read model's lag per project write is the worker's (`read_model_lag`, at WORKER_METRICS_PORT).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly actions: Counter<'kind' | 'outcome'>;

  constructor(@Optional() private readonly operations: OperationsRepository | null = null) {
    collectDefaultMetrics({ register: this.registry, prefix: 'approvals_api_' });
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route pattern, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.actions = new Counter({
      name: 'approvals_actions_total',
      help: 'Registrations, step actions, project actions and inbound events by kind and outcome (succeeded, refused, unavailable, failed)',
      labelNames: ['kind', 'outcome'],
      registers: [this.registry],
    });
    const scrapeErrors = new Counter({
      name: 'approvals_metrics_scrape_errors_total',
      help: 'Scrapes whose read-model figures (projects, outbox) could not be read',
      registers: [this.registry],
    });
    const projects = new Gauge({ name: 'approvals_projects', help: 'Active and suspended projects by light and stage (read model)', labelNames: ['light', 'stage'], registers: [this.registry] });
    const pending = new Gauge({ name: 'approvals_outbox_pending', help: 'Notifications waiting for delivery', registers: [this.registry] });
    const oldest = new Gauge({ name: 'approvals_outbox_oldest_age_seconds', help: 'Age of the oldest notification waiting for delivery (0: none)', registers: [this.registry] });
    this.readModelFigures = async () => {
      if (!this.operations) return;
      try {
        const [counts, backlog] = await withTimeout(Promise.all([this.operations.projectsByLightAndStage(), this.operations.outboxBacklog()]), SCRAPE_QUERY_TIMEOUT_MS);
        projects.reset();
        for (const c of counts) projects.set({ light: c.light, stage: c.stage }, c.count);
        pending.set(backlog.pending);
        oldest.set(Math.round(backlog.oldestAgeSeconds));
      } catch {
        scrapeErrors.inc();
      }
    };
  }

  /** Reads the figures kept in the read model (called once per scrape, before the registry is rendered). */
  private readonly readModelFigures: () => Promise<void>;

  /** Records one finished request: its latency, and for an action its kind and outcome. */
  observe(req: Request, res: Response, seconds: number): void {
    const route = routePattern(req);
    const status = res.statusCode;
    this.latency.observe({ method: req.method, route, status: String(status) }, seconds);
    const kind = actionKind(req, route);
    if (kind) this.actions.inc({ kind, outcome: outcomeOf(status) });
  }

  /** The exposition text of every metric (Prometheus text format 0.0.4). */
  async render(): Promise<string> {
    await this.readModelFigures();
    return this.registry.metrics();
  }

  /** The Content-Type of {@link render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The matched route's pattern with the base path (e.g. `/api/v1/projects/:code`), or `unmatched`. */
export function routePattern(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  // Nest's not-found handler is a wildcard route (`/api/v1*path`): a path no route serves.
  return typeof route?.path === 'string' && !route.path.includes('*') ? `${req.baseUrl}${route.path}` : 'unmatched';
}

/** `promise`, or a rejection after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
