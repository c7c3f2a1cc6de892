import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { ProjectFact, ProjectStatus, ProjectView, StepState, TimelineEntry, TrackKey } from '../domain/index.js';
import { ProjectEntity, ProjectStepEntity, TimelineEntryEntity } from './entities/index.js';
import { notifyProjectChange, projectChangePayload } from './project-changes.js';
import { entitySelectList, projectRowOf, stepRowOf, versionedUpsert, type ProjectWithSteps, type StepRow } from './project-read-model.rows.js';
import { COUNTER_DIMENSIONS, countedOfStored, countedOfView, counterCellsOf, moveCounters } from './supervision-counters.js';

/**
 * A range of due days (YYYY-MM-DD, Asia/Shanghai, both ends inclusive; either may be left out) on a step's published
 * deadline (`due_on`, 承诺时限), not the statutory one.
 */
export interface DueRange {
  dueFrom?: string;
  dueTo?: string;
}

/** Filters of `GET /projects`; all optional, combined with AND. */
export interface ProjectListFilter extends DueRange {
  stage?: string;
  track?: string;
  /** Projects with an open step (ready, in review, supplement requested) of this department. */
  department?: string;
  district?: string;
  status?: string;
  /** Projects whose worst light is this one. */
  light?: string;
}

/** A page request: `page` from 1, `pageSize` 1–200. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** A page of results and the total count across pages. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** A step waiting on a department, with the project it belongs to. */
export interface TaskRow {
  step: ProjectStepEntity;
  projectName: string;
  projectStatus: ProjectStatus;
  projectStage: string;
  /** The project's track and pinned definition version: which facts the step waits for. */
  projectTrack: TrackKey;
  projectDefinitionVersion: number;
  /** Facts the project has recorded (`POST /events`). */
  projectFacts: ProjectFact[];
  /** State of each step the task's step depends on, by key. */
  dependencyStates: Record<string, StepState>;
}

/** Outcome of a read-model write. `applied` is false when the stored version was already as new or newer. */
export interface ApplyResult {
  applied: boolean;
  timelineInserted: number;
}

// The desk's and the due range's step states are supervision rules of the domain (libs/domain/supervision.ts).
import { CLOSED_STATUSES, DUE_STEP_STATES, OPEN_STEP_STATES, RUNNING_STATUSES } from '../domain/index.js';

/** A list of constant wire values as SQL literals (`'a','b'`): the domain's lists, never user input. */
export const sqlList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(',');

/** Statuses of running projects (the domain's `RUNNING_STATUSES`), as an SQL list. */
export const RUNNING_SQL = sqlList(RUNNING_STATUSES);

/**
 * The SQL condition "step `alias` falls due in `range`": its clock is open ({@link DUE_STEP_STATES}) and its published
 * due day (`due_on`) is in the range; null when the range has neither end. `param` turns a value into a placeholder.
 */
export function dueInRangeSql(alias: string, range: DueRange, param: (value: string) => string): string | null {
  const bounds = dueDaySql(alias, range, param);
  return bounds === null ? null : `${alias}.state IN (${sqlList(DUE_STEP_STATES)}) AND ${bounds}`;
}

/** The due-day half of {@link dueInRangeSql}: `due_on` within the range's ends (inclusive); null without a range. */
function dueDaySql(alias: string, range: DueRange, param: (value: string) => string): string | null {
  const parts: string[] = [];
  if (range.dueFrom !== undefined) parts.push(`${alias}.due_on >= CAST(${param(range.dueFrom)} AS date)`);
  if (range.dueTo !== undefined) parts.push(`${alias}.due_on <= CAST(${param(range.dueTo)} AS date)`);
  return parts.length === 0 ? null : parts.join(' AND ');
}

/**
 * The SQL condition "project `alias` has an open step ({@link OPEN_STEP_STATES}) on `department`'s desk": the row's
 * `open_departments`, written with it (GIN index ix_projects_open_departments, and included in the stuck list's
 * indexes). `param` turns the department into a placeholder.
 */
export function onDeskSql(alias: string, department: string, param: (value: string) => string): string {
  return `${alias}.open_departments @> ARRAY[${param(department)}]::text[]`;
}

/**
 * The SQL condition "project `p` has a step that falls due in the range" (with `department` given: a step of that
 * department, so "natural resources' steps due this month" asks about one step), or null without a range. Asked of
 * the row's `open_due_days` (the due days of its running clocks, written with it: a column of the row and of the
 * stuck list's index, with a GiST index of its own), and only with a department of the steps themselves.
 */
export function projectDueInRangeSql(range: DueRange, department: string | undefined, param: (value: string) => string): string | null {
  if (range.dueFrom === undefined && range.dueTo === undefined) return null;
  // An empty range (its end before its start; the API refuses it) matches nothing, as the steps' condition would.
  if (range.dueFrom !== undefined && range.dueTo !== undefined && range.dueTo < range.dueFrom) return 'false';
  const bound = (day: string | undefined): string => (day === undefined ? 'NULL' : `CAST(${param(day)} AS date)`);
  const onRow = `p.open_due_days && daterange(${bound(range.dueFrom)}, ${bound(range.dueTo)}, '[]')`;
  if (department === undefined) return onRow;
  const due = dueInRangeSql('d', range, param)!;
  return `${onRow} AND EXISTS (SELECT 1 FROM project_steps d WHERE d.project_code = p.code AND ${due} AND d.department = ${param(department)})`;
}

/**
 * The total of `GET /projects` for `filter`. Its running projects are the sum of the summary's project counters (kept
 * on write by the same dimensions, and per desk for a department); only the closed ones (completed, cancelled) are
 * counted on the rows (`closedRows`: the list's own WHERE narrowed to them, as `count(*)`, with its parameters). A due
 * range is no counter dimension: then all rows are counted (`allRows`). Each is built only when used. Returns the
 * statement and its parameters.
 */
function projectCountQuery(filter: ProjectListFilter, allRows: () => [string, unknown[]], closedRows: () => [string, unknown[]]): [string, unknown[]] {
  if (filter.dueFrom !== undefined || filter.dueTo !== undefined) return allRows();
  const isRunning = filter.status !== undefined && (RUNNING_STATUSES as readonly string[]).includes(filter.status);
  if (filter.status !== undefined && !isRunning) return allRows();
  // The closed rows' statement comes first, so its placeholders ($1…) keep their numbers.
  const closed = isRunning ? null : closedRows();
  const [closedSql, params] = closed === null ? ['0', []] : [`(${closed[0]})`, [...closed[1]]];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const c = [`c.facet = 'project'`, `c.desk = ${p(filter.department ?? '')}`];
  for (const field of COUNTER_DIMENSIONS) if (filter[field] !== undefined) c.push(`c.${field} = ${p(filter[field])}`);
  return [`SELECT (${closedSql} + (SELECT coalesce(sum(c.projects), 0) FROM supervision_counts c WHERE ${c.join(' AND ')}))::int AS total`, params];
}

/**
 * The read model in PostgreSQL: projects, their steps, and the append-only timeline. Writes come only from
 * the workflow's activity; they are idempotent and ordered by the project's `version`, so a retried or
 * late write never rolls back newer state nor duplicates a timeline entry.
 */
export class ProjectReadModelRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Writes a project's state at `view.version` and appends timeline entries, in one transaction. Project
   * and step rows are replaced only when the stored version is older, and then the summary's counters move from
   * what the stored rows counted to what the new ones count (supervision-counters.ts); timeline entries are inserted
   * once per (project, seq) and never changed. When anything was written, the same transaction announces it
   * on the `project_changes` channel (heard after commit), which the API's live stream forwards to browsers.
   * @returns whether the state was applied and how many timeline entries were new
   */
  async applyProject(view: ProjectView, entries: TimelineEntry[]): Promise<ApplyResult> {
    return this.ds.transaction(async (em) => {
      const before = await countedOfStored(em, view.code); // locks the stored row for the counters' move
      const applied = await this.upsertProject(em, view);
      if (applied) {
        // A project not stored before has no step rows to drop (they reference its row).
        await this.upsertSteps(em, view, before !== null);
        await moveCounters(em, counterCellsOf(before), counterCellsOf(countedOfView(view)));
      }
      const inserted = await this.insertTimeline(em, view.code, entries);
      if (applied || inserted.length > 0) await notifyProjectChange(em, projectChangePayload(view, inserted));
      return { applied, timelineInserted: inserted.length };
    });
  }

  /** Writes the project row unless the stored one is as new or newer; true when it was written. */
  private async upsertProject(em: EntityManager, v: ProjectView): Promise<boolean> {
    const { sql, params } = versionedUpsert(em, ProjectEntity, [projectRowOf(v)], { updatedAt: 'now()' });
    const rows: unknown[] = await em.query(sql, params);
    return rows.length > 0;
  }

  /**
   * Writes the step rows of a project row just written (each unless the stored one is as new or newer), and with
   * `dropOthers` removes the rows of steps the project no longer has.
   */
  private async upsertSteps(em: EntityManager, v: ProjectView, dropOthers: boolean): Promise<void> {
    if (v.steps.length === 0) return;
    const { sql, params } = versionedUpsert(em, ProjectStepEntity, v.steps.map((s, i) => stepRowOf(v, s, i)));
    await em.query(sql, params);
    // A step the project no longer has (dropped by a move to a newer version of its track) leaves the read model.
    if (dropOthers) await em.query(`DELETE FROM project_steps WHERE project_code = $1 AND NOT (step_key = ANY($2::varchar[]))`, [v.code, v.steps.map((s) => s.key)]);
  }

  /** Inserts the entries not stored yet; returns the `seq`s it inserted. */
  private async insertTimeline(em: EntityManager, code: string, entries: TimelineEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const unique = [...new Map(entries.map((e) => [e.seq, e])).values()];
    const params: unknown[] = [];
    const tuples = unique.map((e, i) => {
      params.push(code, e.seq, e.at, e.type, e.step, e.actor, e.actorDepartment, e.comment, JSON.stringify(e.data));
      const b = i * 9;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9}::jsonb)`;
    });
    const rows: Array<{ seq: number | string }> = await em.query(
      `INSERT INTO timeline_entries (project_code, seq, at, type, step_key, actor, actor_department, comment, data)
       VALUES ${tuples.join(',')}
       ON CONFLICT (project_code, seq) DO NOTHING
       RETURNING seq`,
      params,
    );
    return rows.map((r) => Number(r.seq));
  }

  /** The project and its steps, or null when no such project is in the read model. */
  async findProject(code: string): Promise<ProjectWithSteps | null> {
    const project = await this.ds.getRepository(ProjectEntity).findOne({ where: { code } });
    if (!project) return null;
    return Object.assign(project, { steps: (await this.stepRows([code])).get(code) ?? [] });
  }

  /**
   * The projects of these codes with their steps (in their order), by code; codes the read model lacks are absent.
   * Two queries whatever the number of codes (a ledger's dry run looks up every row's code at once).
   */
  async findProjects(codes: readonly string[]): Promise<Map<string, ProjectWithSteps>> {
    const found = new Map<string, ProjectWithSteps>();
    const unique = [...new Set(codes)];
    if (unique.length === 0) return found;
    for (const project of await this.ds.getRepository(ProjectEntity).find({ where: { code: In(unique) } })) found.set(project.code, Object.assign(project, { steps: [] }));
    if (found.size === 0) return found;
    for (const [code, steps] of await this.stepRows([...found.keys()])) found.get(code)!.steps = steps;
    return found;
  }

  /**
   * The step rows of these projects, each project's in step order, by project code: one SELECT whose columns are
   * named as the entity's fields ({@link entitySelectList}), so hundreds of rows (a page of 20 projects has 400) need
   * no hydration.
   */
  private async stepRows(codes: readonly string[]): Promise<Map<string, StepRow[]>> {
    const rows: StepRow[] = await this.ds.query(
      `SELECT ${entitySelectList(this.ds.manager, ProjectStepEntity, 's')} FROM project_steps s WHERE s.project_code = ANY($1::varchar[]) ORDER BY s.project_code, s.position`,
      [codes],
    );
    const byProject = new Map<string, StepRow[]>();
    for (const row of rows) {
      const list = byProject.get(row.projectCode);
      if (list) list.push(row);
      else byProject.set(row.projectCode, [row]);
    }
    return byProject;
  }

  /** True when the read model has the project. */
  async exists(code: string): Promise<boolean> {
    return this.ds.getRepository(ProjectEntity).exists({ where: { code } });
  }

  /**
   * Codes of the projects whose workflow is still running as far as the read model knows (status `active` or
   * `suspended`), in code order — e.g. the workflows to signal after a calendar load.
   */
  async runningProjectCodes(): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.ds.query(`SELECT code FROM projects WHERE status IN (${RUNNING_SQL}) ORDER BY code`);
    return rows.map((r) => r.code);
  }

  /**
   * Projects matching the filter, newest registration first, with their steps (with `withSteps` false, their steps
   * are not read: `steps` is empty).
   * @returns one page and the total across pages
   */
  async listProjects(filter: ProjectListFilter, page: PageRequest, withSteps = true): Promise<Page<ProjectWithSteps>> {
    const { page: qb, count } = this.projectListQueries(filter, page);
    const [counted, projects] = await Promise.all([this.ds.query(...count) as Promise<Array<{ total: number }>>, qb.getMany()]);
    const total = counted[0]?.total ?? 0;
    if (projects.length === 0) return { items: [], total };
    if (!withSteps) return { items: projects.map((p) => Object.assign(p, { steps: [] })), total };
    const byProject = await this.stepRows(projects.map((p) => p.code));
    return { items: projects.map((p) => Object.assign(p, { steps: byProject.get(p.code) ?? [] })), total };
  }

  /** The SQL of {@link listProjects}: the page and its total, each with its parameters (for EXPLAIN in the benchmarks). */
  projectListStatements(filter: ProjectListFilter, page: PageRequest): Array<[string, unknown[]]> {
    const { page: qb, count } = this.projectListQueries(filter, page);
    return [qb.getQueryAndParameters(), count];
  }

  /** The project list's page query (newest registration first: a walk of ix_projects_registered) and its count. */
  private projectListQueries(filter: ProjectListFilter, page: PageRequest): { page: SelectQueryBuilder<ProjectEntity>; count: [string, unknown[]] } {
    const qb = this.ds.getRepository(ProjectEntity).createQueryBuilder('p');
    if (filter.stage) qb.andWhere('p.stage = :stage', { stage: filter.stage });
    if (filter.track) qb.andWhere('p.track = :track', { track: filter.track });
    if (filter.district) qb.andWhere('p.district = :district', { district: filter.district });
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    if (filter.light) qb.andWhere('p.light = :light', { light: filter.light });
    const param = namedParam(qb);
    if (filter.department) qb.andWhere(onDeskSql('p', filter.department, param));
    const due = projectDueInRangeSql(filter, filter.department, param);
    if (due !== null) qb.andWhere(due);
    const count = projectCountQuery(
      filter,
      () => qb.clone().select('count(*)::int', 'total').getQueryAndParameters(),
      () => qb.clone().select('count(*)::int', 'total').andWhere(`p.status IN (${sqlList(CLOSED_STATUSES)})`).getQueryAndParameters(),
    );
    qb.orderBy('p.registered_at', 'DESC').addOrderBy('p.code', 'ASC');
    qb.offset((page.page - 1) * page.pageSize).limit(page.pageSize);
    return { page: qb, count };
  }

  /** The project's timeline in `seq` order. */
  async timeline(code: string, page: PageRequest): Promise<Page<TimelineEntryEntity>> {
    const [items, total] = await this.ds.getRepository(TimelineEntryEntity).findAndCount({
      where: { projectCode: code },
      order: { seq: 'ASC' },
      skip: (page.page - 1) * page.pageSize,
      take: page.pageSize,
    });
    return { items, total };
  }

  /**
   * A department's work queue: steps of active or suspended projects that are ready, received, in review or
   * waiting for a supplement; those in review or received first (oldest acceptance or receipt first: the
   * department's move), then the rest by readiness. With a due range, only the steps that fall due in it
   * (see {@link dueInRangeSql}).
   */
  async tasks(department: string, page: PageRequest, states: readonly string[] = OPEN_STEP_STATES, due: DueRange = {}): Promise<Page<TaskRow>> {
    const { page: qb, count } = this.taskQueries(department, page, states, due);
    const [counted, { entities, raw }] = await Promise.all([
      this.ds.query(...count) as Promise<Array<{ total: number }>>,
      qb.getRawAndEntities<{
        p_name: string;
        p_status: ProjectStatus;
        p_stage: string;
        p_track: TrackKey;
        p_definition_version: number;
        p_facts: ProjectFact[];
        dependency_states: Record<string, StepState>;
      }>(),
    ]);
    const total = counted[0]?.total ?? 0;
    return {
      items: entities.map((step, i) => {
        const r = raw[i]!;
        return {
          step,
          projectName: r.p_name,
          projectStatus: r.p_status,
          projectStage: r.p_stage,
          projectTrack: r.p_track,
          projectDefinitionVersion: r.p_definition_version,
          projectFacts: r.p_facts,
          dependencyStates: r.dependency_states,
        };
      }),
      total,
    };
  }

  /**
   * The SQL of a department's work queue as {@link tasks} runs it: the page and its total, each with its parameters
   * (for EXPLAIN in the benchmarks).
   */
  taskStatements(department: string, page: PageRequest, states: readonly string[] = OPEN_STEP_STATES, due: DueRange = {}): Array<[string, unknown[]]> {
    const { page: qb, count } = this.taskQueries(department, page, states, due);
    return [qb.getQueryAndParameters(), count];
  }

  /**
   * The work queue's page query and its count query. The page's keys are picked first from the desk's indexes alone
   * (index-only: ix_project_steps_desk in the queue's order; with a due range, ix_project_steps_due_desk), then only
   * those rows are read. The states are one literal list (the desk's, narrowed to the running clocks' with a due range:
   * the domain's lists, never user text), so the planner proves the partial indexes usable and estimates them once.
   */
  private taskQueries(
    department: string,
    page: PageRequest,
    states: readonly string[],
    due: DueRange,
  ): { page: SelectQueryBuilder<ProjectStepEntity>; count: [string, unknown[]] } {
    const dueRange = due.dueFrom !== undefined || due.dueTo !== undefined;
    const desk = OPEN_STEP_STATES.filter((s) => states.includes(s) && (!dueRange || (DUE_STEP_STATES as readonly string[]).includes(s)));
    const onDesk = (qb: SelectQueryBuilder<ProjectStepEntity>, alias: string): SelectQueryBuilder<ProjectStepEntity> => {
      qb.where(`${alias}.department = :department`, { department })
        .andWhere(desk.length === 0 ? 'false' : `${alias}.state IN (${sqlList(desk)})`)
        .andWhere(`${alias}.project_running`);
      const day = dueDaySql(alias, due, namedParam(qb));
      return day === null ? qb : qb.andWhere(day);
    };
    const order = (qb: SelectQueryBuilder<ProjectStepEntity>, alias: string): SelectQueryBuilder<ProjectStepEntity> =>
      qb
        .orderBy(`${alias}.desk_tier`, 'ASC')
        .addOrderBy(`${alias}.desk_since`, 'ASC', 'NULLS LAST')
        .addOrderBy(`${alias}.project_code`, 'ASC')
        .addOrderBy(`${alias}.position`, 'ASC');
    const keys = order(onDesk(this.ds.getRepository(ProjectStepEntity).createQueryBuilder('k').select(['k.projectCode', 'k.position']), 'k'), 'k')
      .offset((page.page - 1) * page.pageSize)
      .limit(page.pageSize);
    const qb = order(
      this.ds
        .getRepository(ProjectStepEntity)
        .createQueryBuilder('s')
        .innerJoin(ProjectEntity, 'p', 'p.code = s.project_code')
        .addSelect(['p.name', 'p.status', 'p.stage', 'p.track', 'p.definitionVersion', 'p.facts'])
        .addSelect(
          `(SELECT coalesce(jsonb_object_agg(x.step_key, x.state), '{}'::jsonb) FROM project_steps x
             WHERE x.project_code = s.project_code AND x.step_key = ANY(s.depends_on))`,
          'dependency_states',
        )
        .where(`(s.project_code, s.position) IN (${keys.getQuery()})`)
        .setParameters(keys.getParameters()),
      's',
    );
    // The whole desk of running projects is what the summary's department counter counts (open_steps, desk ''), kept
    // on write; a narrower queue (a state, a due range) is counted on the indexes.
    const count: [string, unknown[]] =
      !dueRange && desk.length === OPEN_STEP_STATES.length
        ? [`SELECT coalesce(sum(open_steps), 0)::int AS total FROM supervision_counts WHERE facet = 'department' AND key = $1 AND desk = ''`, [department]]
        : onDesk(this.ds.getRepository(ProjectStepEntity).createQueryBuilder('s').select('count(*)::int', 'total'), 's').getQueryAndParameters();
    return { page: qb, count };
  }

  /** A cheap round trip, for health checks. */
  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}

/** A placeholder maker for a TypeORM query builder: each value becomes a fresh named parameter of `qb`. */
function namedParam(qb: { setParameter(key: string, value: unknown): unknown }): (value: string) => string {
  let n = 0;
  return (value) => {
    const key = `v_${n++}`;
    qb.setParameter(key, value);
    return `:${key}`;
  };
}
