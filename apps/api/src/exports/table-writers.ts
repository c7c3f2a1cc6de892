import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { csvCellOfText, excelDateOf, exactNumberOf, labelOf, yuanToWan, type ColumnSpec, type LedgerLang, type TableRow } from '../../../../libs/ledger/index.js';

/*
 * Writers of exported tables: XLSX through ExcelJS's streaming workbook writer (each row committed as it is added,
 * so a sheet of 10,000 projects is never held whole), CSV through csv-stringify, as UTF-8 with a byte-order mark
 * (so Excel opens it as UTF-8) or as GB18030 through iconv-lite (what Excel in China reads without asking).
 */

/** One sheet of a workbook: its name, columns and rows (read as they are written). */
export interface SheetSpec {
  name: string;
  columns: readonly ColumnSpec[];
  rows: AsyncIterable<TableRow>;
}

/** Media types of the exports. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MEDIA_TYPE = 'text/csv';

/** Encodings a CSV export is written in. */
export type CsvEncoding = 'utf-8' | 'gb18030';

/** Fill colours (ARGB) of the lights in XLSX: the workbench's light colours (apps/web components/tags.tsx). */
export const LIGHT_FILLS: Record<string, string> = { green: 'FF389E0D', yellow: 'FFD48806', red: 'FFCF1322' };

/** A cell's value as XLSX holds it: an amount in 万元 as a number when exact (else its text), a day as a real date. */
function xlsxValue(column: ColumnSpec, value: string | number | null, lang: LedgerLang): ExcelJS.CellValue {
  if (value === null || value === '') return null;
  switch (column.kind) {
    case 'wan': {
      const wan = yuanToWan(String(value));
      return exactNumberOf(wan) ?? wan;
    }
    case 'date':
      return excelDateOf(String(value));
    case 'light':
      return labelOf('light', String(value), lang);
    default:
      return value;
  }
}

/** A cell's value as CSV text: amounts in 万元 (exact), days YYYY-MM-DD, text guarded against formula injection. */
function csvValue(column: ColumnSpec, value: string | number | null, lang: LedgerLang): string {
  if (value === null) return '';
  switch (column.kind) {
    case 'wan':
      return yuanToWan(String(value));
    case 'light':
      return labelOf('light', String(value), lang);
    case 'text':
      return csvCellOfText(String(value));
    default:
      return String(value);
  }
}

/** Height of one line of text in a row, points (the default row height of Excel and ExcelJS). */
const ROW_HEIGHT_PT = 15;
/** Width of a column that sets none, in Excel's units (characters of the default font). */
const DEFAULT_COLUMN_WIDTH = 10;

/**
 * The lines `text` takes in a wrapped cell `width` characters wide: each of its lines, broken where it is wider than
 * the cell, counting a CJK character (or a full-width form) as two characters, as Excel's column width does.
 */
export function wrappedLines(text: string, width: number): number {
  return text.split('\n').reduce((total, line) => {
    let units = 0;
    for (const ch of line) units += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 2 : 1;
    return total + Math.max(1, Math.ceil(units / width));
  }, 0);
}

/**
 * How every sheet prints: A4 landscape, all columns on one page's width, as many pages down as the rows need (a
 * ledger or weekly report is printed for meetings; the default, portrait at 100 %, put the value columns on pages of
 * their own).
 */
const PRINT_SETUP = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } as const;

/**
 * A workbook of `sheets` as an XLSX byte stream: on each sheet the header row in `lang`, bold and frozen, column
 * widths, days as Excel dates shown `yyyy-mm-dd`, lights as their word on a cell filled with the light's colour
 * (white bold text), a cell of several lines wrapped in a row as tall as its lines, printed A4 landscape one page
 * wide. Sheets are written in order, each row committed as it comes. A failure while reading rows destroys the stream
 * with the error.
 */
export function xlsxStream(sheets: SheetSpec[], lang: LedgerLang): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const write = async (): Promise<void> => {
    for (const sheet of sheets) {
      const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: PRINT_SETUP });
      ws.columns = sheet.columns.map((c) => ({ header: c[lang], key: c.key, width: c.width, ...(c.kind === 'date' ? { style: { numFmt: 'yyyy-mm-dd' } } : {}) }));
      const header = ws.getRow(1);
      header.font = { bold: true };
      header.commit();
      for await (const row of sheet.rows) {
        const added = ws.addRow(sheet.columns.map((c) => xlsxValue(c, row[c.key] ?? null, lang)));
        let lines = 1;
        sheet.columns.forEach((c, i) => {
          // A cell of several lines (a stuck project's reasons) wraps, each line on its own, and its row is as tall as
          // its lines (spreadsheet programs do not all grow a written row to fit).
          const value = row[c.key];
          if (typeof value !== 'string') return;
          if (value.includes('\n')) {
            added.getCell(i + 1).alignment = { wrapText: true, vertical: 'top' };
            lines = Math.max(lines, wrappedLines(value, c.width ?? DEFAULT_COLUMN_WIDTH));
          }
          if (c.kind !== 'light' || !LIGHT_FILLS[value]) return;
          const cell = added.getCell(i + 1);
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LIGHT_FILLS[value] } };
          cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
        });
        if (lines > 1) added.height = ROW_HEIGHT_PT * lines;
        added.commit();
      }
      ws.commit();
    }
    await workbook.commit();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/**
 * A table as a CSV byte stream (RFC 4180, CRLF): the header row in `lang`, then the rows. `utf-8` starts with the
 * byte-order mark EF BB BF; `gb18030` is encoded with iconv-lite and has none.
 */
export function csvStream(columns: readonly ColumnSpec[], rows: AsyncIterable<TableRow>, lang: LedgerLang, encoding: CsvEncoding): Readable {
  const records = Readable.from(
    (async function* () {
      for await (const row of rows) yield Object.fromEntries(columns.map((c) => [c.key, csvValue(c, row[c.key] ?? null, lang)]));
    })(),
  );
  const csv = stringify({ header: true, columns: columns.map((c) => ({ key: c.key, header: c[lang] })), record_delimiter: 'windows', bom: encoding === 'utf-8' });
  records.on('error', (err) => csv.destroy(err));
  const text = records.pipe(csv);
  if (encoding === 'utf-8') return text;
  const encoded = iconv.encodeStream('gb18030') as unknown as Transform; // iconv-lite's streams are Node transforms
  text.on('error', (err) => encoded.destroy(err));
  text.setEncoding('utf8'); // iconv-lite encodes strings
  return text.pipe(encoded);
}

/**
 * The Content-Disposition of a download named `fileName` (may be Chinese): `attachment`, an ASCII `filename` for
 * old clients (`asciiName`) and the real name as RFC 5987 `filename*=UTF-8''…`.
 */
export function attachmentDisposition(fileName: string, asciiName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/**
 * Yields the items of `pages` (a function giving page `n`, from 1, of at most `size` items) until a page comes back
 * short: lists read in batches, so the whole list is never held at once.
 */
export async function* paged<T>(size: number, page: (n: number) => Promise<T[]>): AsyncGenerator<T> {
  for (let n = 1; ; n++) {
    const items = await page(n);
    yield* items;
    if (items.length < size) return;
  }
}

/**
 * `rows` with its first item read now: a failure reading it (the database down) is thrown here, before any byte of
 * the response is sent, so the caller still answers it as a problem.
 */
export async function primed<T>(rows: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = rows[Symbol.asyncIterator]();
  const first = await it.next();
  return {
    [Symbol.asyncIterator]: () => {
      let pending: IteratorResult<T> | null = first;
      return {
        next: async () => {
          if (pending) {
            const r = pending;
            pending = null;
            return r;
          }
          return it.next();
        },
      };
    },
  };
}
