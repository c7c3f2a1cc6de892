import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { ClockDeadline, StepClockStop, Confidence, DepartmentKey, Light, LimitUnit, StepActionKind, StepState, StepView } from '../../domain/index.js';
import { ProjectEntity } from './project.entity.js';

/**
 * Read model: one row per step of a project, definition fields copied in so lists need no join to code. The
 * decorators are the column map (column name, field, SQL type); the fields are typed with the domain's unions.
 * Rows are written from and read back into the domain's `StepView` in `project-read-model.rows.ts`.
 */
@Entity({ name: 'project_steps' })
@Index('ix_project_steps_department_state', ['department', 'state'])
@Index('ix_project_steps_due_at', ['dueAt'])
@Index('ix_project_steps_statutory_overdue', ['projectCode', 'statutoryDueAt'], { where: '"statutory_overdue"' })
export class ProjectStepEntity {
  @PrimaryColumn({ name: 'project_code', type: 'varchar', length: 24 })
  projectCode!: string;

  @PrimaryColumn({ name: 'step_key', type: 'varchar', length: 64 })
  stepKey!: string;

  @ManyToOne(() => ProjectEntity, (p) => p.steps, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_code', referencedColumnName: 'code', foreignKeyConstraintName: 'fk_project_steps_project' })
  project!: Relation<ProjectEntity>;

  /** Order of the step in its track definition. */
  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh!: string;

  @Column({ type: 'varchar', length: 64 })
  stage!: string;

  @Column({ type: 'varchar', length: 32 })
  department!: DepartmentKey;

  @Column({ name: 'depends_on', type: 'text', array: true })
  dependsOn!: string[];

  @Column({ name: 'limit_value', type: 'int' })
  limitValue!: number;

  @Column({ name: 'limit_unit', type: 'varchar', length: 16 })
  limitUnit!: LimitUnit;

  @Column({ name: 'limit_source', type: 'text' })
  limitSource!: string;

  @Column({ name: 'limit_confidence', type: 'varchar', length: 8 })
  limitConfidence!: Confidence;

  @Column({ type: 'varchar', length: 32 })
  state!: StepState;

  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true })
  readyAt!: Date | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actor!: string | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'waiver_due_on', type: 'date', nullable: true })
  waiverDueOn!: string | null;

  @Column({ name: 'clock_stops', type: 'jsonb' })
  clockStops!: StepClockStop[];

  @Column({ name: 'available_actions', type: 'text', array: true })
  availableActions!: StepActionKind[];

  /** Last day of the clock's period (Asia/Shanghai); null before acceptance or while held. */
  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: string | null;

  /** End of `due_on` (24:00 Asia/Shanghai). */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  light!: Light | null;

  /** True when the deadline falls in a year without a published holiday notice. */
  @Column({ type: 'boolean', default: false })
  provisional!: boolean;

  /** The whole planned deadline (thresholds, alerts fired), as the workflow recorded it. */
  @Column({ type: 'jsonb', nullable: true })
  deadline!: ClockDeadline | null;

  /** When the application was received (收件). */
  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  /** Acceptance deemed on the day of receipt (行政许可法 Art. 32: no notice within 5 working days). */
  @Column({ name: 'deemed_accepted', type: 'boolean', default: false })
  deemedAccepted!: boolean;

  /** The statutory limit (法定时限) passed while the clock was open; the views count it only while the step is open. */
  @Column({ name: 'statutory_overdue', type: 'boolean', default: false })
  statutoryOverdue!: boolean;

  /** Last day of the statutory limit (Asia/Shanghai); the published `due_on` where the step has no separate statutory plan. */
  @Column({ name: 'statutory_due_on', type: 'date', nullable: true })
  statutoryDueOn!: string | null;

  /** End of `statutory_due_on` (24:00 Asia/Shanghai). */
  @Column({ name: 'statutory_due_at', type: 'timestamptz', nullable: true })
  statutoryDueAt!: Date | null;

  /** When the certificate was handed over (送达, Art. 44). */
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** Working days the agency held this step's file (government time); null until computed. */
  @Column({ name: 'government_working_days', type: 'int', nullable: true })
  governmentWorkingDays!: number | null;

  /**
   * What the step's published clock counts (null before acceptance): its start day (Asia/Shanghai; a joint
   * group's first acceptance), the limit in its unit and the working days an extension adds.
   */
  @Column({ name: 'clock_input', type: 'jsonb', nullable: true })
  clockInput!: StepView['clockInput'];

  /**
   * The step's statutory terms as the workflow's view had them (instants ISO 8601 UTC, dates YYYY-MM-DD Asia/Shanghai).
   * Null on rows written before statutory terms were kept (definitions without a separate statutory tier); reading
   * such a row supplies the terms those definitions imply.
   */
  @Column({ type: 'jsonb', nullable: true })
  statutory!: Pick<StepView, 'statutoryLimit' | 'limitUnitAsWritten' | 'jointGroup' | 'extensionCap' | 'extension' | 'certificate'> | null;

  /*
   * The work queue's order, written with the row (the domain's DESK_TIERS and the step's oldest of acceptance,
   * receipt and readiness) with whether its project runs, so a department's queue is a walk of ix_project_steps_desk
   * (partial on the desk's states of running projects; DeskOrder migration).
   */

  /** The work queue's tier of the step's state (DESK_TIERS; the last tier for a state off the desk). */
  @Column({ name: 'desk_tier', type: 'smallint', default: 3 })
  deskTier!: number;

  /** Since when the step waits: acceptance, else receipt, else readiness; null before it is ready. */
  @Column({ name: 'desk_since', type: 'timestamptz', nullable: true })
  deskSince!: Date | null;

  /** Its project is running (active or suspended), as of this row's version. */
  @Column({ name: 'project_running', type: 'boolean', default: false })
  projectRunning!: boolean;

  /** Project version this row was written at. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
