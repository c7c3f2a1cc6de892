import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { reportRow, type ExistingProject } from '../../../apps/api/src/imports/import-report.js';
import { LEDGER_COLUMNS } from '../../../libs/ledger/ledger-columns.js';
import { readCsvLedger } from '../../../libs/ledger/ledger-csv.js';
import { readLedgerImport } from '../../../libs/ledger/ledger-import-rows.js';

/*
 * The import's report of a 30-row ledger mixing every accepted way of writing its cells with a dozen kinds of bad row,
 * read from GB18030 bytes as Excel in China saves a CSV. Each line carries what its row must report: the amount and
 * day it reads to, or the column and problem. Codes count up from 2022-330602-39-03-000501 by row.
 */

const code = (n: number): string => `2022-330602-39-03-${String(500 + n).padStart(6, '0')}`;
const HEADER = '项目代码, 项目名称 ,项目类型,所在区域,投资主体,总投资（万元）,签约日期,审批方式,备注';

type Expect = { yuan: string | null; day: string; track?: string; route?: string } | { column: string | null; value: string | null; problem: RegExp | string };

/** [cells after the code (or the whole line when it starts with '!'), what the row reports]. */
const LINES: [string, Expect][] = [
  ['甲,一般工业项目,越城区,甲公司,1200,2022-03-05,备案,', { yuan: '12000000', day: '2022-03-05' }],
  ['乙,综保区项目,越城区,乙公司,"1,020.00",2022/3/5,核准,', { yuan: '10200000', day: '2022-03-05', track: 'bonded_zone', route: 'approval' }],
  ['丙,standard,越城区,丙公司,1.5亿元,2022年3月5日,filing,', { yuan: '150000000', day: '2022-03-05' }],
  ['丁,Bonded zone,越城区,丁公司,800万元,20220305,Approval,', { yuan: '8000000', day: '2022-03-05', track: 'bonded_zone', route: 'approval' }],
  ['戊,,越城区,,,44625,,', { yuan: null, day: '2022-03-05' }],
  ['己,一般工业项目,越城区,己公司,"¥12,345.67",2022.3.5,,', { yuan: '123456700', day: '2022-03-05' }],
  ['庚,一般工业项目,越城区,庚公司,１２００,２０２２年３月５日,,', { yuan: '12000000', day: '2022-03-05' }],
  ['辛,一般工业项目,越城区,辛公司,500000元,2021-12-31,,', { yuan: '500000', day: '2021-12-31' }],
  ['壬,一般工业项目,越城区,壬公司,0.01,2023-12-31,,', { yuan: '100', day: '2023-12-31' }],
  ['癸,一般工业项目,越城区,癸公司,"1,234,567",2022/3/5 0:00,,', { yuan: '12345670000', day: '2022-03-05' }],
  ['子,一般工业项目,越城区,子公司,100,2022-03-05,,备注不导入', { yuan: '1000000', day: '2022-03-05' }],
  ['丑,一般工业项目,越城区,丑公司,3,2022-3-5,,', { yuan: '30000', day: '2022-03-05' }],
  // Bad rows, one kind each.
  ['分列,一般工业项目,越城区,某公司,1,020.00,2022-03-05,,', { column: '总投资（万元）', value: '1,020.00', problem: /thousands separator that is not in quotes/ }],
  ['!2022-000000-39-03-000514,错区划,一般工业项目,越城区,某公司,100,2022-03-05,,', { column: '项目代码', value: '2022-000000-39-03-000514', problem: /not an administrative division code of GB\/T 2260/ }],
  ['!2022-330602-39-03-51,短代码,一般工业项目,越城区,某公司,100,2022-03-05,,', { column: '项目代码', value: '2022-330602-39-03-51', problem: /national 24-character format/ }],
  ['远年,一般工业项目,越城区,某公司,100,2099-03-05,,', { column: '签约日期', value: '2099-03-05', problem: /too far from the year of the project code/ }],
  ['无日,一般工业项目,越城区,某公司,100,2022-02-30,,', { column: '签约日期', value: '2022-02-30', problem: "'2022-02-30' is not a real date: February 2022 has 28 days" }],
  ['乱日,一般工业项目,越城区,某公司,100,明年三月,,', { column: '签约日期', value: '明年三月', problem: /is not a date/ }],
  [',一般工业项目,越城区,某公司,100,2022-03-05,,', { column: '项目名称', value: null, problem: 'empty: every project needs it' }],
  ['无区,一般工业项目,,某公司,100,2022-03-05,,', { column: '所在区域', value: null, problem: 'empty: every project needs it' }],
  ['商场,商业综合体,越城区,某公司,100,2022-03-05,,', { column: '项目类型', value: '商业综合体', problem: /'商业综合体' is not one of: standard/ }],
  ['审批,一般工业项目,越城区,某公司,100,2022-03-05,审批制,', { column: '审批方式', value: '审批制', problem: /'审批制' is not one of: filing, approval/ }],
  ['负数,一般工业项目,越城区,某公司,-100,2022-03-05,,', { column: '总投资（万元）', value: '-100', problem: /is negative/ }],
  ['错分,一般工业项目,越城区,某公司,"1,02",2022-03-05,,', { column: '总投资（万元）', value: '1,02', problem: /thousands separators out of place/ }],
  ['过细,一般工业项目,越城区,某公司,0.0000001,2022-03-05,,', { column: '总投资（万元）', value: '0.0000001', problem: /more precise than a fen/ }],
  ['中文数,一般工业项目,越城区,某公司,一千万,2022-03-05,,', { column: '总投资（万元）', value: '一千万', problem: /is not an amount/ }],
  [`${'长'.repeat(201)},一般工业项目,越城区,某公司,100,2022-03-05,,`, { column: '项目名称', value: '长'.repeat(201), problem: 'name must be 1–200 characters' }],
  ['!2022-330602-39-03-000501,重复,一般工业项目,越城区,某公司,100,2022-03-05,,', { column: '项目代码', value: code(1), problem: 'the same project code as row 2: a project is imported once' }],
  ['缺列,一般工业项目,越城区', { column: null, value: null, problem: /fewer cells \(4\) than the header \(9\)/ }],
  ['空签约,一般工业项目,越城区,某公司,100,,,', { column: '签约日期', value: null, problem: 'empty: every project needs it' }],
];

describe('the import report of a 30-row ledger', () => {
  const csv = [HEADER, ...LINES.map(([cells], i) => (cells.startsWith('!') ? cells.slice(1) : `${code(i + 1)},${cells}`))].join('\r\n') + '\r\n';
  const { table, encoding } = readCsvLedger(iconv.encode(csv, 'gb18030'));
  const read = readLedgerImport(table);
  const reports = read.rows.map((r) => reportRow(r, read, null));

  it('reads the GB18030 file, its 30 rows and the column it ignores', () => {
    expect(encoding).toBe('GB18030');
    expect(LINES).toHaveLength(30);
    expect(reports.map((r) => r.row)).toEqual(LINES.map((_, i) => i + 2));
    expect(read.ignoredHeaders).toEqual(['备注']);
    expect(read.fileProblems).toEqual([]);
  });

  it.each(LINES.map(([cells, expected], i) => [i + 2, cells.slice(0, 24), expected] as const))('row %i (%s…)', (row, _, expected) => {
    const r = reports[row - 2]!;
    if ('yuan' in expected) {
      expect(r.problems).toEqual([]);
      expect(r.outcome).toBe('create');
      expect(r.project).toMatchObject({ code: code(row - 1), investmentYuan: expected.yuan, signedAt: expected.day, track: expected.track ?? 'standard', approvalRoute: expected.route ?? 'filing' });
    } else {
      expect(r.outcome).toBe('invalid');
      expect(r.project).toBeNull();
      expect(r.problems).toEqual([{ sheet: null, row, column: expected.column, value: expected.value, problem: typeof expected.problem === 'string' ? expected.problem : expect.stringMatching(expected.problem) }]);
    }
  });

  it('matches or differs from a registered project field by field', () => {
    const first = read.rows[0]!;
    const registered: ExistingProject = { ...reports[0]!.project!, investor: '甲公司', investmentYuan: '12000000.00' };
    expect(reportRow(first, read, registered)).toMatchObject({ outcome: 'matches', differences: [] });
    expect(reportRow(first, read, { ...registered, name: '甲（旧名）', signedAt: '2022-03-04' })).toMatchObject({
      outcome: 'differs',
      differences: [
        { field: 'name', registered: '甲（旧名）', file: '甲' },
        { field: 'signedAt', registered: '2022-03-04', file: '2022-03-05' },
      ],
    });
  });
});

describe('the columns an import does not read', () => {
  it('lists the computed columns of an exported ledger, and a repeated header, in the file’s order', () => {
    const headers = [...LEDGER_COLUMNS.map((c) => c.zh), '项目名称'];
    const { table } = readCsvLedger(Buffer.from(`\ufeff${headers.join(',')}\r\n`));
    expect(readLedgerImport(table).ignoredHeaders).toEqual([
      '当前阶段', '项目状态', '亮灯', '当前办理事项', '责任部门', '最近到期日', '逾期天数（工作日）', '政府审批用时（工作日）', '是否督办', '最近进展日期', '项目名称',
    ]);
  });
});

describe('a registered project whose steps the steps sheet puts elsewhere', () => {
  const existing = {
    code: code(1),
    name: '甲',
    track: 'standard',
    district: '越城区',
    investor: '甲公司',
    investmentYuan: '12000000',
    signedAt: '2022-03-05',
    approvalRoute: 'filing',
    steps: [
      { key: 'project_filing', state: 'approved', acceptedOn: '2023-05-08', decidedOn: '2023-09-15' },
      { key: 'land_prereview', state: 'in_review', acceptedOn: '2023-09-18', decidedOn: null },
    ],
  };
  const read = readLedgerImport(readCsvLedger(Buffer.from(`${HEADER}\r\n${code(1)},甲,一般工业项目,越城区,甲公司,1200,2022-03-05,备案,\r\n`)).table);
  const withPosition = (position: (typeof read.rows)[number]['position']) => reportRow({ ...read.rows[0]!, position }, read, existing);

  it('differs, naming each such step with its state and days on both sides', () => {
    const report = withPosition([
      { row: 2, step: 'project_filing', state: 'approved', acceptedOn: '2023-05-08', decidedOn: '2023-05-20' },
      { row: 3, step: 'land_prereview', state: 'approved', acceptedOn: '2023-05-22', decidedOn: '2023-05-30' },
    ]);
    expect(report.outcome).toBe('differs');
    expect(report.differences).toEqual([
      { field: 'steps.project_filing', registered: 'approved 2023-05-08→2023-09-15', file: 'approved 2023-05-08→2023-05-20' },
      { field: 'steps.land_prereview', registered: 'in_review 2023-09-18→—', file: 'approved 2023-05-22→2023-05-30' },
    ]);
  });

  it('matches when the sheet says what the system has (days the sheet leaves empty are not compared)', () => {
    const report = withPosition([
      { row: 2, step: 'project_filing', state: 'approved', acceptedOn: null, decidedOn: '2023-09-15' },
      { row: 3, step: 'land_prereview', state: 'in_review', acceptedOn: '2023-09-18', decidedOn: null },
    ]);
    expect([report.outcome, report.differences]).toEqual(['matches', []]);
  });
});
