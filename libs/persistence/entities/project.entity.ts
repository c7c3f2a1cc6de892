import { Column, Entity, Index, OneToMany, PrimaryColumn, type Relation } from 'typeorm';
import type {
  ApprovalRoute,
  AuxClockRecord,
  GovernmentTime,
  Light,
  ProjectClockRecord,
  ProjectFact,
  ProjectForecast,
  ProjectStatus,
  Supervision,
  TrackKey,
} from '../../domain/index.js';
import { ProjectStepEntity } from './project-step.entity.js';

/**
 * Read model: one row per project, written only by the workflow's activity, newest `version` wins. The decorators
 * are the column map (column name, field, SQL type); the fields are typed with the domain's unions. Rows are written
 * from and read back into the domain's `ProjectView` in `project-read-model.rows.ts`.
 */
@Entity({ name: 'projects' })
@Index('ix_projects_stage', ['stage'])
@Index('ix_projects_track', ['track'])
@Index('ix_projects_district', ['district'])
@Index('ix_projects_status', ['status'])
@Index('ix_projects_light', ['light'])
@Index('ix_projects_last_progress_at', ['lastProgressAt'])
export class ProjectEntity {
  @PrimaryColumn({ type: 'varchar', length: 24 })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  track!: TrackKey;

  @Column({ name: 'definition_version', type: 'int' })
  definitionVersion!: number;

  @Column({ type: 'varchar', length: 64 })
  district!: string;

  @Column({ type: 'text', nullable: true })
  investor!: string | null;

  /** Yuan, exact decimal; comes back as a string. */
  @Column({ name: 'investment_yuan', type: 'numeric', precision: 20, scale: 2, nullable: true })
  investmentYuan!: string | null;

  @Column({ name: 'signed_at', type: 'date' })
  signedAt!: string;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;

  @Column({ name: 'registered_by', type: 'varchar', length: 64 })
  registeredBy!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ProjectStatus;

  @Column({ type: 'varchar', length: 64 })
  stage!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'last_progress_at', type: 'timestamptz' })
  lastProgressAt!: Date;

  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Worst light of the open clocks. */
  @Column({ type: 'varchar', length: 8, default: 'green' })
  light!: Light;

  @Column({ name: 'next_deadline', type: 'timestamptz', nullable: true })
  nextDeadline!: Date | null;

  /** The project's own deadlines (e.g. groundbreaking within 90 days of the land contract). */
  @Column({ name: 'project_clocks', type: 'jsonb', default: () => "'[]'" })
  projectClocks!: ProjectClockRecord[];

  /** The forecast does not fit a hard deadline. */
  @Column({ name: 'at_risk', type: 'boolean', default: false })
  atRisk!: boolean;

  @Column({ name: 'at_risk_reason', type: 'text', nullable: true })
  atRiskReason!: string | null;

  /** Earliest finish of the remaining work (critical path at the limits), Asia/Shanghai date. */
  @Column({ name: 'forecast_finish_on', type: 'date', nullable: true })
  forecastFinishOn!: string | null;

  /** Working days between the forecast and the tightest hard deadline (negative: late). */
  @Column({ name: 'slack_working_days', type: 'int', nullable: true })
  slackWorkingDays!: number | null;

  /** The whole forecast (per hard deadline), as the workflow recorded it. */
  @Column({ type: 'jsonb', nullable: true })
  forecast!: ProjectForecast | null;

  /** Escalated by a supervisor (督办) and the escalated step has not moved since. */
  @Column({ name: 'under_supervision', type: 'boolean', default: false })
  underSupervision!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  supervision!: Supervision | null;

  /** Steps whose light is red. */
  @Column({ name: 'overdue_steps', type: 'int', default: 0 })
  overdueSteps!: number;

  /** 备案 (`filing`) or 核准 (`approval`): the extension caps and expiry clocks follow it. */
  @Column({ name: 'approval_route', type: 'varchar', length: 16, default: 'filing' })
  approvalRoute!: ApprovalRoute;

  /** Open steps past their statutory limit (法定时限), a graver state than red. */
  @Column({ name: 'statutory_overdue_steps', type: 'int', default: 0 })
  statutoryOverdueSteps!: number;

  /** The whole government time (政府审批用时) as the workflow recorded it; null until first computed. */
  @Column({ name: 'government_time', type: 'jsonb', nullable: true })
  governmentTime!: GovernmentTime | null;

  /** Working days on which an agency held a file of the project (`governmentTime.workingDays`), for sums. */
  @Column({ name: 'government_working_days', type: 'int', nullable: true })
  governmentWorkingDays!: number | null;

  /** Expiry clocks (validities after decisions) with their renewals, as the workflow recorded them. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  expiries!: AuxClockRecord[];

  /** Facts recorded from outside the steps (`POST /events`), e.g. the land price paid in full. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  facts!: ProjectFact[];

  /*
   * The stuck keys (libs/domain supervision.ts stuckKeysOf), written with the row so the supervisors' lists filter and
   * sort on columns: indexed by ix_projects_stuck_order (the urgency order, partial on running projects, with the
   * filters' columns included) and ix_projects_open_departments (GIN), both created by the StuckKeys migration.
   * The urgency keys are NOT NULL with a far sentinel for "none", so a keyset cursor compares them as one row.
   */

  /** Urgency tier of the write-time reasons: 0 statutory overdue, 1 red step, 2 at risk, 3 none (stuck only if idle). */
  @Column({ name: 'stuck_tier', type: 'smallint', default: 3 })
  stuckTier!: number;

  /** The earliest statutory deadline of the open statutory-overdue steps; {@link STUCK_KEY_NONE_AT} when none. */
  @Column({ name: 'urgency_statutory_at', type: 'timestamptz', default: () => "'9999-12-31T00:00:00Z'" })
  urgencyStatutoryAt!: Date;

  /** The earliest deadline of the red steps; {@link STUCK_KEY_NONE_AT} when none. */
  @Column({ name: 'urgency_red_at', type: 'timestamptz', default: () => "'9999-12-31T00:00:00Z'" })
  urgencyRedAt!: Date;

  /** The at-risk slack ordering tier 2 (working days); {@link STUCK_KEY_NONE_SLACK} otherwise. */
  @Column({ name: 'urgency_slack', type: 'int', default: 2147483647 })
  urgencySlack!: number;

  /** Departments with a step on their desk (ready, received, in review, supplement requested), sorted. */
  @Column({ name: 'open_departments', type: 'text', array: true, default: () => "'{}'" })
  openDepartments!: string[];

  /**
   * The published due days (`due_on`, Asia/Shanghai calendar days) of the steps whose clock runs (the domain's
   * DUE_STEP_STATES), as a multirange of single days, e.g. `{[2026-12-10,2026-12-11)}`: the due-range filters ask
   * it with `&&` on the row (and on the stuck list's index, which includes it) instead of probing the steps.
   */
  @Column({ name: 'open_due_days', type: 'datemultirange', default: () => "'{}'" })
  openDueDays!: string;

  @OneToMany(() => ProjectStepEntity, (s) => s.project)
  steps!: Relation<ProjectStepEntity[]>;
}

/** The "none" of an instant urgency key (far after any deadline, so it sorts last as NULLS LAST did). */
export const STUCK_KEY_NONE_AT = new Date('9999-12-31T00:00:00Z');

/** The "none" of the slack urgency key (the largest int4). */
export const STUCK_KEY_NONE_SLACK = 2147483647;
