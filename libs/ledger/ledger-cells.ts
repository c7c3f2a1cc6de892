/*
 * The cells of an imported ledger read as the API's values: days (YYYY-MM-DD, Asia/Shanghai) and amounts (yuan as an
 * exact decimal string). Pure and independent of the process's time zone: a spreadsheet has no time zone, its wall
 * clock is the district's (Asia/Shanghai), and nothing here reads local time.
 */
import { civilOf, dayNumberOf, whyNotARealDay } from '../calendar/index.js';
import { UNIT_EXPONENT, type AmountUnit } from './ledger-headers.js';

/** A cell as a reader hands it over: text (CSV, or a text cell), a number, a Date (a date cell), a boolean, or empty. */
export type LedgerCell = string | number | boolean | Date | null;

/** A cell read as a value, or why it cannot be (English, for the row's report). */
export type CellReading<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): CellReading<T> => ({ ok: true, value });
const bad = <T>(problem: string): CellReading<T> => ({ ok: false, problem });

/** Years a ledger's days may fall in: those of project codes (libs/domain parseProjectCode). */
const YEARS = { min: 1990, max: 2100 };

/** Day 0 of Excel's two date systems: serial 1 is 1900-01-01 in the 1900 system (from serial 61 on, past its phantom 1900-02-29), 1904-01-02 in the 1904 system. */
const EPOCH_1900 = dayNumberOf(1899, 12, 30);
const EPOCH_1904 = dayNumberOf(1904, 1, 1);

/** The text of a cell, trimmed, after NFKC (full-width digits and punctuation become ASCII). */
function textOf(cell: string): string {
  return cell.normalize('NFKC').trim();
}

/** A day from its parts, when it exists and lies within the years of project codes. */
function dayOf(year: number, month: number, day: number, written: string): CellReading<string> {
  const why = whyNotARealDay(year, month, day);
  if (why) return bad(`'${written}' is not a real date: ${why}`);
  if (year < YEARS.min || year > YEARS.max) return bad(`'${written}' is outside ${YEARS.min}–${YEARS.max}`);
  return ok(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** The day of an Excel serial (its time of day dropped) in the workbook's date system. */
function dayOfSerial(serial: number, date1904: boolean, written: string): CellReading<string> {
  if (!Number.isFinite(serial) || serial < 1) return bad(`'${written}' is not a date`);
  const [year, month, day] = civilOf((date1904 ? EPOCH_1904 : EPOCH_1900) + Math.floor(serial));
  return dayOf(year, month, day, written);
}

/** Day forms written as text: 2022-03-05, 2022-3-5, 2022/3/5, 2022.3.5, 2022年3月5日, 20220305; a time after it is ignored. */
const DAY_TEXT = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/**
 * A ledger cell as a day (YYYY-MM-DD, Asia/Shanghai), or null for an empty cell.
 * - A Date (ExcelJS's date cell): its UTC fields, which carry the sheet's wall clock (ExcelJS converts serials without a
 *   time zone), so the day is the one the sheet shows whatever the server's TZ.
 * - A number: an Excel serial in the workbook's date system (`date1904`: serial 0 is 1904-01-01, else 1899-12-30).
 * - Text: `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D`, `YYYY年M月D日`, `YYYYMMDD` (a time after the day ignored), or an
 *   Excel serial of 5 digits written as text (a CSV saved from a column formatted as numbers; 1900 system).
 * Refused: a day that does not exist (2022-02-30), one outside 1990–2100, anything else.
 */
export function readLedgerDay(cell: LedgerCell, date1904: boolean): CellReading<string | null> {
  if (cell === null || (typeof cell === 'string' && textOf(cell) === '')) return ok(null);
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return bad('the cell holds an invalid date');
    return dayOf(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate(), cell.toISOString().slice(0, 10));
  }
  if (typeof cell === 'number') return dayOfSerial(cell, date1904, String(cell));
  if (typeof cell === 'boolean') return bad(`'${String(cell)}' is not a date`);
  const text = textOf(cell);
  for (const form of DAY_TEXT) {
    const m = form.exec(text);
    if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]), text);
  }
  if (/^\d{5}(\.\d+)?$/.test(text)) return dayOfSerial(Number(text), false, text);
  return bad(`'${text}' is not a date (write YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)`);
}

/** Unit words a cell may end with. */
const SUFFIXES: readonly [RegExp, AmountUnit][] = [
  [/万元$|万$/, 'wan'],
  [/亿元$|亿$/, 'yi'],
  [/元$/, 'yuan'],
];

/** A decimal number as written in a ledger: digits with an optional fraction, or thousands separated by commas in groups of three. */
const PLAIN = /^\d+(?:\.\d+)?$/;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** The decimal string of a spreadsheet number (non-negative, finite), without exponent; null when it has one. */
function decimalOfNumber(n: number): string | null {
  const s = String(n);
  return /e/i.test(s) ? null : s;
}

/**
 * `decimal` × 10^`exponent`, exact, by moving the point in the text: `1020.00` × 10⁴ → `10200000`, `1.25` × 10⁸ →
 * `125000000`, `0.5` × 10⁰ → `0.5`. Leading zeros and a fraction's trailing zeros are dropped.
 */
export function shiftDecimal(decimal: string, exponent: number): string {
  const [whole, fraction = ''] = decimal.split('.') as [string, string?];
  const digits = whole + fraction.padEnd(exponent, '0');
  const point = whole.length + exponent;
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/**
 * A ledger cell as an amount in yuan (an exact decimal string, at most 2 decimals, as the API's `investmentYuan`), or
 * null for an empty cell. The unit is the cell's own suffix (`1200万元`, `1.2亿`, `500元`) or else the header's
 * (`总投资（万元）`); with neither, the cell is refused (a bare number could be 元 or 万元, and a guess is off by 10⁴).
 * Text may carry thousands separators in groups of three (`1,020.00`) and a leading ¥/￥/RMB/CNY; it is never passed
 * through floating point. A number cell is taken as the shortest decimal that gives it back (what the sheet shows).
 * Refused: negative amounts, separators out of place (`1,02`), more precision than a fen (0.01 元), other text.
 */
export function readLedgerAmount(cell: LedgerCell, headerUnit: AmountUnit | null): CellReading<string | null> {
  if (cell === null || (typeof cell === 'string' && textOf(cell) === '')) return ok(null);
  let body: string;
  let unit = headerUnit;
  if (typeof cell === 'number') {
    const d = Number.isFinite(cell) && cell >= 0 ? decimalOfNumber(cell) : null;
    if (d === null) return bad(`'${String(cell)}' is not an amount`);
    body = d;
  } else if (typeof cell === 'string') {
    body = textOf(cell).replace(/\s+/g, '').replace(/^(?:¥|RMB|CNY)/i, '');
    for (const [suffix, u] of SUFFIXES) {
      if (suffix.test(body)) {
        body = body.replace(suffix, '');
        unit = u;
        break;
      }
    }
    if (GROUPED.test(body)) body = body.replaceAll(',', '');
    else if (!PLAIN.test(body)) {
      const shown = textOf(cell);
      if (/^-/.test(body)) return bad(`'${shown}' is negative`);
      if (/,/.test(body)) return bad(`'${shown}' has thousands separators out of place (groups of three: 1,020.00)`);
      return bad(`'${shown}' is not an amount`);
    }
  } else {
    return bad(`'${String(cell)}' is not an amount`);
  }
  if (unit === null) return bad(`'${body}' names no unit: write it in the header (总投资（万元）) or after the number (1200万元)`);
  const yuan = shiftDecimal(body, UNIT_EXPONENT[unit]);
  if (/\.\d{3,}$/.test(yuan)) return bad(`'${typeof cell === 'string' ? textOf(cell) : body}' is more precise than a fen (0.01 元): ${yuan} 元`);
  return ok(yuan);
}

/** A ledger cell as text (trimmed, NFKC), or null for an empty cell; a number as its shortest decimal, a Date as its day. */
export function readLedgerText(cell: LedgerCell): string | null {
  if (cell === null) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  const text = typeof cell === 'string' ? textOf(cell) : String(cell);
  return text === '' ? null : text;
}
