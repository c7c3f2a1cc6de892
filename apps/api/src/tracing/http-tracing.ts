import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_ID_ATTRIBUTE, PROJECT_CODE_ATTRIBUTE } from '../../../../libs/observability/attributes.js';
import { routePattern } from '../metrics/metrics.service.js';
import { currentCorrelationId } from '../temporal/correlation.js';

/** Requests that get a span: the API's, but not the probes (every few seconds) nor the workbench's static files. */
const TRACED = /^\/api\/(?!v1\/health(\/|$))/;

/** The project code in a request's path (`/projects/<code>…`), as the request log's `projectCode`. */
const PROJECT_IN_PATH = /\/projects\/(\d{4}-\d{6}-\d{2}-\d{2}-\d{6})(?:\/|$)/;

/**
 * Express middleware: serves each API request inside a server span (`POST /api/v1/projects/:code/steps/:step/actions`),
 * the parent of the spans of the Temporal calls made for it, so that one officer action is one trace. An incoming
 * W3C `traceparent` is continued. When the answer is sent (or the client goes away) the span gets the route
 * pattern, the status (an error from 500 on), the correlation id (X-Request-Id, {@link CORRELATION_ID_ATTRIBUTE})
 * and the project code, and ends. Installed only when tracing is on (libs/observability/tracing.ts).
 */
export function traceRequests(tracer: Tracer): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (!TRACED.test(req.path)) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: req.path } }, parent);
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const route = routePattern(req);
      if (route !== 'unmatched') {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute(ATTR_HTTP_ROUTE, route);
      }
      const id = (req as Request & { id?: unknown }).id;
      if (id !== undefined) span.setAttribute(CORRELATION_ID_ATTRIBUTE, String(id));
      const code = PROJECT_IN_PATH.exec(req.path)?.[1];
      if (code) span.setAttribute(PROJECT_CODE_ATTRIBUTE, code);
      if (res.writableFinished) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection before the answer' });
      }
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}

/**
 * The Temporal client interceptors of a traced API: `@temporalio/interceptors-opentelemetry`'s (a span per start,
 * Update, signal and query, its context sent to the workflow in a header), then one that puts the request's
 * correlation id on that span. Listed before the correlation header's interceptor.
 */
export function tracingClientInterceptors(tracer: Tracer): WorkflowClientInterceptor[] {
  const marked = <I, O>(input: I, next: (input: I) => Promise<O>): Promise<O> => {
    const id = currentCorrelationId();
    if (id !== undefined) trace.getActiveSpan()?.setAttribute(CORRELATION_ID_ATTRIBUTE, id);
    return next(input);
  };
  const correlationOnSpan: WorkflowClientInterceptor = {
    start: marked,
    startWithDetails: marked,
    startUpdate: marked,
    startUpdateWithStart: marked,
    signal: marked,
    query: marked,
  };
  return [new OpenTelemetryWorkflowClientInterceptor({ tracer }), correlationOnSpan];
}
