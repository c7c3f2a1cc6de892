import type { DataSource } from 'typeorm';
import { OPEN_STEP_STATES, STUCK_URGENCY, type RedStep, type StatutoryOverdueStep, type StuckFacts, type StuckKind } from '../domain/index.js';
import { COUNTER_COLUMNS, COUNTS_FILL } from './supervision-counters.js';
import { onDeskSql, RUNNING_SQL, sqlList, type PageRequest } from './project-read-model.repository.js';
import {
  dimensionConditions,
  RED,
  STATUTORY_STATES_SQL,
  viewConditions,
  type PastDaySql,
  type StuckCriteria,
  type StuckFilter,
} from './supervision-conditions.js';

export type { PastDay, StuckCriteria, StuckFilter } from './supervision-conditions.js';

const OPEN_STATES_SQL = sqlList(OPEN_STEP_STATES);

/**
 * "stuck for some reason": the reason flags of the `base` CTE are named as the domain's stuck kinds, so a kind is
 * its column (`b.overdue`, `b.idle`…).
 */
const anyStuck = (alias: string): string => STUCK_URGENCY.map((k) => `${alias}${k}`).join(' OR ');

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

/** A page of the stuck list: its rows, the total, and the keyset cursor after its last row (null on the last page). */
export interface StuckPage {
  items: StuckRow[];
  total: number;
  nextCursor: string | null;
}

/**
 * A stuck-list page request: by number (`page` from 1), or by keyset — `cursor`, a previous page's `nextCursor`,
 * continues right after that page's last row (then `page` does not move the position).
 */
export interface StuckPageRequest extends PageRequest {
  cursor?: string;
}

/** A cursor that does not decode to a position of the stuck list (e.g. edited by hand). */
export class InvalidStuckCursorError extends Error {
  constructor() {
    super('cursor is not a nextCursor of GET /supervision/stuck');
    this.name = 'InvalidStuckCursorError';
  }
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
 * ties by project code. The keys are columns written with the project row (the domain's `stuckKeysOf`), in the
 * order of the index `ix_projects_stuck_order`, so a page is a walk of that index and a keyset compares them as one row.
 */
const URGENCY_KEYS = ['p.stuck_tier', 'p.urgency_statutory_at', 'p.urgency_red_at', 'p.urgency_slack', 'p.last_progress_at', 'p.code'] as const;
/** The SQL type of each urgency key, to cast a cursor's text back. */
const URGENCY_TYPES = ['smallint', 'timestamptz', 'timestamptz', 'int', 'timestamptz', 'varchar'] as const;
const URGENCY_ORDER = URGENCY_KEYS.join(', ');
/** The tier of projects with none of the write-time reasons (stuck only when idle). */
const IDLE_TIER = STUCK_URGENCY.length - 1;

/**
 * Supervisors' views over the read model: the stuck projects and the counts by light, stage,
 * department and district. SQL-driven: every reason is decided in PostgreSQL from columns the workflow
 * writes (`project_steps.light`, `projects.at_risk`, `projects.last_progress_at`), so no page needs more
 * than the page's rows in memory.
 */
export class SupervisionRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Running projects (active or suspended) past a statutory limit, with a red step, at risk or idle, in the urgency
   * order of {@link URGENCY_ORDER}, one page (by number or after `page.cursor`), with the page's red and statutory
   * steps; and the total of stuck projects matching the filter.
   * @throws InvalidStuckCursorError for a cursor that is not a `nextCursor`
   */
  async listStuck(filter: StuckFilter, criteria: StuckCriteria, page: StuckPageRequest): Promise<StuckPage> {
    const list = stuckListQuery(filter, criteria, page);
    const count = stuckCountQuery(filter, criteria);
    const [rows, counted] = (await Promise.all([this.ds.query(list.sql, list.params), this.ds.query(count.sql, count.params)])) as [
      Array<Record<string, unknown>>,
      Array<{ total: number }>,
    ];
    const more = rows.length > page.pageSize;
    const shown = more ? rows.slice(0, page.pageSize) : rows;
    const last = shown.at(-1);
    const items = shown.map(
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
        atRiskStep: (r.at_risk_step as string | null) ?? null,
        atRiskDepartment: (r.at_risk_department as string | null) ?? null,
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
    return { items, total: Number(counted[0]?.total ?? 0), nextCursor: more && last ? encodeCursor(last.urgency_key as string[]) : null };
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
    const day = criteria.pastDay !== undefined && countersAnswer(filter) ? await this.snapshotFor(criteria) : null;
    const { sql, params } = summaryQuery(filter, criteria, day);
    const [row] = (await this.ds.query(sql, params)) as SummaryRow[];
    return summaryOf(row!);
  }

  /**
   * Takes the snapshot of `day`: the summary's counters as they stand now, and the running projects idle on that day
   * (last progress before `idleBefore`) by the same keys and desks, in one REPEATABLE READ transaction, so both are
   * counted on the same state. Called at the day's end (23:50 Asia/Shanghai); a summary as of the day then sums these
   * rows ({@link SupervisionRepository.summary}). A later snapshot of the same day (the scheduled run after one
   * triggered by hand) replaces the earlier one: the day's last snapshot stands. Only the caller knows the day is not
   * over (the activity refuses a day that is).
   * @param day an ISO date, the day the counters stand for
   * @param idleBefore the idle instant of that day: the start of the `idleWorkingDays`-th working day back (the API's
   *   default, IDLE_WORKING_DAYS; a summary asking another number of days is counted on the rows)
   * @param idleWorkingDays that number of working days, kept beside the snapshot
   * @returns `taken`, or `replaced` when the day had a snapshot already, and the counter rows copied (idle rows included)
   * @throws the driver's serialization error when another snapshot of the day is taken at the same moment (retry it)
   */
  async snapshotDay(day: string, idleBefore: Date, idleWorkingDays: number): Promise<{ outcome: 'taken' | 'replaced'; rows: number }> {
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      const counted = async (statement: string, params: unknown[]): Promise<number> =>
        ((await em.query(`WITH done AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM done`, params)) as Array<{ n: number }>)[0]!.n;
      // The day's rows go with its supervision_days row (ON DELETE CASCADE).
      const earlier = await counted(`DELETE FROM supervision_days WHERE day = $1`, [day]);
      await em.query(`INSERT INTO supervision_days (day, idle_before, idle_working_days) VALUES ($1, $2, $3)`, [day, idleBefore, idleWorkingDays]);
      const columns = COUNTER_COLUMNS.join(', ');
      const counters = await counted(
        `INSERT INTO supervision_day_counts (day, ${columns}) SELECT $1, ${columns} FROM supervision_counts
          WHERE projects <> 0 OR open_steps <> 0 OR statutory_steps <> 0`,
        [day],
      );
      const idle = await counted(
        `INSERT INTO supervision_day_counts (day, facet, key, desk, district, stage, track, status, light, statutory, overdue, at_risk, projects)
         SELECT $1, 'idle', '', k.desk, p.district, p.stage, p.track, p.status, p.light, p.statutory_overdue_steps > 0, p.overdue_steps > 0, p.at_risk, count(*)
           FROM projects p CROSS JOIN LATERAL unnest(array_prepend(''::text, p.open_departments::text[])) AS k(desk)
          WHERE p.status IN (${RUNNING_SQL}) AND p.last_progress_at < $2
          GROUP BY 4, 5, 6, 7, 8, 9, 10, 11, 12`,
        [day, idleBefore],
      );
      return { outcome: earlier > 0 ? ('replaced' as const) : ('taken' as const), rows: counters + idle };
    });
  }

  /** The day of `criteria.pastDay` when it has a snapshot whose idle counts used `criteria.idleBefore`; else null. */
  private async snapshotFor(criteria: StuckCriteria): Promise<string | null> {
    const day = criteria.pastDay!.day;
    const rows = (await this.ds.query(`SELECT 1 FROM supervision_days WHERE day = $1 AND idle_before = $2`, [day, criteria.idleBefore])) as unknown[];
    return rows.length > 0 ? day : null;
  }

  /**
   * Recounts the summary's counters from the rows, in one transaction (a scan: for after project rows were deleted
   * or changed outside the read model's write path, e.g. by hand or a bulk load).
   */
  async recountSummary(): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query('LOCK TABLE supervision_counts IN EXCLUSIVE MODE');
      await em.query('DELETE FROM supervision_counts');
      for (const sql of COUNTS_FILL) await em.query(sql);
    });
  }
}

/** The one row of the summary's statement. */
interface SummaryRow {
  projects: number;
  by_light_stage: SupervisionSummaryRows['byLightStage'];
  by_department: SupervisionSummaryRows['byDepartment'];
  by_district: SupervisionSummaryRows['byDistrict'];
  stuck: SupervisionSummaryRows['stuck'];
  statutory_overdue: SupervisionSummaryRows['statutoryOverdue'];
  government_time: SupervisionSummaryRows['governmentTime'];
}

function summaryOf(row: SummaryRow): SupervisionSummaryRows {
  return {
    projects: row.projects,
    byLightStage: row.by_light_stage,
    byDepartment: row.by_department,
    byDistrict: row.by_district,
    stuck: row.stuck,
    statutoryOverdue: row.statutory_overdue,
    governmentTime: row.government_time,
  };
}

/**
 * Whether counter rows answer the summary for `filter`: every filter but a due range and kind=idle is a dimension of
 * the counters (supervision-counters.ts; the department's desk is their `desk`); those two need the rows.
 */
function countersAnswer(filter: StuckFilter): boolean {
  return filter.dueFrom === undefined && filter.dueTo === undefined && filter.kind !== 'idle';
}

/**
 * The SQL of {@link SupervisionRepository.summary} and its parameters, one statement: as of today, from the counters
 * when they answer the filter (idle counted on the partial index of running projects by last progress); as of a past
 * day with a snapshot (`snapshotDay`, see SupervisionRepository.snapshotDay), from that day's counter rows and idle
 * counts; else over the rows (a past day without a snapshot: the counters count today's projects). Exported so the
 * benchmark can EXPLAIN exactly what the API runs.
 */
export function summaryQuery(filter: StuckFilter, criteria: StuckCriteria, snapshotDay: string | null = null): { sql: string; params: unknown[] } {
  if (!countersAnswer(filter)) return scanSummaryQuery(filter, criteria);
  if (criteria.pastDay === undefined) return countersSummaryQuery(filter, criteria, null);
  return snapshotDay !== null ? countersSummaryQuery(filter, criteria, snapshotDay) : scanSummaryQuery(filter, criteria);
}

/** The summary from today's counters, or from the counter rows of the snapshot of `day` (see {@link summaryQuery}). */
function countersSummaryQuery(filter: StuckFilter, criteria: StuckCriteria, day: string | null): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  // The same conditions on a counter row (c) and, as of today, on a project row (i) for the idle count; a day's
  // snapshot holds its idle count as counter rows of the facet 'idle'.
  const c = [...(day === null ? [] : [`c.day = ${p(day)}`]), `c.desk = ${p(filter.department ?? '')}`];
  const i = day === null ? [`i.status IN (${RUNNING_SQL})`, `i.last_progress_at < ${p(criteria.idleBefore)}`] : [];
  if (day === null && filter.department !== undefined) i.push(onDeskSql('i', filter.department, p));
  dimensionConditions(filter, p, c, i);
  const kind: Partial<Record<StuckKind, [string, string]>> = {
    statutory_overdue: ['c.statutory', 'i.statutory_overdue_steps > 0'],
    overdue: ['c.overdue', 'i.overdue_steps > 0'],
    at_risk: ['c.at_risk', 'i.at_risk'],
  };
  const k = filter.kind ? kind[filter.kind] : undefined;
  if (k) {
    c.push(k[0]);
    i.push(k[1]);
  }
  const cWhere = `WHERE ${c.join(' AND ')}`;
  const stuckCell = `(statutory OR overdue OR at_risk)`;
  const idleRows =
    day === null
      ? `SELECT i.district, (i.statutory_overdue_steps > 0 OR i.overdue_steps > 0 OR i.at_risk) AS stuck_anyway, 1 AS projects FROM projects i WHERE ${i.join(' AND ')}`
      : `SELECT district, (statutory OR overdue OR at_risk) AS stuck_anyway, projects FROM c WHERE facet = 'idle'`;
  const sql = `WITH c AS (SELECT * FROM ${day === null ? 'supervision_counts' : 'supervision_day_counts'} c ${cWhere}),
    pc AS (SELECT * FROM c WHERE facet = 'project'),
    idle AS (${idleRows}),
    idle_only AS (SELECT district, sum(projects)::int AS n FROM idle WHERE NOT stuck_anyway GROUP BY district)
    SELECT
      (SELECT coalesce(sum(projects), 0)::int FROM pc) AS projects,
      (SELECT coalesce(json_agg(x ORDER BY x.stage, x.light), '[]'::json) FROM
         (SELECT stage, light, sum(projects)::int AS projects FROM pc GROUP BY stage, light HAVING sum(projects) > 0) x) AS by_light_stage,
      (SELECT coalesce(json_agg(x ORDER BY x.department), '[]'::json) FROM
         (SELECT key AS department, sum(open_steps)::int AS "openSteps", sum(projects)::int AS projects, sum(green)::int AS green,
                 sum(yellow)::int AS yellow, sum(red)::int AS red, sum(no_clock)::int AS "noClock"
            FROM c WHERE facet = 'department' GROUP BY key HAVING sum(open_steps) > 0) x) AS by_department,
      (SELECT coalesce(json_agg(x ORDER BY x.district), '[]'::json) FROM
         (SELECT pc.district, sum(projects)::int AS projects, coalesce(sum(projects) FILTER (WHERE light = 'green'), 0)::int AS green,
                 coalesce(sum(projects) FILTER (WHERE light = 'yellow'), 0)::int AS yellow, coalesce(sum(projects) FILTER (WHERE light = 'red'), 0)::int AS red,
                 (coalesce(sum(projects) FILTER (WHERE ${stuckCell}), 0) + coalesce(min(io.n), 0))::int AS stuck
            FROM pc LEFT JOIN idle_only io ON io.district = pc.district GROUP BY pc.district HAVING sum(projects) > 0) x) AS by_district,
      (SELECT json_build_object(
           'total', (coalesce(sum(projects) FILTER (WHERE ${stuckCell}), 0) + (SELECT coalesce(sum(n), 0) FROM idle_only))::int,
           'statutoryOverdue', coalesce(sum(projects) FILTER (WHERE statutory), 0)::int,
           'overdue', coalesce(sum(projects) FILTER (WHERE overdue), 0)::int,
           'idle', (SELECT coalesce(sum(projects), 0) FROM idle)::int,
           'atRisk', coalesce(sum(projects) FILTER (WHERE at_risk), 0)::int) FROM pc) AS stuck,
      (SELECT json_build_object(
           'projects', coalesce(sum(projects) FILTER (WHERE statutory), 0)::int,
           'steps', coalesce(sum(statutory_steps), 0)::int,
           'byDepartment', (SELECT coalesce(json_agg(x ORDER BY x.department), '[]'::json) FROM
              (SELECT key AS department, sum(statutory_steps)::int AS steps, sum(statutory_projects)::int AS projects
                 FROM c WHERE facet = 'department' GROUP BY key HAVING sum(statutory_steps) > 0) x)) FROM pc) AS statutory_overdue,
      (SELECT json_build_object(
           'projects', coalesce(sum(government_projects), 0)::int,
           'workingDaysTotal', coalesce(sum(government_working_days), 0)::int,
           'workingDaysAverage', round(sum(government_working_days)::numeric / nullif(sum(government_projects), 0), 1)::float8,
           'byPromise', (SELECT coalesce(json_agg(x ORDER BY x.key), '[]'::json) FROM
              (SELECT key, min(name) AS name, min(name_zh) AS "nameZh", sum(projects)::int AS projects, sum(exceeded)::int AS exceeded
                 FROM c WHERE facet = 'promise' GROUP BY key HAVING sum(projects) > 0) x)) FROM pc) AS government_time`;
  return { sql, params };
}

/** The summary over the rows (see {@link summaryQuery}); exported to check the counters against. */
export function scanSummaryQuery(filter: StuckFilter, criteria: StuckCriteria): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const { cte, past } = baseCte(filter, criteria, params);
  const openStates = OPEN_STATES_SQL;
  // A step past its statutory limit, as of a past day only if its limit had ended by then.
  const statutoryStep = (s: string): string => `${s}.statutory_overdue AND ${s}.state IN (${STATUTORY_STATES_SQL})${past ? ` AND ${past.statutoryStep(s)}` : ''}`;
  return {
    params,
    sql: `${cte}
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
                      WHERE ${statutoryStep('s2')} GROUP BY s2.department) x), '[]'::json))
            FROM project_steps s JOIN base b ON b.code = s.project_code
           WHERE ${statutoryStep('s')}) AS statutory_overdue,
         (SELECT json_build_object('projects', count(p.government_working_days), 'workingDaysTotal', coalesce(sum(p.government_working_days), 0),
                 'workingDaysAverage', round(avg(p.government_working_days), 1)::float8,
                 'byPromise', coalesce((SELECT json_agg(x ORDER BY x.key) FROM
                    (SELECT e->>'key' AS key, min(e->>'name') AS name, min(e->>'nameZh') AS "nameZh", count(*)::int AS projects,
                            count(*) FILTER (WHERE (e->>'exceeded')::boolean)::int AS exceeded
                       FROM projects p3 JOIN base b3 ON b3.code = p3.code
                            CROSS JOIN LATERAL jsonb_array_elements(coalesce(p3.government_time->'promises', '[]'::jsonb)) e
                      GROUP BY e->>'key') x), '[]'::json))
            FROM projects p JOIN base b ON b.code = p.code) AS government_time`,
  };
}

/** The cursor of a row: its urgency keys as text (base64url of a JSON array). */
function encodeCursor(keys: string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/** The urgency keys of a cursor, or the error a caller answers 400 with. */
function decodeCursor(cursor: string): string[] {
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(keys) && keys.length === URGENCY_KEYS.length && keys.every((k) => typeof k === 'string' && k.length <= 64)) return keys as string[];
  } catch {
    // fall through
  }
  throw new InvalidStuckCursorError();
}

/**
 * The WHERE of the stuck list and its count: running projects matching the filter that are stuck (for `filter.kind`,
 * stuck for it). Every condition reads a column of the project row but the due range (a step's due day). Pushes its
 * parameters onto `params`.
 */
function stuckWhere(filter: StuckFilter, criteria: StuckCriteria, params: unknown[]): { where: string; idleBefore: () => string; past: PastDaySql | null } {
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const { where, past } = viewConditions(filter, criteria, p);
  let idleRef: string | null = null;
  // The idle instant's placeholder, pushed when first used (a statement must use every parameter it binds).
  const idleBefore = (): string => (idleRef ??= p(criteria.idleBefore));
  // Each kind bounds the tier too, so the walk of the urgency index stops where the kind can no longer occur.
  // On a past day, a late step counts only if its deadline had ended by then (PastDay).
  const then = (cond: () => string): string => (past ? ` AND ${cond()}` : '');
  const kindWhere: Record<StuckKind, () => string> = {
    statutory_overdue: () => `p.stuck_tier = 0${then(() => past!.statutory())}`,
    overdue: () => `p.stuck_tier <= 1 AND p.overdue_steps > 0${then(() => past!.overdue())}`,
    at_risk: () => `p.stuck_tier <= 2 AND p.at_risk`,
    idle: () => `p.last_progress_at < ${idleBefore()}`,
  };
  // On a past day: at risk first (a column), then the late steps only of a project that has such steps today (tier 0
  // has a step past its statutory limit; overdue_steps counts its red steps), each asked of its urgency key first.
  const written = (): string =>
    past
      ? `(p.stuck_tier < ${IDLE_TIER} AND (p.at_risk OR (p.stuck_tier = 0 AND ${past.statutory()}) OR (p.overdue_steps > 0 AND ${past.overdue()})))`
      : `p.stuck_tier < ${IDLE_TIER}`;
  where.push(filter.kind ? kindWhere[filter.kind]() : `(${written()} OR p.last_progress_at < ${idleBefore()})`);
  return { where: where.join(' AND '), idleBefore, past };
}

/**
 * The SQL of the stuck list's total (see {@link SupervisionRepository.listStuck}). Without a due range, from the
 * summary's counters (supervision-counters.ts): the projects stuck for a write-time reason (past a statutory limit,
 * red, at risk) are counter rows of the `project` facet — over all projects, or, for the department filter, over
 * those with an open step on that department's desk (`desk`, as the row's `open_departments` holds them) — and the
 * idle ones, which depend on the day asked, are counted on `ix_projects_idle_count` (only those not already counted
 * for another reason, tier {@link IDLE_TIER}). A due range is a property of the steps, not a counter dimension, and
 * a past day's projects are not today's (`criteria.pastDay`): then the rows are counted, tier by tier, on
 * the indexes. Exported so the benchmark can EXPLAIN exactly what the API
 * runs.
 */
export function stuckCountQuery(filter: StuckFilter, criteria: StuckCriteria): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  if (filter.dueFrom !== undefined || filter.dueTo !== undefined || criteria.pastDay !== undefined) {
    // Two walks the indexes answer alone (index-only), instead of one pass over every running project: the tiers
    // stuck for a write-time reason, a range of ix_projects_stuck_order; and the idle tier's idle ones, the range of
    // that tier and idle instant on the same index or ix_projects_idle_count, whichever the planner finds cheaper.
    const { where, idleBefore } = stuckWhere(filter, criteria, params);
    const written = `SELECT count(*) FROM projects p WHERE ${where} AND p.stuck_tier < ${IDLE_TIER}`;
    const idle = `SELECT count(*) FROM projects p WHERE ${where} AND p.stuck_tier = ${IDLE_TIER} AND p.last_progress_at < ${idleBefore()}`;
    return { sql: `SELECT ((${written}) + (${idle}))::int AS total`, params };
  }
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const c: string[] = [];
  const i = [`i.status IN (${RUNNING_SQL})`];
  dimensionConditions(filter, p, c, i);
  // The desk is bound only when the counters are read (a statement must use every parameter it binds).
  let desk: string | null = null;
  const counted = (cell: string): string =>
    `(SELECT coalesce(sum(c.projects), 0) FROM supervision_counts c WHERE ${[`c.facet = 'project'`, `c.desk = ${(desk ??= p(filter.department ?? ''))}`, ...c, cell].join(' AND ')})`;
  // The idle instant and the desk are bound only when the idle ones are counted (a statement must use every parameter it binds).
  const idle = (extra: string[]): string => {
    const onDesk = filter.department === undefined ? [] : [onDeskSql('i', filter.department, p)];
    return `(SELECT count(*) FROM projects i WHERE ${[...i, `i.last_progress_at < ${p(criteria.idleBefore)}`, ...onDesk, ...extra].join(' AND ')})`;
  };
  const totals: Record<StuckKind | 'any', () => string> = {
    statutory_overdue: () => counted('c.statutory'),
    overdue: () => counted('c.overdue'),
    at_risk: () => counted('c.at_risk'),
    idle: () => idle([]),
    any: () => `${counted('(c.statutory OR c.overdue OR c.at_risk)')} + ${idle([`i.stuck_tier = ${IDLE_TIER}`])}`,
  };
  return { sql: `SELECT (${totals[filter.kind ?? 'any']()})::int AS total`, params };
}

/**
 * The SQL of {@link SupervisionRepository.listStuck}'s page and its parameters: one more row than the page size (to
 * tell whether a next page exists), each with its urgency keys as text for the cursor, its red and statutory-overdue
 * steps. Exported so the benchmark can EXPLAIN exactly what the API runs.
 * @throws InvalidStuckCursorError for a cursor that is not a `nextCursor`
 */
export function stuckListQuery(filter: StuckFilter, criteria: StuckCriteria, page: StuckPageRequest): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const built = stuckWhere(filter, criteria, params);
  let where = built.where;
  const idleBefore = built.idleBefore();
  const past = built.past;
  if (page.cursor !== undefined) {
    const keys = decodeCursor(page.cursor);
    const placeholders = keys.map((k, i) => {
      params.push(k);
      return `CAST($${params.length} AS ${URGENCY_TYPES[i]})`;
    });
    where += ` AND (${URGENCY_ORDER}) > (${placeholders.join(', ')})`;
  }
  params.push(page.pageSize + 1, page.cursor === undefined ? (page.page - 1) * page.pageSize : 0);
  const limit = `$${params.length - 1}`;
  const offset = `$${params.length}`;
  // The page's codes are chosen on the urgency index alone first (innermost query: every column it filters and sorts
  // on is in ix_projects_stuck_order, so the rows a filter or an OFFSET skips are never read); then only the page's
  // rows, and their steps, are read.
  const sql = `SELECT pg.*,
      CASE WHEN pg.overdue THEN (SELECT coalesce(json_agg(json_build_object('step', s.step_key, 'name', s.name, 'department', s.department,
                'state', s.state, 'dueOn', s.due_on, 'dueAt', s.due_at) ORDER BY s.due_at NULLS LAST, s.position), '[]'::json)
         FROM project_steps s WHERE s.project_code = pg.code AND s.light = ${RED}${past ? ` AND ${past.redStep('s')}` : ''}) ELSE '[]'::json END AS red_steps,
      CASE WHEN pg.statutory_overdue THEN (SELECT coalesce(json_agg(json_build_object('step', s.step_key, 'name', s.name, 'department', s.department, 'state', s.state,
                'statutoryDueOn', s.statutory_due_on, 'statutoryDueAt', s.statutory_due_at) ORDER BY s.statutory_due_at NULLS LAST, s.position), '[]'::json)
         FROM project_steps s WHERE s.project_code = pg.code AND s.statutory_overdue AND s.state IN (${STATUTORY_STATES_SQL})${past ? ` AND ${past.statutoryStep('s')}` : ''}) ELSE '[]'::json END AS statutory_steps
    FROM (
      SELECT p.code, p.name, p.track, p.district, p.stage, p.status, p.light, p.last_progress_at, p.at_risk, p.at_risk_reason,
        p.forecast->>'step' AS at_risk_step, p.forecast->>'department' AS at_risk_department,
        p.forecast_finish_on::text AS forecast_finish_on, p.slack_working_days, p.under_supervision, p.supervision,
        (p.statutory_overdue_steps > 0${past ? ` AND ${past.statutory()}` : ''}) AS statutory_overdue,
        (p.overdue_steps > 0${past ? ` AND ${past.overdue()}` : ''}) AS overdue, (p.last_progress_at < ${idleBefore}) AS idle,
        ARRAY[${URGENCY_KEYS.map((k) => `${k}::text`).join(', ')}] AS urgency_key, ${URGENCY_KEYS.map((k, i) => `${k} AS k${i}`).join(', ')}
      FROM projects p WHERE p.code IN (SELECT p.code FROM projects p WHERE ${where} ORDER BY ${URGENCY_ORDER} LIMIT ${limit} OFFSET ${offset})
    ) pg
    ORDER BY ${URGENCY_KEYS.map((_, i) => `pg.k${i}`).join(', ')}`;
  return { sql, params };
}

/**
 * `WITH base AS (…)`: the running projects matching the filter with their reason flags as the summary counts them
 * (statutory_overdue, overdue, idle, at_risk — from the project row's columns), restricted to those stuck for
 * `filter.kind` when given. Pushes its parameters onto `params`.
 */
function baseCte(filter: StuckFilter, criteria: StuckCriteria, params: unknown[]): { cte: string; past: PastDaySql | null } {
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const { where, past } = viewConditions(filter, criteria, p);
  const idleBefore = p(criteria.idleBefore);
  // On a past day, a late step counts only if its deadline had ended by then (PastDay).
  const statutory = `p.statutory_overdue_steps > 0${past ? ` AND ${past.statutory()}` : ''}`;
  const overdue = `p.overdue_steps > 0${past ? ` AND ${past.overdue()}` : ''}`;
  const kindWhere: Record<StuckKind, string> = {
    statutory_overdue: statutory,
    overdue,
    at_risk: 'p.at_risk',
    idle: `p.last_progress_at < ${idleBefore}`,
  };
  if (filter.kind) where.push(kindWhere[filter.kind]);
  const cte = `WITH base AS (
      SELECT p.code, p.district, p.stage, p.light, p.government_working_days,
             (${statutory}) AS statutory_overdue, (${overdue}) AS overdue,
             (p.last_progress_at < ${idleBefore}) AS idle, p.at_risk
        FROM projects p
       WHERE ${where.join(' AND ')}
    )`;
  return { cte, past };
}
