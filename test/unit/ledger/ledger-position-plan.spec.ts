import { describe, expect, it } from '@jest/globals';
import { latestTrackDefinition } from '../../../libs/domain/index.js';
import { readCsvLedger } from '../../../libs/ledger/ledger-csv.js';
import { readLedgerImport } from '../../../libs/ledger/ledger-import-rows.js';
import { planPosition } from '../../../libs/ledger/ledger-position-plan.js';
import type { LedgerTable } from '../../../libs/ledger/ledger-table.js';

const STANDARD = latestTrackDefinition('standard');

describe(planPosition.name, () => {
  it('registers at 09:00 of the signing day and orders actions by day, then definition order, acceptance before decision', () => {
    const plan = planPosition(
      '2022-03-05',
      [
        { row: 3, step: 'land_prereview', state: 'in_review', acceptedOn: '2022-03-05', decidedOn: null },
        { row: 2, step: 'project_filing', state: 'approved', acceptedOn: '2022-03-05', decidedOn: '2022-03-10' },
        { row: 4, step: 'eia_approval', state: 'waived', acceptedOn: null, decidedOn: '2022-03-10' },
      ],
      STANDARD,
    );
    expect(plan).toEqual({
      registeredAt: '2022-03-05T09:00:00+08:00',
      actions: [
        { step: 'project_filing', action: 'accept', occurredAt: '2022-03-05T09:01:00+08:00', comment: null },
        { step: 'land_prereview', action: 'accept', occurredAt: '2022-03-05T09:02:00+08:00', comment: null },
        { step: 'project_filing', action: 'approve', occurredAt: '2022-03-10T09:00:00+08:00', comment: null },
        { step: 'eia_approval', action: 'waive', occurredAt: '2022-03-10T09:01:00+08:00', comment: '容缺（台账导入，容缺材料见纸质件）' },
      ],
    });
  });

  it('brings delivered, rejected and supplement-requested steps there; leaves blocked, ready and received steps as registered', () => {
    const plan = planPosition(
      '2022-03-05',
      [
        { row: 2, step: 'project_filing', state: 'delivered', acceptedOn: null, decidedOn: '2022-03-08' },
        { row: 3, step: 'land_prereview', state: 'supplement_requested', acceptedOn: '2022-03-07', decidedOn: null },
        { row: 4, step: 'land_auction', state: 'blocked', acceptedOn: null, decidedOn: null },
      ],
      STANDARD,
    );
    expect(plan.actions.map((a) => `${a.occurredAt.slice(0, 16)} ${a.step} ${a.action}`)).toEqual([
      '2022-03-07T09:00 land_prereview accept',
      '2022-03-07T09:01 land_prereview return',
      '2022-03-08T09:00 project_filing accept',
      '2022-03-08T09:01 project_filing approve',
      '2022-03-08T09:02 project_filing deliver',
    ]);
  });
});

describe('the steps sheet of an import', () => {
  const ledger = readCsvLedger(new TextEncoder().encode('项目代码,项目名称,所在区域,签约日期\r\n2022-330602-39-03-000701,甲,越城区,2022-03-05\r\n')).table;
  const steps = (rows: (string | null)[][]): LedgerTable => ({
    sheet: '事项明细',
    headerRow: 1,
    headers: ['项目代码', '事项代码', '办理状态', '受理日期', '办结日期'],
    rows: rows.map((cells, i) => ({ row: i + 2, cells: ['2022-330602-39-03-000701', ...cells] })),
    date1904: false,
    recordWidth: null,
  });

  it.each([
    [['project_filing', '已办结', '2022-03-04', '2022-03-10'], '受理日期', 'accepted 2022-03-04, before the project was signed (2022-03-05)'],
    [['project_filing', '已办结', '2022-03-12', '2022-03-10'], '办结日期', 'decided 2022-03-10 before it was accepted 2022-03-12'],
    [['project_filing', '审查中', null, null], '受理日期', 'empty: a step 审查中 runs from its acceptance day (受理日期)'],
    [['land_pre_review', '审查中', '2022-03-07', null], '事项代码', 'not a step of track standard'],
    [['project_filing', '办理中', '2022-03-07', null], '办理状态', expect.stringContaining("'办理中' is not a step state")],
  ])('reports %j on %s', (cells, column, problem) => {
    const { rows } = readLedgerImport(ledger, steps([cells]));
    expect(rows[0]!.problems).toEqual([expect.objectContaining({ sheet: '事项明细', row: 2, column, problem })]);
    expect(rows[0]!.position).toEqual([]);
  });

  it('reports a row whose 事项代码 and 事项名称 name two different steps, and reads one whose name agrees', () => {
    const named = (name: string): LedgerTable => {
      const t = steps([['energy_review', '已办结', '2022-03-07', '2022-03-10']]);
      return { ...t, headers: [...t.headers, '事项名称'], rows: t.rows.map((r) => ({ ...r, cells: [...r.cells, name] })) };
    };
    const wrong = readLedgerImport(ledger, named('项目备案/核准')).rows[0]!;
    expect(wrong.problems).toEqual([
      expect.objectContaining({ sheet: '事项明细', row: 2, column: '事项名称', value: '项目备案/核准', problem: expect.stringMatching(/^names another step than 事项代码 energy_review \(/) }),
    ]);
    expect(wrong.position).toEqual([]);
    const nameZh = latestTrackDefinition('standard').steps.find((s) => s.key === 'energy_review')!.nameZh;
    expect(readLedgerImport(ledger, named(nameZh)).rows[0]!.problems).toEqual([]);
  });

  it('reports days after the import’s day, which the commit would refuse: a signing, an acceptance, a decision', () => {
    const today = '2022-03-09';
    const accepted = readLedgerImport(ledger, steps([['project_filing', '审查中', '2022-03-10', null]]), today).rows[0]!;
    expect(accepted.problems).toEqual([expect.objectContaining({ column: '受理日期', problem: 'accepted 2022-03-10, after today (2022-03-09): a ledger records what happened' })]);
    const decided = readLedgerImport(ledger, steps([['project_filing', '已办结', '2022-03-07', '2022-03-10']]), today).rows[0]!;
    expect(decided.problems).toEqual([expect.objectContaining({ column: '办结日期', problem: 'decided 2022-03-10, after today (2022-03-09): a ledger records what happened' })]);
    expect(readLedgerImport(ledger, steps([['project_filing', '已办结', '2022-03-07', '2022-03-09']]), today).rows[0]!.problems).toEqual([]);
    const signed = readLedgerImport(ledger, null, '2022-03-04').rows[0]!;
    expect(signed.problems).toEqual([expect.objectContaining({ column: '签约日期', value: '2022-03-05', problem: 'signed 2022-03-05, after today (2022-03-04): the ledger records signed projects' })]);
  });
});
