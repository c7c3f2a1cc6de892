import { DEFAULT_BACKOFF, nextAttemptAt, postWebhook, type BackoffPolicy, type ChannelSender, type WebhookResult } from '../../libs/notifications/index.js';
import type { NotificationEntity, NotificationOutboxRepository } from '../../libs/persistence/index.js';

/** The slice of a pino logger the dispatcher writes to. */
export interface DispatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What a {@link NotificationDispatcher} needs, and its tuning. Durations in milliseconds. */
export interface NotificationDispatcherOptions {
  outbox: Pick<NotificationOutboxRepository, 'claimDue' | 'markDelivered' | 'markFailed'>;
  logger: DispatcherLogger;
  /** HMAC key of the webhook signature (NOTIFICATION_WEBHOOK_SECRET); without it webhook rows fail. */
  webhookSecret?: string;
  /** Delivers `dingtalk`, `wecom` and `email` rows (built over NOTIFICATION_CHANNELS); without it such rows fail. */
  channelSender?: Pick<ChannelSender, 'send' | 'close'>;
  /** Attempts in total before a row is dead (NOTIFICATION_MAX_ATTEMPTS; default 8). */
  maxAttempts?: number;
  /** Delay after each failure (default 1 s doubling, capped at 1 h). */
  backoff?: BackoffPolicy;
  /** Pause between polls when no row was due (NOTIFICATION_POLL_INTERVAL_MS; default 1000). */
  pollIntervalMs?: number;
  /** Rows claimed and delivered together per poll (default 10). */
  batchSize?: number;
  /** How long a claim holds a row before another dispatcher may take it (default 60 000; > webhookTimeoutMs). */
  leaseMs?: number;
  /** Abort a webhook call after this long (default 10 000). */
  webhookTimeoutMs?: number;
  /** The current instant (tests may inject one). */
  clock?: () => Date;
  /** HTTP client (tests may inject one). */
  fetch?: typeof fetch;
}

const MAX_IDLE_AFTER_ERROR_MS = 30_000;

/**
 * Delivers the notification outbox, in the worker process beside the Temporal worker (not as an activity:
 * a delivery's retries and back-off belong to the outbox row, not to a workflow's history). It polls for
 * due rows, claims a batch under a lease (safe with several worker replicas), delivers each row — `log`
 * as a structured log line, `webhook` as a signed JSON POST, `dingtalk`, `wecom` and `email` through the
 * channel sender — and records the outcome: delivered on 2xx (a robot's errcode 0, an SMTP server's 250),
 * otherwise retried with exponential back-off and dead after `maxAttempts` attempts, or at once when the
 * failure is permanent (a robot's errcode meaning a wrong token or secret, an SMTP 5xx).
 *
 * Delivery is at least once: a dispatcher that dies mid-call leaves its row leased, and the next claim
 * after the lease sends it again, so receivers should deduplicate on `X-Dedupe-Key` (e-mail: the Message-ID,
 * derived from the dedupe key).
 */
export class NotificationDispatcher {
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly webhookTimeoutMs: number;
  private readonly clock: () => Date;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  /** @throws RangeError when a setting is out of range or the lease is not longer than the webhook timeout */
  constructor(private readonly opts: NotificationDispatcherOptions) {
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1_000;
    this.batchSize = opts.batchSize ?? 10;
    this.webhookTimeoutMs = opts.webhookTimeoutMs ?? 10_000;
    this.leaseMs = opts.leaseMs ?? Math.max(60_000, this.webhookTimeoutMs * 2);
    this.clock = opts.clock ?? (() => new Date());
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError('maxAttempts must be a whole number ≥ 1');
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError('batchSize must be a whole number ≥ 1');
    if (!(this.pollIntervalMs > 0)) throw new RangeError('pollIntervalMs must be positive');
    if (!(this.leaseMs > this.webhookTimeoutMs)) throw new RangeError('leaseMs must be longer than webhookTimeoutMs, or a slow call could be sent twice');
  }

  /** Starts the polling loop in the background. Does nothing while running, or once {@link stop} was called. */
  start(): void {
    if (this.loop || this.stopping) return;
    this.loop = this.run();
  }

  /**
   * Stops polling and resolves once the deliveries in flight have finished and their outcomes are
   * recorded (at most about one webhook timeout). Safe to call more than once, or before {@link start};
   * a stopped dispatcher does not start again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.opts.channelSender?.close();
  }

  /**
   * Claims one batch of due rows and delivers them all.
   * @returns how many rows were claimed
   * @throws the database's error when the claim fails (outcomes that fail to record are logged instead)
   */
  async dispatchOnce(): Promise<number> {
    const rows = await this.opts.outbox.claimDue(this.batchSize, this.clock(), this.leaseMs);
    const outcomes = await Promise.allSettled(rows.map((row) => this.deliver(row)));
    outcomes.forEach((o, i) => {
      if (o.status === 'rejected') {
        this.opts.logger.error({ err: o.reason, notificationId: rows[i]!.id }, 'notification outcome not recorded; the row is retried after its lease');
      }
    });
    return rows.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.dispatchOnce();
        failures = 0;
      } catch (err) {
        failures += 1;
        this.opts.logger.error({ err, failures }, 'notification dispatch failed; retrying');
      }
      if (this.stopping) break;
      if (claimed >= this.batchSize) continue; // more may be due right away
      await this.sleep(failures === 0 ? this.pollIntervalMs : Math.min(this.pollIntervalMs * 2 ** failures, MAX_IDLE_AFTER_ERROR_MS));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => done();
      this.wake = wake;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private async deliver(row: NotificationEntity): Promise<void> {
    let result: WebhookResult;
    if (row.attempts > this.maxAttempts) {
      // Earlier claims ended without an outcome (a dispatcher died mid-delivery) and used up the attempts.
      result = { ok: false, status: null, error: `gave up after ${row.attempts - 1} attempts without an outcome recorded` };
    } else {
      try {
        result = row.channel === 'webhook' ? await this.sendWebhook(row) : row.channel === 'log' ? this.writeLog(row) : await this.sendToChannel(row);
      } catch (err) {
        result = { ok: false, status: null, error: err instanceof Error ? err.message : String(err) };
      }
    }
    const now = this.clock();
    const ref = { notificationId: row.id, dedupeKey: row.dedupeKey, channel: row.channel, attempt: row.attempts };
    if (result.ok) {
      const recorded = await this.opts.outbox.markDelivered(row.id, row.attempts, now);
      if (!recorded) this.opts.logger.warn(ref, 'notification delivered, but its claim had been taken over meanwhile');
      else if (row.channel !== 'log') this.opts.logger.info({ ...ref, status: result.status }, 'notification delivered');
      return;
    }
    const next = row.attempts > this.maxAttempts || result.permanent === true ? null : nextAttemptAt(row.attempts, this.maxAttempts, now, this.backoff);
    const recorded = await this.opts.outbox.markFailed(row.id, row.attempts, result.error, next);
    if (!recorded) this.opts.logger.warn({ ...ref, error: result.error }, 'notification failed, and its claim had been taken over meanwhile');
    else if (next === null) this.opts.logger.error({ ...ref, error: result.error }, result.permanent ? 'notification dead: the channel refused it for good' : 'notification dead: no attempts left');
    else this.opts.logger.warn({ ...ref, error: result.error, nextAttemptAt: next.toISOString() }, 'notification delivery failed; will retry');
  }

  private writeLog(row: NotificationEntity): WebhookResult {
    const p = row.payload;
    this.opts.logger.info(
      {
        notificationId: row.id,
        dedupeKey: row.dedupeKey,
        kind: row.kind,
        projectCode: row.projectCode,
        step: row.stepKey,
        department: row.department,
        recipients: row.recipients,
        dueAt: p.dueAt,
        overdueWorkingDays: p.overdueWorkingDays,
        channel: 'log',
      },
      typeof p.message === 'string' ? p.message : `notification ${row.kind}`,
    );
    return { ok: true, status: 0 };
  }

  private async sendToChannel(row: NotificationEntity): Promise<WebhookResult> {
    if (!this.opts.channelSender) return { ok: false, status: null, error: `no sender for ${row.channel} channels in this dispatcher` };
    return this.opts.channelSender.send(row);
  }

  private async sendWebhook(row: NotificationEntity): Promise<WebhookResult> {
    if (!this.opts.webhookSecret) return { ok: false, status: null, error: 'NOTIFICATION_WEBHOOK_SECRET is not set; a webhook notice cannot be signed' };
    if (!row.target) return { ok: false, status: null, error: 'webhook row without a target URL' };
    return postWebhook(
      {
        url: row.target,
        payload: row.payload,
        secret: this.opts.webhookSecret,
        timeoutMs: this.webhookTimeoutMs,
        headers: {
          'X-Notification-Id': row.id,
          'X-Dedupe-Key': headerValue(row.dedupeKey),
          'X-Notification-Attempt': String(row.attempts),
        },
      },
      this.opts.fetch,
    );
  }
}

/** Header values must be printable ASCII; anything else is percent-encoded. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}
