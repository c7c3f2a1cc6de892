/*
 * An XLSX ledger read as tables by ExcelJS: the ledger sheet (the one whose header row names the most ledger columns,
 * the first sheet when none does) and, when the workbook has one, the steps sheet (事项明细: one row per step of each
 * project, as the export writes it). Cells keep their kind: text, number, Date (ExcelJS turns date cells into Dates in
 * the workbook's date system, 1900 or 1904), boolean. No I/O beyond the bytes handed in.
 */
import ExcelJS from 'exceljs';
import { LEDGER_COLUMNS, LEDGER_STEP_COLUMNS, type ColumnSpec } from './ledger-columns.js';
import type { LedgerCell } from './ledger-cells.js';
import { headerScore, resolveLedgerHeader } from './ledger-headers.js';
import { tableOf, type LedgerTable, type LedgerTableRow } from './ledger-table.js';

/** Why bytes are not a workbook ExcelJS can open (not a ZIP, or no sheet in it). */
export class LedgerWorkbookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerWorkbookError';
  }
}

/** An XLSX ledger: its ledger sheet, its steps sheet when it has one, and the workbook's date system. */
export interface XlsxLedger {
  table: LedgerTable;
  steps: LedgerTable | null;
  date1904: boolean;
}

/** A cell's value as the import reads it: rich text joined, a formula's cached result, a hyperlink's text, an error's code. */
export function cellOf(value: ExcelJS.CellValue): LedgerCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellOf((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in value) return cellOf(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return null;
}

/** The rows of a worksheet with their numbers, each as many cells as the sheet has columns. */
function rowsOf(ws: ExcelJS.Worksheet): LedgerTableRow[] {
  const rows: LedgerTableRow[] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: LedgerCell[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellOf(row.getCell(c).value));
    rows.push({ row: r, cells });
  }
  return rows;
}

/** The best header score among a sheet's first rows for `columns`, and the keys that row names. */
function bestHeader(rows: readonly LedgerTableRow[], columns: readonly ColumnSpec[]): { score: number; keys: Set<string> } {
  let best = { score: 0, keys: new Set<string>() };
  for (const r of rows.slice(0, 10)) {
    const score = headerScore(r.cells, columns);
    if (score > best.score) {
      const keys = new Set(r.cells.map((c) => (typeof c === 'string' ? resolveLedgerHeader(c, columns)?.key : undefined)).filter((k): k is string => k !== undefined));
      best = { score, keys };
    }
  }
  return best;
}

/**
 * The ledger of an XLSX file's bytes.
 * @throws LedgerWorkbookError when ExcelJS cannot open the bytes as a workbook or it has no worksheet
 */
export async function readXlsxLedger(bytes: Uint8Array): Promise<XlsxLedger> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new LedgerWorkbookError(`the file is not an Excel workbook (.xlsx) that can be opened: ${(e as Error).message}`);
  }
  const date1904 = wb.properties.date1904 === true;
  const sheets = wb.worksheets.map((ws) => ({ name: ws.name, rows: rowsOf(ws) }));
  if (sheets.length === 0) throw new LedgerWorkbookError('the workbook has no worksheet');
  const scored = sheets.map((s) => ({ ...s, ledger: bestHeader(s.rows, LEDGER_COLUMNS), steps: bestHeader(s.rows, LEDGER_STEP_COLUMNS) }));
  const isSteps = (s: (typeof scored)[number]): boolean => s.steps.keys.has('step') && s.steps.keys.has('state') && !s.ledger.keys.has('name');
  const ledgerSheet = scored.filter((s) => !isSteps(s)).reduce<(typeof scored)[number] | null>((a, s) => (a === null || s.ledger.score > a.ledger.score ? s : a), null) ?? scored[0]!;
  const stepsSheet = scored.find((s) => s !== ledgerSheet && isSteps(s)) ?? null;
  return {
    table: tableOf(ledgerSheet.name, ledgerSheet.rows, date1904, LEDGER_COLUMNS),
    steps: stepsSheet ? tableOf(stepsSheet.name, stepsSheet.rows, date1904, LEDGER_STEP_COLUMNS) : null,
    date1904,
  };
}
