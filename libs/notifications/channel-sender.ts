/*
 * Delivery to the channels where officials read: DingTalk and WeCom robots over HTTPS, e-mail over SMTP (nodemailer).
 * The dispatcher hands it an outbox row whose target is a channel key; the channel's URL, secret or SMTP settings come
 * from the configuration here, never from the row, and no error it reports carries a token, secret or password.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationRequest } from '../temporal/notification.contract.js';
import { channelOf, type ChannelConfig, type NotificationChannelMap } from './channel-config.js';
import { dingtalkMessage, dingtalkOutcome, signedDingtalkUrl } from './dingtalk-message.js';
import { emailMessage } from './email-message.js';
import { deadlineDay, noticeView, shanghaiDay, type NoticeView } from './notice-view.js';
import { describeFetchError, type WebhookResult } from './webhook-client.js';
import { wecomMessage, wecomOutcome } from './wecom-message.js';

/** The part of an outbox row a channel delivery reads. */
export interface ChannelRow {
  channel: string;
  /** The channel key (a department key or `supervisors`). */
  target: string | null;
  dedupeKey: string;
  /** The notice as the workflow wrote it. */
  payload: Record<string, unknown>;
}

/** What a {@link ChannelSender} needs. Durations in milliseconds. */
export interface ChannelSenderOptions {
  /** NOTIFICATION_CHANNELS. */
  channels: NotificationChannelMap;
  /** Address of the workbench for the project link (see publicBaseUrl in the configuration). */
  publicBaseUrl: string;
  /** Abort an HTTP call, or an SMTP connection, greeting or silent socket, after this long (default 10 000). */
  timeoutMs?: number;
  /**
   * Working days after `today` up to and including `dueDay` (both YYYY-MM-DD, Asia/Shanghai), from the working-day
   * calendar; without it a notice before its deadline says 尚未超期 instead of the days left.
   */
  workingDaysBetween?: (today: string, dueDay: string) => number;
  /** The current instant (DingTalk's timestamp, the days left). */
  clock?: () => Date;
  /** HTTP client (tests may inject one). */
  fetch?: typeof fetch;
  /** Mail transport per channel (tests may inject one); default nodemailer's SMTP transport. */
  createTransport?: (channel: Extract<ChannelConfig, { kind: 'email' }>, timeoutMs: number) => Pick<Transporter, 'sendMail' | 'close'>;
}

/**
 * Sends outbox rows of kind `dingtalk`, `wecom` and `email`. One SMTP transport (pooled connection) per e-mail
 * channel, made on first use; {@link ChannelSender.close} ends them.
 */
export class ChannelSender {
  private readonly timeoutMs: number;
  private readonly clock: () => Date;
  private readonly transports = new Map<string, Pick<Transporter, 'sendMail' | 'close'>>();

  constructor(private readonly opts: ChannelSenderOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.clock = opts.clock ?? (() => new Date());
  }

  /**
   * Delivers one row. Never throws for trouble on the way: it is `{ ok: false, error, permanent? }`.
   * @returns delivered, or the reason (permanent when sending again cannot succeed: an unknown key, a robot's
   * errcode meaning the token, secret or robot is wrong, an SMTP 5xx answer)
   */
  async send(row: ChannelRow): Promise<WebhookResult> {
    const key = row.target ?? '';
    const channel = channelOf(this.opts.channels, key);
    if (!channel || channel.kind !== row.channel) {
      return { ok: false, status: null, permanent: true, error: `channel '${key}' is not configured as ${row.channel} in NOTIFICATION_CHANNELS (any more)` };
    }
    const view = this.view(row.payload as unknown as NotificationRequest);
    switch (channel.kind) {
      case 'dingtalk':
        return this.postRobot(signedDingtalkUrl(channel.url, channel.secret, this.clock().getTime()), dingtalkMessage(view), 'DingTalk', dingtalkOutcome);
      case 'wecom':
        return this.postRobot(channel.url, wecomMessage(view), 'WeCom', wecomOutcome);
      case 'email':
        return this.sendMail(key, channel, view);
      default:
        return { ok: false, status: null, permanent: true, error: `channel '${key}' is a ${channel.kind} channel, not one this sender delivers` };
    }
  }

  /** Closes the SMTP transports. */
  close(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }

  private view(n: NotificationRequest): NoticeView {
    let workingDaysLeft: number | null = null;
    const due = deadlineDay(n.dueAt);
    const today = shanghaiDay(this.clock());
    if (this.opts.workingDaysBetween && due !== null && n.overdueWorkingDays === 0 && due >= today) {
      try {
        workingDaysLeft = this.opts.workingDaysBetween(today, due);
      } catch {
        workingDaysLeft = null; // a year the calendar cannot answer: say 尚未超期
      }
    }
    return noticeView(n, { publicBaseUrl: this.opts.publicBaseUrl, workingDaysLeft });
  }

  /** POSTs a robot message; 200 with errcode 0 is delivered, any other answer a failure classified by `outcome`. */
  private async postRobot(
    url: string,
    body: unknown,
    vendor: string,
    outcome: (errcode: number, errmsg: string) => { ok: true } | { ok: false; permanent: boolean; error: string },
  ): Promise<WebhookResult> {
    try {
      const res = await (this.opts.fetch ?? fetch)(url, {
        method: 'POST',
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'major-project-approvals-notifier/1' },
      });
      const text = await res.text().catch(() => '');
      if (res.status < 200 || res.status >= 300) return { ok: false, status: res.status, error: `${vendor} answered HTTP ${res.status}: ${text.trim().slice(0, 200)}` };
      let answer: { errcode?: unknown; errmsg?: unknown };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        return { ok: false, status: res.status, error: `${vendor} answered HTTP ${res.status} without a JSON { errcode, errmsg }: ${text.trim().slice(0, 200)}` };
      }
      const errcode = typeof answer.errcode === 'number' ? answer.errcode : Number.NaN;
      if (Number.isNaN(errcode)) return { ok: false, status: res.status, error: `${vendor} answered without an errcode: ${text.trim().slice(0, 200)}` };
      const result = outcome(errcode, typeof answer.errmsg === 'string' ? answer.errmsg : '');
      return result.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: result.error, permanent: result.permanent };
    } catch (err) {
      return { ok: false, status: null, error: `${vendor}: ${describeFetchError(err, this.timeoutMs)}` };
    }
  }

  private async sendMail(key: string, channel: Extract<ChannelConfig, { kind: 'email' }>, view: NoticeView): Promise<WebhookResult> {
    let transport = this.transports.get(key);
    if (!transport) {
      transport = (this.opts.createTransport ?? smtpTransport)(channel, this.timeoutMs);
      this.transports.set(key, transport);
    }
    const mail = emailMessage(view, channel.from);
    try {
      const info = (await transport.sendMail({ from: channel.from, to: channel.to, textEncoding: 'base64', ...mail })) as { accepted?: unknown[]; rejected?: unknown[] };
      const rejected = info.rejected?.length ?? 0;
      if ((info.accepted?.length ?? 1) === 0) return { ok: false, status: null, permanent: true, error: `SMTP: every recipient refused (${rejected})` };
      return { ok: true, status: 250 };
    } catch (err) {
      const e = err as { responseCode?: number; code?: string; message?: string };
      // 5xx is the server's final word (unknown mailbox, refused login, refused sender); 4xx and network trouble pass.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
      return { ok: false, status: e.responseCode ?? null, permanent, error: `SMTP ${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${redact(e.message ?? String(err), channel)}` };
    }
  }
}

/** nodemailer's SMTP transport for an e-mail channel: implicit TLS or STARTTLS, login when configured, one pooled connection. */
export function smtpTransport(channel: Extract<ChannelConfig, { kind: 'email' }>, timeoutMs: number): Transporter {
  const { smtp } = channel;
  return createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTLS,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    pool: true,
    maxConnections: 1,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/** An SMTP error's text without the channel's password, should a server echo it. */
function redact(message: string, channel: Extract<ChannelConfig, { kind: 'email' }>): string {
  const password = channel.smtp.password;
  return (password ? message.split(password).join('***') : message).slice(0, 300);
}
