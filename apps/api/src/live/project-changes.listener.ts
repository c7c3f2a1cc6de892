import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { parseProjectChange, PROJECT_CHANGES_CHANNEL, type ProjectChange } from '../../../../libs/persistence/index.js';

/** What the listener tells its subscribers: a project changed, or "you may have missed changes: refetch". */
export type LiveSignal = { kind: 'change'; change: ProjectChange } | { kind: 'resync' };

/** How the listener reaches PostgreSQL (the API's DATABASE_URL). */
export interface ProjectChangesListenerOptions {
  databaseUrl: string;
  /** First reconnect delay in ms; doubles per failed attempt up to {@link maxBackoffMs}. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the idle connection is checked with `SELECT 1`, in ms (a half-open TCP connection hears nothing). */
  pingIntervalMs?: number;
}

/** Token of {@link ProjectChangesListenerOptions}. */
export const LIVE_LISTENER_OPTIONS = Symbol('LIVE_LISTENER_OPTIONS');

/** `application_name` of the listening connection, so an operator (or a test) can find it in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'approvals-api-live';

/**
 * The one PostgreSQL connection per API process that LISTENs on the read model's `project_changes` channel and
 * hands every announcement to the subscribers (the open `/live` streams of this process). Every replica holds its
 * own, so no replica needs another's memory (DESIGN.md §6).
 *
 * A lost connection (database restart, `pg_terminate_backend`, a dead TCP peer found by the periodic ping) is
 * logged and re-established with exponential back-off; announcements sent meanwhile are lost, so after every
 * re-established connection subscribers get a `resync` and refetch what they show.
 */
@Injectable()
export class ProjectChangesListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectChangesListener.name);
  private readonly subscribers = new Set<(signal: LiveSignal) => void>();
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private attempt = 0;
  private everConnected = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly pingIntervalMs: number;

  constructor(@Inject(LIVE_LISTENER_OPTIONS) private readonly options: ProjectChangesListenerOptions) {
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 30_000;
  }

  /** True while the connection is up and LISTENing. */
  get isListening(): boolean {
    return this.listening;
  }

  /** Number of subscribers (open streams of this process). */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Adds a subscriber; it is called synchronously for each signal and must not throw.
   * @returns the function that removes it
   */
  subscribe(fn: (signal: LiveSignal) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Connects at start; a failure is logged and retried in the background (the API serves without live updates meanwhile). */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  /** Stops listening and reconnecting. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    this.subscribers.clear();
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
    });
    this.client = client;
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (msg) => {
      if (msg.channel !== PROJECT_CHANGES_CHANNEL) return;
      const change = parseProjectChange(msg.payload);
      if (change) this.publish({ kind: 'change', change });
      else this.logger.warn({ payload: msg.payload?.slice(0, 200) }, 'ignored an announcement that is not a project change');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PROJECT_CHANGES_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.client !== client) return; // lost (and replaced) while connecting
    this.listening = true;
    this.attempt = 0;
    this.pingTimer = setInterval(() => void this.ping(client), this.pingIntervalMs);
    this.pingTimer.unref();
    if (this.everConnected) {
      this.logger.log(`listening on ${PROJECT_CHANGES_CHANNEL} again; ${this.subscribers.size} stream(s) told to resync`);
      this.publish({ kind: 'resync' });
    } else {
      this.logger.log(`listening on ${PROJECT_CHANGES_CHANNEL}`);
    }
    this.everConnected = true;
  }

  private async ping(client: pg.Client): Promise<void> {
    try {
      await client.query('SELECT 1');
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  /** Drops `client` (once) and schedules the next attempt: 250 ms, 500 ms, … up to 10 s, with ±20 % jitter. */
  private lost(client: pg.Client, err: Error | null): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    this.listening = false;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    client.removeAllListeners('notification');
    client.on('error', () => undefined); // a late socket error of the dropped client must not crash the process
    void client.end().catch(() => undefined);
    const delay = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    this.logger.warn(
      { err: err ? { message: err.message, code: (err as { code?: string }).code } : undefined, attempt: this.attempt },
      `lost the ${PROJECT_CHANGES_CHANNEL} listener connection; reconnecting in ${Math.round(delay)} ms`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private publish(signal: LiveSignal): void {
    for (const fn of [...this.subscribers]) {
      try {
        fn(signal);
      } catch (err) {
        this.logger.error({ err }, 'a live subscriber failed');
      }
    }
  }
}
