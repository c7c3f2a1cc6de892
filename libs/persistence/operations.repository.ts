import type { DataSource } from 'typeorm';

/** Active projects counted by light and stage (one row per pair that has any). */
export interface LightStageCount {
  light: string;
  stage: string;
  count: number;
}

/** Notifications waiting for delivery: how many, and how long the oldest has waited. */
export interface OutboxBacklog {
  pending: number;
  /** Seconds since the oldest pending notification was queued; 0 when none waits. */
  oldestAgeSeconds: number;
}

/**
 * The figures an operator's metrics read from the read model at scrape time, each one indexed query: active projects by
 * light and stage, and the notification outbox's backlog.
 */
export class OperationsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Active projects (status `active` or `suspended`) by light and stage. */
  async projectsByLightAndStage(): Promise<LightStageCount[]> {
    const rows: Array<{ light: string; stage: string; count: string }> = await this.ds.query(
      `SELECT light, stage, count(*) AS count FROM projects WHERE status IN ('active', 'suspended') GROUP BY light, stage`,
    );
    return rows.map((r) => ({ light: r.light, stage: r.stage, count: Number(r.count) }));
  }

  /** Pending notifications and the age of the oldest (`created_at`), in seconds. */
  async outboxBacklog(): Promise<OutboxBacklog> {
    const rows: Array<{ pending: string; oldest: string | null }> = await this.ds.query(
      `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at)) AS oldest FROM notifications WHERE state = 'pending'`,
    );
    const row = rows[0];
    return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: row?.oldest === null || row?.oldest === undefined ? 0 : Math.max(0, Number(row.oldest)) };
  }
}
