import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { readLedgerDay } from '../../../libs/ledger/ledger-cells.js';
import { readLedgerImport } from '../../../libs/ledger/ledger-import-rows.js';
import { readXlsxLedger } from '../../../libs/ledger/ledger-xlsx.js';

/** Minutes west of UTC of a zone on 2022-03-05 (Date#getTimezoneOffset), for the zones the readers' spec runs this in. */
const OFFSETS: Record<string, number> = { UTC: 0, 'America/New_York': 300, 'Asia/Shanghai': -480 };

// Run by ledger-readers.spec.ts in child processes with TZ set (and alone, in whatever zone the run has).
describe('ledger days whatever the process time zone', () => {
  it('runs in the zone it was started in', () => {
    const tz = process.env.LEDGER_EXPECTED_TZ;
    if (tz !== undefined) expect(new Date(2022, 2, 5).getTimezoneOffset()).toBe(OFFSETS[tz]);
  });

  it('reads 2022-03-05 from text, serials of both date systems and Date cells', () => {
    const cells = ['2022/3/5', '2022年3月5日', 44625, 43163, new Date(Date.UTC(2022, 2, 5)), new Date(Date.UTC(2022, 2, 5, 23, 59))];
    expect(cells.map((c, i) => readLedgerDay(c, i === 3))).toEqual(Array(6).fill({ ok: true, value: '2022-03-05' }));
  });

  it('reads 2022-03-05 from an XLSX date cell and a serial, written and read by ExcelJS', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRows([['项目名称', '签约日期'], ['甲', new Date(Date.UTC(2022, 2, 5))], ['乙', 44625]]);
    const { table } = await readXlsxLedger(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(readLedgerImport(table).rows.map((r) => r.registration.signedAt)).toEqual(['2022-03-05', '2022-03-05']);
  });
});
