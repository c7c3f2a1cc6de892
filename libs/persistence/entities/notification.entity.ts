import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Delivery states of an outbox row: waiting (or retrying), sent, or given up after the last attempt. */
export type NotificationState = 'pending' | 'delivered' | 'dead';

/**
 * How a row is delivered: a structured log line, a signed JSON POST to `target`, or a DingTalk robot, WeCom robot or
 * e-mail channel whose key (a department key or `supervisors`) is `target`.
 */
export type NotificationChannel = 'log' | 'webhook' | 'dingtalk' | 'wecom' | 'email';

/**
 * Notification outbox: one reminder or escalation for one channel, written once per dedupe key by the
 * workflow's activity and delivered by the worker's dispatcher (attempts, back-off, dead letter).
 */
@Entity({ name: 'notifications' })
@Index('ix_notifications_due', ['nextAttemptAt'], { where: `"state" = 'pending'` })
@Index('ix_notifications_project_created', ['projectCode', 'createdAt'])
@Index('ix_notifications_created', ['createdAt', 'id'])
@Unique('uq_notifications_dedupe_key', ['dedupeKey'])
@Check('ck_notifications_channel', `"channel" IN ('log', 'webhook', 'dingtalk', 'wecom', 'email')`)
@Check('ck_notifications_state', `"state" IN ('pending', 'delivered', 'dead')`)
@Check('ck_notifications_webhook_target', `"channel" = 'log' OR "target" IS NOT NULL`)
export class NotificationEntity {
  /** bigserial; the driver returns it as a decimal string. */
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_notifications' })
  id!: string;

  /** (project, step, kind, deadline[, repeat]) from the workflow, plus `/supervisors` for a split-off copy. */
  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey!: string;

  @Column({ name: 'project_code', type: 'varchar', length: 24 })
  projectCode!: string;

  /** null for project-level deadlines. */
  @Column({ name: 'step_key', type: 'varchar', length: 64, nullable: true })
  stepKey!: string | null;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** The department the notice is about (the step's; `project_office` for project-level). */
  @Column({ type: 'varchar', length: 32 })
  department!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: NotificationChannel;

  /** Webhook URL, fixed at enqueue time; the channel key for `dingtalk`, `wecom` and `email`; null for `log`. */
  @Column({ type: 'text', nullable: true })
  target!: string | null;

  /** The recipients this row carries (`Recipient[]` of the contract). */
  @Column({ type: 'jsonb' })
  recipients!: unknown[];

  /** The `NotificationRequest` as sent (the webhook body). */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  state!: NotificationState;

  /** Delivery attempts started (counted when a dispatcher claims the row). */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** When pending: the earliest next attempt, or the end of the current claim's lease. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** The most recent delivery failure, kept after a later success. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
