import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSse, type SseConnection, type SseEvent } from '../../scripts/bench/sse-reader.js';
import { LISTENER_APPLICATION_NAME } from '../../apps/api/src/live/project-changes.listener.js';
import { API, ApiClient, bearerOf, officer, projectCode, SUPERVISOR } from '../support/api-client.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/*
 * The live stream (GET /api/v1/live) against the whole stack: an officer's action reaches an open stream as an
 * `event: project` once the read model commits it; no token, no stream; a dropped LISTEN connection comes back and
 * tells the streams to resync; shutdown ends open streams instead of waiting for them.
 */
const DRC = officer('drc-wang', 'development_reform');
const NR = officer('nr-zhao', 'natural_resources');

/** Generous bound for an event after the action's answer (measured: a few ms; printed below). */
const EVENT_BOUND_MS = 3_000;

interface ChangeData {
  code: string;
  version: number;
  stage: string;
  status: string;
  light: string;
  departments: string[];
  timelineSeq: number | null;
}

const changeOf = (e: SseEvent): ChangeData => JSON.parse(e.data) as ChangeData;
const isChangeOf = (code: string, minVersion: number) => (e: SseEvent) => e.event === 'project' && changeOf(e).code === code && changeOf(e).version > minVersion;

describe('live stream of project changes (e2e)', () => {
  let stack: TestStack;
  let api: ApiClient;
  const streams: SseConnection[] = [];

  const subscribe = async (token = bearerOf(NR)!): Promise<SseConnection> => {
    const s = await openSse(`${stack.baseUrl}${API}/live`, token);
    streams.push(s);
    expect(s.status).toBe(200);
    await s.waitFor((e) => e.event === 'ready', 2_000);
    return s;
  };

  beforeAll(async () => {
    stack = await startTestStack('e2e_live');
    api = new ApiClient(stack.baseUrl);
  }, 120_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await stack?.close();
  });

  it('sends an event for the project an officer acted on, after the read model has it', async () => {
    const code = projectCode(701);
    await api.registerOk(code);
    const before = await api.projectOk(code);
    const stream = await subscribe();
    expect(stream.contentType).toMatch(/^text\/event-stream/);

    const sent = performance.now();
    await api.act(code, 'project_filing', 'accept', DRC);
    const answered = performance.now();
    const event = await stream.waitFor(isChangeOf(code, before.version), EVENT_BOUND_MS);
    process.stdout.write(
      `live event: ${(event.receivedAt - sent).toFixed(1)} ms after the action was sent, ${(event.receivedAt - answered).toFixed(1)} ms after its answer\n`,
    );
    expect(event.receivedAt - answered).toBeLessThan(EVENT_BOUND_MS);

    const change = changeOf(event);
    expect(change).toEqual({
      code,
      version: expect.any(Number),
      stage: expect.any(String),
      status: 'active',
      light: expect.stringMatching(/^(green|yellow|red)$/),
      departments: expect.arrayContaining(['development_reform', 'natural_resources']),
      timelineSeq: expect.any(Number),
    });
    // What the event announces is what a refetch now shows.
    const after = await api.projectOk(code);
    expect(after.version).toBeGreaterThanOrEqual(change.version);
    expect(after.steps.find((s) => s.key === 'project_filing')?.state).toBe('in_review');
  });

  it('sends the same change to every open stream, whatever the role', async () => {
    const code = projectCode(702);
    await api.registerOk(code);
    const before = await api.projectOk(code);
    const officerStream = await subscribe(bearerOf(NR)!);
    const supervisorStream = await subscribe(bearerOf(SUPERVISOR)!);
    await api.act(code, 'project_filing', 'accept', DRC);
    const [a, b] = await Promise.all([
      officerStream.waitFor(isChangeOf(code, before.version), EVENT_BOUND_MS),
      supervisorStream.waitFor(isChangeOf(code, before.version), EVENT_BOUND_MS),
    ]);
    expect(changeOf(a)).toEqual(changeOf(b));
  });

  it('refuses a stream without a bearer token with a 401 problem', async () => {
    const res = await fetch(`${stack.baseUrl}${API}/live`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('AUTH.UNAUTHENTICATED');
    expect(problem.detail).toContain('bearer token');
  });

  it('re-establishes a dropped LISTEN connection, tells the streams to resync, and events flow again', async () => {
    const code = projectCode(703);
    await api.registerOk(code);
    const before = await api.projectOk(code);
    const stream = await subscribe();

    const listeners: Array<{ pid: number }> = await stack.dataSource.query(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [LISTENER_APPLICATION_NAME],
    );
    expect(listeners).toHaveLength(1);
    await stack.dataSource.query('SELECT pg_terminate_backend($1)', [listeners[0]!.pid]);
    await stream.waitFor((e) => e.event === 'resync', 5_000);

    await api.act(code, 'project_filing', 'accept', DRC);
    await stream.waitFor(isChangeOf(code, before.version), EVENT_BOUND_MS);
  });

  it('ends open streams on shutdown instead of waiting for them', async () => {
    const stream = await subscribe();
    const started = performance.now();
    await stack.app.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    await stream.closed;
  }, 15_000);
});
