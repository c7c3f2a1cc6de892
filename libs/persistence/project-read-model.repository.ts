import type { DataSource, EntityManager } from 'typeorm';
import type { ClockDeadline, ProjectFact, ProjectView, StepView, TimelineEntry } from '../domain/index.js';
import { ProjectEntity, ProjectStepEntity, TimelineEntryEntity, type StepStatutoryDocument } from './entities/index.js';
import { notifyProjectChange, projectChangePayload } from './project-changes.js';

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

/** A project row with its steps in definition order. */
export type ProjectWithSteps = ProjectEntity & { steps: ProjectStepEntity[] };

/** A step waiting on a department, with the project it belongs to. */
export interface TaskRow {
  step: ProjectStepEntity;
  projectName: string;
  projectStatus: string;
  projectStage: string;
  /** The project's track and pinned definition version: which facts the step waits for. */
  projectTrack: string;
  projectDefinitionVersion: number;
  /** Facts the project has recorded (`POST /events`). */
  projectFacts: ProjectFact[];
  /** State of each step the task's step depends on, by key. */
  dependencyStates: Record<string, string>;
}

/** Outcome of a read-model write. `applied` is false when the stored version was already as new or newer. */
export interface ApplyResult {
  applied: boolean;
  timelineInserted: number;
}

// The desk's and the due range's step states are supervision rules of the domain (libs/domain/supervision.ts).
import { DESK_TIERS, DUE_STEP_STATES, OPEN_STEP_STATES, RUNNING_STATUSES } from '../domain/index.js';

/** The work queue's tier of a step `s` (the domain's `DESK_TIERS`; a state off the desk last), as SQL. */
const DESK_TIER_SQL = `CASE s.state ${Object.entries(DESK_TIERS)
  .map(([state, tier]) => `WHEN '${state}' THEN ${tier}`)
  .join(' ')} ELSE ${Math.max(...Object.values(DESK_TIERS))} END`;
/** Statuses of running projects (the domain's `RUNNING_STATUSES`), as an SQL list. */
const RUNNING_SQL = RUNNING_STATUSES.map((x) => `'${x}'`).join(',');

/**
 * The SQL condition "step `alias` falls due in `range`": its clock is open ({@link DUE_STEP_STATES}) and its published
 * due day (`due_on`) is in the range; null when the range has neither end. `param` turns a value into a placeholder.
 */
export function dueInRangeSql(alias: string, range: DueRange, param: (value: string) => string): string | null {
  if (range.dueFrom === undefined && range.dueTo === undefined) return null;
  const parts = [`${alias}.state IN (${DUE_STEP_STATES.map((s) => `'${s}'`).join(',')})`];
  if (range.dueFrom !== undefined) parts.push(`${alias}.due_on >= CAST(${param(range.dueFrom)} AS date)`);
  if (range.dueTo !== undefined) parts.push(`${alias}.due_on <= CAST(${param(range.dueTo)} AS date)`);
  return parts.join(' AND ');
}

/**
 * The SQL condition "project `p` has a step that falls due in the range" (with `department` given: a step of that
 * department, so "natural resources' steps due this month" asks about one step), or null without a range.
 */
export function projectDueInRangeSql(range: DueRange, department: string | undefined, param: (value: string) => string): string | null {
  const due = dueInRangeSql('d', range, param);
  if (due === null) return null;
  const dept = department === undefined ? '' : ` AND d.department = ${param(department)}`;
  return `EXISTS (SELECT 1 FROM project_steps d WHERE d.project_code = p.code AND ${due}${dept})`;
}

/**
 * The statutory deadline (法定时限) of a step's clock as the workflow planned it: its `statutoryDueOn`/`statutoryDueAt`
 * when the clock was planned with a statutory tier (both null while the clock is stopped), else the published
 * deadline (`dueOn`/`dueAt`: the statutory limit is the published one). `dueOn` is a date (Asia/Shanghai), `dueAt`
 * the ISO instant of its end (24:00 Asia/Shanghai); both null without a deadline.
 */
export function statutoryDueOf(d: ClockDeadline | Record<string, unknown> | null | undefined): { dueOn: string | null; dueAt: string | null } {
  const dl = (d ?? null) as ClockDeadline | null;
  if (!dl) return { dueOn: null, dueAt: null };
  if (dl.statutoryDueAt !== undefined) return { dueOn: dl.statutoryDueOn ?? null, dueAt: dl.statutoryDueAt };
  return { dueOn: dl.dueOn ?? null, dueAt: dl.dueAt ?? null };
}

/** One column of a step row: its name, the value, and the cast its placeholder needs. */
type StepColumn = [name: string, value: unknown, cast?: '::jsonb'];

/** The columns of step `s` (position `i`) of project `v`, always in the same order. */
function stepColumns(v: ProjectView, s: StepView, i: number): StepColumn[] {
  const statutory: StepStatutoryDocument = {
    statutoryLimit: s.statutoryLimit,
    limitUnitAsWritten: s.limitUnitAsWritten,
    jointGroup: s.jointGroup,
    extensionCap: s.extensionCap,
    extension: s.extension,
    certificate: s.certificate,
  };
  const statutoryDue = statutoryDueOf(s.deadline);
  return [
    ['project_code', v.code], ['step_key', s.key], ['position', i], ['name', s.name], ['name_zh', s.nameZh], ['stage', s.stage],
    ['department', s.department], ['depends_on', s.dependsOn], ['limit_value', s.limit.value], ['limit_unit', s.limit.unit],
    ['limit_source', s.limitSource], ['limit_confidence', s.limitConfidence], ['state', s.state], ['assignee', s.assignee],
    ['ready_at', s.readyAt], ['accepted_at', s.acceptedAt], ['decided_at', s.decidedAt], ['actor', s.actor], ['comment', s.comment],
    ['waiver_due_on', s.waiverDueOn], ['clock_stops', JSON.stringify(s.clockStops), '::jsonb'], ['available_actions', s.availableActions],
    ['version', v.version], ['updated_at', s.updatedAt],
    ['due_on', s.deadline?.dueOn ?? null], ['due_at', s.deadline?.dueAt ?? null], ['light', s.light],
    ['provisional', s.deadline?.provisional ?? false], ['deadline', s.deadline ? JSON.stringify(s.deadline) : null, '::jsonb'],
    ['received_at', s.receivedAt], ['deemed_accepted', s.deemedAccepted], ['statutory_overdue', s.statutoryOverdue],
    ['statutory_due_on', statutoryDue.dueOn], ['statutory_due_at', statutoryDue.dueAt], ['delivered_at', s.certificate?.deliveredAt ?? null],
    ['government_working_days', s.governmentWorkingDays], ['clock_input', s.clockInput ? JSON.stringify(s.clockInput) : null, '::jsonb'],
    ['statutory', JSON.stringify(statutory), '::jsonb'],
  ];
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
   * and step rows are replaced only when the stored version is older; timeline entries are inserted
   * once per (project, seq) and never changed. When anything was written, the same transaction announces it
   * on the `project_changes` channel (heard after commit), which the API's live stream forwards to browsers.
   * @returns whether the state was applied and how many timeline entries were new
   */
  async applyProject(view: ProjectView, entries: TimelineEntry[]): Promise<ApplyResult> {
    return this.ds.transaction(async (em) => {
      const applied = await this.upsertProject(em, view);
      if (applied) await this.upsertSteps(em, view);
      const inserted = await this.insertTimeline(em, view.code, entries);
      if (applied || inserted.length > 0) await notifyProjectChange(em, projectChangePayload(view, inserted));
      return { applied, timelineInserted: inserted.length };
    });
  }

  private async upsertProject(em: EntityManager, v: ProjectView): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO projects AS t (code, name, track, definition_version, district, investor, investment_yuan, signed_at,
         registered_at, registered_by, status, stage, version, last_progress_at, suspended_at, closed_at, updated_at,
         light, next_deadline, project_clocks, at_risk, at_risk_reason, forecast_finish_on, slack_working_days, forecast,
         under_supervision, supervision, overdue_steps, approval_route, statutory_overdue_steps, government_time,
         government_working_days, expiries, facts)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16, now(), $17, $18, $19::jsonb, $20, $21, $22, $23, $24::jsonb,
         $25, $26::jsonb, $27, $28, $29, $30::jsonb, $31, $32::jsonb, $33::jsonb)
       ON CONFLICT (code) DO UPDATE SET
         name = EXCLUDED.name, track = EXCLUDED.track, definition_version = EXCLUDED.definition_version,
         district = EXCLUDED.district, investor = EXCLUDED.investor, investment_yuan = EXCLUDED.investment_yuan,
         signed_at = EXCLUDED.signed_at, registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by,
         status = EXCLUDED.status, stage = EXCLUDED.stage, version = EXCLUDED.version,
         last_progress_at = EXCLUDED.last_progress_at, suspended_at = EXCLUDED.suspended_at,
         closed_at = EXCLUDED.closed_at, updated_at = now(), light = EXCLUDED.light,
         next_deadline = EXCLUDED.next_deadline, project_clocks = EXCLUDED.project_clocks, at_risk = EXCLUDED.at_risk,
         at_risk_reason = EXCLUDED.at_risk_reason, forecast_finish_on = EXCLUDED.forecast_finish_on,
         slack_working_days = EXCLUDED.slack_working_days, forecast = EXCLUDED.forecast,
         under_supervision = EXCLUDED.under_supervision, supervision = EXCLUDED.supervision, overdue_steps = EXCLUDED.overdue_steps,
         approval_route = EXCLUDED.approval_route, statutory_overdue_steps = EXCLUDED.statutory_overdue_steps,
         government_time = EXCLUDED.government_time, government_working_days = EXCLUDED.government_working_days,
         expiries = EXCLUDED.expiries, facts = EXCLUDED.facts
       WHERE t.version < EXCLUDED.version
       RETURNING code`,
      [
        v.code, v.name, v.track, v.definitionVersion, v.district, v.investor, v.investmentYuan, v.signedAt,
        v.registeredAt, v.registeredBy, v.status, v.stage, v.version, v.lastProgressAt, v.suspendedAt, v.closedAt,
        v.light, v.nextDeadline, JSON.stringify(v.projectClocks),
        v.forecast?.atRisk ?? false, v.forecast?.reason ?? null, v.forecast?.finishOn ?? null, v.forecast?.slackWorkingDays ?? null,
        v.forecast ? JSON.stringify(v.forecast) : null, v.supervision !== null, v.supervision ? JSON.stringify(v.supervision) : null, v.overdueSteps,
        v.approvalRoute, v.statutoryOverdueSteps, v.governmentTime ? JSON.stringify(v.governmentTime) : null, v.governmentTime?.workingDays ?? null,
        JSON.stringify(v.expiries), JSON.stringify(v.facts),
      ],
    );
    return rows.length > 0;
  }

  private async upsertSteps(em: EntityManager, v: ProjectView): Promise<void> {
    if (v.steps.length === 0) return;
    const rows = v.steps.map((s, i) => stepColumns(v, s, i));
    const names = rows[0]!.map((c) => c[0]);
    const params: unknown[] = [];
    const tuples = rows.map((cols) => {
      const base = params.length;
      params.push(...cols.map((c) => c[1]));
      return `(${cols.map((c, k) => `$${base + k + 1}${c[2] ?? ''}`).join(',')})`;
    });
    const updates = names.filter((n) => n !== 'project_code' && n !== 'step_key').map((n) => `${n} = EXCLUDED.${n}`);
    await em.query(
      `INSERT INTO project_steps AS t (${names.join(', ')})
       VALUES ${tuples.join(',')}
       ON CONFLICT (project_code, step_key) DO UPDATE SET ${updates.join(', ')}
       WHERE t.version < EXCLUDED.version`,
      params,
    );
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
    const steps = await this.ds.getRepository(ProjectStepEntity).find({ where: { projectCode: code }, order: { position: 'ASC' } });
    return Object.assign(project, { steps });
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
   * Projects matching the filter, newest registration first, with their steps.
   * @returns one page and the total across pages
   */
  async listProjects(filter: ProjectListFilter, page: PageRequest): Promise<Page<ProjectWithSteps>> {
    const qb = this.ds.getRepository(ProjectEntity).createQueryBuilder('p');
    if (filter.stage) qb.andWhere('p.stage = :stage', { stage: filter.stage });
    if (filter.track) qb.andWhere('p.track = :track', { track: filter.track });
    if (filter.district) qb.andWhere('p.district = :district', { district: filter.district });
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    if (filter.light) qb.andWhere('p.light = :light', { light: filter.light });
    if (filter.department) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM project_steps s WHERE s.project_code = p.code AND s.department = :department AND s.state IN (:...openStates))`,
        { department: filter.department, openStates: [...OPEN_STEP_STATES] },
      );
    }
    const due = projectDueInRangeSql(filter, filter.department, namedParam(qb));
    if (due !== null) qb.andWhere(due);
    qb.orderBy('p.registered_at', 'DESC').addOrderBy('p.code', 'ASC');
    qb.skip((page.page - 1) * page.pageSize).take(page.pageSize);
    const [projects, total] = await qb.getManyAndCount();
    if (projects.length === 0) return { items: [], total };
    const steps = await this.ds
      .getRepository(ProjectStepEntity)
      .createQueryBuilder('s')
      .where('s.project_code IN (:...codes)', { codes: projects.map((p) => p.code) })
      .orderBy('s.position', 'ASC')
      .getMany();
    const byProject = new Map<string, ProjectStepEntity[]>();
    for (const s of steps) byProject.set(s.projectCode, [...(byProject.get(s.projectCode) ?? []), s]);
    return { items: projects.map((p) => Object.assign(p, { steps: byProject.get(p.code) ?? [] })), total };
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
    const qb = this.ds
      .getRepository(ProjectStepEntity)
      .createQueryBuilder('s')
      .innerJoin(ProjectEntity, 'p', 'p.code = s.project_code')
      .addSelect(['p.name', 'p.status', 'p.stage', 'p.track', 'p.definitionVersion', 'p.facts'])
      .addSelect(
        `(SELECT coalesce(jsonb_object_agg(x.step_key, x.state), '{}'::jsonb) FROM project_steps x
           WHERE x.project_code = s.project_code AND x.step_key = ANY(s.depends_on))`,
        'dependency_states',
      )
      .where('s.department = :department', { department })
      .andWhere('s.state IN (:...states)', { states: [...states] })
      .andWhere(`p.status IN (${RUNNING_SQL})`);
    const dueWhere = dueInRangeSql('s', due, namedParam(qb));
    if (dueWhere !== null) qb.andWhere(dueWhere);
    qb.orderBy(DESK_TIER_SQL, 'ASC')
      .addOrderBy('COALESCE(s.accepted_at, s.received_at, s.ready_at)', 'ASC', 'NULLS LAST')
      .addOrderBy('s.project_code', 'ASC')
      .addOrderBy('s.position', 'ASC');
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .offset((page.page - 1) * page.pageSize)
      .limit(page.pageSize)
      .getRawAndEntities<{
        p_name: string;
        p_status: string;
        p_stage: string;
        p_track: string;
        p_definition_version: number;
        p_facts: ProjectFact[];
        dependency_states: Record<string, string>;
      }>();
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

  /** A cheap round trip, for health checks. */
  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}

/** A placeholder maker for a TypeORM query builder: each value becomes a fresh named parameter of `qb`. */
function namedParam(qb: { setParameter(key: string, value: unknown): unknown }): (value: string) => string {
  let n = 0;
  return (value) => {
    const key = `due_${n++}`;
    qb.setParameter(key, value);
    return `:${key}`;
  };
}
