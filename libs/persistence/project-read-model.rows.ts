/*
 * The read model's boundary: a project's view becomes its rows, and rows become the view again. The column map is the
 * entities' own (their decorators give each column's name, field and SQL type, read here from TypeORM's metadata), so
 * a column is declared once; the upsert's column lists and placeholders are generated from it.
 */
import type { EntityManager, EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import {
  memoOverTracks,
  canonicalYuan,
  DEFAULT_EXTENSION_CAP,
  DESK_TIERS,
  DUE_STEP_STATES,
  RUNNING_STATUSES,
  statutoryDueOf,
  stuckKeysOf,
  type ProjectView,
  type StepView,
} from '../domain/index.js';
import { ProjectEntity, ProjectStepEntity } from './entities/index.js';
import { STUCK_KEY_NONE_AT, STUCK_KEY_NONE_SLACK } from './entities/project.entity.js';

/** A project row with its steps in definition order. */
export type ProjectWithSteps = Omit<ProjectEntity, 'steps'> & { steps: StepRow[] };

/** What a project row holds, as written (`updated_at` is the database's `now()`). */
export type ProjectRow = Omit<ProjectEntity, 'steps' | 'updatedAt'>;

/** What a step row holds, as written. */
export type StepRow = Omit<ProjectStepEntity, 'project'>;

const instant = (iso: string): Date => new Date(iso);
const maybeInstant = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));
const isoOf = (d: Date): string => d.toISOString();
const maybeIsoOf = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/**
 * The project row of a view at its version. Besides the view's own fields the row keeps columns that lists filter
 * and sum on: the forecast's `at_risk`, reason, finish day and slack; `under_supervision`; the government time's
 * working days; the stuck keys (the domain's `stuckKeysOf`: urgency tier and keys, departments on whose desk a step
 * sits), so the stuck list is a walk of one index, decided on write and not per read.
 */
export function projectRowOf(v: ProjectView): ProjectRow {
  const stuck = stuckKeysOf(v.steps, v.forecast?.atRisk ?? false, v.forecast?.slackWorkingDays ?? null);
  return {
    code: v.code,
    name: v.name,
    track: v.track,
    definitionVersion: v.definitionVersion,
    district: v.district,
    investor: v.investor,
    investmentYuan: v.investmentYuan,
    signedAt: v.signedAt,
    registeredAt: instant(v.registeredAt),
    registeredBy: v.registeredBy,
    status: v.status,
    stage: v.stage,
    version: v.version,
    lastProgressAt: instant(v.lastProgressAt),
    suspendedAt: maybeInstant(v.suspendedAt),
    closedAt: maybeInstant(v.closedAt),
    light: v.light,
    nextDeadline: maybeInstant(v.nextDeadline),
    projectClocks: v.projectClocks,
    atRisk: v.forecast?.atRisk ?? false,
    atRiskReason: v.forecast?.reason ?? null,
    forecastFinishOn: v.forecast?.finishOn ?? null,
    slackWorkingDays: v.forecast?.slackWorkingDays ?? null,
    forecast: v.forecast,
    underSupervision: v.supervision !== null,
    supervision: v.supervision,
    overdueSteps: v.overdueSteps,
    approvalRoute: v.approvalRoute,
    statutoryOverdueSteps: v.statutoryOverdueSteps,
    governmentTime: v.governmentTime,
    governmentWorkingDays: v.governmentTime?.workingDays ?? null,
    expiries: v.expiries,
    facts: v.facts,
    stuckTier: stuck.tier,
    urgencyStatutoryAt: stuck.firstStatutoryDueAt === null ? STUCK_KEY_NONE_AT : instant(stuck.firstStatutoryDueAt),
    urgencyRedAt: stuck.firstRedDueAt === null ? STUCK_KEY_NONE_AT : instant(stuck.firstRedDueAt),
    urgencySlack: stuck.urgencySlack ?? STUCK_KEY_NONE_SLACK,
    openDepartments: stuck.openDepartments,
    openDueDays: openDueDaysOf(v.steps),
  };
}

/**
 * The due days of the steps whose clock runs (the domain's DUE_STEP_STATES) and that have a published due day, as a
 * PostgreSQL datemultirange literal of single days (`{[2026-12-10,2026-12-10],…}`, '{}' for none): what the step rows'
 * `state` and `due_on` say, so `open_due_days && range` on the project row agrees with dueInRangeSql on its steps.
 */
export function openDueDaysOf(steps: readonly StepView[]): string {
  const days = new Set(steps.filter((s) => (DUE_STEP_STATES as readonly string[]).includes(s.state) && s.deadline?.dueOn).map((s) => s.deadline!.dueOn));
  return `{${[...days].sort().map((d) => `[${d},${d}]`).join(',')}}`;
}

/**
 * The row of step `s` (at `position` in its definition) of project `v`. Besides the view's fields the row keeps the
 * planned deadline's days (`due_on`, `due_at`, `provisional`), the statutory deadline ({@link statutoryDueOf}) and the
 * certificate's delivery instant as columns, for the due-range filters, the stuck query and its index.
 */
export function stepRowOf(v: ProjectView, s: StepView, position: number): StepRow {
  const statutoryDue = statutoryDueOf(s.deadline);
  return {
    projectCode: v.code,
    stepKey: s.key,
    position,
    name: s.name,
    nameZh: s.nameZh,
    stage: s.stage,
    department: s.department,
    dependsOn: s.dependsOn,
    limitValue: s.limit.value,
    limitUnit: s.limit.unit,
    limitSource: s.limitSource,
    limitConfidence: s.limitConfidence,
    state: s.state,
    assignee: s.assignee,
    readyAt: maybeInstant(s.readyAt),
    acceptedAt: maybeInstant(s.acceptedAt),
    decidedAt: maybeInstant(s.decidedAt),
    actor: s.actor,
    comment: s.comment,
    waiverDueOn: s.waiverDueOn,
    clockStops: s.clockStops,
    availableActions: s.availableActions,
    dueOn: s.deadline?.dueOn ?? null,
    dueAt: maybeInstant(s.deadline?.dueAt ?? null),
    light: s.light,
    provisional: s.deadline?.provisional ?? false,
    deadline: s.deadline,
    receivedAt: maybeInstant(s.receivedAt),
    deemedAccepted: s.deemedAccepted,
    statutoryOverdue: s.statutoryOverdue,
    statutoryDueOn: statutoryDue.dueOn,
    statutoryDueAt: maybeInstant(statutoryDue.dueAt),
    deliveredAt: maybeInstant(s.certificate?.deliveredAt ?? null),
    governmentWorkingDays: s.governmentWorkingDays,
    clockInput: s.clockInput,
    statutory: {
      statutoryLimit: s.statutoryLimit,
      limitUnitAsWritten: s.limitUnitAsWritten,
      jointGroup: s.jointGroup,
      extensionCap: s.extensionCap,
      extension: s.extension,
      certificate: s.certificate,
    },
    deskTier: (DESK_TIERS as Record<string, number>)[s.state] ?? OFF_DESK_TIER,
    deskSince: maybeInstant(s.acceptedAt ?? s.receivedAt ?? s.readyAt),
    projectRunning: (RUNNING_STATUSES as readonly string[]).includes(v.status),
    version: v.version,
    updatedAt: instant(s.updatedAt),
  };
}

/** The work queue's tier of a state off the desk: after every desk tier. */
const OFF_DESK_TIER = Math.max(...Object.values(DESK_TIERS)) + 1;

/**
 * The statutory terms of a step row: its `statutory` document, or — for a row written before the terms were kept,
 * whose definition (standard@1–2, bonded_zone@1) had no separate statutory tier, joint group, extension caps or
 * certificates — the terms those definitions imply: the statutory limit is the published one (the row's limit
 * columns), the extension cap is 行政许可法 Art. 42 ¶1's 10 working days, no joint group, no certificate.
 */
function statutoryOfRow(s: StepRow): NonNullable<StepRow['statutory']> {
  if (s.statutory) return s.statutory;
  return {
    statutoryLimit: { value: s.limitValue, unit: s.limitUnit, source: s.limitSource, confidence: s.limitConfidence, unitAsWritten: null },
    limitUnitAsWritten: null,
    jointGroup: null,
    extensionCap: { value: DEFAULT_EXTENSION_CAP.value, source: DEFAULT_EXTENSION_CAP.source },
    extension: null,
    certificate: null,
  };
}

/** A step row read back as the view it was written from (instants ISO 8601 UTC). */
export function stepViewOfRow(s: StepRow): StepView {
  const statutory = statutoryOfRow(s);
  return {
    key: s.stepKey,
    name: s.name,
    nameZh: s.nameZh,
    stage: s.stage,
    department: s.department,
    state: s.state,
    dependsOn: s.dependsOn,
    limit: { value: s.limitValue, unit: s.limitUnit },
    limitSource: s.limitSource,
    limitConfidence: s.limitConfidence,
    limitUnitAsWritten: statutory.limitUnitAsWritten,
    statutoryLimit: statutory.statutoryLimit,
    jointGroup: statutory.jointGroup,
    extensionCap: statutory.extensionCap,
    extension: statutory.extension,
    receivedAt: maybeIsoOf(s.receivedAt),
    deemedAccepted: s.deemedAccepted,
    statutoryOverdue: s.statutoryOverdue,
    certificate: statutory.certificate ? { ...statutory.certificate, deliveredAt: maybeIsoOf(s.deliveredAt) } : null,
    governmentWorkingDays: s.governmentWorkingDays,
    clockInput: s.clockInput,
    assignee: s.assignee,
    readyAt: maybeIsoOf(s.readyAt),
    acceptedAt: maybeIsoOf(s.acceptedAt),
    decidedAt: maybeIsoOf(s.decidedAt),
    actor: s.actor,
    comment: s.comment,
    waiverDueOn: s.waiverDueOn,
    clockStops: s.clockStops,
    deadline: s.deadline,
    light: s.light,
    availableActions: s.availableActions,
    updatedAt: isoOf(s.updatedAt),
  };
}

/** Stage names of every released track (shipped and published), by `track:stage` (a key names the same stage in every version). */
const STAGE_NAMES = memoOverTracks((defs) => new Map<string, { name: string; nameZh: string }>(defs.flatMap((d) => d.stages.map((s) => [`${d.track}:${s.key}`, s] as const))));

/**
 * A project row with its steps read back as the view it was written from: instants ISO 8601 UTC, the investment in
 * canonical yuan, the stage's names from the track definitions (the key itself for a stage no definition names).
 */
export function projectViewOfRow(p: ProjectRow & { steps: StepRow[] }): ProjectView {
  const stage = STAGE_NAMES().get(`${p.track}:${p.stage}`);
  return {
    code: p.code,
    name: p.name,
    track: p.track,
    definitionVersion: p.definitionVersion,
    district: p.district,
    investor: p.investor,
    investmentYuan: p.investmentYuan === null ? null : canonicalYuan(p.investmentYuan),
    signedAt: p.signedAt,
    registeredAt: isoOf(p.registeredAt),
    registeredBy: p.registeredBy,
    stage: p.stage,
    stageName: stage?.name ?? p.stage,
    stageNameZh: stage?.nameZh ?? p.stage,
    status: p.status,
    version: p.version,
    lastProgressAt: isoOf(p.lastProgressAt),
    suspendedAt: maybeIsoOf(p.suspendedAt),
    closedAt: maybeIsoOf(p.closedAt),
    light: p.light,
    nextDeadline: maybeIsoOf(p.nextDeadline),
    projectClocks: p.projectClocks,
    forecast: p.forecast,
    supervision: p.supervision,
    overdueSteps: p.overdueSteps,
    statutoryOverdueSteps: p.statutoryOverdueSteps,
    approvalRoute: p.approvalRoute,
    expiries: p.expiries,
    facts: p.facts,
    governmentTime: p.governmentTime,
    steps: p.steps.map(stepViewOfRow),
  };
}

/** Columns the database fills itself on every write, by entity field: the SQL that gives the value. */
type Assigned = Record<string, string>;

/**
 * The SELECT list that reads `entity`'s columns under its fields' names, `alias."db_name" AS "field"`, a `date` as
 * its text (`YYYY-MM-DD`, as TypeORM hydrates one): the driver's rows are then the entity's fields as they are (JSON
 * parsed, instants as Dates, numbers as numbers), with no per-row hydration — for reads of hundreds of rows per
 * request, such as every step of a page of projects.
 */
export function entitySelectList(em: EntityManager, entity: EntityTarget<object>, alias: string): string {
  return entityColumns(em, entity)
    .map((c) => `${alias}."${c.databaseName}"${c.type === 'date' ? '::text' : ''} AS "${c.propertyName}"`)
    .join(', ');
}

/**
 * `entity`'s columns from its metadata, each database column once (a relation's join column is also a field's column:
 * the first declared wins).
 */
function entityColumns(em: EntityManager, entity: EntityTarget<object>): ColumnMetadata[] {
  const seen = new Set<string>();
  return em.connection.getMetadata(entity).columns.filter((c) => !seen.has(c.databaseName) && seen.add(c.databaseName));
}

/**
 * An `INSERT … ON CONFLICT (primary key) DO UPDATE … WHERE t.version < EXCLUDED.version` of `rows` into `entity`'s
 * table, every column of the entity's metadata in one place: the column list, `$n` placeholders (`::jsonb` for
 * JSON columns, whose values are serialised here; SQL NULL for null), and the update of every non-key column.
 * Columns in `assigned` take their SQL expression instead of a row value. The statement returns the primary key of
 * each row written (none where the stored version was as new or newer).
 */
export function versionedUpsert<R extends object>(
  em: EntityManager,
  entity: EntityTarget<R>,
  rows: ReadonlyArray<Partial<R>>,
  assigned: Assigned = {},
): { sql: string; params: unknown[] } {
  const meta = em.connection.getMetadata(entity);
  const columns = entityColumns(em, entity);
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = columns.map((c) => {
      const sql = assigned[c.propertyName];
      if (sql !== undefined) return sql;
      const value = (row as Record<string, unknown>)[c.propertyName] ?? null;
      const json = c.type === 'jsonb';
      params.push(json && value !== null ? JSON.stringify(value) : value);
      return `$${params.length}${json ? '::jsonb' : ''}`;
    });
    return `(${values.join(',')})`;
  });
  const keys = columns.filter((c) => c.isPrimary).map((c) => c.databaseName);
  const updates = columns.filter((c) => !c.isPrimary).map((c) => `${c.databaseName} = EXCLUDED.${c.databaseName}`);
  const sql = `INSERT INTO ${meta.tableName} AS t (${columns.map((c) => c.databaseName).join(', ')})
       VALUES ${tuples.join(',')}
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}
       WHERE t.version < EXCLUDED.version
       RETURNING ${keys.join(', ')}`;
  return { sql, params };
}
