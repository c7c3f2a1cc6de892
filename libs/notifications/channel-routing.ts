import type { NotificationRequest } from '../temporal/notification.contract.js';
import { DEPARTMENT_KEYS } from '../domain/departments.js';
import type { NotificationRoute } from '../persistence/notification-outbox.repository.js';

/** Channel key of the district's supervisors (督办), beside the department keys. */
export const SUPERVISORS_CHANNEL = 'supervisors';

/** Keys NOTIFICATION_CHANNELS may name: every department key and `supervisors`. */
export const CHANNEL_KEYS: readonly string[] = [...DEPARTMENT_KEYS, SUPERVISORS_CHANNEL];

/** Configured webhooks: channel key → http(s) URL. A key left out delivers to the log. */
export type NotificationChannelMap = Readonly<Record<string, string>>;

/** One outbox row to write: the notice as that channel receives it, and where it goes. */
export interface OutboxDelivery {
  request: NotificationRequest;
  route: NotificationRoute;
}

/** Suffix of the dedupe key of the copy split off for the supervisors' channel. */
export const SUPERVISORS_KEY_SUFFIX = '/supervisors';

/**
 * Decides which channels carry a notice. Department roles (officers, head) go to the channel of
 * `request.department`; supervisors go to the `supervisors` channel when one is configured, else with the
 * rest to the department's channel. A notice for both, with a supervisors' channel configured, becomes two
 * rows: the department's (same dedupe key, department recipients) and the supervisors' (dedupe key +
 * `/supervisors`, supervisors only) — both keys deterministic, so a retry still writes nothing twice.
 * @returns one or two deliveries; never empty
 */
export function routeNotification(request: NotificationRequest, channels: NotificationChannelMap): OutboxDelivery[] {
  const supervisors = request.recipients.filter((r) => r.role === 'supervisors');
  const others = request.recipients.filter((r) => r.role !== 'supervisors');
  const supervisorsUrl = own(channels, SUPERVISORS_CHANNEL);
  const departmentRoute = routeTo(own(channels, request.department));
  if (supervisors.length === 0 || supervisorsUrl === undefined) return [{ request, route: departmentRoute }];
  const supervisorsRoute = routeTo(supervisorsUrl);
  if (others.length === 0) return [{ request, route: supervisorsRoute }];
  return [
    { request: { ...request, recipients: others }, route: departmentRoute },
    { request: { ...request, dedupeKey: request.dedupeKey + SUPERVISORS_KEY_SUFFIX, recipients: supervisors }, route: supervisorsRoute },
  ];
}

function own(channels: NotificationChannelMap, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(channels, key) ? channels[key] : undefined;
}

function routeTo(url: string | undefined): NotificationRoute {
  return url === undefined ? { channel: 'log', target: null } : { channel: 'webhook', target: url };
}

/**
 * Reads NOTIFICATION_CHANNELS: a JSON object from channel keys ({@link CHANNEL_KEYS}) to http(s) URLs.
 * @param raw the variable's text, or an already parsed value
 * @returns the map, or the problems found (each a phrase to follow the variable's name)
 */
export function parseChannelMap(raw: unknown): { channels: NotificationChannelMap; problems: [] } | { channels: null; problems: string[] } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch (err) {
      return { channels: null, problems: [`is not valid JSON (${(err as Error).message}); expected e.g. {"natural_resources":"https://hooks.example.org/nr"}`] };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { channels: null, problems: ['must be a JSON object from department key (or "supervisors") to webhook URL'] };
  }
  const problems: string[] = [];
  for (const [key, url] of Object.entries(value)) {
    if (!CHANNEL_KEYS.includes(key)) problems.push(`names an unknown channel '${key}'; use one of: ${CHANNEL_KEYS.join(', ')}`);
    if (!isHttpUrl(url)) problems.push(`entry '${key}' must be an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  return problems.length > 0 ? { channels: null, problems } : { channels: Object.freeze({ ...(value as Record<string, string>) }), problems: [] };
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
