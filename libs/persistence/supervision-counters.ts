/*
 * The supervisors' summary as counters maintained on write: every write of a project row moves the project's
 * contribution (its "cells") in `supervision_counts`, in the same transaction, so `GET /supervision/summary` sums a
 * few hundred counter rows instead of scanning the projects and their steps. Only running projects (the domain's
 * RUNNING_STATUSES) count. Every cell is kept twice over: once for all projects (desk '') and once per department on
 * whose desk the project has an open step (desk: that department), so the summary filtered by a department's desk
 * is a sum too. What depends on the day asked — idle — is not a counter: the summary counts it on the partial index
 * of running projects by last progress. At the end of each day the counters are copied, with that day's idle counts,
 * into `supervision_day_counts` (SupervisionRepository.snapshotDay), for a summary as of that day.
 */
import type { EntityManager } from 'typeorm';
import { OPEN_STEP_STATES, OVERDUE_LIGHT, RUNNING_STATUSES, STATUTORY_OPEN_STATES, type ProjectView } from '../domain/index.js';
import { SUPERVISION_COUNTS_FILL } from './migrations/1765140000000-supervision-counts.js';
import { DESK_COUNTS_FILL } from './migrations/1765250000000-desk-counts.js';

/**
 * The statements that fill an empty `supervision_counts` from the rows stored (the cells of all projects, then those
 * per desk): the same cells as the write path's counterCellsOf gives. For a recount and for bulk loads that write
 * rows without the write path (the benchmark's seed).
 */
export const COUNTS_FILL: readonly string[] = [...SUPERVISION_COUNTS_FILL, ...DESK_COUNTS_FILL];

/** What of a project the counters count: its filter dimensions, its flags, government time and open steps. */
export interface CountedProject {
  district: string;
  stage: string;
  track: string;
  status: string;
  light: string;
  statutory: boolean;
  overdue: boolean;
  atRisk: boolean;
  governmentWorkingDays: number | null;
  promises: Array<{ key: string; name: string; nameZh: string; exceeded: boolean }>;
  steps: Array<{ department: string; state: string; light: string | null; statutoryOverdue: boolean }>;
}

/** The dimensions a counter row is kept by: the summary's filters (but the due range and the department's desk). */
interface Dims {
  district: string;
  stage: string;
  track: string;
  status: string;
  light: string;
  statutory: boolean;
  overdue: boolean;
  atRisk: boolean;
}

/** The project list's and the summary's filters that are also key columns of a counter row (the rest are flags). */
export const COUNTER_DIMENSIONS = ['stage', 'track', 'district', 'status', 'light'] as const satisfies ReadonlyArray<keyof Dims>;

/** The counted numbers of a counter row; which apply depends on the facet. */
const COUNTS = [
  'projects',
  'governmentProjects',
  'governmentWorkingDays',
  'openSteps',
  'green',
  'yellow',
  'red',
  'noClock',
  'statutorySteps',
  'statutoryProjects',
  'exceeded',
] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

/**
 * One counter row's share of a project. Facets: `project` (key ''): the project itself, its government time and
 * open statutory-overdue steps; `department` (key: the department): the project's open steps on that department's
 * desk by the light of their clock, and whether it has any (and any past the statutory limit); `promise` (key: the
 * government-time promise): whether it applies and is exceeded.
 */
export interface CounterCell extends Dims, Counts {
  facet: 'project' | 'department' | 'promise';
  key: string;
  /** '' for the count over all projects; a department for the count over the projects with an open step on its desk. */
  desk: string;
  name: string | null;
  nameZh: string | null;
}

const COLUMN: Record<(typeof COUNTS)[number], string> = {
  projects: 'projects',
  governmentProjects: 'government_projects',
  governmentWorkingDays: 'government_working_days',
  openSteps: 'open_steps',
  green: 'green',
  yellow: 'yellow',
  red: 'red',
  noClock: 'no_clock',
  statutorySteps: 'statutory_steps',
  statutoryProjects: 'statutory_projects',
  exceeded: 'exceeded',
};
const KEY_COLUMNS = ['facet', 'key', 'desk', 'district', 'stage', 'track', 'status', 'light', 'statutory', 'overdue', 'at_risk'] as const;
/** Every column of a counter row (its keys, names and counts), in one order: for writing and copying counter rows. */
export const COUNTER_COLUMNS: readonly string[] = [...KEY_COLUMNS, 'name', 'name_zh', ...COUNTS.map((n) => COLUMN[n])];

const zero = (): Counts => Object.fromEntries(COUNTS.map((c) => [c, 0])) as Counts;
const isOpen = (state: string): boolean => (OPEN_STEP_STATES as readonly string[]).includes(state);
const isStatutoryOpen = (s: { state: string; statutoryOverdue: boolean }): boolean => s.statutoryOverdue && (STATUTORY_OPEN_STATES as readonly string[]).includes(s.state);

/**
 * The cells of a project: none unless it is running; its cells over all projects (desk ''), and the same again for
 * each department with an open step of the project on its desk (the row's `open_departments`).
 */
export function counterCellsOf(p: CountedProject | null): CounterCell[] {
  const all = allProjectCellsOf(p);
  const desks = [...new Set((p?.steps ?? []).filter((s) => isOpen(s.state)).map((s) => s.department))].sort();
  return [...all, ...desks.flatMap((desk) => all.map((c) => ({ ...c, desk })))];
}

/** The cells of a running project in the count over all projects (desk ''). */
function allProjectCellsOf(p: CountedProject | null): CounterCell[] {
  if (p === null || !(RUNNING_STATUSES as readonly string[]).includes(p.status)) return [];
  const dims: Dims = { district: p.district, stage: p.stage, track: p.track, status: p.status, light: p.light, statutory: p.statutory, overdue: p.overdue, atRisk: p.atRisk };
  const cells: CounterCell[] = [
    {
      ...dims,
      ...zero(),
      facet: 'project',
      key: '',
      desk: '',
      name: null,
      nameZh: null,
      projects: 1,
      governmentProjects: p.governmentWorkingDays === null ? 0 : 1,
      governmentWorkingDays: p.governmentWorkingDays ?? 0,
      statutorySteps: p.steps.filter(isStatutoryOpen).length,
    },
  ];
  const departments = [...new Set(p.steps.filter((s) => isOpen(s.state) || isStatutoryOpen(s)).map((s) => s.department))].sort();
  for (const department of departments) {
    const open = p.steps.filter((s) => s.department === department && isOpen(s.state));
    const statutory = p.steps.filter((s) => s.department === department && isStatutoryOpen(s)).length;
    cells.push({
      ...dims,
      ...zero(),
      facet: 'department',
      key: department,
      desk: '',
      name: null,
      nameZh: null,
      projects: open.length > 0 ? 1 : 0,
      openSteps: open.length,
      green: open.filter((s) => s.light === 'green').length,
      yellow: open.filter((s) => s.light === 'yellow').length,
      red: open.filter((s) => s.light === OVERDUE_LIGHT).length,
      noClock: open.filter((s) => s.light === null).length,
      statutorySteps: statutory,
      statutoryProjects: statutory > 0 ? 1 : 0,
    });
  }
  for (const promise of p.promises) {
    cells.push({ ...dims, ...zero(), facet: 'promise', key: promise.key, desk: '', name: promise.name, nameZh: promise.nameZh, projects: 1, exceeded: promise.exceeded ? 1 : 0 });
  }
  return cells;
}

/** What the counters count of a view about to be written (the same facts its rows hold). */
export function countedOfView(v: ProjectView): CountedProject {
  return {
    district: v.district,
    stage: v.stage,
    track: v.track,
    status: v.status,
    light: v.light,
    statutory: v.statutoryOverdueSteps > 0,
    overdue: v.overdueSteps > 0,
    atRisk: v.forecast?.atRisk ?? false,
    governmentWorkingDays: v.governmentTime?.workingDays ?? null,
    promises: (v.governmentTime?.promises ?? []).map((x) => ({ key: x.key, name: x.name, nameZh: x.nameZh, exceeded: x.exceeded })),
    steps: v.steps.map((s) => ({ department: s.department, state: s.state, light: s.light, statutoryOverdue: s.statutoryOverdue })),
  };
}

/**
 * What the counters counted of the stored project `code` (its row and steps), locking the row for the rest of the
 * transaction; null when it is not stored.
 */
export async function countedOfStored(em: EntityManager, code: string): Promise<CountedProject | null> {
  const rows = (await em.query(
    `SELECT p.district, p.stage, p.track, p.status, p.light, p.statutory_overdue_steps > 0 AS statutory, p.overdue_steps > 0 AS overdue,
            p.at_risk, p.government_working_days,
            coalesce((SELECT json_agg(json_build_object('key', e->>'key', 'name', e->>'name', 'nameZh', e->>'nameZh', 'exceeded', coalesce((e->>'exceeded')::boolean, false)))
                        FROM jsonb_array_elements(coalesce(p.government_time->'promises', '[]'::jsonb)) e), '[]'::json) AS promises,
            coalesce((SELECT json_agg(json_build_object('department', s.department, 'state', s.state, 'light', s.light, 'statutoryOverdue', s.statutory_overdue))
                        FROM project_steps s WHERE s.project_code = p.code), '[]'::json) AS steps
       FROM projects p WHERE p.code = $1 FOR UPDATE OF p`,
    [code],
  )) as Array<{
    district: string;
    stage: string;
    track: string;
    status: string;
    light: string;
    statutory: boolean;
    overdue: boolean;
    at_risk: boolean;
    government_working_days: number | null;
    promises: CountedProject['promises'];
    steps: CountedProject['steps'];
  }>;
  const r = rows[0];
  if (!r) return null;
  return {
    district: r.district,
    stage: r.stage,
    track: r.track,
    status: r.status,
    light: r.light,
    statutory: r.statutory,
    overdue: r.overdue,
    atRisk: r.at_risk,
    governmentWorkingDays: r.government_working_days,
    promises: r.promises,
    steps: r.steps,
  };
}

const cellKey = (c: CounterCell): string => JSON.stringify(KEY_COLUMNS.map((k) => c[k === 'at_risk' ? 'atRisk' : k]));

/**
 * Moves the counters from `before` to `after` (both a project's cells): adds the difference, one upsert, cells in
 * key order (so concurrent writers lock counter rows in the same order). Nothing when they are equal.
 */
export async function moveCounters(em: EntityManager, before: CounterCell[], after: CounterCell[]): Promise<void> {
  const delta = new Map<string, CounterCell>();
  const add = (c: CounterCell, sign: 1 | -1): void => {
    const k = cellKey(c);
    const d = delta.get(k) ?? { ...c, ...zero() };
    for (const n of COUNTS) d[n] += sign * c[n];
    if (sign === 1) Object.assign(d, { name: c.name, nameZh: c.nameZh });
    delta.set(k, d);
  };
  before.forEach((c) => add(c, -1));
  after.forEach((c) => add(c, 1));
  const cells = [...delta.entries()]
    .filter(([, d]) => COUNTS.some((n) => d[n] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
  if (cells.length === 0) return;
  const params: unknown[] = [];
  const tuples = cells.map((c) => {
    const values = [c.facet, c.key, c.desk, c.district, c.stage, c.track, c.status, c.light, c.statutory, c.overdue, c.atRisk, c.name, c.nameZh, ...COUNTS.map((n) => c[n])];
    return `(${values.map((v) => (params.push(v), `$${params.length}`)).join(',')})`;
  });
  await em.query(
    `INSERT INTO supervision_counts (${COUNTER_COLUMNS.join(', ')}) VALUES ${tuples.join(',')}
     ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET
       name = coalesce(EXCLUDED.name, supervision_counts.name), name_zh = coalesce(EXCLUDED.name_zh, supervision_counts.name_zh),
       ${COUNTS.map((n) => `${COLUMN[n]} = supervision_counts.${COLUMN[n]} + EXCLUDED.${COLUMN[n]}`).join(', ')}`,
    params,
  );
}
