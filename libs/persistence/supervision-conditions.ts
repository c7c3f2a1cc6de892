/*
 * The conditions the supervision views (the stuck list, its total, the summary) put on project and counter rows: the
 * filters, the stuck criteria (the idle instant, and a past day a dated report asks as of), and the SQL that states
 * them. The statements that use them are in supervision.repository.ts.
 */
import { OVERDUE_LIGHT, STATUTORY_OPEN_STATES, type StuckKind } from '../domain/index.js';
import { onDeskSql, projectDueInRangeSql, RUNNING_SQL, sqlList, type ProjectListFilter } from './project-read-model.repository.js';
import { COUNTER_DIMENSIONS } from './supervision-counters.js';

/** The open states in which a step past its statutory limit counts (the domain's `STATUTORY_OPEN_STATES`), as SQL. */
export const STATUTORY_STATES_SQL = sqlList(STATUTORY_OPEN_STATES);
/** The red light, as an SQL literal. */
export const RED = `'${OVERDUE_LIGHT}'`;

/** Filters of the supervision views: those of `GET /projects` (the due range included) plus the reason kind. */
export interface StuckFilter extends ProjectListFilter {
  /** Only projects stuck for this reason (they may have others too). */
  kind?: StuckKind;
}

/**
 * The instant that makes a project idle: no progress (`last_progress_at`) before it. The API computes it on
 * the working-day calendar (the start of the N-th most recent working day), so SQL needs no calendar.
 */
export interface StuckCriteria {
  idleBefore: Date;
  /** Asked as of a day before today: that day (see {@link PastDay}). Absent as of today. */
  pastDay?: PastDay;
}

/**
 * A day before today that the views are asked as of (a dated report), as two instants of Asia/Shanghai time. The read
 * model holds today's state, so on such a day the views leave out what cannot have been so then: a project registered
 * after the day, and a step's lateness whose deadline ended after the day (a red step or one past its statutory limit
 * counts only if its deadline, `due_at` or `statutory_due_at`, ended by the day's start; one whose clock is stopped,
 * its end unknown, counts as today). The list, its total and the summary are then counted on the rows (the counters
 * hold today's projects), and the lateness on the steps (an EXISTS per stuck candidate): a dated report, off the
 * index-only paths of today's views. The list keeps today's urgency order.
 */
export interface PastDay {
  /** The day, an ISO date (Asia/Shanghai): a snapshot of the counters taken on it answers the summary (supervision_days). */
  day: string;
  /** The start of the day: a deadline ended by then was past on the day (a step due on the day was not late yet). */
  start: Date;
  /** The start of the next day: a project registered from then on did not exist yet. */
  end: Date;
}

/** The SQL of a {@link PastDay}'s conditions, each value bound once, when first used. */
export interface PastDaySql {
  /** The project (alias `p`) was registered by the day's end. */
  registered: () => string;
  /** The project (alias `p`) had an open step past its statutory limit on the day. */
  statutory: () => string;
  /** The project (alias `p`) had a red step past its deadline on the day. */
  overdue: () => string;
  /** That step row (of alias `s`) was past its deadline on the day (with the red-step condition). */
  redStep: (s: string) => string;
  /** That step row (of alias `s`) was past its statutory limit on the day (with the statutory-step condition). */
  statutoryStep: (s: string) => string;
}

/** The conditions of `criteria.pastDay` binding through `p`; null as of today. */
function pastDaySql(criteria: StuckCriteria, p: (v: unknown) => string): PastDaySql | null {
  const day = criteria.pastDay;
  if (day === undefined) return null;
  let start: string | null = null;
  let end: string | null = null;
  const startRef = (): string => (start ??= p(day.start));
  const redStep = (s: string): string => `(${s}.due_at IS NULL OR ${s}.due_at <= ${startRef()})`;
  const statutoryStep = (s: string): string => `(${s}.statutory_due_at IS NULL OR ${s}.statutory_due_at <= ${startRef()})`;
  return {
    registered: () => `p.registered_at < ${(end ??= p(day.end))}`,
    // The project's urgency key (its earliest such deadline) answers without reading its steps when that deadline had
    // ended by the day; only otherwise are the steps asked, for a step whose clock is stopped (no deadline, so
    // not in the key) and counts as late.
    statutory: () =>
      `(p.urgency_statutory_at <= ${startRef()} OR EXISTS (SELECT 1 FROM project_steps ps WHERE ps.project_code = p.code AND ps.statutory_overdue AND ps.state IN (${STATUTORY_STATES_SQL}) AND ${statutoryStep('ps')}))`,
    overdue: () => `(p.urgency_red_at <= ${startRef()} OR EXISTS (SELECT 1 FROM project_steps ps WHERE ps.project_code = p.code AND ps.light = ${RED} AND ${redStep('ps')}))`,
    redStep,
    statutoryStep,
  };
}

/**
 * The conditions every supervision view puts on a project row (alias `p`): running, the filter's dimensions, a
 * department's desk and the due range, and on a past day its registration by then (with that day's conditions, for
 * the caller's reasons). Binds its values through `p`.
 */
export function viewConditions(filter: StuckFilter, criteria: StuckCriteria, p: (v: unknown) => string): { where: string[]; past: PastDaySql | null } {
  const where = [`p.status IN (${RUNNING_SQL})`];
  if (filter.stage) where.push(`p.stage = ${p(filter.stage)}`);
  if (filter.track) where.push(`p.track = ${p(filter.track)}`);
  if (filter.district) where.push(`p.district = ${p(filter.district)}`);
  if (filter.status) where.push(`p.status = ${p(filter.status)}`);
  if (filter.light) where.push(`p.light = ${p(filter.light)}`);
  if (filter.department) where.push(onDeskSql('p', filter.department, p));
  const due = projectDueInRangeSql(filter, filter.department, p);
  if (due !== null) where.push(due);
  const past = pastDaySql(criteria, p);
  if (past) where.push(past.registered());
  return { where, past };
}

/**
 * The filters that are dimensions of a counter row, as conditions on a counter row (`c.…`, pushed onto `c`) and the
 * same on a project row (`i.…`, pushed onto `i`), each value bound once through `p`.
 */
export function dimensionConditions(filter: StuckFilter, p: (v: unknown) => string, c: string[], i: string[]): void {
  for (const field of COUNTER_DIMENSIONS) {
    const value = filter[field];
    if (value === undefined) continue;
    const ref = p(value);
    c.push(`c.${field} = ${ref}`);
    i.push(`i.${field} = ${ref}`);
  }
}
