/**
 * A minimal server-sent events reader for Node (fetch and a stream reader), used by the live-stream benchmark and
 * its end-to-end test: it keeps every event with the `performance.now()` at which its last byte arrived, and lets
 * the caller wait for one that matches.
 */

/** One event as received. */
export interface SseEvent {
  event: string;
  data: string;
  /** `performance.now()` when the frame was complete, in ms. */
  receivedAt: number;
}

/** An open stream. */
export interface SseConnection {
  /** The answer's status and Content-Type. */
  status: number;
  contentType: string;
  /** Every event received so far, in order. */
  events: SseEvent[];
  /** The first event (received already or later) for which `match` holds, or a rejection after `timeoutMs`. */
  waitFor(match: (e: SseEvent) => boolean, timeoutMs: number): Promise<SseEvent>;
  /** Resolves when the server ended the stream (or it broke). */
  closed: Promise<void>;
  close(): void;
}

/**
 * Opens `url` with `Authorization: Bearer <token>` and reads its events until closed.
 * @returns the connection once the answer's head arrived (any status: the caller checks it)
 */
export async function openSse(url: string, token: string | null): Promise<SseConnection> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }>();
  const push = (e: SseEvent): void => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.delete(w);
        w.resolve(e);
      }
    }
  };

  const closed = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
          let event = 'message';
          const data: string[] = [];
          for (const line of frame.split(/\r?\n/)) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length > 0) push({ event, data: data.join('\n'), receivedAt: performance.now() });
        }
      }
    } catch {
      // aborted by close(), or the connection broke: either way the stream is over
    }
  })();

  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    events,
    closed,
    close: () => abort.abort(),
    waitFor(match, timeoutMs) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<SseEvent>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (e: SseEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${timeoutMs} ms (received: ${events.map((e) => e.event).join(', ') || 'none'})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}
