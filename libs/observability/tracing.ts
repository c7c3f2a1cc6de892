import { context, propagation, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry traces of the API and the worker: one trace per officer action, from the HTTP request through the
 * Temporal start/Update/signal into the workflow and the activities it runs (the Temporal part is
 * `@temporalio/interceptors-opentelemetry`'s). Off unless configured, and then nothing is installed at all: no
 * provider, no middleware, no interceptor. Configured by the standard variables:
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): send spans there, OTLP over HTTP
 *   (JSON; e.g. `http://127.0.0.1:4318` of an OpenTelemetry Collector or Jaeger), with `OTEL_EXPORTER_OTLP_HEADERS`;
 * - `OTEL_TRACES_EXPORTER`: `otlp` (to the endpoint, default `http://localhost:4318`), `console` (standard output)
 *   or `none` (off even with an endpoint); `OTEL_SDK_DISABLED=true` also turns it off;
 * - the SDK's own: `OTEL_TRACES_SAMPLER`(`_ARG`), `OTEL_BSP_*` (batching), `OTEL_RESOURCE_ATTRIBUTES`.
 * The service name is fixed per process (`approvals-api`, `approvals-worker`), so one environment can serve both.
 */

/** The service names the processes report (`service.name`). */
export type TracedService = 'approvals-api' | 'approvals-worker';

/** A setting of tracing an operator must fix (the process exits with the configuration exit code). */
export class TracingConfigurationError extends Error {
  override readonly name = 'TracingConfigurationError';
}

/** Tracing of this process, once started. */
export interface Tracing {
  readonly serviceName: string;
  /** The tracer of this project's own spans (HTTP requests) and of the Temporal interceptors. */
  readonly tracer: Tracer;
  /** `service.name` plus the SDK's defaults and `OTEL_RESOURCE_ATTRIBUTES`; the workflow span sink needs it. */
  readonly resource: Resource;
  /** Where every ended span goes; the worker hands it to the workflow span sink as well. */
  readonly spanProcessor: SpanProcessor;
  /** Sends the spans still buffered (at the API's shutdown: the process ends right after). */
  flush(): Promise<void>;
  /** Sends the spans still buffered, then uninstalls tracing (the global provider, context manager, propagator). */
  shutdown(): Promise<void>;
}

/** Options of {@link startTracing}. */
export interface TracingOptions {
  serviceName: TracedService | string;
  /** Where spans go: OTLP or console from {@link traceExporterFromEnv}; an in-memory exporter in tests. */
  exporter: SpanExporter;
  /** Batch spans before export (default; `OTEL_BSP_*` tune it); false exports each span as it ends (tests). */
  batch?: boolean;
}

let active: Tracing | null = null;

/** The tracing of this process, or null when it is off (the API's middleware and client interceptor read this). */
export function activeTracing(): Tracing | null {
  return active;
}

/**
 * The exporter the environment asks for, or null when tracing is off (no endpoint and no `OTEL_TRACES_EXPORTER`,
 * `none`, or `OTEL_SDK_DISABLED=true`).
 * @throws TracingConfigurationError for an `OTEL_TRACES_EXPORTER` other than otlp, console or none
 */
export function traceExporterFromEnv(env: NodeJS.ProcessEnv = process.env): SpanExporter | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = named.filter((s) => s !== 'otlp' && s !== 'console' && s !== 'none');
  if (unknown.length > 0) throw new TracingConfigurationError(`OTEL_TRACES_EXPORTER must be otlp, console or none; got ${unknown.join(', ')}`);
  if (named.includes('none')) return null;
  // The traces URL as the specification builds it: the signal's own endpoint as is, else the base one + /v1/traces.
  const own = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = own || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (named.includes('otlp')) return new OTLPTraceExporter(url ? { url } : {});
  if (named.includes('console')) return new ConsoleSpanExporter();
  return url ? new OTLPTraceExporter({ url }) : null;
}

/**
 * Starts tracing for this process as the environment says ({@link traceExporterFromEnv}), or does nothing.
 * @returns the started tracing, or null when it is off
 * @throws TracingConfigurationError as traceExporterFromEnv
 */
export function startTracingFromEnv(serviceName: TracedService, env: NodeJS.ProcessEnv = process.env): Tracing | null {
  const exporter = traceExporterFromEnv(env);
  return exporter ? startTracing({ serviceName, exporter }) : null;
}

/**
 * Installs a tracer provider exporting to `options.exporter` as this process's global one, with the asynchronous
 * context manager (a request's span stays current across its awaits) and the W3C trace-context propagator (an
 * incoming `traceparent` is continued). One at a time per process.
 * @throws Error when tracing is already started
 */
export function startTracing(options: TracingOptions): Tracing {
  if (active) throw new Error(`tracing is already started for ${active.serviceName}`);
  const resource = Resource.default()
    .merge(envDetectorSync.detect())
    .merge(new Resource({ [ATTR_SERVICE_NAME]: options.serviceName }));
  const spanProcessor = options.batch === false ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter);
  const provider = new NodeTracerProvider({ resource, mergeResourceWithDefaults: false, spanProcessors: [spanProcessor] });
  provider.register();
  const tracing: Tracing = {
    serviceName: options.serviceName,
    tracer: provider.getTracer('major-project-approvals'),
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      if (active === tracing) active = null;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  active = tracing;
  return tracing;
}

/**
 * Runs `work` in a child span `name` of the current span when tracing is on (an error marks the span and is
 * rethrown); without tracing it only runs `work`. For the hops of a request that have no span of their own (the
 * authorization's read-model lookup, the idempotency record, the answer's mapping), so a trace shows each one.
 * @returns what `work` returns
 */
export async function inSpan<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  if (!active) return work();
  return active.tracer.startActiveSpan(name, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
