import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { ApiErrorCode, problemType } from '../common/problem.js';
import type { MetricsService } from './metrics.service.js';

/** Express middleware timing every request into {@link MetricsService.observe} when its response has been sent. */
export function requestMetrics(metrics: MetricsService): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => metrics.observe(req, res, Number(process.hrtime.bigint() - started) / 1e9));
    next();
  };
}

/** Addresses of the loopback interface, as Node reports a peer (IPv4, IPv6, IPv4-mapped IPv6). */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * `GET /metrics` (outside /api/v1, where Prometheus looks by default), for operators only: with METRICS_TOKEN set, the
 * scraper sends `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without it, only callers on the loopback
 * interface get the metrics and everyone else 404, as if there were none. A reverse proxy on the same host must
 * therefore not forward `/metrics`, or a token must be set.
 * @param token METRICS_TOKEN, or undefined
 */
export function metricsEndpoint(metrics: MetricsService, token: string | undefined): (req: Request, res: Response, next: NextFunction) => void {
  const expected = token === undefined ? null : Buffer.from(`Bearer ${token}`);
  return (req, res, next) => {
    if (req.path !== '/metrics') return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        refuse(req, res, 401, ApiErrorCode.Unauthenticated, 'Unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
        return;
      }
    } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      refuse(req, res, 404, ApiErrorCode.RouteNotFound, 'Not found', `Cannot GET ${req.path}`);
      return;
    }
    metrics
      .render()
      .then((text) => res.status(200).type(metrics.contentType).send(text))
      .catch(next);
  };
}

/** A problem+json refusal of the metrics endpoint. */
function refuse(req: Request, res: Response, status: number, code: string, title: string, detail: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
  const id = (req as Request & { id?: unknown }).id;
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: problemType(code), title, status, detail, code, instance: req.originalUrl, ...(id !== undefined ? { correlationId: String(id) } : {}) }));
}
