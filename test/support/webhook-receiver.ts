import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedCall {
  /** Arrival, ms since the epoch. */
  at: number;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as received. */
  body: string;
  /** Status the receiver answered. */
  status: number;
}

/** A local webhook receiver on a free port. */
export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:41234/hook */
  url: string;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP receiver on 127.0.0.1 that answers each POST with `respond(n, body)` — n counting calls
 * from 1 — after an optional delay in milliseconds.
 */
export async function startWebhookReceiver(respond: (n: number, body: string) => number | { status: number; delayMs: number }): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const server = createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = respond(calls.length + 1, body);
      const { status, delayMs } = typeof answer === 'number' ? { status: answer, delayMs: 0 } : answer;
      calls.push({ at, headers: req.headers, body, status });
      const reply = (): void => void res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : `receiver says ${status}`);
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`.
 * @param what names the awaited condition in the failure message
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
