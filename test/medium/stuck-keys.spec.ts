import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { latestTrackDefinition, ProjectState, toProjectView, type Actor, type ProjectForecast, type ProjectView } from '../../libs/domain/index.js';
import { InvalidStuckCursorError, ProjectReadModelRepository, SupervisionRepository, type StuckRow } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';
import { plannedDeadline } from '../support/deadlines.js';

/*
 * The stuck keys written with the project row (tier, urgency keys, departments on whose desk a step sits), the stuck
 * list read from them page by page — by number and by keyset cursor, the same order — and the migration that fills
 * them for rows stored before it.
 *
 * 30 projects, project n: n % 5 = 0 red (its land pre-review due n days before 2026-11-20), n % 5 = 1 past the
 * statutory limit too, n % 5 = 2 at risk with slack -(n % 7), n % 5 = 3 idle since September, n % 5 = 4 none.
 */

const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const NR: Actor = { id: 'nr-zhao', department: 'natural_resources', roles: ['officer'] };
const CRITERIA = { idleBefore: new Date('2026-11-09T00:00:00+08:00') };
const code = (n: number): string => `2026-330602-39-03-${String(n).padStart(6, '0')}`;
const minusDays = (n: number): string => new Date(Date.parse('2026-11-20T00:00:00+08:00') - n * 86_400_000).toISOString().slice(0, 10);

function build(n: number, version = 30): ProjectView {
  const def = latestTrackDefinition('standard');
  const { state } = ProjectState.register(
    def,
    { code: code(n), name: `督办键测试 ${n}`, track: 'standard', district: n % 2 === 0 ? '越城区' : '上虞区', investor: null, investmentYuan: null, signedAt: '2026-09-01' },
    { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
  );
  state.applyStepAction('land_prereview', { action: 'accept' }, { at: '2026-09-02T01:00:00.000Z', actor: NR });
  const view = toProjectView(state);
  const kind = n % 5;
  const step = view.steps.find((s) => s.key === 'land_prereview')!;
  const due = plannedDeadline(minusDays(kind <= 1 ? n : -10));
  Object.assign(step, { deadline: due, light: kind <= 1 ? 'red' : 'green', statutoryOverdue: kind === 1 });
  const forecast: ProjectForecast | null =
    kind === 2 ? { computedAt: '2026-11-18T02:00:00.000Z', finishOn: '2027-01-15', atRisk: true, reason: 'late', slackWorkingDays: -(n % 7), deadlines: [], step: 'land_prereview', department: 'natural_resources' } : null;
  Object.assign(view, {
    version,
    light: kind <= 1 ? 'red' : 'green',
    overdueSteps: kind <= 1 ? 1 : 0,
    statutoryOverdueSteps: kind === 1 ? 1 : 0,
    forecast,
    lastProgressAt: kind === 3 ? `2026-09-${String(1 + (n % 28)).padStart(2, '0')}T02:00:00.000Z` : '2026-11-19T02:00:00.000Z',
  });
  return view;
}

describe('stuck keys maintained on write', () => {
  let db: DataSource;
  let repo: ProjectReadModelRepository;
  let supervision: SupervisionRepository;
  const N = 30;

  beforeAll(async () => {
    db = (await createTestDatabase('stuck_keys')).dataSource;
    repo = new ProjectReadModelRepository(db);
    supervision = new SupervisionRepository(db);
    for (let n = 1; n <= N; n++) await repo.applyProject(build(n), []);
  }, 60_000);
  afterAll(async () => db?.destroy());

  const keysOf = async (n: number) =>
    ((await db.query(`SELECT stuck_tier, urgency_statutory_at, urgency_red_at, urgency_slack, open_departments FROM projects WHERE code = $1`, [code(n)])) as Array<Record<string, unknown>>)[0]!;
  const walk = async (filter: object, pageSize: number): Promise<StuckRow[]> => {
    const rows: StuckRow[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await supervision.listStuck(filter, CRITERIA, { page: 1, pageSize, ...(cursor ? { cursor } : {}) });
      rows.push(...page.items);
      if (page.nextCursor === null) return rows;
      cursor = page.nextCursor;
    }
  };

  it('writes the tier, the urgency keys and the desk departments with the row', async () => {
    expect(await keysOf(6)).toMatchObject({ stuck_tier: 0, urgency_red_at: new Date(`${minusDays(6)}T16:00:00.000Z`), open_departments: ['development_reform', 'natural_resources'] });
    expect(await keysOf(5)).toMatchObject({ stuck_tier: 1, urgency_statutory_at: new Date('9999-12-31T00:00:00Z'), urgency_slack: 2147483647 });
    expect(await keysOf(7)).toMatchObject({ stuck_tier: 2, urgency_slack: 0 });
    expect(await keysOf(12)).toMatchObject({ stuck_tier: 2, urgency_slack: -5 });
    expect(await keysOf(8)).toMatchObject({ stuck_tier: 3 });
  });

  it('lists the most urgent first, the same rows by keyset cursor as by page number', async () => {
    const all = await supervision.listStuck({}, CRITERIA, { page: 1, pageSize: 200 });
    expect(all.total).toBe(24); // every project but the six with no reason (n % 5 = 4)
    expect(all.nextCursor).toBeNull();
    const tiers = all.items.map((r) => (r.statutoryOverdue ? 0 : r.overdue ? 1 : r.atRisk ? 2 : 3));
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    // red ones: the earliest deadline first (the larger n, the older)
    expect(all.items.filter((r) => !r.statutoryOverdue && r.overdue).map((r) => Number(r.code.slice(-3)))).toEqual([30, 25, 20, 15, 10, 5]);
    const byCursor = await walk({}, 7);
    expect(byCursor.map((r) => r.code)).toEqual(all.items.map((r) => r.code));
    const byNumber = [];
    for (let page = 1; page <= 4; page++) byNumber.push(...(await supervision.listStuck({}, CRITERIA, { page, pageSize: 7 })).items);
    expect(byNumber.map((r) => r.code)).toEqual(all.items.map((r) => r.code));
  });

  it('pages by cursor within a filter and kind', async () => {
    const filter = { district: '越城区', kind: 'overdue' as const };
    const all = await supervision.listStuck(filter, CRITERIA, { page: 1, pageSize: 200 });
    expect(all.items.map((r) => Number(r.code.slice(-3)))).toEqual([26, 16, 6, 30, 20, 10]);
    expect((await walk(filter, 4)).map((r) => r.code)).toEqual(all.items.map((r) => r.code));
  });

  it('names the step and department that drive an at-risk forecast', async () => {
    const row = (await supervision.listStuck({ kind: 'at_risk' }, CRITERIA, { page: 1, pageSize: 1 })).items[0]!;
    expect(row).toMatchObject({ atRisk: true, atRiskStep: 'land_prereview', atRiskDepartment: 'natural_resources' });
  });

  it('moves a project between tiers when a newer write changes its reasons, and not for an older one', async () => {
    const fixed = build(10, 31);
    Object.assign(fixed.steps.find((s) => s.key === 'land_prereview')!, { light: 'green' });
    Object.assign(fixed, { light: 'green', overdueSteps: 0 });
    await repo.applyProject(fixed, []);
    expect(await keysOf(10)).toMatchObject({ stuck_tier: 3, urgency_red_at: new Date('9999-12-31T00:00:00Z') });
    await repo.applyProject(build(10, 29), []);
    expect(await keysOf(10)).toMatchObject({ stuck_tier: 3 });
    await repo.applyProject(build(10, 32), []);
    expect(await keysOf(10)).toMatchObject({ stuck_tier: 1 });
  });

  it('refuses a cursor that is not one it gave', async () => {
    await expect(supervision.listStuck({}, CRITERIA, { page: 1, pageSize: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(InvalidStuckCursorError);
  });

  it('fills the keys of rows stored before the migration, as the write path does', async () => {
    const snapshot = async () => (await db.query(`SELECT code, stuck_tier, urgency_statutory_at, urgency_red_at, urgency_slack, open_departments FROM projects ORDER BY code`)) as unknown[];
    const before = await snapshot();
    const applied = async (): Promise<boolean> => ((await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'StuckKeys1765130000000'`)) as unknown[]).length > 0;
    while (await applied()) await db.undoLastMigration({ transaction: 'each' });
    await db.runMigrations({ transaction: 'each' });
    expect(await snapshot()).toEqual(before);
  });
});

// As of a past day a late step counts only if its deadline had ended by then; the project's urgency key (its earliest
// such deadline) answers that, but not for a step whose clock is stopped (no deadline, so not in the key), which counts.
describe('the stuck list as of a past day', () => {
  let db: DataSource;
  let supervision: SupervisionRepository;
  const DAY = { ...CRITERIA, pastDay: { day: '2026-11-20', start: new Date('2026-11-20T00:00:00+08:00'), end: new Date('2026-11-21T00:00:00+08:00') } };
  const STOPPED = { ...plannedDeadline('2026-11-25', null), dueOn: null, dueAt: null, stopped: true };

  /** Project n with its land pre-review red (and past its statutory limit when `statutory`) under `deadline`. */
  const late = (n: number, deadline: ReturnType<typeof plannedDeadline>, statutory = false): ProjectView => {
    const view = build(n);
    Object.assign(view.steps.find((s) => s.key === 'land_prereview')!, { deadline, light: 'red', statutoryOverdue: statutory });
    return Object.assign(view, { light: 'red', overdueSteps: 1, statutoryOverdueSteps: statutory ? 1 : 0, forecast: null, lastProgressAt: '2026-11-19T02:00:00.000Z' });
  };

  beforeAll(async () => {
    db = (await createTestDatabase('stuck_keys_past_day')).dataSource;
    const repo = new ProjectReadModelRepository(db);
    supervision = new SupervisionRepository(db);
    await repo.applyProject(late(200, plannedDeadline('2026-11-10', '2026-11-12'), true), []); // late and past the statutory limit before the day
    await repo.applyProject(late(205, plannedDeadline('2026-11-25')), []); // red today, due after the day
    await repo.applyProject(late(210, STOPPED), []); // red, its clock stopped
    await repo.applyProject(late(211, STOPPED, true), []); // past its statutory limit, its clock stopped
  }, 60_000);
  afterAll(async () => db?.destroy());

  it('counts a step late on the day by its key, or by its stopped clock, and not one due after the day', async () => {
    const listed = async (kind: 'overdue' | 'statutory_overdue') => {
      const page = await supervision.listStuck({ kind }, DAY, { page: 1, pageSize: 20 });
      expect(page.total).toBe(page.items.length);
      return page.items.map((r) => r.code).sort();
    };
    expect(await listed('overdue')).toEqual([code(200), code(210), code(211)]);
    expect(await listed('statutory_overdue')).toEqual([code(200), code(211)]);
    // As of today, all four are red.
    expect((await supervision.listStuck({ kind: 'overdue' }, CRITERIA, { page: 1, pageSize: 20 })).total).toBe(4);
  });
});
