import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDistrict, type SeedReport } from '../../scripts/seed.js';
import { LEDGER_PROJECTS, LEDGER_REPORT_CODES } from '../../scripts/seed-ledger-data.js';
import { importSeedLedger, ledgerReportProjects, SEED_LEDGER_FILE, seedLedgerCodes, type SeedLedgerOutcome } from '../../scripts/seed-ledger.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { tokenFor } from '../support/tokens.js';

interface Step {
  key: string;
  state: string;
  acceptedAt: string | null;
  decidedAt: string | null;
}
interface Project {
  code: string;
  name: string;
  investor: string | null;
  track: string;
  signedAt: string;
  investmentYuan: string | null;
  version: number;
  steps: Step[];
}

/** The day of an instant in Asia/Shanghai. */
const shanghaiDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

// What the first start does: the district's ledger imported through POST /imports (the job), then the report's projects
// driven by the seed's officers; a second start's import changes nothing.
describe('the first start: the seed ledger imported through the API, then the seed’s actions', () => {
  let stack: TestStack;
  let imported: SeedLedgerOutcome;
  let seeded: SeedReport;
  const lines: string[] = [];

  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${tokenFor('supervisor', 'project_office')}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const projects = async (): Promise<Project[]> => (await getJson<{ items: Project[] }>('/projects?pageSize=200')).items;

  beforeAll(async () => {
    stack = await startTestStack('seed-ledger', { env: { CATCH_UP_HOLD_MS: '600000' } });
    imported = await importSeedLedger(stack.baseUrl, (line) => lines.push(line));
    seeded = await seedDistrict(stack.baseUrl);
  }, 300_000);
  afterAll(async () => stack?.close());

  it('imports all 20 rows, none invalid or failed, and logs the outcome', () => {
    expect(imported).toMatchObject({ created: true, status: 'done', rows: 20, registered: 20, alreadyRegistered: 0, invalid: 0, failed: 0, problems: [] });
    expect(imported.actions).toBe(LEDGER_PROJECTS.reduce((n, p) => n + p.steps.reduce((k, s) => k + { delivered: 3, approved: 2, in_review: 1, supplement_requested: 2 }[s.state], 0), 0));
    expect(lines.at(-1)).toMatch(/20 rows — 20 registered .* 0 invalid, 0 failed$/);
  });

  it('registers the report’s projects as the seed has them and lets the seed drive their history', async () => {
    const byCode = new Map((await projects()).map((p) => [p.code, p]));
    for (const code of seedLedgerCodes()) expect(byCode.has(code)).toBe(true);
    for (const p of ledgerReportProjects()) {
      expect(byCode.get(p.code)).toMatchObject({ name: p.name, investor: p.investor, investmentYuan: p.investmentYuan, signedAt: p.signedAt, track: p.track ?? 'standard' });
    }
    const report = seeded.projects.filter((p) => LEDGER_REPORT_CODES.includes(p.code));
    expect(report).toHaveLength(LEDGER_REPORT_CODES.length);
    for (const p of report) {
      expect(p.registration).toBe('existed');
      expect(p.actions.every((a) => !a.replayed)).toBe(true);
    }
    expect(byCode.get('2022-330602-39-03-000101')!.steps.find((s) => s.key === 'groundbreaking')!.state).toBe('approved');
  });

  it('places the other projects where the ledger has them, on its days (Asia/Shanghai)', async () => {
    const byCode = new Map((await projects()).map((p) => [p.code, p]));
    for (const p of LEDGER_PROJECTS) {
      const got = byCode.get(p.code)!;
      for (const s of p.steps) {
        const step = got.steps.find((x) => x.key === s.step)!;
        expect([p.code, s.step, step.state]).toEqual([p.code, s.step, s.state]);
        expect([p.code, s.step, shanghaiDay(step.acceptedAt!)]).toEqual([p.code, s.step, s.acceptedOn]);
        if (s.decidedOn) expect([p.code, s.step, shanghaiDay(step.decidedAt!)]).toEqual([p.code, s.step, s.decidedOn]);
      }
    }
  });

  it('finds every row registered where the file says in a dry run after the seed, steps included (20 matches)', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(path.join(projectRoot(), SEED_LEDGER_FILE))]), 'district-ledger.xlsx');
    const res = await fetch(`${stack.baseUrl}/api/v1/imports`, { method: 'POST', headers: { Authorization: `Bearer ${tokenFor('officer', 'project_office')}` }, body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: Record<string, number>; rows: Array<{ differences: unknown[] }> };
    expect(body.counts).toMatchObject({ rows: 20, matches: 20, differs: 0, invalid: 0 });
  }, 60_000);

  it('changes nothing when a second start imports the same file again', async () => {
    const before = (await projects()).map((p) => [p.code, p.version]).sort();
    const again = await importSeedLedger(stack.baseUrl);
    expect(again).toMatchObject({ created: false, jobId: imported.jobId, status: 'done', registered: 20 });
    expect((await projects()).map((p) => [p.code, p.version]).sort()).toEqual(before);
  }, 60_000);
});
