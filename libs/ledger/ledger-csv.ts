/*
 * A CSV ledger read as a table: the bytes decoded (ledger-text.ts: UTF-8 with or without BOM, GB18030/GBK detected),
 * then parsed by csv-parse (RFC 4180 quoting; comma-separated, or tab-separated when the first line has tabs and no
 * commas). Rows keep however many cells they have: a row whose count differs from the header's is reported by the
 * import, never read into the wrong columns. Pure.
 */
import { parse } from 'csv-parse/sync';
import { csvTextFromCell } from './ledger-columns.js';
import { decodeLedgerText, type LedgerTextEncoding } from './ledger-text.js';
import { tableOf, type LedgerTable } from './ledger-table.js';

/** Why a CSV file cannot be read as a table at all (bad quoting), with the line it stopped at. */
export class LedgerCsvError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
    this.name = 'LedgerCsvError';
  }
}

/** A CSV ledger's table and the encoding its text was read in. */
export interface CsvLedger {
  table: LedgerTable;
  encoding: LedgerTextEncoding;
  bom: boolean;
}

/**
 * The table of a CSV ledger's bytes. Row numbers count records from 1 (the header's, usually), as Excel numbers the
 * rows when it opens the file; blank records are skipped but counted. Cells are text; a leading apostrophe that the
 * export puts before a formula-like text is removed (csvTextFromCell).
 * @throws LedgerTextError when the bytes are in no encoding the import reads (ledger-text.ts)
 * @throws LedgerCsvError when the quoting is broken (an unclosed quote), naming the line
 */
export function readCsvLedger(bytes: Uint8Array): CsvLedger {
  const { text, encoding, bom } = decodeLedgerText(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : null;
    throw new LedgerCsvError(`the CSV cannot be read${line === null ? '' : ` at line ${line}`}: ${(e as Error).message}`, line);
  }
  const rows = records.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => csvTextFromCell(c)) }));
  return { table: tableOf(null, rows, false, undefined, true), encoding, bom };
}
