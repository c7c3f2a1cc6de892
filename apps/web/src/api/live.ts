import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import type { Schemas } from './client';
import { keysTouchedByProject, queryKeys } from './query-keys';
import type { paths } from './schema';

/** A project change as the API's live stream sends it (`event: project`). */
export type LiveProjectEvent = Schemas['LiveProjectEventDto'];

/** The stream's path, checked against the generated contract. */
const LIVE_PATH = '/api/v1/live' satisfies keyof paths;

/** Events arriving within this many ms are applied together (a burst refetches each list once, not once per event). */
export const COALESCE_MS = 50;
/** Reconnection back-off after a failure: first delay and cap, in ms (doubling, ±20 % jitter). */
export const BACKOFF_FIRST_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/** Everything the live stream may have to refetch after missing changes (every prefix it ever invalidates). */
const EVERYTHING_LIVE: ReadonlyArray<readonly unknown[]> = [
  queryKeys.all.project,
  queryKeys.all.timeline,
  queryKeys.all.projects,
  queryKeys.all.tasks,
  queryKeys.all.stuck,
  queryKeys.all.summary,
  queryKeys.all.notifications,
  queryKeys.all.events,
];

/**
 * Turns the stream's events into cache invalidations (TanStack Query refetches the mounted queries among them):
 * - `project`: that project's own data and every list or aggregate (see {@link keysTouchedByProject}); events within
 *   {@link COALESCE_MS} are merged, each key invalidated once;
 * - `resync`, and `ready` on every connection after the first: everything the stream covers, since changes may have
 *   been missed while disconnected (or while the tab was hidden, when the stream is closed).
 * Calendar queries are never touched.
 */
export class LiveInvalidator {
  private pending = new Set<string>();
  private everything = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private connections = 0;

  constructor(private readonly queryClient: QueryClient) {}

  /** Applies one message of the stream; unknown events and malformed data are ignored. */
  handle(msg: Pick<EventSourceMessage, 'event' | 'data'>): void {
    if (msg.event === 'ready') {
      this.connections += 1;
      if (this.connections > 1) this.schedule(null);
    } else if (msg.event === 'resync') {
      this.schedule(null);
    } else if (msg.event === 'project') {
      const change = parseChange(msg.data);
      if (change) this.schedule(change.code);
    }
  }

  /** Applies what is pending now (tests; and before the hook is torn down nothing needs flushing). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const keys = this.everything ? EVERYTHING_LIVE : uniqueKeys([...this.pending].flatMap((code) => keysTouchedByProject(code)));
    this.pending.clear();
    this.everything = false;
    for (const queryKey of keys) void this.queryClient.invalidateQueries({ queryKey: [...queryKey] });
  }

  /** Drops what is pending (the hook is going away). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private schedule(code: string | null): void {
    if (code === null) this.everything = true;
    else this.pending.add(code);
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }
}

function parseChange(data: string): LiveProjectEvent | null {
  try {
    const v = JSON.parse(data) as Partial<LiveProjectEvent>;
    return typeof v.code === 'string' && v.code !== '' ? (v as LiveProjectEvent) : null;
  } catch {
    return null;
  }
}

function uniqueKeys(keys: ReadonlyArray<readonly unknown[]>): ReadonlyArray<readonly unknown[]> {
  const seen = new Map<string, readonly unknown[]>();
  for (const k of keys) seen.set(JSON.stringify(k), k);
  return [...seen.values()];
}

/** The delay before reconnection attempt `attempt` (0-based), honouring a server's Retry-After (seconds) when longer. */
export function backoffMs(attempt: number, retryAfterS?: number | null, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt) * (0.8 + random() * 0.4);
  return Math.max(base, (retryAfterS ?? 0) * 1000);
}

/** The stream refused for good (the session ended): stop reconnecting. */
class StreamFatal extends Error {}
/** The stream ended or was refused for now: reconnect after the given delay. */
class StreamRetry extends Error {
  constructor(readonly retryAfterS: number | null = null) {
    super('live stream interrupted');
  }
}

/** State of the live stream, for an indicator. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

/**
 * Keeps the open pages current: subscribes to the API's live stream (`GET /api/v1/live`, server-sent events) with the
 * session's bearer token in the Authorization header (never in the URL) and invalidates the queries each change
 * touches (see {@link LiveInvalidator}). Reconnects with back-off ({@link backoffMs}) when the stream ends or fails;
 * a 401 ends the session (back to sign-in, page kept). Closed while the tab is hidden, reopened and resynced when
 * it shows again. Mount once, in the signed-in layout.
 * @returns the stream's state
 */
export function useLiveUpdates(): LiveStatus {
  const { token, signOut } = useSession();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!token) return;
    const abort = new AbortController();
    const invalidator = new LiveInvalidator(queryClient);
    let attempt = 0;
    setStatus('connecting');
    void fetchEventSource(`${globalThis.location.origin}${LIVE_PATH}`, {
      signal: abort.signal,
      headers: { Authorization: `Bearer ${token}` },
      async onopen(res) {
        if (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
          attempt = 0;
          setStatus('live');
          return;
        }
        if (res.status === 401) {
          signOut('expired');
          throw new StreamFatal('the session has ended');
        }
        const retryAfter = Number(res.headers.get('retry-after'));
        throw new StreamRetry(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
      },
      onmessage: (msg) => invalidator.handle(msg),
      onclose() {
        throw new StreamRetry(); // the server ended the stream (token expiry, shutdown): reconnect
      },
      onerror(err: unknown) {
        if (err instanceof StreamFatal || abort.signal.aborted) throw err;
        setStatus('offline');
        const delay = backoffMs(attempt, err instanceof StreamRetry ? err.retryAfterS : null);
        attempt += 1;
        return delay;
      },
    }).catch(() => undefined);
    return () => {
      abort.abort();
      invalidator.dispose();
    };
  }, [token, signOut, queryClient]);

  return token ? status : 'offline';
}
