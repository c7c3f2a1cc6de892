import { describe, expect, it } from '@jest/globals';
import {
  csvCellOfText,
  csvTextFromCell,
  exactNumberOf,
  LEDGER_COLUMNS,
  ledgerColumnOfHeader,
  valueOfLabel,
  wanToYuan,
  yuanToWan,
} from '../../../libs/ledger/index.js';

describe('ledger columns', () => {
  it.each([
    ['1020000000', '102000'],
    ['12000000', '1200'],
    ['12345678.9', '1234.56789'],
    ['5', '0.0005'],
    ['0', '0'],
    ['10000.50', '1.00005'],
  ])('writes %s yuan as %s 万元 exactly, and reads it back', (yuan, wan) => {
    expect(yuanToWan(yuan)).toBe(wan);
    expect(wanToYuan(wan)).toBe(yuan.includes('.') ? yuan.replace(/0+$/, '') : yuan);
  });

  it('reads 万元 with decimals as exact yuan, never through floating point', () => {
    expect(wanToYuan('1020.00')).toBe('10200000');
    expect(wanToYuan('0.1')).toBe('1000');
    expect(() => wanToYuan('1,020.00')).toThrow(RangeError);
  });

  it('gives a spreadsheet number only when a double holds the decimal exactly to 15 digits', () => {
    expect(exactNumberOf('102000')).toBe(102000);
    expect(exactNumberOf('1234.56789')).toBe(1234.56789);
    expect(exactNumberOf('1234567890123.4567')).toBeNull();
  });

  it('finds a column by its Chinese or English header, tolerant of spaces, full-width brackets and case', () => {
    expect(ledgerColumnOfHeader('总投资（万元）')).toBe('investmentWan');
    expect(ledgerColumnOfHeader(' 总投资 (万元) ')).toBe('investmentWan');
    expect(ledgerColumnOfHeader('project CODE')).toBe('code');
    expect(ledgerColumnOfHeader('备注')).toBeNull();
    expect(new Set(LEDGER_COLUMNS.map((c) => c.key)).size).toBe(LEDGER_COLUMNS.length);
  });

  it('reads the words it writes back as the API values', () => {
    expect(valueOfLabel('track', '综保区项目')).toBe('bonded_zone');
    expect(valueOfLabel('approvalRoute', 'Filing')).toBe('filing');
    expect(valueOfLabel('light', 'red')).toBe('red');
    expect(valueOfLabel('status', '未知')).toBeNull();
  });

  it('guards CSV text that a spreadsheet would take for a formula, and reads it back', () => {
    expect(csvCellOfText('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvTextFromCell("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(csvCellOfText('高端装备')).toBe('高端装备');
    expect(csvTextFromCell("'quoted")).toBe("'quoted");
  });
});
