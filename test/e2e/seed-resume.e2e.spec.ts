import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SeedRunRepository } from '../../libs/persistence/index.js';
import { SEED_PROJECTS } from '../../scripts/seed-data.js';
import { DEMO_SEED, runDemoSeed, seedDecision, type SeedReport } from '../../scripts/seed.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { tokenFor } from '../support/tokens.js';

interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  step: string | null;
  actor: string | null;
  comment: string | null;
}

// A seed stopped part-way resumes at the next start, and a completed one is not run again.
describe('a demo seed that finishes', () => {
  let stack: TestStack;
  let runs: SeedRunRepository;
  let partial: SeedReport;
  let resumed: SeedReport;
  const k = 3;

  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${tokenFor('supervisor', 'project_office')}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const decide = async () => {
    const total = (await getJson<{ total: number }>('/projects?pageSize=1')).total;
    const holds = ((await stack.dataSource.query(`SELECT 1 FROM "projects" WHERE "code" = $1`, [SEED_PROJECTS[0]!.code])) as unknown[]).length > 0;
    return seedDecision(await runs.find(DEMO_SEED), total, holds, true);
  };

  beforeAll(async () => {
    stack = await startTestStack('seed-resume', { env: { CATCH_UP_HOLD_MS: '1000' } });
    runs = new SeedRunRepository(stack.dataSource);
    expect((await decide()).kind).toBe('seed');
    partial = await runDemoSeed(stack.baseUrl, runs, () => undefined, { limit: k }); // stopped after k projects
    expect(await decide()).toEqual({ kind: 'resume', why: `the demo seed stopped part-way (${k} of ${SEED_PROJECTS.length} projects seeded whole): resuming` });
    resumed = await runDemoSeed(stack.baseUrl, runs);
  }, 240_000);
  afterAll(async () => stack?.close());

  it('records the part-way run, resumes it, then records completion and is not run again', async () => {
    expect(partial.projects).toHaveLength(k);
    const run = await runs.find(DEMO_SEED);
    expect(run).toMatchObject({ projectsDone: SEED_PROJECTS.length, projectsTotal: SEED_PROJECTS.length });
    expect(run!.completedAt).toBeInstanceOf(Date);
    expect((await decide()).kind).toBe('skip');
  });

  it('re-sends the first projects only as replays and registers the rest', () => {
    for (const p of resumed.projects.slice(0, k)) {
      expect(p.registration).toBe('replayed');
      expect(p.actions.every((a) => a.replayed)).toBe(true);
    }
    for (const p of resumed.projects.slice(k)) {
      expect(p.registration).toBe('created');
      expect(p.actions.some((a) => a.replayed)).toBe(false);
    }
  });

  it('leaves the district whole: every project once, every officer action on its timeline once', async () => {
    const list = await getJson<{ items: Array<{ code: string }>; total: number }>('/projects?pageSize=200');
    expect(list.items.map((p) => p.code).sort()).toEqual(SEED_PROJECTS.map((p) => p.code).sort());
    expect(list.total).toBe(SEED_PROJECTS.length);
    for (const project of SEED_PROJECTS) {
      const { items } = await getJson<{ items: TimelineEntry[] }>(`/projects/${project.code}/timeline?pageSize=200`);
      const byPeople = items.filter((e) => e.actor !== null && e.actor !== 'system');
      const keys = byPeople.map((e) => `${e.type}|${e.step}|${e.at}|${e.actor}|${e.comment}`);
      expect(new Set(keys).size).toBe(keys.length); // nothing doubled
      expect(items.filter((e) => e.type === 'project.registered')).toHaveLength(1);
      const report = resumed.projects.find((p) => p.code === project.code)!;
      expect(report.actions).toHaveLength(project.script.length); // every write of its script done
    }
  });
});
