import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { EventStream } from './event-stream.js';
import { ProjectChangesListener, type LiveSignal } from './project-changes.listener.js';

/** Interval of the heartbeat comment on every open stream, in ms. */
export const HEARTBEAT_MS = 15_000;
/** The `retry:` hint: how long a client waits before reconnecting after the stream ends, in ms. */
export const RETRY_MS = 2_000;
/** Open streams one token subject may hold on one API process (browser tabs of one person). */
export const MAX_STREAMS_PER_SUBJECT = 16;
/** Open streams one API process holds at most. */
export const MAX_STREAMS = 5_000;

interface OpenStream {
  stream: EventStream;
  subject: string;
  close(): void;
}

/**
 * The live streams of this API process: each one forwards every project change the read model announces (see
 * {@link ProjectChangesListener}) as `event: project`, tells the client to refetch everything after a listener
 * gap (`event: resync`), and beats every {@link HEARTBEAT_MS}. A stream ends when its token expires (the client
 * reconnects with a fresh token or is sent to sign-in by the 401), when the client is gone, and on shutdown, so
 * `app.close()` is never held up by an open stream.
 *
 * Every signed-in role may read every project (policy `project.read`: any), and a change carries no comment or
 * actor, so no stream is filtered: at district scale (a few actions a minute) the client decides what it shows.
 */
@Injectable()
export class LiveService implements OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private readonly open = new Set<OpenStream>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly listener: ProjectChangesListener) {
    this.heartbeat = setInterval(() => {
      for (const s of this.open) s.stream.comment('heartbeat');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Number of open streams of this process. */
  get openCount(): number {
    return this.open.size;
  }

  /**
   * Answers `req` with an event stream for `user` until one of the ends above. First frames: `retry:`, then
   * `event: ready` with `{ listening }` (false while the listener reconnects: changes arrive once it is back, after
   * a `resync`).
   * @throws ApiProblem REQUEST.RATE_LIMITED (429) when the subject already holds {@link MAX_STREAMS_PER_SUBJECT}
   *   streams here, SERVICE.UNAVAILABLE (503) when the process holds {@link MAX_STREAMS}
   */
  stream(req: Request, res: Response, user: AuthenticatedUser): void {
    if (this.open.size >= MAX_STREAMS) {
      throw new ApiProblem(ApiErrorCode.ServiceUnavailable, 'this API instance holds as many live streams as it may; retry later', undefined, {
        'Retry-After': '30',
      });
    }
    let mine = 0;
    for (const s of this.open) if (s.subject === user.id) mine += 1;
    if (mine >= MAX_STREAMS_PER_SUBJECT) {
      throw new ApiProblem(
        ApiErrorCode.RateLimited,
        `at most ${MAX_STREAMS_PER_SUBJECT} live streams per user: close another tab of the workbench`,
        undefined,
        { 'Retry-After': '30' },
      );
    }

    const stream = new EventStream(res);
    stream.open(RETRY_MS);
    const unsubscribe = this.listener.subscribe((signal: LiveSignal) => {
      if (signal.kind === 'change') stream.send('project', signal.change);
      else stream.send('resync', {});
    });
    const expiry = setTimeout(() => entry.close(), msUntilExpiry(req));
    expiry.unref();
    const entry: OpenStream = {
      stream,
      subject: user.id,
      close: () => {
        if (!this.open.delete(entry)) return;
        unsubscribe();
        clearTimeout(expiry);
        stream.end();
      },
    };
    this.open.add(entry);
    res.on('close', () => entry.close());
    stream.send('ready', { listening: this.listener.isListening });
  }

  /** Ends every open stream (shutdown runs this before the HTTP server closes). */
  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    if (this.open.size > 0) this.logger.log(`ending ${this.open.size} live stream(s) for shutdown`);
    for (const s of [...this.open]) s.close();
  }
}

/** Milliseconds until the bearer token (already verified) expires; at least 1 s, at most what a timer can hold. */
function msUntilExpiry(req: Request): number {
  const token = /^Bearer[ ]+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  let exp: number | undefined;
  try {
    exp = token ? decodeJwt(token).exp : undefined;
  } catch {
    exp = undefined;
  }
  const ms = exp === undefined ? 3_600_000 : exp * 1000 - Date.now();
  return Math.max(1_000, Math.min(ms, 2_147_000_000));
}
