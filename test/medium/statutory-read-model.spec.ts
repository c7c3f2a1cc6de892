import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { projectFromRow, projectFromView, type LedgerContext } from '../../apps/api/src/projects/project.mapper.js';
import { WorkingDayCalendar } from '../../libs/calendar/index.js';
import {
  getTrackDefinition,
  latestTrackDefinition,
  ProjectState,
  toProjectView,
  type Actor,
  type GovernmentTime,
  type ProjectView,
  type TimelineEntry,
  type TrackDefinition,
  promiseStatus,
  stuckReasons,
} from '../../libs/domain/index.js';
import { ProjectReadModelRepository, SupervisionRepository, type StuckRow } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';
import { plannedDeadline } from '../support/deadlines.js';

/*
 * Issue 7 in the read model: the statutory tier, receipt and deemed acceptance, extensions, certificates,
 * expiry clocks, facts and government time written by ProjectReadModelRepository.applyProject (as the
 * workflow's activity writes them) and read back by the API's mapper and the supervisors' views.
 *
 * Dates are counted to AS_OF 2026-11-20 (a Friday) on the official 2026 calendar: (6 Nov, 20 Nov] holds 10
 * working days, (13 Nov, 20 Nov] 5, (30 Sep, 20 Nov] 33 (National Day 1–7 October off, Saturday 10 October
 * a make-up working day).
 */

const AS_OF = '2026-11-20';
const calendar = WorkingDayCalendar.official();
const ctx: LedgerContext = { calendar, today: AS_OF };
/** Idle before 9 November (10 working days to 20 November); every project here progressed later. */
const CRITERIA = { idleBefore: new Date('2026-11-09T00:00:00+08:00') };
const PAGE = { page: 1, pageSize: 20 };

const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const DRC_OFFICER: Actor = { id: 'drc-li', department: 'development_reform', roles: ['officer'] };
const DRC_HEAD: Actor = { id: 'drc-head-wu', department: 'development_reform', roles: ['department_head'] };
const NR_OFFICER: Actor = { id: 'nr-zhao', department: 'natural_resources', roles: ['officer'] };

const code = (n: number): string => `2026-330602-39-03-${String(n).padStart(6, '0')}`;
const at = (local: string): string => new Date(local).toISOString();

const deadline = plannedDeadline;

/** Government time as the workflow records it, its promises measured against the definition's. */
function governmentTime(def: TrackDefinition, workingDays: number, perStep: Record<string, number>): GovernmentTime {
  return {
    asOf: AS_OF,
    workingDays,
    stepWorkingDaysTotal: Object.values(perStep).reduce((a, b) => a + b, 0),
    perStep,
    promises: (def.governmentTimePromises ?? []).map((p) => promiseStatus(p, workingDays)),
  };
}

interface Built {
  view: ProjectView;
  entries: TimelineEntry[];
}

/** Registers a project on `def` and lets `drive` act on it; the view is taken after. */
function build(def: TrackDefinition, n: number, drive: (state: ProjectState, entries: TimelineEntry[]) => void, route: 'filing' | 'approval' = 'filing'): Built {
  const { state, entries } = ProjectState.register(
    def,
    { code: code(n), name: `法定时限测试项目 ${n}`, track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2026-09-01', approvalRoute: route },
    { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
  );
  drive(state, entries);
  return { view: toProjectView(state), entries };
}

const stepOf = (v: ProjectView, key: string) => v.steps.find((s) => s.key === key)!;

describe('statutory fidelity in the read model (issue 7)', () => {
  let db: DataSource;
  let repo: ProjectReadModelRepository;
  let supervision: SupervisionRepository;
  const v3 = latestTrackDefinition('standard');
  const views = new Map<string, ProjectView>();

  const write = async (b: Built, version = 40): Promise<void> => {
    b.view.version = version;
    views.set(b.view.code, b.view);
    await repo.applyProject(b.view, b.entries);
  };

  beforeAll(async () => {
    db = (await createTestDatabase('statutory_read_model')).dataSource;
    repo = new ProjectReadModelRepository(db);
    supervision = new SupervisionRepository(db);

    // 951 (核准): project filing received, accepted, extended by the head, approved and its certificate delivered;
    // land pre-review deemed accepted on receipt, past its published limit (red) and its statutory one.
    const a = build(
      v3,
      951,
      (state, entries) => {
        entries.push(...state.applyStepAction('project_filing', { action: 'receive' }, { at: at('2026-09-02T09:00:00+08:00'), actor: DRC_OFFICER }));
        entries.push(...state.applyStepAction('project_filing', { action: 'accept' }, { at: at('2026-09-03T09:00:00+08:00'), actor: DRC_OFFICER }));
        entries.push(
          ...state.applyStepAction(
            'project_filing',
            { action: 'extend', extensionWorkingDays: 30, comment: 'expert review of the energy assessment', noticeOn: '2026-09-21' },
            { at: at('2026-09-21T10:00:00+08:00'), actor: DRC_HEAD },
          ),
        );
        entries.push(...state.applyStepAction('project_filing', { action: 'approve' }, { at: at('2026-10-20T15:00:00+08:00'), actor: DRC_OFFICER }));
        entries.push(...state.applyStepAction('project_filing', { action: 'deliver' }, { at: at('2026-10-22T11:00:00+08:00'), actor: DRC_OFFICER }));
        entries.push(...state.applyStepAction('land_prereview', { action: 'accept' }, { at: at('2026-09-04T09:00:00+08:00'), actor: NR_OFFICER }));
        state.applyGovernmentTime(governmentTime(v3, 40, { project_filing: 22, land_prereview: 40 }));
      },
      'approval',
    );
    Object.assign(stepOf(a.view, 'land_prereview'), {
      receivedAt: at('2026-09-04T09:00:00+08:00'),
      deemedAccepted: true,
      deadline: deadline('2026-10-16', '2026-11-13'),
      light: 'red',
      statutoryOverdue: true,
    });
    Object.assign(a.view, {
      light: 'red',
      overdueSteps: 1,
      statutoryOverdueSteps: 1,
      lastProgressAt: at('2026-11-18T10:00:00+08:00'),
    });
    await write(a);

    // 952: project filing red since 30 September (earlier than any red of 951) but within its statutory limit.
    const b = build(v3, 952, (state, entries) => {
      entries.push(...state.applyStepAction('project_filing', { action: 'accept' }, { at: at('2026-09-02T09:00:00+08:00'), actor: DRC_OFFICER }));
      state.applyGovernmentTime(governmentTime(v3, 95, { project_filing: 95 }));
    });
    Object.assign(stepOf(b.view, 'project_filing'), { deadline: deadline('2026-09-30', '2026-12-15'), light: 'red' });
    Object.assign(b.view, {
      light: 'red',
      overdueSteps: 1,
      lastProgressAt: at('2026-11-19T10:00:00+08:00'),
    });
    await write(b);

    // 953: land pre-review past its statutory limit since 6 November (the earliest), project filing approved
    // after its statutory limit had passed (history: no longer stuck for it); no government time yet.
    const c = build(v3, 953, (state, entries) => {
      entries.push(...state.applyStepAction('project_filing', { action: 'accept' }, { at: at('2026-09-02T09:00:00+08:00'), actor: DRC_OFFICER }));
      entries.push(...state.applyStepAction('land_prereview', { action: 'accept' }, { at: at('2026-09-02T09:00:00+08:00'), actor: NR_OFFICER }));
      entries.push(...state.applyStepAction('project_filing', { action: 'approve' }, { at: at('2026-11-02T09:00:00+08:00'), actor: DRC_OFFICER }));
    });
    Object.assign(stepOf(c.view, 'project_filing'), { statutoryOverdue: true });
    Object.assign(stepOf(c.view, 'land_prereview'), { deadline: deadline('2026-10-09', '2026-11-06'), light: 'red', statutoryOverdue: true });
    Object.assign(c.view, { light: 'red', overdueSteps: 1, statutoryOverdueSteps: 1, lastProgressAt: at('2026-11-17T10:00:00+08:00') });
    await write(c);

    // 954: nothing wrong, progressed yesterday.
    const d = build(v3, 954, () => undefined);
    Object.assign(d.view, { lastProgressAt: at('2026-11-19T16:00:00+08:00') });
    Object.assign(stepOf(d.view, 'land_prereview'), { waiverDueOn: '2026-12-31' }); // a date column read back as the day
    await write(d);
  }, 60_000);
  afterAll(async () => db?.destroy());

  describe('project detail', () => {
    it('answers the same DTO from the read model as from the workflow, with every new field', async () => {
      for (const [c, view] of views) {
        const row = (await repo.findProject(c))!;
        expect(projectFromRow(row, ctx)).toEqual(projectFromView(view, ctx));
      }
    });

    it('answers each project in the list (its steps read in one statement for the page) as its detail does', async () => {
      const { items } = await repo.listProjects({}, { page: 1, pageSize: 100 });
      expect(items.map((p) => p.code).sort()).toEqual([...views.keys()].sort());
      for (const item of items) {
        expect(item.steps.map((s) => s.stepKey)).toEqual(views.get(item.code)!.steps.map((s) => s.key));
        expect(projectFromRow(item, ctx)).toEqual(projectFromRow((await repo.findProject(item.code))!, ctx));
        expect(projectFromRow(item, ctx)).toEqual(projectFromView(views.get(item.code)!, ctx));
      }
      const waived = items.find((p) => p.code === code(954))!;
      expect(projectFromRow(waived, ctx).steps.find((s) => s.key === 'land_prereview')!.waiverDueOn).toBe('2026-12-31');
    });

    it('shows the extension, the delivered certificate, the 核准 expiry clock, receipt and deemed acceptance', async () => {
      const dto = projectFromRow((await repo.findProject(code(951)))!, ctx);
      expect(dto.approvalRoute).toBe('approval');
      expect(dto.statutoryOverdueSteps).toBe(1);
      const filing = dto.steps.find((s) => s.key === 'project_filing')!;
      expect(filing).toMatchObject({
        receivedAt: '2026-09-02T09:00:00.000+08:00',
        acceptedAt: '2026-09-03T09:00:00.000+08:00',
        deemedAccepted: false,
        extensionCap: { value: 40, source: expect.stringContaining('Art. 10') },
        extension: { workingDays: 30, cap: 40, at: '2026-09-21T10:00:00.000+08:00', by: 'drc-head-wu', applicantNotifiedOn: '2026-09-21', approvalRef: null },
        certificate: { nameZh: '核准文件/备案证明', deliveredAt: '2026-10-22T11:00:00.000+08:00' },
        governmentWorkingDays: 22,
        statutoryOverdue: false,
      });
      expect(filing.state).toBe('delivered');
      expect(dto.expiries).toEqual([
        expect.objectContaining({ key: 'project_approval_validity', nameZh: '核准文件有效期（2年内开工）', step: 'project_filing', lapsed: false, renewals: [], renewalsAllowed: 1 }),
      ]);
      const prereview = dto.steps.find((s) => s.key === 'land_prereview')!;
      expect(prereview).toMatchObject({
        receivedAt: '2026-09-04T09:00:00.000+08:00',
        deemedAccepted: true,
        dueOn: '2026-10-16',
        statutoryDueOn: '2026-11-13',
        statutoryDueAt: '2026-11-14T00:00:00.000+08:00',
        statutoryOverdue: true,
        light: 'red',
        extension: null,
        extensionCap: { value: 10 },
      });
      expect(dto.governmentTime).toMatchObject({
        workingDays: 40,
        perStep: { project_filing: 22, land_prereview: 40 },
        promises: [
          { key: 'pre_groundbreaking', nameZh: '开工前审批最多100天', limit: 100, usedWorkingDays: 40, exceeded: false },
          { key: 'whole_process', nameZh: '全流程审批最多90天', limit: 90, usedWorkingDays: 40, exceeded: false },
        ],
      });
    });

    it("counts the head's extension in the ledger: 20 working days published + 30 extended, not overdue at the decision", async () => {
      const filing = projectFromRow((await repo.findProject(code(951)))!, ctx).steps.find((s) => s.key === 'project_filing')!;
      const used = calendar.workingDaysBetween('2026-09-03', '2026-10-20');
      expect(used).toBeGreaterThan(20); // past the published 20 working days without the extension
      expect(filing.ledger).toEqual({ asOf: '2026-10-20', usedDays: used, usedWorkingDays: used, remainingWorkingDays: 50 - used, clockStoppedDays: 0, overdueWorkingDays: 0 });
    });

    it('shows both tiers of a step whose statute leaves the unit open (EIA: 15 working days published, 60 日 statutory)', async () => {
      const eia = projectFromRow((await repo.findProject(code(954)))!, ctx).steps.find((s) => s.key === 'eia_approval')!;
      expect(eia).toMatchObject({
        limit: { value: 15, unit: 'working_days' },
        limitUnitAsWritten: '日',
        statutoryLimit: { value: 60, unit: 'calendar_days', unitAsWritten: '日', confidence: 'high', source: expect.stringContaining('环境影响评价法 Art. 22') },
        certificate: { nameZh: '环评批复', dueOn: null, deliveredAt: null, outcome: null, light: null },
        jointGroup: null,
      });
    });

    it('keeps the new columns when an older write arrives late', async () => {
      const view = structuredClone(views.get(code(951))!);
      view.version = 39;
      view.statutoryOverdueSteps = 0;
      stepOf(view, 'land_prereview').statutoryOverdue = false;
      view.governmentTime = null;
      expect(await repo.applyProject(view, [])).toEqual({ applied: false, timelineInserted: 0 });
      const row = (await repo.findProject(code(951)))!;
      expect({ steps: row.statutoryOverdueSteps, days: row.governmentWorkingDays, flag: row.steps.find((s) => s.stepKey === 'land_prereview')!.statutoryOverdue }).toEqual({
        steps: 1,
        days: 40,
        flag: true,
      });
    });

    it('reads a row written before issue 7 (no statutory document) as its definition implies: statutory = published limit, Art. 42 cap', async () => {
      const legacy = build(getTrackDefinition('standard', 2), 960, (state, entries) => {
        entries.push(...state.applyStepAction('project_filing', { action: 'accept' }, { at: at('2026-09-02T09:00:00+08:00'), actor: DRC_OFFICER }));
      });
      await write(legacy);
      await db.query(`UPDATE project_steps SET statutory = NULL WHERE project_code = $1`, [code(960)]);
      const dto = projectFromRow((await repo.findProject(code(960)))!, ctx);
      expect(dto).toEqual(projectFromView(legacy.view, ctx));
      expect(dto.steps[0]).toMatchObject({ limit: { value: 20, unit: 'working_days' }, statutoryLimit: { value: 20, unit: 'working_days' }, extensionCap: { value: 10 }, certificate: null });
      await db.query(`DELETE FROM projects WHERE code = $1`, [code(960)]);
      await supervision.recountSummary(); // a row deleted by hand: the summary's counters are recounted
      views.delete(code(960));
    });
  });

  describe('stuck list', () => {
    const stuckRows = async (kind?: 'statutory_overdue' | 'overdue'): Promise<StuckRow[]> => (await supervision.listStuck({ kind }, CRITERIA, PAGE)).items;

    it('puts projects with a step past its statutory limit first, earliest statutory deadline first, before merely red ones', async () => {
      const rows = await stuckRows();
      expect(rows.map((r) => r.code)).toEqual([code(953), code(951), code(952)]);
      expect(rows.map((r) => [r.statutoryOverdue, r.overdue])).toEqual([
        [true, true],
        [true, true],
        [false, true],
      ]);
    });

    it('lists the statutory-overdue steps apart, with department and statutory due date, and gives the graver reason first', async () => {
      const [c, a, b] = await stuckRows();
      expect(c!.statutorySteps).toEqual([
        { step: 'land_prereview', name: 'Land pre-review and site selection', department: 'natural_resources', state: 'in_review', statutoryDueOn: '2026-11-06', statutoryDueAt: expect.any(String) },
      ]);
      expect(new Date(c!.statutorySteps[0]!.statutoryDueAt!).toISOString()).toBe('2026-11-06T16:00:00.000Z');
      expect(a!.statutorySteps.map((s) => [s.step, s.statutoryDueOn])).toEqual([['land_prereview', '2026-11-13']]);
      expect(b!.statutorySteps).toEqual([]);
      expect(stuckReasons(c!, calendar, AS_OF).map((r) => [r.kind, r.step, r.department, r.workingDays])).toEqual([
        ['statutory_overdue', 'land_prereview', 'natural_resources', 10],
        ['overdue', 'land_prereview', 'natural_resources', 31],
      ]);
      expect(stuckReasons(a!, calendar, AS_OF).map((r) => [r.kind, r.step, r.workingDays])).toEqual([
        ['statutory_overdue', 'land_prereview', 5],
        ['overdue', 'land_prereview', 25],
      ]);
      expect(stuckReasons(b!, calendar, AS_OF).map((r) => r.kind)).toEqual(['overdue']);
    });

    it('filters by kind statutory_overdue', async () => {
      expect((await stuckRows('statutory_overdue')).map((r) => r.code)).toEqual([code(953), code(951)]);
      expect((await stuckRows('overdue')).map((r) => r.code)).toEqual([code(953), code(951), code(952)]);
    });
  });

  describe('summary', () => {
    it('counts the projects and steps past the statutory limit apart, in total and by department', async () => {
      const s = await supervision.summary({}, CRITERIA);
      expect(s.projects).toBe(4);
      expect(s.stuck).toEqual({ total: 3, statutoryOverdue: 2, overdue: 3, idle: 0, atRisk: 0 });
      expect(s.statutoryOverdue).toEqual({ projects: 2, steps: 2, byDepartment: [{ department: 'natural_resources', steps: 2, projects: 2 }] });
    });

    it('sums government time over the projects that have it, with the average and who exceeded each promise', async () => {
      const s = await supervision.summary({}, CRITERIA);
      expect(s.governmentTime).toEqual({
        projects: 2,
        workingDaysTotal: 135,
        workingDaysAverage: 67.5,
        byPromise: [
          { key: 'pre_groundbreaking', name: 'Approvals before groundbreaking within 100 days', nameZh: '开工前审批最多100天', projects: 2, exceeded: 0 },
          { key: 'whole_process', name: 'Whole process to joint acceptance within 90 days', nameZh: '全流程审批最多90天', projects: 2, exceeded: 1 },
        ],
      });
    });

    it('applies the filters to both blocks', async () => {
      const s = await supervision.summary({ kind: 'statutory_overdue' }, CRITERIA);
      expect(s.projects).toBe(2);
      expect(s.statutoryOverdue).toMatchObject({ projects: 2, steps: 2 });
      expect(s.governmentTime).toMatchObject({ projects: 1, workingDaysTotal: 40, workingDaysAverage: 40 });
      const none = await supervision.summary({ district: '上虞区' }, CRITERIA);
      expect({ so: none.statutoryOverdue, gt: none.governmentTime }).toEqual({
        so: { projects: 0, steps: 0, byDepartment: [] },
        gt: { projects: 0, workingDaysTotal: 0, workingDaysAverage: null, byPromise: [] },
      });
    });
  });
});

describe('migration StatutoryFidelity1764900000000', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = (await createTestDatabase('statutory_migration')).dataSource;
  }, 60_000);
  afterAll(async () => db?.destroy());

  const columns = async (table: string): Promise<string[]> =>
    ((await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`, [table])) as Array<{ column_name: string }>).map((r) => r.column_name);
  const NEW_PROJECT_COLUMNS = ['approval_route', 'expiries', 'facts', 'government_time', 'government_working_days', 'statutory_overdue_steps'];
  const NEW_STEP_COLUMNS = ['clock_input', 'deemed_accepted', 'delivered_at', 'government_working_days', 'received_at', 'statutory', 'statutory_due_at', 'statutory_due_on', 'statutory_overdue'];

  it('reverts cleanly (down) and applies again (up)', async () => {
    const applied = async (): Promise<boolean> =>
      ((await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'StatutoryFidelity1764900000000'`)) as unknown[]).length > 0;
    const added = async (): Promise<string[]> =>
      [...(await columns('projects')).filter((c) => NEW_PROJECT_COLUMNS.includes(c)), ...(await columns('project_steps')).filter((c) => NEW_STEP_COLUMNS.includes(c))];
    expect(await added()).toHaveLength(NEW_PROJECT_COLUMNS.length + NEW_STEP_COLUMNS.length);
    while (await applied()) await db.undoLastMigration({ transaction: 'each' }); // later migrations first, if any
    expect(await added()).toEqual([]);
    await db.runMigrations({ transaction: 'each' });
    expect(await added()).toHaveLength(NEW_PROJECT_COLUMNS.length + NEW_STEP_COLUMNS.length);
  });
});
