import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The first response to a write that carried an `Idempotency-Key`: a repeat of the same request answers it
 * again; the same key on a different request is refused.
 */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** sha256 of method, path and body of the first request. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  /** `in_progress` while the first request runs, then `completed`. */
  @Column({ type: 'varchar', length: 16 })
  state!: string;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  /** The response as sent (`json`, which keeps the text and its key order, so a repeat is answered with the same keys in the same order). */
  @Column({ name: 'response_body', type: 'json', nullable: true })
  responseBody!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
