import { DEPARTMENT_KEYS } from '../domain/departments.js';

/** Channel key of the district's supervisors (督办), beside the department keys. */
export const SUPERVISORS_CHANNEL = 'supervisors';

/** Keys NOTIFICATION_CHANNELS may name: every department key and `supervisors`. */
export const CHANNEL_KEYS: readonly string[] = [...DEPARTMENT_KEYS, SUPERVISORS_CHANNEL];

/** Kinds of notification channel: the log, a generic signed webhook, a DingTalk (浙政钉) or WeCom (企业微信) robot, e-mail. */
export const CHANNEL_KINDS = ['log', 'webhook', 'dingtalk', 'wecom', 'email'] as const;

/** One of {@link CHANNEL_KINDS}. */
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** SMTP server of an e-mail channel (nodemailer's transport options). */
export interface SmtpSettings {
  host: string;
  /** TCP port; default 465 when `secure`, else 587. */
  port: number;
  /** true: TLS from the first byte (SMTPS, usually port 465); false: plain, upgraded by STARTTLS when the server offers it. */
  secure: boolean;
  /** With `secure: false`: refuse to send unless STARTTLS succeeds (default true; false only for a local relay). */
  requireTLS: boolean;
  /** Login; both or neither of user and password. */
  user?: string;
  password?: string;
}

/**
 * Where one channel key delivers:
 * - `log`: a structured log line (the default for a key left out);
 * - `webhook`: a JSON POST to `url`, signed with NOTIFICATION_WEBHOOK_SECRET (X-Signature-SHA256);
 * - `dingtalk`: a DingTalk custom robot (`https://oapi.dingtalk.com/robot/send?access_token=…`) with its 加签 secret
 *   (`SEC…`), markdown messages;
 * - `wecom`: a WeCom group robot (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`), markdown messages;
 * - `email`: mail through an SMTP server, from `from` to every address of `to`.
 */
export type ChannelConfig =
  | { kind: 'log' }
  | { kind: 'webhook'; url: string }
  | { kind: 'dingtalk'; url: string; secret: string }
  | { kind: 'wecom'; url: string }
  | { kind: 'email'; smtp: SmtpSettings; from: string; to: string[] };

/** Configured channels: channel key → where it delivers. A key left out delivers to the log. */
export type NotificationChannelMap = Readonly<Record<string, ChannelConfig>>;

const EXAMPLE = `{"natural_resources":{"kind":"dingtalk","url":"https://oapi.dingtalk.com/robot/send?access_token=…","secret":"SEC…"}}`;

/**
 * Reads NOTIFICATION_CHANNELS: a JSON object from channel keys ({@link CHANNEL_KEYS}) to a channel — either an
 * http(s) URL (a generic webhook, the original form) or an object `{ kind, … }` ({@link ChannelConfig}). Problems
 * name the key and the field, never a secret's value.
 * @param raw the variable's text, or an already parsed value
 * @returns the map (every entry as an object, frozen), or the problems found (each a phrase to follow the variable's name)
 */
export function parseChannelMap(raw: unknown): { channels: NotificationChannelMap; problems: [] } | { channels: null; problems: string[] } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch (err) {
      return { channels: null, problems: [`is not valid JSON (${(err as Error).message}); expected e.g. ${EXAMPLE}`] };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { channels: null, problems: ['must be a JSON object from department key (or "supervisors") to a webhook URL or a channel {"kind":…}'] };
  }
  const problems: string[] = [];
  const channels: Record<string, ChannelConfig> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!CHANNEL_KEYS.includes(key)) {
      problems.push(`names an unknown channel '${key}'; use one of: ${CHANNEL_KEYS.join(', ')}`);
      continue;
    }
    const parsed = parseChannel(key, entry);
    if (typeof parsed === 'string') problems.push(parsed);
    else channels[key] = Object.freeze(parsed);
  }
  return problems.length > 0 ? { channels: null, problems } : { channels: Object.freeze(channels), problems: [] };
}

/** True when the (valid) channel map configures at least one generic webhook (which needs NOTIFICATION_WEBHOOK_SECRET). */
export function configuresWebhook(channels: unknown): boolean {
  if (channels === null || typeof channels !== 'object' || Array.isArray(channels)) return false;
  return Object.values(channels).some((c: unknown) => typeof c === 'string' || (c as { kind?: unknown } | null)?.kind === 'webhook');
}

/** The channel config of `key`, or undefined when the map leaves it out. */
export function channelOf(channels: NotificationChannelMap, key: string): ChannelConfig | undefined {
  return Object.prototype.hasOwnProperty.call(channels, key) ? channels[key] : undefined;
}

/** One entry, or a problem naming `key` (and never a secret's value). */
function parseChannel(key: string, entry: unknown): ChannelConfig | string {
  const at = `entry '${key}'`;
  if (typeof entry === 'string') return isHttpUrl(entry) ? { kind: 'webhook', url: entry } : `${at} must be an http:// or https:// URL, got ${JSON.stringify(shown(entry))}`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return `${at} must be an http:// or https:// URL or an object {"kind": ${CHANNEL_KINDS.map((k) => `"${k}"`).join(' | ')}, …}`;
  const e = entry as Record<string, unknown>;
  switch (e.kind) {
    case 'log':
      return { kind: 'log' };
    case 'webhook':
      return isHttpUrl(e.url) ? { kind: 'webhook', url: e.url } : `${at} (webhook) needs "url", an http:// or https:// URL`;
    case 'dingtalk': {
      if (!isHttpUrl(e.url) || !new URL(e.url).searchParams.get('access_token')) {
        return `${at} (dingtalk) needs "url", the robot's https URL with its access_token, e.g. https://oapi.dingtalk.com/robot/send?access_token=…`;
      }
      if (typeof e.secret !== 'string' || e.secret.trim() === '') return `${at} (dingtalk) needs "secret", the robot's 加签 key (SEC…)`;
      return { kind: 'dingtalk', url: e.url, secret: e.secret };
    }
    case 'wecom': {
      if (!isHttpUrl(e.url) || !new URL(e.url).searchParams.get('key')) {
        return `${at} (wecom) needs "url", the robot's https URL with its key, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`;
      }
      return { kind: 'wecom', url: e.url };
    }
    case 'email':
      return parseEmail(at, e);
    default:
      return `${at} has an unknown kind ${JSON.stringify(shown(e.kind))}; use one of: ${CHANNEL_KINDS.join(', ')}`;
  }
}

function parseEmail(at: string, e: Record<string, unknown>): ChannelConfig | string {
  const smtp = e.smtp as Record<string, unknown> | undefined;
  if (smtp === null || typeof smtp !== 'object' || Array.isArray(smtp)) return `${at} (email) needs "smtp": {"host", "port", "secure", "user", "password"}`;
  if (typeof smtp.host !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(smtp.host)) return `${at} (email) needs "smtp.host", a host name or address`;
  if (smtp.secure !== undefined && typeof smtp.secure !== 'boolean') return `${at} (email) "smtp.secure" must be true or false`;
  if (smtp.requireTLS !== undefined && typeof smtp.requireTLS !== 'boolean') return `${at} (email) "smtp.requireTLS" must be true or false`;
  const secure = smtp.secure ?? smtp.port === 465;
  const port = smtp.port ?? (secure ? 465 : 587);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return `${at} (email) "smtp.port" must be a whole number from 1 to 65535`;
  const hasUser = smtp.user !== undefined;
  const hasPassword = smtp.password !== undefined;
  if (hasUser !== hasPassword) return `${at} (email) needs both "smtp.user" and "smtp.password", or neither`;
  if (hasUser && (typeof smtp.user !== 'string' || typeof smtp.password !== 'string' || smtp.user === '')) return `${at} (email) "smtp.user" and "smtp.password" must be text`;
  if (!isMailbox(e.from)) return `${at} (email) needs "from", an address such as "重大项目办 <noreply@example.gov.cn>"`;
  const to = typeof e.to === 'string' ? [e.to] : e.to;
  if (!Array.isArray(to) || to.length === 0 || !to.every(isMailbox)) return `${at} (email) needs "to", a list of one or more e-mail addresses`;
  const settings: SmtpSettings = {
    host: smtp.host,
    port,
    secure: Boolean(secure),
    requireTLS: smtp.requireTLS ?? true,
    ...(hasUser ? { user: smtp.user as string, password: smtp.password as string } : {}),
  };
  return { kind: 'email', smtp: settings, from: e.from, to: [...(to as string[])] };
}

/** `a@b.c` or `Name <a@b.c>`: one address, no commas or line breaks (header injection). */
function isMailbox(value: unknown): value is string {
  if (typeof value !== 'string' || /[\r\n,]/.test(value)) return false;
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value.trim();
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address);
}

/** A rejected value as it may appear in a message: a URL without its query (robot tokens ride there). */
function shown(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/\?.*$/, '?…').slice(0, 120);
}

/** True for an absolute http: or https: URL with a host. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
