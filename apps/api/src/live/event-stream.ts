import type { Response } from 'express';

/** Buffered bytes a stream may hold for a client that does not read before it is dropped (the client reconnects and resyncs). */
export const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * One `text/event-stream` answer (the WHATWG server-sent events format): named events with a JSON `data` line,
 * comments as heartbeats, and the `retry:` hint. Writes after the stream ended are ignored; a client that lets
 * more than {@link MAX_BUFFERED_BYTES} pile up is cut off rather than held in memory.
 */
export class EventStream {
  private ended = false;

  constructor(private readonly res: Response) {}

  /**
   * Sends the 200 head of the stream: no caching or transformation by proxies, no buffering by nginx.
   * @param retryMs the reconnection delay the client should use, in ms (`retry:` field)
   */
  open(retryMs: number): void {
    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-store, no-transform');
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    this.res.socket?.setNoDelay(true);
    this.write(`retry: ${Math.round(retryMs)}\n\n`);
  }

  /** True once ended by us or by the client. */
  get isEnded(): boolean {
    return this.ended || this.res.writableEnded || this.res.destroyed;
  }

  /** Sends one event `name` with `data` as one line of JSON. */
  send(name: string, data: unknown): void {
    this.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Sends a comment line (ignored by clients): keeps proxies and the TCP connection from timing the stream out. */
  comment(text: string): void {
    this.write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`);
  }

  /** Ends the stream (the client is expected to reconnect). */
  end(): void {
    if (this.isEnded) return;
    this.ended = true;
    this.res.end();
  }

  private write(chunk: string): void {
    if (this.isEnded) return;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.ended = true;
      this.res.destroy();
      return;
    }
    this.res.write(chunk);
  }
}
