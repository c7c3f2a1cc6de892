import type { DataSource } from 'typeorm';

/** What became of an inbound event; `received` while it is being applied. */
export type InboundEventStatus = 'received' | 'applied' | 'parked' | 'needs_attention' | 'duplicate';
export const INBOUND_EVENT_STATUSES: readonly InboundEventStatus[] = ['received', 'applied', 'parked', 'needs_attention', 'duplicate'];

/** One stored event (table inbound_events). Instants are ISO 8601 (UTC). */
export interface InboundEventRow {
  source: string;
  eventId: string;
  type: string;
  projectCode: string;
  occurredAt: string;
  data: Record<string, unknown>;
  bodySha256: string;
  receivedBy: string;
  status: InboundEventStatus;
  reason: string | null;
  /** It may fit once the project moves (a step still blocked): tried again after the project's next applied event. */
  retryable: boolean;
  receivedAt: string;
  appliedAt: string | null;
  /** The answer given (and given again to a repeat). */
  result: unknown;
}

/** An event as it arrives, before anything became of it. */
export type NewInboundEvent = Pick<InboundEventRow, 'source' | 'eventId' | 'type' | 'projectCode' | 'occurredAt' | 'data' | 'bodySha256' | 'receivedBy'>;

/** What {@link InboundEventsRepository.claim} found for (source, id). */
export type InboundEventClaim = { kind: 'new' } | { kind: 'repeat'; row: InboundEventRow } | { kind: 'mismatch'; row: InboundEventRow };

interface DbRow {
  source: string;
  event_id: string;
  type: string;
  project_code: string;
  occurred_at: Date;
  data: Record<string, unknown>;
  body_sha256: string;
  received_by: string;
  status: InboundEventStatus;
  reason: string | null;
  retryable: boolean;
  received_at: Date;
  applied_at: Date | null;
  result: unknown;
}

const toRow = (r: DbRow): InboundEventRow => ({
  source: r.source,
  eventId: r.event_id,
  type: r.type,
  projectCode: r.project_code,
  occurredAt: r.occurred_at.toISOString(),
  data: r.data,
  bodySha256: r.body_sha256,
  receivedBy: r.received_by,
  status: r.status,
  reason: r.reason,
  retryable: r.retryable,
  receivedAt: r.received_at.toISOString(),
  appliedAt: r.applied_at?.toISOString() ?? null,
  result: r.result,
});

/**
 * Inbound events, idempotent by (source, event id): the first arrival claims the pair; a repeat with the same body
 * finds the first answer; the same pair with another body is a mismatch. A claim left `received` by a crash for longer
 * than `staleAfterMs` is taken over by a repeat (the workflow deduplicates the actions it leads to).
 */
export class InboundEventsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly staleAfterMs = 30_000,
  ) {}

  /**
   * Claims (source, id) for `event`.
   * @returns new (go ahead: the row is `received`), repeat (the stored row; `received` while another request applies
   *   it) or mismatch (the pair was used with another body)
   */
  async claim(event: NewInboundEvent): Promise<InboundEventClaim> {
    const inserted: unknown[] = await this.ds.query(
      `INSERT INTO inbound_events (source, event_id, type, project_code, occurred_at, data, body_sha256, received_by, status)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'received') ON CONFLICT (source, event_id) DO NOTHING RETURNING source`,
      [event.source, event.eventId, event.type, event.projectCode, event.occurredAt, JSON.stringify(event.data), event.bodySha256, event.receivedBy],
    );
    if (inserted.length > 0) return { kind: 'new' };
    const row = await this.find(event.source, event.eventId);
    if (!row) return this.claim(event);
    if (row.bodySha256 !== event.bodySha256) return { kind: 'mismatch', row };
    if (row.status === 'received') {
      const taken: unknown[] = await this.ds.query(
        `WITH taken AS (UPDATE inbound_events SET updated_at = now() WHERE source = $1 AND event_id = $2 AND status = 'received'
           AND updated_at < now() - ($3 || ' milliseconds')::interval RETURNING source) SELECT source FROM taken`,
        [event.source, event.eventId, String(this.staleAfterMs)],
      );
      if (taken.length > 0) return { kind: 'new' };
    }
    return { kind: 'repeat', row };
  }

  /** The stored event (source, id), or null. */
  async find(source: string, eventId: string): Promise<InboundEventRow | null> {
    const rows: DbRow[] = await this.ds.query(`SELECT * FROM inbound_events WHERE source = $1 AND event_id = $2`, [source, eventId]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * Records what became of an event and the answer a repeat gets. `applied_at` is set when it is applied.
   */
  async settle(source: string, eventId: string, outcome: { status: Exclude<InboundEventStatus, 'received'>; reason: string | null; retryable?: boolean; result: unknown }): Promise<void> {
    await this.ds.query(
      `UPDATE inbound_events SET status = $3::varchar, reason = $4, retryable = $5, result = $6::jsonb, updated_at = now(),
         applied_at = CASE WHEN $3::varchar = 'applied' THEN now() ELSE applied_at END
       WHERE source = $1 AND event_id = $2`,
      [source, eventId, outcome.status, outcome.reason, outcome.retryable ?? false, JSON.stringify(outcome.result ?? null)],
    );
  }

  /** Gives a claim up (the apply failed on the server's side), so a repeat runs it again. */
  async release(source: string, eventId: string): Promise<void> {
    await this.ds.query(`DELETE FROM inbound_events WHERE source = $1 AND event_id = $2 AND status = 'received'`, [source, eventId]);
  }

  /**
   * Events of one status, newest arrival first, one page (page from 1).
   * @returns the page and the total of that status
   */
  async list(status: InboundEventStatus, page: { page: number; pageSize: number }): Promise<{ items: InboundEventRow[]; total: number }> {
    const rows: DbRow[] = await this.ds.query(
      `SELECT * FROM inbound_events WHERE status = $1 ORDER BY received_at DESC, source, event_id LIMIT $2 OFFSET $3`,
      [status, page.pageSize, (page.page - 1) * page.pageSize],
    );
    const count: Array<{ n: string }> = await this.ds.query(`SELECT count(*) AS n FROM inbound_events WHERE status = $1`, [status]);
    return { items: rows.map(toRow), total: Number(count[0]?.n ?? 0) };
  }

  /** The project's events waiting to be applied: parked ones and retryable ones needing attention, in occurredAt order. */
  async waitingFor(projectCode: string): Promise<InboundEventRow[]> {
    const rows: DbRow[] = await this.ds.query(
      `SELECT * FROM inbound_events WHERE project_code = $1 AND (status = 'parked' OR (status = 'needs_attention' AND retryable))
       ORDER BY occurred_at, received_at, source, event_id`,
      [projectCode],
    );
    return rows.map(toRow);
  }

  /** The project's applied event that happened last (the out-of-order reference), or null. */
  async lastApplied(projectCode: string): Promise<InboundEventRow | null> {
    const rows: DbRow[] = await this.ds.query(
      `SELECT * FROM inbound_events WHERE project_code = $1 AND status = 'applied' ORDER BY occurred_at DESC, applied_at DESC LIMIT 1`,
      [projectCode],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** An applied event of the same project, type and instant under another (source, id): what makes this one a duplicate. */
  async appliedTwin(event: Pick<InboundEventRow, 'source' | 'eventId' | 'type' | 'projectCode' | 'occurredAt'>): Promise<InboundEventRow | null> {
    const rows: DbRow[] = await this.ds.query(
      `SELECT * FROM inbound_events WHERE project_code = $1 AND type = $2 AND occurred_at = $3 AND status = 'applied'
         AND NOT (source = $4 AND event_id = $5) ORDER BY applied_at LIMIT 1`,
      [event.projectCode, event.type, event.occurredAt, event.source, event.eventId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }
}
