import type { FetchEventSourceInit } from '@microsoft/fetch-event-source';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, COALESCE_MS, useLiveUpdates } from '../src/api/live';
import { queryKeys } from '../src/api/query-keys';
import { SessionProvider, useSession } from '../src/auth/session';

/* The live stream's effect on the page: which cached queries go stale on each event, and the session on a 401. */

const opened: Array<{ url: string; init: FetchEventSourceInit }> = [];
vi.mock('@microsoft/fetch-event-source', () => ({
  fetchEventSource: vi.fn((url: string, init: FetchEventSourceInit) => {
    opened.push({ url, init });
    return new Promise<void>(() => undefined);
  }),
}));

const CODE = '2022-330602-39-03-000101';
const OTHER = '2022-330602-39-03-000102';

function tokenFor(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256' })}.${b64({ sub: 'nrp-li', roles: ['officer'], department: 'natural_resources', exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.sig`;
}

function seed(client: QueryClient): void {
  const keys = [
    queryKeys.project(CODE),
    queryKeys.timeline(CODE),
    queryKeys.project(OTHER),
    queryKeys.timeline(OTHER),
    queryKeys.tasks({ page: 1 }),
    queryKeys.stuck({ light: 'red' }),
    queryKeys.summary(),
    queryKeys.projects({ stage: 'land' }),
    queryKeys.notifications(),
    queryKeys.calendar(2026),
  ];
  for (const k of keys) client.setQueryData([...k], { seeded: true });
}

const stale = (client: QueryClient, key: readonly unknown[]) => client.getQueryState([...key])?.isInvalidated ?? false;

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  seed(client);
  const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, createElement(SessionProvider, null, children));
  const hook = renderHook(() => ({ status: useLiveUpdates(), session: useSession() }), { wrapper });
  const stream = opened.at(-1)!;
  const send = (event: string, data: unknown) =>
    act(() => {
      stream.init.onmessage?.({ id: '', event, data: JSON.stringify(data), retry: undefined });
      vi.advanceTimersByTime(COALESCE_MS);
    });
  return { client, hook, stream, send };
}

describe('useLiveUpdates', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    opened.length = 0;
    sessionStorage.setItem('approvals.token', tokenFor({}));
  });
  afterEach(() => {
    vi.useRealTimers();
    sessionStorage.clear();
  });

  it('subscribes with the bearer token in the Authorization header, not in the URL', () => {
    const { stream } = setup();
    expect(stream.url).toBe(`${location.origin}/api/v1/live`);
    expect(stream.init.headers).toEqual({ Authorization: `Bearer ${sessionStorage.getItem('approvals.token')}` });
  });

  it("refetches the changed project's page and every list, and leaves other projects and the calendar alone", async () => {
    const { client, send } = setup();
    await send('ready', { listening: true });
    expect(stale(client, queryKeys.tasks({ page: 1 }))).toBe(false); // the first connection has nothing to catch up on

    await send('project', { code: CODE, version: 7, stage: 'land', status: 'active', light: 'red', departments: ['natural_resources'], timelineSeq: 9 });
    expect(stale(client, queryKeys.project(CODE))).toBe(true);
    expect(stale(client, queryKeys.timeline(CODE))).toBe(true);
    for (const k of [queryKeys.tasks({ page: 1 }), queryKeys.stuck({ light: 'red' }), queryKeys.summary(), queryKeys.projects({ stage: 'land' }), queryKeys.notifications()]) {
      expect(stale(client, k)).toBe(true);
    }
    expect(stale(client, queryKeys.project(OTHER))).toBe(false);
    expect(stale(client, queryKeys.timeline(OTHER))).toBe(false);
    expect(stale(client, queryKeys.calendar(2026))).toBe(false);
  });

  it('refetches every project after a reconnection or a resync (changes may have been missed)', async () => {
    const { client, send } = setup();
    await send('ready', { listening: true });
    await send('ready', { listening: true }); // reconnected
    expect(stale(client, queryKeys.project(OTHER))).toBe(true);
    expect(stale(client, queryKeys.calendar(2026))).toBe(false);

    seed(client);
    await send('resync', {});
    expect(stale(client, queryKeys.project(CODE))).toBe(true);
  });

  it('ignores events it does not know and malformed data', async () => {
    const { client, stream } = setup();
    act(() => {
      stream.init.onmessage?.({ id: '', event: 'project', data: 'not json', retry: undefined });
      stream.init.onmessage?.({ id: '', event: 'something-new', data: '{}', retry: undefined });
      vi.advanceTimersByTime(COALESCE_MS);
    });
    expect(stale(client, queryKeys.tasks({ page: 1 }))).toBe(false);
  });

  it('ends the session when the stream answers 401, and stops reconnecting', async () => {
    const { hook, stream } = setup();
    const res = new Response('{}', { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
    let thrown: unknown;
    await act(async () => {
      await stream.init.onopen!(res).catch((e: unknown) => (thrown = e));
    });
    expect(hook.result.current.session.user).toBeNull();
    expect(hook.result.current.session.endedBecause).toBe('expired');
    expect(() => stream.init.onerror!(thrown)).toThrow();
  });

  it('reconnects with back-off when the server ends the stream, and honours Retry-After', async () => {
    const { stream } = setup();
    const ok = new Response('', { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    await act(async () => stream.init.onopen!(ok));
    let ended: unknown;
    try {
      stream.init.onclose!();
    } catch (e) {
      ended = e;
    }
    let first = 0;
    act(() => {
      first = stream.init.onerror!(ended) as number;
    });
    expect(first).toBeGreaterThanOrEqual(800);
    expect(first).toBeLessThanOrEqual(1200);

    const limited = new Response('{}', { status: 429, headers: { 'Retry-After': '30' } });
    let refused: unknown;
    await act(async () => {
      await stream.init.onopen!(limited).catch((e: unknown) => (refused = e));
    });
    let next = 0;
    act(() => {
      next = stream.init.onerror!(refused) as number;
    });
    expect(next).toBeGreaterThanOrEqual(30_000);
  });
});

describe(backoffMs.name, () => {
  it('doubles from 1 s up to 30 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, null, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});
