import { NOTICE_KINDS, type Notice } from '../domain/alert-policy.js';
import type { NotificationKind, NotificationRequest } from '../temporal/notification.contract.js';
import type { NotificationState } from '../persistence/entities/index.js';

/**
 * Every {@link NotificationKind}, for validation and the OpenAPI enum: the kinds the domain's alert policy issues
 * (checked equal to the contract's below).
 */
export const NOTIFICATION_KINDS = NOTICE_KINDS satisfies readonly NotificationKind[];

/** Delivery states of the outbox, for validation and the OpenAPI enum. */
export const NOTIFICATION_STATES = ['pending', 'delivered', 'dead'] as const satisfies readonly NotificationState[];

// Compile-time: the contract's kinds and the policy's are the same set, and a policy notice is a contract request
// (and back), so the workflow hands the outbox exactly what the policy wrote.
type Unlisted = Exclude<NotificationKind, (typeof NOTIFICATION_KINDS)[number]>;
const _everyKindListed: [Unlisted] extends [never] ? true : never = true;
const _noticeIsRequest = (n: Notice): NotificationRequest => n;
const _requestIsNotice = (r: NotificationRequest): Notice => r;
