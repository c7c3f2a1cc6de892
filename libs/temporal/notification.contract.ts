/*
 * What the project workflow asks of the notification side: one reminder or escalation to put in the outbox.
 * Delivery (log or webhook, retries, dead letter) happens outside the workflow. Shared by the workflow, the
 * notification activities, the outbox repository and the channel routing, so it lives beside the other
 * contracts and imports nothing.
 */

/** Kinds of automatic notices. */
export type NotificationKind =
  | 'yellow'
  | 'red'
  | 'escalation'
  | 'escalation_repeat'
  | 'project_yellow'
  | 'project_red'
  /** The statutory limit (法定时限, the longer tier beside the promised 承诺时限) passed. */
  | 'statutory_overdue'
  /** A certificate not yet delivered (Art. 44): warning and overdue. */
  | 'certificate_yellow'
  | 'certificate_red'
  /** A validity about to lapse, and lapsed (expiry clocks). */
  | 'expiry_warning'
  | 'expiry_lapsed';

/** Who receives it: a role within a department, or the district's supervisors (督办). */
export type Recipient = { role: 'officers' | 'head'; department: string } | { role: 'supervisors' };

/** One notice for the outbox. Instants ISO 8601 UTC; dates YYYY-MM-DD (Asia/Shanghai). */
export interface NotificationRequest {
  /** Unique per (project, step, kind, deadline[, repeat]): a retry or replay never sends twice. */
  dedupeKey: string;
  projectCode: string;
  projectName: string;
  /** null for project-level deadlines. */
  step: string | null;
  stepName: string | null;
  kind: NotificationKind;
  recipients: Recipient[];
  /** The department whose channel carries it (the step's department; `project_office` for project-level). */
  department: string;
  /** The deadline it is about. */
  dueAt: string;
  /** Workflow time at which the threshold fired. */
  firedAt: string;
  /** Working days overdue (0 before the deadline). */
  overdueWorkingDays: number;
  /** A sentence for people, in Chinese and English. */
  message: string;
}

/** Activities the notification side provides to the workflow. */
export interface NotificationActivities {
  /** Puts one notice in the outbox, once per dedupeKey. */
  enqueueNotification(request: NotificationRequest): Promise<{ enqueued: boolean }>;
}
