import type { DataSource } from 'typeorm';

/** What {@link IdempotencyRepository.begin} found for a key. */
export type IdempotencyBegin =
  | { kind: 'started' }
  | { kind: 'completed'; status: number; body: unknown }
  | { kind: 'in_progress'; retryAfterMs: number }
  | { kind: 'mismatch' };

/**
 * Records of writes that carried an `Idempotency-Key`. The first request claims the key; a repeat gets the
 * stored response; a claim older than `staleAfterMs` (a crashed request) may be taken over, which is safe
 * because the workflow also deduplicates its Updates by the idempotency key derived from this key.
 */
export class IdempotencyRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly staleAfterMs = 30_000,
  ) {}

  /**
   * Claims `key` for a request with `fingerprint` (sha256 hex of method, path and body).
   * @returns `started` (go ahead), `completed` (answer the stored response), `in_progress` (another request
   *   with this key is running, or a crashed one still holds it; `retryAfterMs`: milliseconds, ≥ 0, until its claim is
   *   stale and a retry takes it over — the running request's answer may be stored sooner) or `mismatch` (the key was
   *   used for a different request)
   */
  async begin(key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const inserted: unknown[] = await this.ds.query(
      `INSERT INTO idempotency_records (key, fingerprint, state) VALUES ($1, $2, 'in_progress')
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, fingerprint],
    );
    if (inserted.length > 0) return { kind: 'started' };
    const rows: Array<{ fingerprint: string; state: string; response_status: number | null; response_body: unknown; remaining_ms: number }> =
      await this.ds.query(
        `SELECT fingerprint, state, response_status, response_body,
                GREATEST(0, CEIL(EXTRACT(EPOCH FROM (updated_at + ($2 || ' milliseconds')::interval - now())) * 1000))::int AS remaining_ms
         FROM idempotency_records WHERE key = $1`,
        [key, String(this.staleAfterMs)],
      );
    const row = rows[0];
    if (!row) return this.begin(key, fingerprint); // released meanwhile
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.state === 'completed') return { kind: 'completed', status: row.response_status!, body: row.response_body };
    // A CTE, so the driver answers rows (a bare UPDATE … RETURNING answers [rows, count] through TypeORM).
    const takenOver: unknown[] = await this.ds.query(
      `WITH taken AS (
         UPDATE idempotency_records SET updated_at = now()
         WHERE key = $1 AND state = 'in_progress' AND updated_at < now() - ($2 || ' milliseconds')::interval
         RETURNING key)
       SELECT key FROM taken`,
      [key, String(this.staleAfterMs)],
    );
    return takenOver.length > 0 ? { kind: 'started' } : { kind: 'in_progress', retryAfterMs: Number(row.remaining_ms) };
  }

  /** Stores the response of the request that claimed `key`, as its JSON text (a repeat gets its keys in the same order). */
  async complete(key: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotency_records SET state = 'completed', response_status = $2, response_body = $3::json, updated_at = now() WHERE key = $1`,
      [key, status, JSON.stringify(body ?? null)],
    );
  }

  /** Gives the key up (after a server-side failure), so a retry may run the request again. */
  async release(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM idempotency_records WHERE key = $1 AND state = 'in_progress'`, [key]);
  }
}
