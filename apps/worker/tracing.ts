import { trace } from '@opentelemetry/api';
import type { Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptors, InjectedSinks } from '@temporalio/worker';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORRELATION_ID_ATTRIBUTE } from '../../libs/observability/attributes.js';
import type { Tracing } from '../../libs/observability/tracing.js';
import { CORRELATION_HEADER } from '../../libs/temporal/correlation.contract.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The workflow interceptor module of a tracing worker (../../workflows/tracing.interceptors.ts): bundled after the
 * correlation module, and only when tracing is on.
 */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULE = path.resolve(here, '../../workflows/tracing.interceptors' + path.extname(fileURLToPath(import.meta.url)));

/**
 * Activity interceptors of a tracing worker: each activity (local ones too) runs in a `RunActivity:<name>` span that
 * continues the trace the workflow passed in its header (`@temporalio/interceptors-opentelemetry`), carrying the
 * correlation id of the request it runs for ({@link CORRELATION_ID_ATTRIBUTE}); the activity's log lines get the
 * trace and span ids.
 */
export function tracingActivityInterceptors(tracing: Tracing): (ctx: Context) => ActivityInterceptors {
  return (ctx) => {
    const traced = new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer });
    return {
      inbound: {
        execute: (input, next) =>
          traced.execute(input, (inner) => {
            const header = inner.headers[CORRELATION_HEADER];
            const id: unknown = header === undefined ? undefined : defaultPayloadConverter.fromPayload(header);
            if (typeof id === 'string') trace.getActiveSpan()?.setAttribute(CORRELATION_ID_ATTRIBUTE, id);
            return next(inner);
          }),
      },
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    };
  };
}

/** The sink through which the workflow sandbox's spans reach `tracing`'s span processor (with its resource). */
export function tracingSinks(tracing: Tracing): InjectedSinks<OpenTelemetrySinks> {
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}
