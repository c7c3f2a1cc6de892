import type { DataSource, EntityManager } from 'typeorm';
import type { ProjectView, TimelineEntry } from '../domain/index.js';
import { ProjectEntity, ProjectStepEntity, TimelineEntryEntity } from './entities/index.js';

/** Filters of `GET /projects`; all optional, combined with AND. */
export interface ProjectListFilter {
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
}

/** Outcome of a read-model write. `applied` is false when the stored version was already as new or newer. */
export interface ApplyResult {
  applied: boolean;
  timelineInserted: number;
}

/** Step states that sit on a department's desk. */
export const OPEN_STEP_STATES = ['ready', 'in_review', 'supplement_requested'] as const;

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
   * once per (project, seq) and never changed.
   * @returns whether the state was applied and how many timeline entries were new
   */
  async applyProject(view: ProjectView, entries: TimelineEntry[]): Promise<ApplyResult> {
    return this.ds.transaction(async (em) => {
      const applied = await this.upsertProject(em, view);
      if (applied) await this.upsertSteps(em, view);
      const timelineInserted = await this.insertTimeline(em, view.code, entries);
      return { applied, timelineInserted };
    });
  }

  private async upsertProject(em: EntityManager, v: ProjectView): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO projects AS t (code, name, track, definition_version, district, investor, investment_yuan, signed_at,
         registered_at, registered_by, status, stage, version, last_progress_at, suspended_at, closed_at, updated_at,
         light, next_deadline, project_clocks, at_risk, at_risk_reason, forecast_finish_on, slack_working_days, forecast,
         under_supervision, supervision, overdue_steps)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16, now(), $17, $18, $19::jsonb, $20, $21, $22, $23, $24::jsonb,
         $25, $26::jsonb, $27)
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
         under_supervision = EXCLUDED.under_supervision, supervision = EXCLUDED.supervision, overdue_steps = EXCLUDED.overdue_steps
       WHERE t.version < EXCLUDED.version
       RETURNING code`,
      [
        v.code, v.name, v.track, v.definitionVersion, v.district, v.investor, v.investmentYuan, v.signedAt,
        v.registeredAt, v.registeredBy, v.status, v.stage, v.version, v.lastProgressAt, v.suspendedAt, v.closedAt,
        v.light, v.nextDeadline, JSON.stringify(v.projectClocks),
        v.forecast?.atRisk ?? false, v.forecast?.reason ?? null, v.forecast?.finishOn ?? null, v.forecast?.slackWorkingDays ?? null,
        v.forecast ? JSON.stringify(v.forecast) : null, v.supervision !== null, v.supervision ? JSON.stringify(v.supervision) : null, v.overdueSteps,
      ],
    );
    return rows.length > 0;
  }

  private async upsertSteps(em: EntityManager, v: ProjectView): Promise<void> {
    const cols = 20;
    const extra = 9;
    const params: unknown[] = [];
    const tuples = v.steps.map((s, i) => {
      params.push(
        v.code, s.key, i, s.name, s.nameZh, s.stage, s.department, s.dependsOn, s.limit.value, s.limit.unit,
        s.limitSource, s.limitConfidence, s.state, s.assignee, s.readyAt, s.acceptedAt, s.decidedAt, s.actor,
        s.comment, s.waiverDueOn,
      );
      const base = i * (cols + extra);
      params.push(JSON.stringify(s.clockStops), s.availableActions, v.version, s.updatedAt);
      params.push(s.deadline?.dueOn ?? null, s.deadline?.dueAt ?? null, s.light, s.deadline?.provisional ?? false, s.deadline ? JSON.stringify(s.deadline) : null);
      const ph = Array.from({ length: cols + extra }, (_, k) => `$${base + k + 1}`);
      ph[cols] = `${ph[cols]}::jsonb`;
      ph[cols + 8] = `${ph[cols + 8]}::jsonb`;
      return `(${ph.join(',')})`;
    });
    await em.query(
      `INSERT INTO project_steps AS t (project_code, step_key, position, name, name_zh, stage, department, depends_on,
         limit_value, limit_unit, limit_source, limit_confidence, state, assignee, ready_at, accepted_at, decided_at,
         actor, comment, waiver_due_on, clock_stops, available_actions, version, updated_at,
         due_on, due_at, light, provisional, deadline)
       VALUES ${tuples.join(',')}
       ON CONFLICT (project_code, step_key) DO UPDATE SET
         position = EXCLUDED.position, name = EXCLUDED.name, name_zh = EXCLUDED.name_zh, stage = EXCLUDED.stage,
         department = EXCLUDED.department, depends_on = EXCLUDED.depends_on, limit_value = EXCLUDED.limit_value,
         limit_unit = EXCLUDED.limit_unit, limit_source = EXCLUDED.limit_source,
         limit_confidence = EXCLUDED.limit_confidence, state = EXCLUDED.state, assignee = EXCLUDED.assignee,
         ready_at = EXCLUDED.ready_at, accepted_at = EXCLUDED.accepted_at, decided_at = EXCLUDED.decided_at,
         actor = EXCLUDED.actor, comment = EXCLUDED.comment, waiver_due_on = EXCLUDED.waiver_due_on,
         clock_stops = EXCLUDED.clock_stops, available_actions = EXCLUDED.available_actions,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, due_on = EXCLUDED.due_on,
         due_at = EXCLUDED.due_at, light = EXCLUDED.light, provisional = EXCLUDED.provisional, deadline = EXCLUDED.deadline
       WHERE t.version < EXCLUDED.version`,
      params,
    );
  }

  private async insertTimeline(em: EntityManager, code: string, entries: TimelineEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const unique = [...new Map(entries.map((e) => [e.seq, e])).values()];
    const params: unknown[] = [];
    const tuples = unique.map((e, i) => {
      params.push(code, e.seq, e.at, e.type, e.step, e.actor, e.actorDepartment, e.comment, JSON.stringify(e.data));
      const b = i * 9;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9}::jsonb)`;
    });
    const rows: unknown[] = await em.query(
      `INSERT INTO timeline_entries (project_code, seq, at, type, step_key, actor, actor_department, comment, data)
       VALUES ${tuples.join(',')}
       ON CONFLICT (project_code, seq) DO NOTHING
       RETURNING seq`,
      params,
    );
    return rows.length;
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
    const rows: Array<{ code: string }> = await this.ds.query(`SELECT code FROM projects WHERE status IN ('active', 'suspended') ORDER BY code`);
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
   * A department's work queue: steps of active or suspended projects that are ready, in review or waiting
   * for a supplement; those in review first (oldest acceptance first), then the rest by readiness.
   */
  async tasks(department: string, page: PageRequest, states: readonly string[] = OPEN_STEP_STATES): Promise<Page<TaskRow>> {
    const qb = this.ds
      .getRepository(ProjectStepEntity)
      .createQueryBuilder('s')
      .innerJoin(ProjectEntity, 'p', 'p.code = s.project_code')
      .addSelect(['p.name', 'p.status', 'p.stage'])
      .where('s.department = :department', { department })
      .andWhere('s.state IN (:...states)', { states: [...states] })
      .andWhere(`p.status IN ('active', 'suspended')`)
      .orderBy(`CASE s.state WHEN 'in_review' THEN 0 WHEN 'ready' THEN 1 ELSE 2 END`, 'ASC')
      .addOrderBy('COALESCE(s.accepted_at, s.ready_at)', 'ASC', 'NULLS LAST')
      .addOrderBy('s.project_code', 'ASC')
      .addOrderBy('s.position', 'ASC');
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .offset((page.page - 1) * page.pageSize)
      .limit(page.pageSize)
      .getRawAndEntities<{ p_name: string; p_status: string; p_stage: string }>();
    return {
      items: entities.map((step, i) => ({ step, projectName: raw[i]!.p_name, projectStatus: raw[i]!.p_status, projectStage: raw[i]!.p_stage })),
      total,
    };
  }

  /** A cheap round trip, for health checks. */
  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
