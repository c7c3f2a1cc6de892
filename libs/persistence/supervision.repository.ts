import type { DataSource } from 'typeorm';
import {
  OPEN_STEP_STATES,
  OVERDUE_LIGHT,
  RUNNING_STATUSES,
  STATUTORY_OPEN_STATES,
  STUCK_URGENCY,
  type RedStep,
  type StatutoryOverdueStep,
  type StuckFacts,
  type StuckKind,
} from '../domain/index.js';
import { projectDueInRangeSql, type Page, type PageRequest, type ProjectListFilter } from './project-read-model.repository.js';

/** A list of constant wire values as SQL literals (`'a','b'`): the domain's lists, never user input. */
const sqlList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(',');

const STATUTORY_STATES_SQL = sqlList(STATUTORY_OPEN_STATES);
const OPEN_STATES_SQL = sqlList(OPEN_STEP_STATES);
const RUNNING_SQL = sqlList(RUNNING_STATUSES);
const RED = `'${OVERDUE_LIGHT}'`;

/**
 * "stuck for some reason": the reason flags of the `base` CTE are named as the domain's stuck kinds, so a kind is
 * its column (`b.overdue`, `b.idle`…).
 */
const anyStuck = (alias: string): string => STUCK_URGENCY.map((k) => `${alias}${k}`).join(' OR ');

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
}

/** A red step of a stuck project, as the domain reads it. */
export type RedStepRow = RedStep;

/** An open step of a stuck project past its statutory limit, as the domain reads it. */
export type StatutoryStepRow = StatutoryOverdueStep;

/**
 * A stuck project as the list query returns it: the project's columns and what makes it stuck (the domain's
 * {@link StuckFacts}, from which `stuckReasons` words the reasons).
 */
export interface StuckRow extends StuckFacts {
  code: string;
  name: string;
  track: string;
  district: string;
  stage: string;
  status: string;
  light: string;
  lastProgressAt: Date;
  atRisk: boolean;
  atRiskReason: string | null;
  forecastFinishOn: string | null;
  slackWorkingDays: number | null;
  underSupervision: boolean;
  supervision: Record<string, unknown> | null;
  /** An open step is past its statutory limit (then `statutorySteps` lists them). */
  statutoryOverdue: boolean;
  /** A step is red (then `redSteps` lists them). */
  overdue: boolean;
}

/** A count of projects by light, e.g. within one stage or one district. */
export interface LightCounts {
  green: number;
  yellow: number;
  red: number;
}

/** The summary's numbers (see {@link SupervisionRepository.summary}). */
export interface SupervisionSummaryRows {
  projects: number;
  byLightStage: Array<{ stage: string; light: string; projects: number }>;
  byDepartment: Array<{ department: string; openSteps: number; projects: number; green: number; yellow: number; red: number; noClock: number }>;
  byDistrict: Array<{ district: string; projects: number; stuck: number } & LightCounts>;
  stuck: { total: number; statutoryOverdue: number; overdue: number; idle: number; atRisk: number };
  /** Open steps past the statutory limit (法定时限): projects holding them, the steps, and both per department. */
  statutoryOverdue: { projects: number; steps: number; byDepartment: Array<{ department: string; steps: number; projects: number }> };
  /** Government time (政府审批用时) of the projects it has been computed for (see {@link SupervisionRepository.summary}). */
  governmentTime: {
    projects: number;
    workingDaysTotal: number;
    workingDaysAverage: number | null;
    byPromise: Array<{ key: string; name: string; nameZh: string; projects: number; exceeded: number }>;
  };
}

/**
 * The urgency order of the stuck list, most urgent first: the tiers of the domain's `STUCK_URGENCY`, a project in
 * the tier of its most urgent reason —
 * 1. projects with an open step past its statutory limit (法定时限), the earliest statutory deadline first;
 * 2. then those with a red step (past the published limit), the earliest red deadline (`due_at`) first;
 * 3. then those at risk (forecast past a hard deadline), least slack (most negative) first;
 * 4. then the idle ones, oldest last progress first;
 * ties by project code.
 */
const URGENCY_ORDER = `CASE ${STUCK_URGENCY.slice(0, -1)
  .map((k, i) => `WHEN b.${k} THEN ${i}`)
  .join(' ')} ELSE ${STUCK_URGENCY.length - 1} END,
  CASE WHEN b.statutory_overdue THEN b.first_statutory_due_at END ASC NULLS LAST,
  b.first_red_due_at ASC NULLS LAST,
  CASE WHEN NOT b.overdue AND b.at_risk THEN b.slack_working_days END ASC NULLS LAST,
  b.last_progress_at ASC,
  b.code ASC`;

/**
 * Supervisors' views over the read model: the stuck projects and the counts by light, stage,
 * department and district. SQL-driven: every reason is decided in PostgreSQL from columns the workflow
 * writes (`project_steps.light`, `projects.at_risk`, `projects.last_progress_at`), so no page needs more
 * than the page's rows in memory.
 */
export class SupervisionRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Running projects (active or suspended) that have a red step, are at risk or idle, in the urgency order
   * of {@link URGENCY_ORDER}, one page, with the page's red steps.
   * @returns the page and the total of stuck projects matching the filter
   */
  async listStuck(filter: StuckFilter, criteria: StuckCriteria, page: PageRequest): Promise<Page<StuckRow>> {
    const { sql, params } = stuckListQuery(filter, criteria, page);
    const rows: Array<Record<string, unknown>> = await this.ds.query(sql, params);
    const total = Number(rows[0]?.total ?? 0);
    const items = rows
      .filter((r) => r.code !== null)
      .map(
        (r): StuckRow => ({
          code: r.code as string,
          name: r.name as string,
          track: r.track as string,
          district: r.district as string,
          stage: r.stage as string,
          status: r.status as string,
          light: r.light as string,
          lastProgressAt: r.last_progress_at as Date,
          atRisk: r.at_risk as boolean,
          atRiskReason: r.at_risk_reason as string | null,
          forecastFinishOn: r.forecast_finish_on as string | null,
          slackWorkingDays: r.slack_working_days as number | null,
          underSupervision: r.under_supervision as boolean,
          supervision: r.supervision as Record<string, unknown> | null,
          statutoryOverdue: r.statutory_overdue as boolean,
          overdue: r.overdue as boolean,
          idle: r.idle as boolean,
          statutorySteps: r.statutory_steps as StatutoryStepRow[],
          redSteps: r.red_steps as RedStepRow[],
        }),
      );
    return { items, total };
  }

  /**
   * Counts over the running projects matching the filter (with `kind`, only the projects stuck for it):
   * projects by stage × light; open steps (ready, in review, supplement requested) by department and by the
   * light of their clock (`noClock`: ready steps, whose clock has not started), with the projects holding
   * them; projects by district and light, with how many are stuck; the stuck projects by kind (a project
   * counts once in `total` and once per kind it has); the open steps past their statutory limit (法定时限) and
   * the projects holding them, in total and per department; and government time (政府审批用时): how many of the
   * projects have it computed, the sum of their `workingDays` (working days on which an agency held one of the
   * project's files, counted once per day) and its average (rounded to one decimal, null without projects),
   * and per promise key (e.g. `pre_groundbreaking`, 100 days) how many projects it applies to and how many
   * exceeded it. Working days are those the workflow counted on the official calendar up to its `asOf`.
   */
  async summary(filter: StuckFilter, criteria: StuckCriteria): Promise<SupervisionSummaryRows> {
    const params: unknown[] = [];
    const base = baseCte(filter, criteria, params);
    const openStates = OPEN_STATES_SQL;
    const statutoryStates = STATUTORY_STATES_SQL;
    const [row] = (await this.ds.query(
      `${base}
       SELECT
         (SELECT count(*)::int FROM base) AS projects,
         (SELECT coalesce(json_agg(x ORDER BY x.stage, x.light), '[]'::json) FROM
            (SELECT stage, light, count(*)::int AS projects FROM base GROUP BY stage, light) x) AS by_light_stage,
         (SELECT coalesce(json_agg(x ORDER BY x.department), '[]'::json) FROM
            (SELECT s.department, count(*)::int AS "openSteps", count(DISTINCT s.project_code)::int AS projects,
                    count(*) FILTER (WHERE s.light = 'green')::int AS green, count(*) FILTER (WHERE s.light = 'yellow')::int AS yellow,
                    count(*) FILTER (WHERE s.light = ${RED})::int AS red, count(*) FILTER (WHERE s.light IS NULL)::int AS "noClock"
               FROM project_steps s JOIN base b ON b.code = s.project_code
              WHERE s.state IN (${openStates}) GROUP BY s.department) x) AS by_department,
         (SELECT coalesce(json_agg(x ORDER BY x.district), '[]'::json) FROM
            (SELECT district, count(*)::int AS projects, count(*) FILTER (WHERE light = 'green')::int AS green,
                    count(*) FILTER (WHERE light = 'yellow')::int AS yellow, count(*) FILTER (WHERE light = 'red')::int AS red,
                    count(*) FILTER (WHERE ${anyStuck('')})::int AS stuck
               FROM base GROUP BY district) x) AS by_district,
         (SELECT json_build_object('total', count(*) FILTER (WHERE ${anyStuck('')}),
                 'statutoryOverdue', count(*) FILTER (WHERE statutory_overdue), 'overdue', count(*) FILTER (WHERE overdue),
                 'idle', count(*) FILTER (WHERE idle), 'atRisk', count(*) FILTER (WHERE at_risk)) FROM base) AS stuck,
         (SELECT json_build_object('projects', count(DISTINCT s.project_code), 'steps', count(*),
                 'byDepartment', coalesce((SELECT json_agg(x ORDER BY x.department) FROM
                    (SELECT s2.department, count(*)::int AS steps, count(DISTINCT s2.project_code)::int AS projects
                       FROM project_steps s2 JOIN base b2 ON b2.code = s2.project_code
                      WHERE s2.statutory_overdue AND s2.state IN (${statutoryStates}) GROUP BY s2.department) x), '[]'::json))
            FROM project_steps s JOIN base b ON b.code = s.project_code
           WHERE s.statutory_overdue AND s.state IN (${statutoryStates})) AS statutory_overdue,
         (SELECT json_build_object('projects', count(p.government_working_days), 'workingDaysTotal', coalesce(sum(p.government_working_days), 0),
                 'workingDaysAverage', round(avg(p.government_working_days), 1)::float8,
                 'byPromise', coalesce((SELECT json_agg(x ORDER BY x.key) FROM
                    (SELECT e->>'key' AS key, min(e->>'name') AS name, min(e->>'nameZh') AS "nameZh", count(*)::int AS projects,
                            count(*) FILTER (WHERE (e->>'exceeded')::boolean)::int AS exceeded
                       FROM projects p3 JOIN base b3 ON b3.code = p3.code
                            CROSS JOIN LATERAL jsonb_array_elements(coalesce(p3.government_time->'promises', '[]'::jsonb)) e
                      GROUP BY e->>'key') x), '[]'::json))
            FROM projects p JOIN base b ON b.code = p.code) AS government_time`,
      params,
    )) as Array<{
      projects: number;
      by_light_stage: SupervisionSummaryRows['byLightStage'];
      by_department: SupervisionSummaryRows['byDepartment'];
      by_district: SupervisionSummaryRows['byDistrict'];
      stuck: SupervisionSummaryRows['stuck'];
      statutory_overdue: SupervisionSummaryRows['statutoryOverdue'];
      government_time: SupervisionSummaryRows['governmentTime'];
    }>;
    return {
      projects: row!.projects,
      byLightStage: row!.by_light_stage,
      byDepartment: row!.by_department,
      byDistrict: row!.by_district,
      stuck: row!.stuck,
      statutoryOverdue: row!.statutory_overdue,
      governmentTime: row!.government_time,
    };
  }
}

/**
 * The SQL of {@link SupervisionRepository.listStuck} and its parameters: one statement that counts the stuck
 * projects and returns one page of them (with their red steps), or a single row with nulls and the total
 * when the page is past the end. Exported so the benchmark can EXPLAIN exactly what the API runs.
 */
export function stuckListQuery(filter: StuckFilter, criteria: StuckCriteria, page: PageRequest): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const base = baseCte(filter, criteria, params);
  params.push(page.pageSize, (page.page - 1) * page.pageSize);
  const limit = `$${params.length - 1}`;
  const offset = `$${params.length}`;
  const sql = `${base}
    SELECT t.total, pg.* FROM (SELECT count(*)::int AS total FROM stuck) t
    LEFT JOIN LATERAL (
      SELECT b.*,
        (SELECT coalesce(json_agg(json_build_object('step', s.step_key, 'name', s.name, 'department', s.department,
                  'state', s.state, 'dueOn', s.due_on, 'dueAt', s.due_at) ORDER BY s.due_at NULLS LAST, s.position), '[]'::json)
           FROM project_steps s WHERE s.project_code = b.code AND s.light = ${RED}) AS red_steps,
        (SELECT coalesce(json_agg(json_build_object('step', s.step_key, 'name', s.name, 'department', s.department, 'state', s.state,
                  'statutoryDueOn', s.statutory_due_on, 'statutoryDueAt', s.statutory_due_at) ORDER BY s.statutory_due_at NULLS LAST, s.position), '[]'::json)
           FROM project_steps s WHERE s.project_code = b.code AND s.statutory_overdue AND s.state IN (${STATUTORY_STATES_SQL})) AS statutory_steps
      FROM stuck b ORDER BY ${URGENCY_ORDER} LIMIT ${limit} OFFSET ${offset}
    ) pg ON true`;
  return { sql, params };
}

/**
 * `WITH red AS (…), base AS (…), stuck AS (…)`: `red` holds the earliest red deadline per project (from the
 * partial index on red steps), `base` the running projects matching the filter with their three reason flags,
 * `stuck` those with at least one (or with `filter.kind`). Pushes its parameters onto `params`.
 */
function baseCte(filter: StuckFilter, criteria: StuckCriteria, params: unknown[]): string {
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`p.status IN (${RUNNING_SQL})`];
  if (filter.stage) where.push(`p.stage = ${p(filter.stage)}`);
  if (filter.track) where.push(`p.track = ${p(filter.track)}`);
  if (filter.district) where.push(`p.district = ${p(filter.district)}`);
  if (filter.status) where.push(`p.status = ${p(filter.status)}`);
  if (filter.light) where.push(`p.light = ${p(filter.light)}`);
  if (filter.department) {
    where.push(
      `EXISTS (SELECT 1 FROM project_steps d WHERE d.project_code = p.code AND d.department = ${p(filter.department)}
         AND d.state IN (${OPEN_STATES_SQL}))`,
    );
  }
  const due = projectDueInRangeSql(filter, filter.department, p);
  if (due !== null) where.push(due);
  const idleBefore = p(criteria.idleBefore);
  const stuckWhere = filter.kind ? `b.${filter.kind}` : anyStuck('b.');
  const kindWhere: Record<StuckKind, string> = {
    statutory_overdue: 'st.project_code IS NOT NULL',
    overdue: 'r.project_code IS NOT NULL',
    at_risk: 'p.at_risk',
    idle: `p.last_progress_at < ${idleBefore}`,
  };
  if (filter.kind) where.push(kindWhere[filter.kind]);
  return `WITH red AS (
      SELECT project_code, min(due_at) AS first_red_due_at FROM project_steps WHERE light = ${RED} GROUP BY project_code
    ), statutory AS (
      SELECT project_code, min(statutory_due_at) AS first_statutory_due_at FROM project_steps
       WHERE statutory_overdue AND state IN (${STATUTORY_STATES_SQL}) GROUP BY project_code
    ), base AS (
      SELECT p.code, p.name, p.track, p.district, p.stage, p.status, p.light, p.last_progress_at, p.at_risk, p.at_risk_reason,
             p.forecast_finish_on::text AS forecast_finish_on, p.slack_working_days, p.under_supervision, p.supervision,
             st.first_statutory_due_at, (st.project_code IS NOT NULL) AS statutory_overdue,
             r.first_red_due_at, (r.project_code IS NOT NULL) AS overdue, (p.last_progress_at < ${idleBefore}) AS idle
        FROM projects p LEFT JOIN red r ON r.project_code = p.code LEFT JOIN statutory st ON st.project_code = p.code
       WHERE ${where.join(' AND ')}
    ), stuck AS (
      SELECT * FROM base b WHERE ${stuckWhere}
    )`;
}
