import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { ImportsService } from '../../../apps/api/src/imports/imports.service.js';
import type { ProjectReadModelRepository } from '../../../libs/persistence/index.js';
import { LEDGER_PROJECTS } from '../../../scripts/seed-ledger-data.js';
import { buildSeedLedger, ledgerDataProblems, ledgerReportProjects, seedLedgerCodes, seedLedgerPath } from '../../../scripts/seed-ledger.js';

/** The import's dry run over an empty district (the read model answers no project). */
const dryRun = (bytes: Buffer) =>
  new ImportsService({ findProjects: async () => new Map() } as unknown as ProjectReadModelRepository).dryRun({ buffer: bytes, originalname: 'district-ledger.xlsx', mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });

describe('the seed ledger (seed/district-ledger.xlsx)', () => {
  it('reads as 20 projects to create, none invalid, the report’s projects among them, their positions from 事项明细', async () => {
    const report = await dryRun(await readFile(seedLedgerPath()));
    expect(report.fileProblems).toEqual([]);
    expect(report.counts).toEqual({ rows: 20, create: 20, matches: 0, differs: 0, invalid: 0 });
    expect(report).toMatchObject({ format: 'xlsx', sheet: '台账', stepsSheet: '事项明细', headerRow: 3 });
    expect(report.ignoredColumns).toEqual(['序号', '牵头部门', '备注']);
    expect(report.rows.map((r) => r.code)).toEqual(seedLedgerCodes());
    // The report's projects keep their codes, names, amounts, days and tracks; their history is the seed's actions.
    for (const p of ledgerReportProjects()) {
      const row = report.rows.find((r) => r.code === p.code)!;
      expect(row.project).toMatchObject({ name: p.name, investmentYuan: p.investmentYuan, signedAt: p.signedAt, track: p.track ?? 'standard', district: '越城区' });
      expect(row.position).toEqual([]);
    }
    // The others as the office typed them: 2024/11/8, 2025年1月15日, "150,000" (万元) read exactly.
    const byCode = new Map(report.rows.map((r) => [r.code, r]));
    expect(byCode.get('2024-330602-26-03-000307')!.project).toMatchObject({ signedAt: '2024-11-08', investmentYuan: '850000000' });
    expect(byCode.get('2025-330602-17-03-000312')!.project).toMatchObject({ signedAt: '2025-01-15', investmentYuan: '1500000000' });
    expect(byCode.get('2024-330602-59-01-000202')!.project).toMatchObject({ track: 'bonded_zone' });
    for (const p of LEDGER_PROJECTS) expect(byCode.get(p.code)!.position).toHaveLength(p.steps.length);
  });

  it('is the workbook its data builds, and the data is importable whole (working days, dependencies before dependents)', async () => {
    expect(ledgerDataProblems()).toEqual([]);
    const rebuilt = await dryRun(await buildSeedLedger());
    const committed = await dryRun(await readFile(seedLedgerPath()));
    expect(rebuilt.rows).toEqual(committed.rows);
  });

  it('finds a step dated before the one it depends on', () => {
    const bad = { ...LEDGER_PROJECTS[0]!, steps: [{ step: 'land_auction', state: 'in_review' as const, acceptedOn: '2024-11-12' }] };
    expect(ledgerDataProblems([bad])).toEqual([expect.stringContaining('land_auction accepted 2024-11-12 before land_prereview was decided (never)')]);
  });
});
