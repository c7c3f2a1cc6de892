import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readLedgerAmount, readLedgerDay, shiftDecimal } from '../../../libs/ledger/ledger-cells.js';
import { readCsvLedger } from '../../../libs/ledger/ledger-csv.js';
import { resolveLedgerHeader } from '../../../libs/ledger/ledger-headers.js';
import { readLedgerImport } from '../../../libs/ledger/ledger-import-rows.js';
import { decodeLedgerText, detectLedgerEncoding, LedgerTextError } from '../../../libs/ledger/ledger-text.js';
import { readXlsxLedger } from '../../../libs/ledger/ledger-xlsx.js';

/** The CSV `项目名称,总投资（万元）\r\n测试项目,1200\r\n` in GBK, byte for byte. */
const GBK_BYTES = Uint8Array.from(
  'cf ee c4 bf c3 fb b3 c6 2c d7 dc cd b6 d7 ca a3 a8 cd f2 d4 aa a3 a9 0d 0a b2 e2 ca d4 cf ee c4 bf 2c 31 32 30 30 0d 0a'.split(' ').map((h) => parseInt(h, 16)),
);
const TEXT = '项目名称,总投资（万元）\r\n测试项目,1200\r\n';
const UTF8 = new TextEncoder().encode(TEXT);
const UTF8_BOM = Uint8Array.from([0xef, 0xbb, 0xbf, ...UTF8]);

/** The CSV read to its first row: the name and investment read from the row. */
function firstRowOf(bytes: Uint8Array): unknown {
  const { table } = readCsvLedger(bytes);
  const { rows } = readLedgerImport(table);
  return { registration: rows[0]!.registration, problems: rows[0]!.problems };
}

describe('decodeLedgerText', () => {
  it.each([
    ['GBK without BOM', GBK_BYTES, 'GB18030', false],
    ['UTF-8 without BOM', UTF8, 'UTF-8', false],
    ['UTF-8 with BOM', UTF8_BOM, 'UTF-8', true],
  ])('reads the issue’s CSV in %s as the same text, no U+FFFD', (_, bytes, encoding, bom) => {
    const decoded = decodeLedgerText(bytes);
    expect(decoded).toEqual({ text: TEXT, encoding, bom });
    expect(decoded.text).not.toContain('\uFFFD');
  });

  it('reads GB18030 text with characters GBK lacks (𠮷) and a longer GBK ledger', () => {
    const text = '项目名称,投资主体\r\n𠮷祥物产业园,绍兴市越城区集成电路产业发展有限公司\r\n';
    expect(decodeLedgerText(iconv.encode(text, 'gb18030')).text).toBe(text);
    expect(detectLedgerEncoding(iconv.encode(text, 'gbk')).encoding).toBe('GB18030');
  });

  it('refuses bytes no accepted encoding explains rather than importing garbled text', () => {
    expect(() => decodeLedgerText(Uint8Array.from([0x41, 0x2c, 0xff, 0xff, 0xff, 0x0a]))).toThrow(LedgerTextError);
  });
});

describe('readCsvLedger', () => {
  it.each([
    ['GBK', GBK_BYTES],
    ['UTF-8', UTF8],
    ['UTF-8 with BOM', UTF8_BOM],
  ])('gives the same report for the issue’s CSV in %s: 测试项目, 12000000 yuan', (_, bytes) => {
    expect(firstRowOf(bytes)).toEqual({ registration: { name: '测试项目', investmentYuan: '12000000' }, problems: [] });
  });

  it('reads a quoted "1,020.00" in a 万元 column as 10200000 yuan', () => {
    const csv = '项目名称,总投资（万元）,所在区域\r\n测试项目,"1,020.00",越城区\r\n';
    expect(firstRowOf(new TextEncoder().encode(csv))).toEqual({ registration: { name: '测试项目', investmentYuan: '10200000', district: '越城区' }, problems: [] });
  });

  it('reports an unquoted 1,020.00 as a bad row naming the amount column, never as 1 万元', () => {
    const csv = '项目名称,总投资（万元）,所在区域\r\n测试项目,1,020.00,越城区\r\n';
    const { rows } = readLedgerImport(readCsvLedger(new TextEncoder().encode(csv)).table);
    expect(rows[0]!.registration).toEqual({});
    expect(rows[0]!.problems).toEqual([
      expect.objectContaining({ sheet: null, row: 2, column: '总投资（万元）', value: '1,020.00', problem: expect.stringContaining('thousands separator that is not in quotes') }),
    ]);
  });

  it('names the project of a shifted row by its code when the code comes before the split amount, and imports nothing of it', () => {
    const csv = '项目代码,项目名称,总投资（万元）,所在区域\r\n2022-330602-39-03-000101,测试项目,1,020.00,越城区\r\n';
    const { rows } = readLedgerImport(readCsvLedger(new TextEncoder().encode(csv)).table);
    expect(rows[0]!.registration).toEqual({ code: '2022-330602-39-03-000101' });
    expect(rows[0]!.problems).toEqual([expect.objectContaining({ row: 2, column: '总投资（万元）', value: '1,020.00' })]);
  });

  it('finds the header row below a title row and numbers rows as Excel does', () => {
    const csv = '2026年重大项目台账,,\r\n项目代码,项目名称,签约日期\r\n\r\n2022-330602-39-03-000101,甲项目,2022/3/5\r\n';
    const { table } = readCsvLedger(new TextEncoder().encode(csv));
    expect(table.headerRow).toBe(2);
    const { rows } = readLedgerImport(table);
    expect(rows.map((r) => [r.row, r.registration])).toEqual([[4, { code: '2022-330602-39-03-000101', name: '甲项目', signedAt: '2022-03-05' }]]);
  });
});

describe('resolveLedgerHeader', () => {
  it.each([
    ['总投资（万元）', 'investmentWan', 'wan'],
    ['总投资 (万元)', 'investmentWan', 'wan'],
    [' 总 投 资（亿元）', 'investmentWan', 'yi'],
    ['计划总投资/元', 'investmentWan', 'yuan'],
    ['总投资万元', 'investmentWan', 'wan'],
    ['Total investment (10k yuan)', 'investmentWan', 'wan'],
    ['investmentYuan', 'investmentWan', 'yuan'],
    ['总投资', 'investmentWan', null],
    ['项目代码', 'code', null],
    ['Project code', 'code', null],
    ['建设单位', 'investor', null],
    ['签约日期', 'signedAt', null],
    ['逾期天数(工作日)', 'overdueWorkingDays', null],
  ])('%s → %s in %s', (header, key, unit) => {
    expect(resolveLedgerHeader(header)).toEqual({ key, unit });
  });

  it('names no column for a header it does not know', () => {
    expect(resolveLedgerHeader('备注')).toBeNull();
  });
});

describe('readLedgerAmount', () => {
  it.each([
    ['1200', 'wan', '12000000'],
    ['1,020.00', 'wan', '10200000'],
    ['１２００', 'wan', '12000000'],
    ['1.25亿元', 'wan', '125000000'],
    ['1.25亿', null, '125000000'],
    ['800万元', 'yuan', '8000000'],
    ['¥1,234,567.89', 'yuan', '1234567.89'],
    ['0.01', 'wan', '100'],
    [1020.5, 'wan', '10205000'],
    [0.1234, 'wan', '1234'],
    [1e15, 'yuan', '1000000000000000'],
  ] as const)('%s with the header in %s → %s yuan', (cell, unit, yuan) => {
    expect(readLedgerAmount(cell, unit)).toEqual({ ok: true, value: yuan });
  });

  it.each([
    ['1,02', 'wan', 'thousands separators out of place'],
    ['-5', 'wan', 'negative'],
    ['一千万', 'wan', 'not an amount'],
    ['1200', null, 'names no unit'],
    ['0.0000001', 'wan', 'more precise than a fen'],
  ] as const)('refuses %s (%s)', (cell, unit, why) => {
    const r = readLedgerAmount(cell, unit);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(why);
  });

  it('shifts decimals by text: 1020.00 × 10⁴ is 10200000, 0.5 × 10⁰ is 0.5', () => {
    expect([shiftDecimal('1020.00', 4), shiftDecimal('0.5', 0), shiftDecimal('00012.3400', 8)]).toEqual(['10200000', '0.5', '1234000000']);
  });
});

describe('readLedgerDay', () => {
  it.each([
    ['2022-03-05', false, '2022-03-05'],
    ['2022/3/5', false, '2022-03-05'],
    ['2022年3月5日', false, '2022-03-05'],
    ['２０２２年３月５日', false, '2022-03-05'],
    ['2022/3/5 0:00', false, '2022-03-05'],
    ['20220305', false, '2022-03-05'],
    [44625, false, '2022-03-05'],
    [44625.99, false, '2022-03-05'],
    [43163, true, '2022-03-05'],
    ['44625', false, '2022-03-05'],
    [new Date(Date.UTC(2022, 2, 5)), false, '2022-03-05'],
    [new Date(Date.UTC(2022, 2, 5, 23, 30)), false, '2022-03-05'],
    ['', false, null],
  ] as const)('%s (1904 system: %s) → %s', (cell, date1904, day) => {
    expect(readLedgerDay(cell, date1904)).toEqual({ ok: true, value: day });
  });

  it.each([['2022-02-30'], ['2022/13/1'], ['1899-12-31'], ['明年三月']])('refuses %s', (cell) => {
    expect(readLedgerDay(cell, false).ok).toBe(false);
  });

  /** `env` without this test run's marks (test/support/global-setup.ts), so that a nested jest run is a run of its own. */
  const withoutRunMarks = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const { APPROVALS_TEST_RUN: _run, APPROVALS_TEST_RUN_OWNER: _owner, JEST_LATE_ERRORS_FILE: _late, ...rest } = env;
    return rest;
  };

  // jest's sandbox copies process.env, so assigning TZ in a test does not move the clock: the zone-free checks run in
  // child jest processes started with TZ set (ledger-days-any-zone.spec.ts asserts that the zone took effect).
  it.each(['UTC', 'America/New_York'])('reads the same Asia/Shanghai days with TZ=%s (child process)', (tz) => {
    const result = spawnSync(
      process.execPath,
      ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--selectProjects', 'unit', '--runTestsByPath', 'test/unit/ledger/ledger-days-any-zone.spec.ts'],
      // A run of its own (no APPROVALS_TEST_RUN of this run: its teardown would stop this run's PostgreSQL and servers),
      // with no PostgreSQL of its own (TEST_PG_URL set: its unit test needs none).
      { env: { ...withoutRunMarks(process.env), TZ: tz, LEDGER_EXPECTED_TZ: tz, TEST_PG_URL: process.env.TEST_PG_URL ?? 'postgres://unused' }, encoding: 'utf8' },
    );
    expect(result.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(result.status).toBe(0);
  }, 60_000);
});

describe('readXlsxLedger', () => {
  /** A workbook built with ExcelJS: a title row, the headers, and rows of every kind of cell. */
  async function workbook(date1904: boolean): Promise<Uint8Array> {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = date1904;
    wb.addWorksheet('说明').addRow(['本表由区重大项目办维护']);
    const ws = wb.addWorksheet('台账');
    ws.addRow(['2026年重大项目台账']);
    ws.addRow(['项目代码', '项目名称', '总投资（亿元）', '签约日期', '所在区域']);
    ws.addRow(['2022-330602-39-03-000101', { richText: [{ text: '甲' }, { text: '项目' }] }, 1.25, new Date(Date.UTC(2022, 2, 5)), '越城区']);
    ws.addRow(['2022-330602-39-03-000102', '乙项目', '3,000万元', date1904 ? 43163 : 44625, '越城区']);
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it.each([false, true])('reads the ledger sheet below its title, date cells in the workbook’s system (1904: %s)', async (date1904) => {
    const ledger = await readXlsxLedger(await workbook(date1904));
    expect(ledger.date1904).toBe(date1904);
    expect(ledger.table.sheet).toBe('台账');
    expect(ledger.table.headerRow).toBe(2);
    const { rows } = readLedgerImport(ledger.table);
    expect(rows.map((r) => [r.row, r.registration, r.problems])).toEqual([
      [3, { code: '2022-330602-39-03-000101', name: '甲项目', investmentYuan: '125000000', signedAt: '2022-03-05', district: '越城区' }, []],
      [4, { code: '2022-330602-39-03-000102', name: '乙项目', investmentYuan: '30000000', signedAt: '2022-03-05', district: '越城区' }, []],
    ]);
  });
});
