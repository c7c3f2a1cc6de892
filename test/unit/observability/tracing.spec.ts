import { describe, expect, it } from '@jest/globals';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ConsoleSpanExporter, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inSpan, startTracing, startTracingFromEnv, traceExporterFromEnv, TracingConfigurationError } from '../../../libs/observability/tracing.js';

// Tracing follows the standard OTEL_* variables, and is off unless one asks for it.
describe('traceExporterFromEnv', () => {
  it('is off without an endpoint or an exporter named', () => {
    expect(traceExporterFromEnv({})).toBeNull();
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeNull();
  });

  it('sends to an OTLP endpoint once one is set', () => {
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeInstanceOf(OTLPTraceExporter);
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBeInstanceOf(OTLPTraceExporter);
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toBeInstanceOf(OTLPTraceExporter);
  });

  it('prints to the console when asked', () => {
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'Console' })).toBeInstanceOf(ConsoleSpanExporter);
  });

  it('stays off with none or the SDK disabled, even with an endpoint', () => {
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeNull();
    expect(traceExporterFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeNull();
  });

  it('refuses an exporter it does not have, naming it', () => {
    expect(() => traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(TracingConfigurationError);
    expect(() => traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow('got zipkin');
  });
});

// What an operator sees: with an endpoint set, the spans reach the collector there (OTLP over HTTP).
describe('startTracingFromEnv', () => {
  it('exports the spans to the configured OTLP endpoint, named by service', async () => {
    const received: Array<{ url: string; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const tracing = startTracingFromEnv('approvals-worker', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/` });
    try {
      expect(tracing).not.toBeNull();
      tracing!.tracer.startSpan('RunActivity:syncReadModel').end();
      await tracing!.flush();
      expect(received.map((r) => r.url)).toEqual(['/v1/traces']);
      expect(received[0]!.body).toContain('approvals-worker');
      expect(received[0]!.body).toContain('RunActivity:syncReadModel');
    } finally {
      await tracing?.shutdown();
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});

// A request's hops without a span of their own (the idempotency record, the authorization's lookup) show in its trace.
describe('inSpan', () => {
  it('only runs the work when tracing is off', async () => {
    await expect(inSpan('idempotency: begin', () => 42)).resolves.toBe(42);
  });

  it('runs the work in a child span of the current one, marking an error and passing it on', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ serviceName: 'approvals-api', exporter, batch: false });
    try {
      await tracing.tracer.startActiveSpan('POST /api/v1/projects/:code/steps/:step/actions', async (root) => {
        await inSpan('idempotency: begin', async () => 'begun');
        await expect(inSpan('authorization: read-model lookup', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
        root.end();
      });
      const spans = exporter.getFinishedSpans();
      const root = spans.find((s) => s.name.startsWith('POST'))!;
      const begin = spans.find((s) => s.name === 'idempotency: begin')!;
      const lookup = spans.find((s) => s.name === 'authorization: read-model lookup')!;
      expect([begin.parentSpanId, lookup.parentSpanId]).toEqual([root.spanContext().spanId, root.spanContext().spanId]);
      expect(lookup.status).toMatchObject({ code: 2, message: 'database down' });
    } finally {
      await tracing.shutdown();
    }
  });
});
