import { ApplicationFailure } from '@temporalio/common';
import type { NotificationChannelMap } from '../libs/notifications/channel-config.js';
import { routeNotification } from '../libs/notifications/channel-routing.js';
import { NOTIFICATION_KINDS } from '../libs/notifications/notification-kinds.js';
import type { NotificationOutboxRepository } from '../libs/persistence/notification-outbox.repository.js';
import type { NotificationActivities, NotificationRequest } from '../libs/temporal/notification.contract.js';

/** What the notification activities need. */
export interface NotificationActivityDeps {
  outbox: Pick<NotificationOutboxRepository, 'enqueue'>;
  /** Configured channels (NOTIFICATION_CHANNELS); a channel left out delivers to the log. */
  channels: NotificationChannelMap;
}

/** Failure type of a notice the outbox cannot take; not retried (a retry would fail the same way). */
export const NOTIFICATION_INVALID = 'NOTIFICATION.INVALID';

/**
 * Builds the notification activities over their dependencies; the worker wires the real outbox and the
 * configured channels, tests may wire fakes. `enqueueNotification` only writes the outbox — the worker's
 * dispatcher delivers — so it is quick, and idempotent by dedupe key: a retried or replayed activity, or a
 * workflow continued as new that fires the same threshold again, writes nothing twice.
 */
export function createNotificationActivities({ outbox, channels }: NotificationActivityDeps): NotificationActivities {
  return {
    async enqueueNotification(request) {
      const problem = invalidRequest(request);
      if (problem) throw ApplicationFailure.nonRetryable(`notification refused: ${problem}`, NOTIFICATION_INVALID);
      let enqueued = false;
      for (const { request: row, route } of routeNotification(request, channels)) {
        if (await outbox.enqueue(row, route)) enqueued = true;
      }
      return { enqueued };
    },
  };
}

/** The first reason the outbox cannot store `r` (a bug on the workflow side), or null. */
function invalidRequest(r: NotificationRequest): string | null {
  if (typeof r?.dedupeKey !== 'string' || r.dedupeKey.length < 1 || r.dedupeKey.length > 255) return 'dedupeKey must be 1–255 characters';
  if (typeof r.projectCode !== 'string' || r.projectCode.length < 1 || r.projectCode.length > 24) return 'projectCode must be 1–24 characters';
  if (r.step !== null && (typeof r.step !== 'string' || r.step.length < 1 || r.step.length > 64)) return 'step must be null or 1–64 characters';
  if (!(NOTIFICATION_KINDS as readonly string[]).includes(r.kind)) return `kind must be one of ${NOTIFICATION_KINDS.join(', ')}`;
  if (typeof r.department !== 'string' || r.department.length < 1 || r.department.length > 32) return 'department must be 1–32 characters';
  if (!Array.isArray(r.recipients) || r.recipients.length === 0) return 'recipients must not be empty';
  return null;
}
