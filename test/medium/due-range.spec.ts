import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { projectFromRow, projectFromView, stepFromRow } from '../../apps/api/src/projects/project.mapper.js';
import { latestTrackDefinition, ProjectState, toProjectView, type Actor, type ClockDeadline, type ProjectView, type TimelineEntry } from '../../libs/domain/index.js';
import { ProjectReadModelRepository, SupervisionRepository } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';
import { plannedDeadline } from '../support/deadlines.js';

/*
 * Due-day ranges over the read model (dueFrom/dueTo on a step's published deadline, 承诺时限) in the three SQL paths
 * that take them: the project list, a department's work queue and the supervisors' views; and why a step is held
 * back (open dependencies, awaited facts) read back from rows as from the workflow's view.
 *
 * Open steps and their published due days (all Asia/Shanghai):
 *   981 越城区  project_filing (发改) in review, due 2026-11-27; land_prereview (自然资源) in review, due 2026-12-04
 *   982 越城区  project_filing approved (its old due day 2026-11-27 no longer counts); land_prereview in review, red,
 *               due 2026-11-13 — stuck (overdue)
 *   983 越城区  project_filing waiting for a supplement (clock stopped: no due day); no progress since September — stuck (idle)
 *   984 上虞区  project_filing in review, due 2026-11-30
 *   985 越城区  land pre-review, auction and contract approved: the land title waits for the land price paid
 */

const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const DRC: Actor = { id: 'drc-li', department: 'development_reform', roles: ['officer'] };
const NR: Actor = { id: 'nr-zhao', department: 'natural_resources', roles: ['officer'] };
const PAGE = { page: 1, pageSize: 50 };
const CRITERIA = { idleBefore: new Date('2026-11-09T00:00:00+08:00') };

const code = (n: number): string => `2026-330602-39-03-${String(n).padStart(6, '0')}`;
const at = (local: string): string => new Date(local).toISOString();

/** A clock stopped by a supplement request: no due day until the applicant resubmits. */
const STOPPED: ClockDeadline = { ...plannedDeadline('2026-11-25'), dueOn: null, dueAt: null, stopped: true };

interface Seed {
  n: number;
  district?: string;
  /** Steps accepted (by the right department) on 2 September, then the actions given, in order. */
  drive: Array<[step: string, action: string]>;
  deadlines?: Record<string, ClockDeadline>;
  red?: string[];
  lastProgressAt: string;
}

function build(s: Seed): { view: ProjectView; entries: TimelineEntry[]; state: ProjectState } {
  const def = latestTrackDefinition('standard');
  const { state, entries } = ProjectState.register(
    def,
    { code: code(s.n), name: `到期筛选测试项目 ${s.n}`, track: 'standard', district: s.district ?? '越城区', investor: null, investmentYuan: null, signedAt: '2026-09-01' },
    { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
  );
  s.drive.forEach(([step, action], i) => {
    const actor = def.steps.find((d) => d.key === step)!.department === 'development_reform' ? DRC : NR;
    entries.push(...state.applyStepAction(step, { action, ...(action === 'return' ? { comment: '请补正材料' } : {}) } as never, { at: at(`2026-09-${String(2 + i).padStart(2, '0')}T09:00:00+08:00`), actor }));
  });
  const view = toProjectView(state);
  for (const [key, deadline] of Object.entries(s.deadlines ?? {})) Object.assign(view.steps.find((x) => x.key === key)!, { deadline, light: s.red?.includes(key) ? 'red' : 'green' });
  Object.assign(view, { version: 30, light: s.red?.length ? 'red' : 'green', overdueSteps: s.red?.length ?? 0, lastProgressAt: at(s.lastProgressAt) });
  return { view, entries, state };
}

describe('due-day ranges and step holds in the read model', () => {
  let db: DataSource;
  let repo: ProjectReadModelRepository;
  let supervision: SupervisionRepository;
  const views = new Map<string, ProjectView>();
  let landTitleWaiting: { state: ProjectState; view: ProjectView };

  beforeAll(async () => {
    db = (await createTestDatabase('due_range')).dataSource;
    repo = new ProjectReadModelRepository(db);
    supervision = new SupervisionRepository(db);
    const seeds: Seed[] = [
      {
        n: 981,
        drive: [['project_filing', 'accept'], ['land_prereview', 'accept']],
        deadlines: { project_filing: plannedDeadline('2026-11-27'), land_prereview: plannedDeadline('2026-12-04') },
        lastProgressAt: '2026-11-19T10:00:00+08:00',
      },
      {
        n: 982,
        drive: [['project_filing', 'accept'], ['land_prereview', 'accept'], ['project_filing', 'approve']],
        deadlines: { project_filing: plannedDeadline('2026-11-27'), land_prereview: plannedDeadline('2026-11-13') },
        red: ['land_prereview'],
        lastProgressAt: '2026-11-18T10:00:00+08:00',
      },
      {
        n: 983,
        drive: [['project_filing', 'accept'], ['project_filing', 'return']],
        deadlines: { project_filing: STOPPED },
        lastProgressAt: '2026-09-30T10:00:00+08:00',
      },
      { n: 984, district: '上虞区', drive: [['project_filing', 'accept']], deadlines: { project_filing: plannedDeadline('2026-11-30') }, lastProgressAt: '2026-11-19T10:00:00+08:00' },
      {
        n: 985,
        drive: [['land_prereview', 'accept'], ['land_prereview', 'approve'], ['land_auction', 'accept'], ['land_auction', 'approve'], ['land_contract', 'accept'], ['land_contract', 'approve']],
        lastProgressAt: '2026-11-19T10:00:00+08:00',
      },
    ];
    for (const s of seeds) {
      const b = build(s);
      views.set(b.view.code, b.view);
      if (s.n === 985) landTitleWaiting = b;
      await repo.applyProject(b.view, b.entries);
    }
  }, 60_000);
  afterAll(async () => db?.destroy());

  const listed = async (filter: Record<string, string>): Promise<string[]> =>
    (await repo.listProjects(filter, PAGE)).items.map((p) => p.code.slice(-3)).sort();

  describe('the project list', () => {
    it.each([
      ['the last days of November', { dueFrom: '2026-11-27', dueTo: '2026-11-30' }, ['981', '984']],
      ['anything due by the end of November', { dueTo: '2026-11-30' }, ['981', '982', '984']],
      ['December on', { dueFrom: '2026-12-01' }, ['981']],
      ['one day', { dueFrom: '2026-11-13', dueTo: '2026-11-13' }, ['982']],
      ['a range nothing falls in', { dueFrom: '2026-11-14', dueTo: '2026-11-26' }, []],
    ])('keeps the projects with an open step due in %s', async (_what, filter, expected) => {
      expect(await listed(filter)).toEqual(expected);
    });

    it('asks about one step when a department is given: its own step must fall due in the range', async () => {
      expect(await listed({ dueFrom: '2026-11-27', dueTo: '2026-11-30', department: 'development_reform' })).toEqual(['981', '984']);
      // 981 has a natural-resources step open, but it is due in December.
      expect(await listed({ dueFrom: '2026-11-27', dueTo: '2026-11-30', department: 'natural_resources' })).toEqual([]);
      expect(await listed({ dueTo: '2026-12-31', department: 'natural_resources' })).toEqual(['981', '982']);
    });

    it('combines with the other filters (AND) and counts the total over pages', async () => {
      expect(await listed({ dueTo: '2026-11-30', district: '上虞区' })).toEqual(['984']);
      const page = await repo.listProjects({ dueTo: '2026-11-30' }, { page: 1, pageSize: 2 });
      expect([page.items.length, page.total]).toEqual([2, 3]);
    });
  });

  describe('a department’s work queue', () => {
    const queue = async (department: string, due: Record<string, string>): Promise<string[]> =>
      (await repo.tasks(department, PAGE, undefined, due)).items.map((t) => `${t.step.projectCode.slice(-3)}:${t.step.stepKey}`).sort();

    it('keeps the steps whose own due day is in the range, leaving out stopped clocks and steps without one', async () => {
      // Unfiltered, the queue holds ready steps (no clock yet) and 983's stopped clock too.
      expect(await queue('development_reform', {})).toEqual(['981:project_filing', '982:energy_review', '983:project_filing', '984:project_filing', '985:project_filing']);
      expect(await queue('development_reform', { dueFrom: '2026-11-27', dueTo: '2026-11-30' })).toEqual(['981:project_filing', '984:project_filing']);
      expect(await queue('development_reform', { dueFrom: '2026-11-28' })).toEqual(['984:project_filing']);
      expect(await queue('natural_resources', { dueTo: '2026-11-30' })).toEqual(['982:land_prereview']);
      // 983's land pre-review is ready (no clock yet): in the queue, but it falls due in no range.
      expect(await queue('natural_resources', {})).toContain('983:land_prereview');
      expect(await queue('natural_resources', { dueFrom: '2026-01-01' })).toEqual(['981:land_prereview', '982:land_prereview']);
    });

    it.each([
      ['the whole desk', 'development_reform', undefined, {}],
      ['one state', 'development_reform', ['ready'], {}],
      ['a due range', 'natural_resources', undefined, { dueFrom: '2026-01-01' }],
      ['a due range and a state outside the running clocks', 'natural_resources', ['ready'], { dueTo: '2026-12-31' }],
    ] as const)('pages %s in the queue’s order, and its total is the number of steps it lists', async (_what, department, states, due) => {
      const whole = await repo.tasks(department, PAGE, states, due);
      const pages = [];
      for (let page = 1; page <= 3; page++) pages.push(...(await repo.tasks(department, { page, pageSize: 2 }, states, due)).items);
      expect(pages.map((t) => `${t.step.projectCode}:${t.step.stepKey}`)).toEqual(whole.items.map((t) => `${t.step.projectCode}:${t.step.stepKey}`));
      expect(whole.total).toBe(whole.items.length);
      expect((await repo.tasks(department, { page: 2, pageSize: 2 }, states, due)).total).toBe(whole.total);
    });
  });

  describe('the supervisors’ views', () => {
    const stuck = async (filter: Record<string, string>): Promise<string[]> =>
      (await supervision.listStuck(filter, CRITERIA, PAGE)).items.map((r) => r.code.slice(-3));

    it('keeps the stuck projects with an open step due in the range', async () => {
      expect(await stuck({})).toEqual(['982', '983']);
      expect(await stuck({ dueTo: '2026-11-20' })).toEqual(['982']);
      // 983 is stuck (idle) but its only open clock is stopped: it falls due in no range.
      expect(await stuck({ dueFrom: '2026-11-14' })).toEqual([]);
      expect((await supervision.listStuck({ dueTo: '2026-11-20' }, CRITERIA, PAGE)).total).toBe(1);
    });

    it('counts in the summary only the projects with a step due in the range', async () => {
      const s = await supervision.summary({ dueFrom: '2026-11-27', dueTo: '2026-11-30' }, CRITERIA);
      expect(s.projects).toBe(2);
      expect(s.byDistrict.map((d) => [d.district, d.projects])).toEqual([
        ['上虞区', 1],
        ['越城区', 1],
      ]);
      expect(s.stuck.total).toBe(0);
    });
  });

  describe('the due days on the project row', () => {
    const dueDays = async (): Promise<Record<string, string>> =>
      Object.fromEntries(((await db.query(`SELECT code, open_due_days::text AS days FROM projects ORDER BY code`)) as Array<{ code: string; days: string }>).map((r) => [r.code.slice(-3), r.days]));

    it('holds the due days of the running clocks, written with the row and filled alike by its migration', async () => {
      const written = await dueDays();
      expect(written).toEqual({
        '981': '{[2026-11-27,2026-11-28),[2026-12-04,2026-12-05)}',
        '982': '{[2026-11-13,2026-11-14)}', // its approved filing no longer falls due
        '983': '{}', // a stopped clock has no due day
        '984': '{[2026-11-30,2026-12-01)}',
        '985': '{}',
      });
      const applied = async (): Promise<boolean> => ((await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'OpenDueDays1765240000000'`)) as unknown[]).length > 0;
      while (await applied()) await db.undoLastMigration({ transaction: 'each' });
      await db.runMigrations({ transaction: 'each' });
      expect(await dueDays()).toEqual(written);
    });

    it('matches nothing for a range that ends before it starts', async () => {
      expect(await listed({ dueFrom: '2026-12-01', dueTo: '2026-11-01' })).toEqual([]);
    });
  });

  describe('why a step is held back', () => {
    it('answers blockedBy and waitsFor from the rows as the workflow’s view does', async () => {
      for (const [c, view] of views) expect(projectFromRow((await repo.findProject(c))!)).toEqual(projectFromView(view));
    });

    it('names the open dependencies of a blocked step, and the land price its land title waits for', async () => {
      const dto = projectFromRow((await repo.findProject(code(981)))!);
      const title = dto.steps.find((s) => s.key === 'land_title')!;
      expect(title).toMatchObject({
        state: 'blocked',
        blockedBy: ['land_contract'],
        waitsFor: [{ kind: 'land_price_paid', name: 'land price paid in full', nameZh: '土地出让价款缴清', satisfied: false, at: null }],
      });
      const permit = dto.steps.find((s) => s.key === 'construction_permit')!;
      expect(permit).toMatchObject({ state: 'blocked', blockedBy: ['drawing_review', 'land_title'], waitsFor: [] });
      expect(dto.steps.find((s) => s.key === 'project_filing')).toMatchObject({ blockedBy: [], waitsFor: [] });
    });

    it('keeps the land title blocked by the fact alone once its dependency is done, then satisfied when reported', async () => {
      const before = projectFromRow((await repo.findProject(code(985)))!).steps.find((s) => s.key === 'land_title')!;
      expect(before).toMatchObject({ state: 'blocked', blockedBy: [], waitsFor: [{ kind: 'land_price_paid', satisfied: false, at: null }] });

      const { state } = landTitleWaiting;
      const entries = state.applyFact({ kind: 'land_price_paid', occurredAt: at('2026-09-20T10:00:00+08:00'), reference: '缴款书 1' }, { at: at('2026-09-21T09:00:00+08:00'), actor: REGISTRAR });
      const view = toProjectView(state);
      Object.assign(view, { version: 31, lastProgressAt: at('2026-11-19T10:00:00+08:00') });
      await repo.applyProject(view, entries);
      const after = projectFromRow((await repo.findProject(code(985)))!);
      expect(after).toEqual(projectFromView(view));
      expect(after.steps.find((s) => s.key === 'land_title')).toMatchObject({
        state: 'ready',
        blockedBy: [],
        waitsFor: [{ kind: 'land_price_paid', satisfied: true, at: '2026-09-20T10:00:00.000+08:00' }],
      });

      // The work queue's row says the same, from the project's facts joined to the step.
      const task = (await repo.tasks('natural_resources', PAGE)).items.find((t) => t.step.projectCode === code(985) && t.step.stepKey === 'land_title')!;
      const fromQueue = stepFromRow(task.step, { track: task.projectTrack, definitionVersion: task.projectDefinitionVersion, facts: task.projectFacts, dependencyStates: task.dependencyStates });
      expect(fromQueue).toEqual(after.steps.find((s) => s.key === 'land_title'));
      expect(task.dependencyStates).toEqual({ land_contract: 'approved' });
    });
  });

  describe('a department’s work queue as projects close', () => {
    // Last in this file: it adds project 986, which the other examples do not know.
    it('leaves a cancelled project’s steps out of the queue and of its total', async () => {
      const before = await repo.tasks('development_reform', PAGE);
      const b = build({ n: 986, drive: [['project_filing', 'accept']], lastProgressAt: '2026-11-19T10:00:00+08:00' });
      await repo.applyProject(b.view, b.entries);
      const withOne = await repo.tasks('development_reform', PAGE);
      expect([withOne.items.length, withOne.total]).toEqual([before.items.length + 1, before.total + 1]);
      await repo.applyProject({ ...b.view, version: b.view.version + 1, status: 'cancelled' }, []);
      const after = await repo.tasks('development_reform', PAGE);
      expect([after.items.length, after.total]).toEqual([before.items.length, before.total]);
    });
  });
});
