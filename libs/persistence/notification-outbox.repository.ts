import type { DataSource } from 'typeorm';
import type { NotificationRequest } from '../temporal/notification.contract.js';
import { NotificationEntity, type NotificationChannel, type NotificationState } from './entities/index.js';
import type { Page, PageRequest } from './project-read-model.repository.js';

/**
 * Where one outbox row goes: a log line; a signed POST to `target` (an http(s) URL); or a DingTalk robot, WeCom robot
 * or e-mail channel whose key is `target` (its URL, secret or SMTP settings stay in the dispatcher's configuration).
 */
export type NotificationRoute =
  | { channel: 'log'; target: null }
  | { channel: 'webhook'; target: string }
  | { channel: 'dingtalk' | 'wecom' | 'email'; target: string };

/** Filters of `GET /notifications`; all optional, combined with AND. */
export interface NotificationListFilter {
  projectCode?: string;
  state?: NotificationState;
  kind?: string;
  department?: string;
}

/** Longest `last_error` kept, in characters. */
export const LAST_ERROR_MAX = 2000;

/**
 * The notification outbox in PostgreSQL. The workflow's activity enqueues (once per dedupe key); the
 * dispatcher claims due rows under a lease, delivers them and records the outcome. Claims use
 * `FOR UPDATE SKIP LOCKED` and push `next_attempt_at` to the end of the lease, so several dispatchers
 * (worker replicas) never hold the same row at once; outcomes are fenced by the attempt number, so a
 * dispatcher whose lease ran out cannot overwrite the outcome of the one that took the row over.
 * (Each `UPDATE … RETURNING` sits in a CTE: TypeORM answers a bare UPDATE with `[rows, count]`, a SELECT
 * with the rows.)
 */
export class NotificationOutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Puts one notice in the outbox as `pending`, due at `now`, unless a row with its `dedupeKey` exists.
   * @param request the notice (stored whole as the payload)
   * @param route its channel and, for a webhook, the URL
   * @param now when it becomes due (default: the current time)
   * @returns true when a row was inserted, false when the dedupe key was already there
   */
  async enqueue(request: NotificationRequest, route: NotificationRoute, now: Date = new Date()): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO notifications (dedupe_key, project_code, step_key, kind, department, channel, target, recipients, payload,
         state, attempts, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, 'pending', 0, $10)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [
        request.dedupeKey, request.projectCode, request.step, request.kind, request.department, route.channel, route.target,
        JSON.stringify(request.recipients), JSON.stringify(request), now,
      ],
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` pending rows due at `now` (oldest due first): counts the attempt and leases each
   * row until `now + leaseMs`, after which another dispatcher may take it over (a crashed dispatcher's rows
   * come back that way). Rows locked by a concurrent claim are skipped, not waited for.
   * @param limit at most this many rows (≥ 1)
   * @param now the dispatcher's clock
   * @param leaseMs milliseconds the claim holds; must exceed the longest delivery (webhook timeout)
   * @returns the claimed rows, `attempts` already counting this attempt
   */
  async claimDue(limit: number, now: Date, leaseMs = 60_000): Promise<NotificationEntity[]> {
    const rows: RawRow[] = await this.ds.query(
      `WITH claimed AS (
       UPDATE notifications n
       SET attempts = n.attempts + 1, next_attempt_at = $2::timestamptz + ($3::text || ' milliseconds')::interval
       FROM (
         SELECT id FROM notifications
         WHERE state = 'pending' AND next_attempt_at <= $2
         ORDER BY next_attempt_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       ) due
       WHERE n.id = due.id
       RETURNING n.*
       ) SELECT * FROM claimed`,
      [limit, now, String(Math.max(0, Math.round(leaseMs)))],
    );
    return rows.map(toEntity).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || Number(a.id) - Number(b.id));
  }

  /**
   * Records a successful delivery of the claim `(id, attempt)`.
   * @param attempt the row's `attempts` as claimed (fences off a stale claim)
   * @param at delivery instant
   * @returns false when the claim was stale (the row was taken over or is no longer pending)
   */
  async markDelivered(id: string, attempt: number, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH done AS (
         UPDATE notifications SET state = 'delivered', delivered_at = $3
         WHERE id = $1 AND attempts = $2 AND state = 'pending' RETURNING id
       ) SELECT id FROM done`,
      [id, attempt, at],
    );
    return rows.length > 0;
  }

  /**
   * Records a failed delivery of the claim `(id, attempt)`: the row stays pending until `nextAttemptAt`,
   * or becomes `dead` (no further attempts) when `nextAttemptAt` is null.
   * @param error what went wrong (kept up to {@link LAST_ERROR_MAX} characters)
   * @returns false when the claim was stale (the row was taken over or is no longer pending)
   */
  async markFailed(id: string, attempt: number, error: string, nextAttemptAt: Date | null): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH failed AS (
         UPDATE notifications
         SET last_error = $3,
             state = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
             next_attempt_at = COALESCE($4::timestamptz, next_attempt_at)
         WHERE id = $1 AND attempts = $2 AND state = 'pending' RETURNING id
       ) SELECT id FROM failed`,
      [id, attempt, error.slice(0, LAST_ERROR_MAX), nextAttemptAt],
    );
    return rows.length > 0;
  }

  /** The row with `dedupeKey`, or null. */
  async findByDedupeKey(dedupeKey: string): Promise<NotificationEntity | null> {
    return this.ds.getRepository(NotificationEntity).findOne({ where: { dedupeKey } });
  }

  /**
   * Rows matching the filter, newest first.
   * @returns one page and the total across pages
   */
  async list(filter: NotificationListFilter, page: PageRequest): Promise<Page<NotificationEntity>> {
    const qb = this.ds.getRepository(NotificationEntity).createQueryBuilder('n');
    if (filter.projectCode) qb.andWhere('n.project_code = :projectCode', { projectCode: filter.projectCode });
    if (filter.state) qb.andWhere('n.state = :state', { state: filter.state });
    if (filter.kind) qb.andWhere('n.kind = :kind', { kind: filter.kind });
    if (filter.department) qb.andWhere('n.department = :department', { department: filter.department });
    qb.orderBy('n.created_at', 'DESC').addOrderBy('n.id', 'DESC');
    qb.skip((page.page - 1) * page.pageSize).take(page.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }
}

interface RawRow {
  id: string;
  dedupe_key: string;
  project_code: string;
  step_key: string | null;
  kind: string;
  department: string;
  channel: NotificationChannel;
  target: string | null;
  recipients: unknown[];
  payload: Record<string, unknown>;
  state: NotificationState;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

function toEntity(r: RawRow): NotificationEntity {
  return Object.assign(new NotificationEntity(), {
    id: String(r.id),
    dedupeKey: r.dedupe_key,
    projectCode: r.project_code,
    stepKey: r.step_key,
    kind: r.kind,
    department: r.department,
    channel: r.channel,
    target: r.target,
    recipients: r.recipients,
    payload: r.payload,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  });
}
