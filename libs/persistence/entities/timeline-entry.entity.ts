import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Append-only audit trail: every action and automatic event of a project, numbered by `seq` from 1. */
@Entity({ name: 'timeline_entries' })
@Index('ix_timeline_entries_at', ['at'])
export class TimelineEntryEntity {
  @PrimaryColumn({ name: 'project_code', type: 'varchar', length: 24 })
  projectCode!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'step_key', type: 'varchar', length: 64, nullable: true })
  stepKey!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actor!: string | null;

  @Column({ name: 'actor_department', type: 'varchar', length: 32, nullable: true })
  actorDepartment!: string | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
