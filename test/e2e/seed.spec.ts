import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED_PROJECTS } from '../../scripts/seed-data.js';
import { seedDistrict, seedIsNeeded, type SeedReport } from '../../scripts/seed.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { tokenFor } from '../support/tokens.js';

interface Step {
  key: string;
  decidedAt: string | null;
  stage: string;
  state: string;
  waiverDueOn: string | null;
  comment: string | null;
}
interface Project {
  code: string;
  track: string;
  name: string;
  district: string;
  signedAt: string;
  investmentYuan: string | null;
  stage: string;
  status: string;
  version: number;
  steps: Step[];
}
interface TimelineEntry {
  seq: number;
  type: string;
  step: string | null;
  comment: string | null;
}

const DONE = new Set(['approved', 'waived']);
/** The 2022 projects of the seed left stuck past their limits (red). */
const STUCK_2022 = ['2022-330602-25-03-000304', '2022-330602-26-03-000106', '2022-330602-38-03-000103', '2022-330602-39-03-000104', '2022-330602-39-03-000105', '2022-330602-73-03-000107'];

describe('demo seed: the district of the 2022 report', () => {
  let stack: TestStack;
  let first: SeedReport;
  let seededAt = 0;

  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${tokenFor('supervisor', 'project_office')}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const projects = async (): Promise<Project[]> => {
    const list = await getJson<{ items: Project[]; total: number }>('/projects?pageSize=200');
    expect(list.total).toBe(list.items.length);
    return list.items;
  };
  const timeline = (code: string): Promise<{ items: TimelineEntry[]; total: number }> => getJson(`/projects/${code}/timeline?pageSize=200`);

  // What a supervisor reads right after the seed, with no wait: the read model's red projects, the stuck list, the summary.
  let redRightAfter: Array<Omit<Project, 'steps'> & { light: string; steps: Array<Step & { light: string | null; statutoryOverdue: boolean }> }> = [];
  let stuckRightAfter: { items: Array<{ code: string; light: string; statutoryOverdueSteps: Array<{ step: string }>; reasons: Array<{ kind: string }> }>; total: number } = { items: [], total: 0 };
  let summaryRightAfter: { stuck: { total: number; statutoryOverdue: number; overdue: number }; statutoryOverdue: { total?: number } } | null = null;

  beforeAll(async () => {
    // The notices of the 2022 records wait the catch-up hold (10 min here, so none comes during these tests); the
    // lights, flags and deemed acceptances they make true do not wait.
    stack = await startTestStack('seed', { env: { CATCH_UP_HOLD_MS: '600000' } });
    expect(await seedIsNeeded(stack.baseUrl)).toBe(true);
    first = await seedDistrict(stack.baseUrl);
    seededAt = Date.now();
    [redRightAfter, stuckRightAfter, summaryRightAfter] = await Promise.all([
      getJson<{ items: typeof redRightAfter }>('/projects?light=red&pageSize=200').then((l) => l.items),
      getJson<typeof stuckRightAfter>('/supervision/stuck?pageSize=100'),
      getJson<NonNullable<typeof summaryRightAfter>>('/supervision/summary'),
    ]);
  }, 180_000);
  afterAll(async () => stack?.close());

  it('shows the stuck 2022 projects red, their statutory-overdue steps flagged, on the stuck list and in the summary, with no wait', () => {
    const stuck2022 = redRightAfter.filter((p) => p.code.startsWith('2022-'));
    expect(stuck2022.map((p) => p.code).sort()).toEqual(STUCK_2022);
    for (const p of redRightAfter) expect(p.steps.some((s) => s.light === 'red')).toBe(true);
    // Open steps past their statutory limit (a decided step keeps its flag as history; the list shows the open ones).
    const open = new Set(['received', 'in_review', 'supplement_requested']);
    const flagged = redRightAfter.flatMap((p) => p.steps.filter((s) => s.statutoryOverdue && open.has(s.state)).map((s) => `${p.code}/${s.key}`));
    expect(flagged.length).toBeGreaterThan(0);
    // The stuck list names every red project, with its statutory-overdue steps apart.
    const onList = new Map(stuckRightAfter.items.map((i) => [i.code, i]));
    for (const p of redRightAfter) expect(onList.get(p.code)?.reasons.map((r) => r.kind)).toContain('overdue');
    const listed = stuckRightAfter.items.flatMap((i) => i.statutoryOverdueSteps.map((s) => `${i.code}/${s.step}`));
    expect(listed.filter((f) => onList.get(f.split('/')[0]!)?.light === 'red').sort()).toEqual(flagged.sort());
    expect(summaryRightAfter!.stuck.overdue).toBe(redRightAfter.length);
    expect(summaryRightAfter!.stuck.statutoryOverdue).toBe(new Set(listed.map((f) => f.split('/')[0])).size);
    expect(summaryRightAfter!.stuck.total).toBe(stuckRightAfter.total);
  });

  it('registers every project of the report with a 330602 code and a 2022 signing date (the bonded zone: 2021)', async () => {
    expect(await seedIsNeeded(stack.baseUrl)).toBe(false);
    const items = await projects();
    expect(items.map((p) => p.code).sort()).toEqual(SEED_PROJECTS.map((p) => p.code).sort());
    for (const p of items) {
      const year = p.track === 'bonded_zone' ? '2021' : '2022'; // the zone's year of 当年开工、当年竣工、当年验收
      expect(p.code).toMatch(new RegExp(`^${year}-330602-\\d{2}-0[123]-\\d{6}$`));
      expect(p.code).toHaveLength(24);
      expect(p.signedAt).toMatch(new RegExp(`^${year}-\\d{2}-\\d{2}$`));
      expect(p.district).toBe('越城区');
      expect(p.investmentYuan).toMatch(/^[1-9]\d*$/);
    }
    expect(first.projects.every((p) => p.registration === 'created' && p.actions.every((a) => !a.replayed))).toBe(true);
    const byd = items.find((p) => p.name.startsWith('比亚迪半导体'))!;
    expect(byd.investmentYuan).toBe('10000000000');
    expect(items.some((p) => p.name.includes('1亿美元') && p.name.includes('待核实'))).toBe(true);
    expect(SEED_PROJECTS.every((p) => p.seedChoices.length > 0)).toBe(true);
  });

  it('shows a living district: approved, returned-then-resubmitted, waived, suspended, a spread of stages', async () => {
    const items = await projects();
    const steps = items.flatMap((p) => p.steps.map((s) => ({ ...s, project: p.code })));
    expect(steps.filter((s) => s.state === 'approved').length).toBeGreaterThan(20);

    const waived = steps.filter((s) => s.state === 'waived');
    expect(waived).toHaveLength(1);
    expect(waived[0]!.waiverDueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(waived[0]!.comment).toContain('容缺');

    const suspended = items.filter((p) => p.status === 'suspended');
    expect(suspended).toHaveLength(1);
    const suspendedTimeline = await timeline(suspended[0]!.code);
    expect(suspendedTimeline.items.find((e) => e.type === 'project.suspended')?.comment).toMatch(/听证|专家/);

    let roundTrips = 0;
    for (const p of items) {
      const { items: entries } = await timeline(p.code);
      for (const returned of entries.filter((e) => e.type === 'step.returned')) {
        expect(returned.comment).toMatch(/^请补正/);
        const resubmitted = entries.find((e) => e.type === 'step.resubmitted' && e.step === returned.step && e.seq > returned.seq);
        if (resubmitted) roundTrips += 1;
      }
    }
    expect(roundTrips).toBeGreaterThanOrEqual(1);

    // BYD: groundbreaking in August 2022, 80 days after its land contract ("on time" of the 90-day promise);
    // phase I works finished in November 2023, so it waits for joint acceptance.
    const byd = items.find((p) => p.code === '2022-330602-39-03-000101')!;
    expect(byd).toMatchObject({ status: 'active', stage: 'joint_acceptance' });
    expect(byd.steps.find((s) => s.key === 'groundbreaking')!.state).toBe('approved');
    expect(byd.steps.find((s) => s.key === 'completion')!.decidedAt).toMatch(/^2023-12-15T/);

    // The bonded zone of the report: started, completed and accepted in 2021, every milestone kept.
    const zone = items.find((p) => p.track === 'bonded_zone')!;
    expect(zone).toMatchObject({ code: '2021-330602-59-01-000201', status: 'completed', stage: 'operation' });
    expect(zone.steps.find((s) => s.key === 'customs_joint_acceptance')!.decidedAt).toMatch(/^2021-09-28T/);
    const stages = new Set(items.map((p) => p.stage));
    expect(stages.has('land_supply')).toBe(true);
    expect(stages.has('permits')).toBe(true);
  });

  it('shows the statutory rules on the seeded district: an extension, an excluded period, a deemed acceptance, government time', async () => {
    interface StatutoryStep extends Step {
      extension: { workingDays: number; by: string } | null;
      clockStops: Array<{ reason: string; kind?: string; noticeOn?: string }>;
      deemedAccepted: boolean;
      receivedAt: string | null;
      acceptedAt: string | null;
    }
    const detail = () => getJson<Omit<Project, 'steps'> & { steps: StatutoryStep[]; governmentTime: { workingDays: number; promises: Array<{ key: string }> } | null }>('/projects/2022-330602-39-03-000104');
    // The EIA report was received in 2022 and neither accepted nor returned: it counts as accepted on receipt, in the
    // very answer that recorded the receipt (a fact about the past, not held like a notice).
    const chip = await detail();
    const eia = chip.steps.find((s) => s.key === 'eia_approval')!;
    expect(eia).toMatchObject({ state: 'in_review', deemedAccepted: true });
    expect(eia.acceptedAt).toBe(eia.receivedAt);
    expect(eia.receivedAt).toMatch(/^2022-/);
    const energy = chip.steps.find((s) => s.key === 'energy_review')!;
    expect(energy.extension).toMatchObject({ workingDays: 10, by: 'drc-head' });
    expect(energy.clockStops).toEqual([expect.objectContaining({ reason: 'excluded_period', kind: 'expert_review' })]);
    const { items: entries } = await timeline('2022-330602-39-03-000104');
    expect(entries.map((e) => e.type)).toEqual(expect.arrayContaining(['step.excluded', 'step.exclusion_ended', 'step.extended', 'applicant.notified', 'step.deemed_accepted']));

    // Government time per project, and summed in the summary.
    const items = (await projects()) as Array<Project & { governmentTime: { workingDays: number } | null }>;
    for (const p of items.filter((x) => x.track === 'standard')) expect(p.governmentTime?.workingDays).toBeGreaterThan(0);
    const summary = await getJson<{ governmentTime: { projects: number; workingDaysTotal: number; byPromise: Array<{ key: string; projects: number; exceeded: number }> } }>('/supervision/summary');
    const running = items.filter((p) => p.status === 'active' || p.status === 'suspended');
    expect(summary.governmentTime.projects).toBe(running.length);
    expect(summary.governmentTime.workingDaysTotal).toBe(running.reduce((n, p) => n + (p.governmentTime?.workingDays ?? 0), 0));
    expect(summary.governmentTime.byPromise.map((p) => p.key)).toEqual(['pre_groundbreaking', 'whole_process']);
  }, 30_000);

  it('leaves the land steps of SMIC Shaoxing phase II open (land still to be started)', async () => {
    const smic = (await projects()).find((p) => p.name.includes('中芯越州二期'))!;
    expect(smic.stage).toBe('land_supply');
    const land = smic.steps.filter((s) => s.stage === 'land_supply');
    expect(land.length).toBeGreaterThan(0);
    expect(land.every((s) => !DONE.has(s.state))).toBe(true);
    expect(smic.steps.find((s) => s.key === 'land_auction')!.state).toBe('ready');
  });

  it('has no second effect when run again', async () => {
    // The seed's state is settled in its answers; the held notices come only after the 10-minute hold.
    expect(Date.now() - seededAt).toBeLessThan(600_000);
    const before = await projects();
    const totals = new Map<string, number>();
    for (const p of before) totals.set(p.code, (await timeline(p.code)).total);

    const again = await seedDistrict(stack.baseUrl);
    expect(again.projects.every((p) => p.registration === 'replayed')).toBe(true);
    expect(again.projects.every((p) => p.actions.every((a) => a.replayed))).toBe(true);
    // Stage and status as the first run left them; versions as they stood just before this run.
    expect(again.projects.map((p) => [p.code, p.stage, p.status])).toEqual(first.projects.map((p) => [p.code, p.stage, p.status]));
    expect(again.projects.map((p) => [p.code, p.version]).sort()).toEqual(before.map((p) => [p.code, p.version]).sort());

    const after = await projects();
    expect(after.map((p) => [p.code, p.version]).sort()).toEqual(before.map((p) => [p.code, p.version]).sort());
    for (const p of after) expect((await timeline(p.code)).total).toBe(totals.get(p.code));
  }, 60_000);
});
