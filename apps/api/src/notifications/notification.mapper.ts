import type { NotificationEntity } from '../../../../libs/persistence/index.js';
import { toShanghaiIso } from '../common/time.js';
import type { NotificationDto, RecipientDto } from './dto/notification.response.js';

/**
 * An outbox row as the API shows it: chosen fields only (never the whole payload), the webhook URL
 * stripped of credentials and query (webhook tokens often ride there) or the channel key of a DingTalk, WeCom or
 * e-mail row, instants in +08:00.
 */
export function notificationFromRow(n: NotificationEntity): NotificationDto {
  const p = n.payload;
  return {
    id: n.id,
    dedupeKey: n.dedupeKey,
    projectCode: n.projectCode,
    projectName: typeof p.projectName === 'string' ? p.projectName : null,
    step: n.stepKey,
    kind: n.kind,
    department: n.department,
    channel: n.channel,
    // A robot's or mailbox's row names its channel key (its token stays in the worker's configuration).
    target: n.channel === 'webhook' ? redactUrl(n.target) : n.target,
    recipients: n.recipients as RecipientDto[],
    state: n.state,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: toShanghaiIso(n.createdAt)!,
    deliveredAt: toShanghaiIso(n.deliveredAt),
    nextAttemptAt: n.state === 'pending' ? toShanghaiIso(n.nextAttemptAt) : null,
    dueAt: typeof p.dueAt === 'string' ? toShanghaiIso(p.dueAt) : null,
    message: typeof p.message === 'string' ? p.message : '',
  };
}

/**
 * A URL safe to show: scheme, host, port and path; user, password, query and fragment removed.
 * @returns null for null; `[invalid URL]` for text that does not parse
 */
export function redactUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '[invalid URL]';
  }
}
