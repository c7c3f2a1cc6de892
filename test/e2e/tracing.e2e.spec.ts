import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { CORRELATION_ID_ATTRIBUTE, PROJECT_CODE_ATTRIBUTE } from '../../libs/observability/attributes.js';
import { startTracing, type Tracing } from '../../libs/observability/tracing.js';
import { API, bearerOf, officer, PROJECT_OFFICE, projectCode, registration } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/** The spans exported so far whose name is `name` and whose correlation id is `id`. */
function named(spans: ReadableSpan[], name: string, id: string): ReadableSpan[] {
  return spans.filter((s) => s.name === name && s.attributes[CORRELATION_ID_ATTRIBUTE] === id);
}

// Tracing on (an in-memory exporter instead of an OTLP endpoint): an officer's action is one trace from the HTTP request
// through the Temporal Update into the workflow and the read-model write it causes, each span naming the request.
describe('OpenTelemetry traces, HTTP → Update → workflow → activity', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let stack: TestStack;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'approvals-api', exporter, batch: false });
    stack = await startTestStack('tracing', { tracing });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await tracing?.shutdown();
  });

  /** Waits (at most 10 s) until `found` returns the spans it looks for in what has been exported. */
  async function spansWhen(found: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const spans = exporter.getFinishedSpans();
      if (found(spans) || Date.now() > deadline) return spans;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('makes one trace of a registration and another of a step action, each with its correlation id', async () => {
    const code = projectCode(990001);
    const registered = await request(stack.baseUrl)
      .post(`${API}/projects`)
      .set('Authorization', `Bearer ${bearerOf(PROJECT_OFFICE)}`)
      .set('X-Request-Id', 'trace-register')
      .send(registration(code));
    expect(registered.status).toBe(201);
    const accepted = await request(stack.baseUrl)
      .post(`${API}/projects/${code}/steps/project_filing/actions`)
      .set('Authorization', `Bearer ${bearerOf(officer('drc-1', 'development_reform'))}`)
      .set('X-Request-Id', 'trace-accept')
      .send({ action: 'accept' });
    expect(accepted.status).toBe(200);

    const spans = await spansWhen(
      (all) => named(all, 'HandleUpdate:stepAction', 'trace-accept').length > 0 && named(all, 'RunActivity:syncReadModel', 'trace-accept').length > 0,
    );

    // The action: the API's server span, its Update call, the workflow's handling of it, and the read-model write.
    const [http] = spans.filter((s) => s.kind === SpanKind.SERVER && s.attributes[CORRELATION_ID_ATTRIBUTE] === 'trace-accept');
    expect(http?.name).toBe('POST /api/v1/projects/:code/steps/:step/actions');
    expect(http?.attributes['http.response.status_code']).toBe(200);
    expect(http?.attributes[PROJECT_CODE_ATTRIBUTE]).toBe(code);
    const [update] = named(spans, 'StartWorkflowUpdate:stepAction', 'trace-accept');
    const [handled] = named(spans, 'HandleUpdate:stepAction', 'trace-accept');
    const [written] = named(spans, 'RunActivity:syncReadModel', 'trace-accept');
    expect({ update: !!update, handled: !!handled, written: !!written }).toEqual({ update: true, handled: true, written: true });
    const traceId = http!.spanContext().traceId;
    expect([update, handled, written].map((s) => s!.spanContext().traceId)).toEqual([traceId, traceId, traceId]);
    const [validated] = named(spans, 'ValidateUpdate:stepAction', 'trace-accept');
    expect(validated?.spanContext().traceId).toBe(traceId);
    // Parent to child across the processes' boundaries: HTTP → client call → workflow handler.
    expect(update!.parentSpanId).toBe(http!.spanContext().spanId);
    expect(handled!.parentSpanId).toBe(update!.spanContext().spanId);
    // The worker's spans carry the workflow they ran for.
    expect(written!.attributes.temporalWorkflowId).toBe(`project:${code}`);

    // The registration is a trace of its own: request, workflow start (with the Update that waits for the read model, in
    // one request), and its first read-model write.
    const [registerHttp] = spans.filter((s) => s.kind === SpanKind.SERVER && s.attributes[CORRELATION_ID_ATTRIBUTE] === 'trace-register');
    expect(registerHttp?.name).toBe('POST /api/v1/projects');
    const registerTrace = registerHttp!.spanContext().traceId;
    expect(registerTrace).not.toBe(traceId);
    const [started] = named(spans, 'UpdateWithStartWorkflow:awaitSynced', 'trace-register');
    expect(started?.spanContext().traceId).toBe(registerTrace);
    const firstWrites = named(spans, 'RunActivity:syncReadModel', 'trace-register');
    expect(firstWrites.length).toBeGreaterThan(0);
    expect(firstWrites.every((s) => s.spanContext().traceId === registerTrace)).toBe(true);

    // The spans name the service; probes are not traced.
    expect(http!.resource.attributes['service.name']).toBe('approvals-api');
    const health = await request(stack.baseUrl).get(`${API}/health`);
    expect(health.status).toBe(200);
    expect(exporter.getFinishedSpans().some((s) => String(s.attributes['url.path'] ?? '').includes('/health'))).toBe(false);
  }, 60_000);
});
