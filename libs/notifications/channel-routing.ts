import type { NotificationRequest } from '../temporal/notification.contract.js';
import type { NotificationRoute } from '../persistence/notification-outbox.repository.js';
import { channelOf, SUPERVISORS_CHANNEL, type ChannelConfig, type NotificationChannelMap } from './channel-config.js';

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
  const supervisorsChannel = channelOf(channels, SUPERVISORS_CHANNEL);
  const departmentRoute = routeTo(request.department, channelOf(channels, request.department));
  if (supervisors.length === 0 || supervisorsChannel === undefined) return [{ request, route: departmentRoute }];
  const supervisorsRoute = routeTo(SUPERVISORS_CHANNEL, supervisorsChannel);
  if (others.length === 0) return [{ request, route: supervisorsRoute }];
  return [
    { request: { ...request, recipients: others }, route: departmentRoute },
    { request: { ...request, dedupeKey: request.dedupeKey + SUPERVISORS_KEY_SUFFIX, recipients: supervisors }, route: supervisorsRoute },
  ];
}

/**
 * The outbox route of channel `key`: the log; a webhook with its URL; a robot or e-mail channel with the channel
 * key as target — the dispatcher looks its URL, secret or SMTP settings up in its own configuration, so no secret
 * is ever written to the outbox (whose rows the API shows).
 */
function routeTo(key: string, channel: ChannelConfig | undefined): NotificationRoute {
  if (channel === undefined || channel.kind === 'log') return { channel: 'log', target: null };
  if (channel.kind === 'webhook') return { channel: 'webhook', target: channel.url };
  return { channel: channel.kind, target: key };
}
