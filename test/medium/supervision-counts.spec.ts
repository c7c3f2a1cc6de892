import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { latestTrackDefinition, ProjectState, toProjectView, type Actor, type GovernmentTime, type ProjectView } from '../../libs/domain/index.js';
import { ProjectReadModelRepository, scanSummaryQuery, SupervisionRepository, type StuckFilter } from '../../libs/persistence/index.js';
import { COUNTS_FILL } from '../../libs/persistence/supervision-counters.js';
import { createTestDatabase } from '../support/database.js';
import { plannedDeadline } from '../support/deadlines.js';

/*
 * The summary's counters, moved by every write of a project row: after projects are written, rewritten (changing
 * district, light, stage, reasons, government time), closed and written late (an older version), the summary read
 * from the counters equals the one read from the rows, for every filter the counters answer; and the counters equal
 * a fill from scratch.
 */

const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const NR: Actor = { id: 'nr-zhao', department: 'natural_resources', roles: ['officer'] };
const DRC: Actor = { id: 'drc-li', department: 'development_reform', roles: ['officer'] };
const CRITERIA = { idleBefore: new Date('2026-11-09T00:00:00+08:00') };
const code = (n: number): string => `2026-330602-39-03-${String(n).padStart(6, '0')}`;

function governmentTime(n: number): GovernmentTime {
  return {
    asOf: '2026-11-18',
    workingDays: 10 + n,
    promises: [
      { key: 'pre_groundbreaking', name: 'Approvals before groundbreaking within 100 days', nameZh: '开工前审批最多100天', limit: 100, unit: 'working_days', unitAsWritten: '天', source: 's', usedWorkingDays: 10 + n, remaining: 90 - n, exceeded: n % 4 === 0 },
    ],
  } as unknown as GovernmentTime;
}

function build(n: number, version: number, variant = 0): ProjectView {
  const def = latestTrackDefinition('standard');
  const m = n + variant;
  const { state } = ProjectState.register(
    def,
    { code: code(n), name: `计数测试 ${n}`, track: 'standard', district: ['越城区', '上虞区', '柯桥区'][m % 3]!, investor: null, investmentYuan: null, signedAt: '2026-09-01' },
    { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
  );
  state.applyStepAction('land_prereview', { action: 'accept' }, { at: '2026-09-02T01:00:00.000Z', actor: NR });
  if (m % 2 === 0) state.applyStepAction('project_filing', { action: 'accept' }, { at: '2026-09-02T02:00:00.000Z', actor: DRC });
  const view = toProjectView(state);
  const red = m % 5 === 0;
  const statutory = m % 10 === 0;
  Object.assign(view.steps.find((s) => s.key === 'land_prereview')!, { deadline: plannedDeadline('2026-11-13'), light: red ? 'red' : m % 3 === 0 ? 'yellow' : 'green', statutoryOverdue: statutory });
  Object.assign(view, {
    version,
    light: red ? 'red' : m % 3 === 0 ? 'yellow' : 'green',
    overdueSteps: red ? 1 : 0,
    statutoryOverdueSteps: statutory ? 1 : 0,
    status: m % 7 === 0 ? 'suspended' : 'active',
    forecast: m % 6 === 1 ? { computedAt: '2026-11-18T02:00:00.000Z', finishOn: '2027-01-15', atRisk: true, reason: 'late', slackWorkingDays: -2, deadlines: [] } : null,
    governmentTime: m % 3 === 1 ? governmentTime(m) : null,
    lastProgressAt: m % 4 === 3 ? '2026-09-20T02:00:00.000Z' : '2026-11-19T02:00:00.000Z',
  });
  return view;
}

describe('the summary counters', () => {
  let db: DataSource;
  let repo: ProjectReadModelRepository;
  let supervision: SupervisionRepository;

  beforeAll(async () => {
    db = (await createTestDatabase('supervision_counts')).dataSource;
    repo = new ProjectReadModelRepository(db);
    supervision = new SupervisionRepository(db);
    for (let n = 1; n <= 40; n++) await repo.applyProject(build(n, 10), []);
    // rewrites that move projects between cells, a late (older) write, and projects that close
    for (let n = 1; n <= 40; n += 4) await repo.applyProject(build(n, 11, 1), []);
    await repo.applyProject(build(4, 9, 2), []);
    for (const n of [5, 6]) await repo.applyProject(Object.assign(build(n, 12), { status: 'completed' }), []);
  }, 60_000);
  afterAll(async () => db?.destroy());

  const scanned = async (filter: StuckFilter) => {
    const { sql, params } = scanSummaryQuery(filter, CRITERIA);
    const [row] = (await db.query(sql, params)) as Array<Record<string, unknown>>;
    return row;
  };

  it.each<[string, StuckFilter]>([
    ['no filter', {}],
    ['a district', { district: '上虞区' }],
    ['kind overdue', { kind: 'overdue' }],
    ['kind statutory_overdue', { kind: 'statutory_overdue' }],
    ['kind at_risk and a light', { kind: 'at_risk', light: 'green' }],
    ['status suspended', { status: 'suspended' }],
    ['stage and track', { stage: 'initiation', track: 'standard' }],
    ["a department's desk", { department: 'development_reform' }],
    ["a department's desk, kind overdue", { department: 'natural_resources', kind: 'overdue' }],
    ["a department's desk in a district, a light", { department: 'natural_resources', district: '上虞区', light: 'green' }],
  ])('answers %s as the rows do', async (_, filter) => {
    const counted = await supervision.summary(filter, CRITERIA);
    const row = await scanned(filter);
    expect(counted).toEqual({
      projects: row!.projects,
      byLightStage: row!.by_light_stage,
      byDepartment: row!.by_department,
      byDistrict: row!.by_district,
      stuck: row!.stuck,
      statutoryOverdue: row!.statutory_overdue,
      governmentTime: row!.government_time,
    });
    expect(counted.projects).toBeGreaterThan(0);
  });

  it.each<[string, StuckFilter]>([
    ['no filter', {}],
    ['a district', { district: '上虞区' }],
    ["a department's desk", { department: 'development_reform' }],
    ["a department's desk and a light", { department: 'natural_resources', light: 'red' }],
    ['kind overdue', { kind: 'overdue' }],
    ['kind statutory_overdue in a district', { kind: 'statutory_overdue', district: '越城区' }],
    ['kind at_risk, suspended', { kind: 'at_risk', status: 'suspended' }],
    ['kind idle on a desk', { kind: 'idle', department: 'natural_resources' }],
    ['kind at_risk on a desk', { kind: 'at_risk', department: 'natural_resources' }],
    ['stage and track', { stage: 'initiation', track: 'standard' }],
    ['a due range', { dueTo: '2026-12-31' }],
    ['a due range, kind idle', { dueFrom: '2026-11-13', kind: 'idle' }],
    ['a due range, kind overdue', { dueFrom: '2026-11-13', dueTo: '2026-11-13', kind: 'overdue' }],
    ["a due range on a department's desk", { dueTo: '2026-12-31', department: 'natural_resources' }],
  ])('gives the stuck list a total (from the counters) that is the number of projects it lists, for %s', async (_, filter) => {
    const page = await supervision.listStuck(filter, CRITERIA, { page: 1, pageSize: 200 });
    expect(page.nextCursor).toBeNull();
    expect(page.total).toBe(page.items.length);
    expect(page.total).toBeGreaterThan(0);
  });

  it.each<[string, Record<string, string>]>([
    ['no filter', {}],
    ['a district', { district: '上虞区' }],
    ['a running status', { status: 'suspended' }],
    ['a closed status', { status: 'completed' }],
    ["a department's desk and a light", { department: 'natural_resources', light: 'red' }],
    ['stage, track and district', { stage: 'initiation', track: 'standard', district: '越城区' }],
    ['a due range', { dueTo: '2026-12-31', district: '越城区' }],
  ])('gives the project list a total (running ones from the counters) that is the number of projects it lists, for %s', async (_, filter) => {
    const page = await repo.listProjects(filter, { page: 1, pageSize: 200 }, false);
    expect(page.total).toBe(page.items.length);
    expect(page.total).toBeGreaterThan(0);
    const codes = page.items.map((p) => p.code);
    const second = await repo.listProjects(filter, { page: 2, pageSize: 3 }, false);
    expect([second.total, second.items.map((p) => p.code)]).toEqual([page.total, codes.slice(3, 6)]);
  });

  it('counts the whole stuck list once per project, whatever its reasons', async () => {
    const all = await supervision.listStuck({}, CRITERIA, { page: 1, pageSize: 200 });
    const byKind = await Promise.all((['statutory_overdue', 'overdue', 'at_risk', 'idle'] as const).map(async (kind) => (await supervision.listStuck({ kind }, CRITERIA, { page: 1, pageSize: 1 })).total));
    expect(all.total).toBeGreaterThan(Math.max(...byKind));
    expect(all.total).toBeLessThan(byKind.reduce((a, b) => a + b, 0)); // projects stuck for two reasons count once
    expect(all.total).toBe((await supervision.summary({}, CRITERIA)).stuck.total);
  });

  it('holds what a fill from scratch holds', async () => {
    const cells = async () =>
      (await db.query(
        `SELECT facet, key, desk, district, stage, track, status, light, statutory, overdue, at_risk, projects, government_projects, government_working_days::int,
                open_steps, green, yellow, red, no_clock, statutory_steps, statutory_projects, exceeded
           FROM supervision_counts WHERE projects <> 0 OR open_steps <> 0 OR statutory_steps <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`,
      )) as unknown[];
    const maintained = await cells();
    expect(maintained.length).toBeGreaterThan(10);
    await db.query('DELETE FROM supervision_counts');
    for (const sql of COUNTS_FILL) await db.query(sql);
    expect(await cells()).toEqual(maintained);
    // The migration that brought the desks fills them for the rows stored before it, as the write path does.
    const applied = async (): Promise<boolean> => ((await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'DeskCounts1765250000000'`)) as unknown[]).length > 0;
    while (await applied()) await db.undoLastMigration({ transaction: 'each' });
    await db.runMigrations({ transaction: 'each' });
    expect(await cells()).toEqual(maintained);
  });
  it("answers a summary as of a past day from that day's snapshot: the counts as they stood then, not as the rows stand now", async () => {
    const day = '2026-11-20';
    const asOfDay = { ...CRITERIA, pastDay: { day, start: new Date('2026-11-20T00:00:00+08:00'), end: new Date('2026-11-21T00:00:00+08:00') } };
    const filters: StuckFilter[] = [{}, { district: '上虞区' }, { department: 'natural_resources', kind: 'overdue' }, { kind: 'at_risk', light: 'green' }, { status: 'suspended' }];
    const thatDay = await Promise.all(filters.map((f) => supervision.summary(f, CRITERIA)));
    const taken = await supervision.snapshotDay(day, CRITERIA.idleBefore, 10);
    expect(taken.outcome).toBe('taken');
    expect(taken.rows).toBeGreaterThan(10);

    // The next day the district moves on: a project turns red and idle, another completes, a third is registered.
    await repo.applyProject(Object.assign(build(8, 30, 2), { light: 'red', overdueSteps: 1, lastProgressAt: '2026-09-01T02:00:00.000Z' }), []);
    await repo.applyProject(Object.assign(build(9, 30), { status: 'completed' }), []);
    await repo.applyProject(build(41, 10), []);
    const today = await supervision.summary({}, CRITERIA);
    expect(today).not.toEqual(thatDay[0]);

    // As of the day, every filter the counters answer sums the snapshot: what the summary said that day.
    expect(await Promise.all(filters.map((f) => supervision.summary(f, asOfDay)))).toEqual(thatDay);

    // What the snapshot cannot answer is counted on the rows: another idle instant, kind=idle, a due range, a day without one.
    for (const [filter, criteria] of [
      [{}, { ...asOfDay, idleBefore: new Date('2026-10-01T00:00:00+08:00') }],
      [{ kind: 'idle' }, asOfDay],
      [{ dueTo: '2026-12-31' }, asOfDay],
      [{}, { ...asOfDay, pastDay: { day: '2026-11-19', start: new Date('2026-11-19T00:00:00+08:00'), end: new Date('2026-11-20T00:00:00+08:00') } }],
    ] as Array<[StuckFilter, typeof asOfDay]>) {
      const row = (await db.query(scanSummaryQuery(filter, criteria).sql, scanSummaryQuery(filter, criteria).params)) as Array<Record<string, unknown>>;
      expect((await supervision.summary(filter, criteria)).stuck).toEqual(row[0]!.stuck);
    }

    // A later snapshot of the same day (the 23:50 run after one triggered by hand) replaces it: the day's last stands.
    const later = await Promise.all(filters.map((f) => supervision.summary(f, CRITERIA)));
    expect(await supervision.snapshotDay(day, CRITERIA.idleBefore, 10)).toEqual({ outcome: 'replaced', rows: expect.any(Number) });
    expect(await Promise.all(filters.map((f) => supervision.summary(f, asOfDay)))).toEqual(later);
    expect((await db.query(`SELECT count(*)::int AS n FROM supervision_days`)) as unknown[]).toEqual([{ n: 1 }]);
  });
});
