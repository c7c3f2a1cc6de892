import type { NotificationKind } from '../temporal/notification.contract.js';
import type { NotificationState } from '../persistence/entities/index.js';

/** Every {@link NotificationKind}, for validation and the OpenAPI enum (checked complete below). */
export const NOTIFICATION_KINDS = [
  'yellow',
  'red',
  'escalation',
  'escalation_repeat',
  'project_yellow',
  'project_red',
  'statutory_overdue',
  'certificate_yellow',
  'certificate_red',
  'expiry_warning',
  'expiry_lapsed',
] as const satisfies readonly NotificationKind[];

/** Delivery states of the outbox, for validation and the OpenAPI enum. */
export const NOTIFICATION_STATES = ['pending', 'delivered', 'dead'] as const satisfies readonly NotificationState[];

// Compile-time: a kind added to the contract but not listed above fails the type check here.
type Unlisted = Exclude<NotificationKind, (typeof NOTIFICATION_KINDS)[number]>;
const _everyKindListed: [Unlisted] extends [never] ? true : never = true;
