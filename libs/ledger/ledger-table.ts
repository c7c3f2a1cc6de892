/*
 * A ledger sheet as the import reads it, whatever the file: its header row and its data rows, each cell as the reader
 * found it. Built by ledger-csv.ts and ledger-xlsx.ts; read by ledger-import-rows.ts. Pure.
 */
import type { ColumnSpec } from './ledger-columns.js';
import { LEDGER_COLUMNS } from './ledger-columns.js';
import type { LedgerCell } from './ledger-cells.js';
import { headerScore } from './ledger-headers.js';

/** A data row: its number as a spreadsheet shows it (the header row's number + 1 for the first) and its cells. */
export interface LedgerTableRow {
  row: number;
  cells: LedgerCell[];
}

/** A sheet of a ledger: its name (null for a CSV), the header row's number and texts, the data rows, the date system. */
export interface LedgerTable {
  sheet: string | null;
  headerRow: number;
  headers: string[];
  rows: LedgerTableRow[];
  /** True when the workbook counts serials from 1904 (Excel for Mac's old default); false for CSV. */
  date1904: boolean;
  /**
   * For a CSV, the number of cells of the header record (trailing empty ones included), which every record must have:
   * another count means a cell's comma was not quoted. Null for a sheet, whose rows have no count of their own.
   */
  recordWidth: number | null;
}

/** How many rows at the top of a sheet may hold its title and notes above the header row. */
export const HEADER_SEARCH_ROWS = 10;

/** True when no cell of the row holds anything (blank text included): such rows are skipped, as Excel users expect. */
export function isBlankRow(cells: readonly LedgerCell[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

/**
 * A table from a sheet's rows (each with its spreadsheet row number): the header row is the one among the first
 * {@link HEADER_SEARCH_ROWS} that names the most of `columns` (a title row above it is skipped), the first row when
 * none names any; the rows after it that are not blank are the data rows. `csv`: the rows are CSV records, whose
 * cell count must be the header record's ({@link LedgerTable.recordWidth}).
 */
export function tableOf(
  sheet: string | null,
  rows: readonly LedgerTableRow[],
  date1904: boolean,
  columns: readonly ColumnSpec[] = LEDGER_COLUMNS,
  csv = false,
): LedgerTable {
  let best = -1;
  let bestScore = 0;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((r, i) => {
    const score = headerScore(r.cells, columns);
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  const at = best < 0 ? rows.findIndex((r) => !isBlankRow(r.cells)) : best;
  if (at < 0) return { sheet, headerRow: 1, headers: [], rows: [], date1904, recordWidth: null };
  const header = rows[at]!;
  const headers = header.cells.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c).trim()));
  while (headers.length > 0 && headers.at(-1)!.trim() === '') headers.pop();
  const recordWidth = csv ? header.cells.length : null;
  return { sheet, headerRow: header.row, headers, rows: rows.slice(at + 1).filter((r) => !isBlankRow(r.cells)), date1904, recordWidth };
}
