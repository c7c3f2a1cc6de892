/*
 * The rows of an imported ledger read as registrations (the fields of POST /projects) and positions (where each project
 * stands: steps decided with their days, steps running with their acceptance day), each with the problems found in its
 * cells. Reading only: the API's own rules for a registration (code format and region, signing year, lengths) are
 * applied afterwards by the API with the same validators as POST /projects. Pure.
 */
import { allTrackDefinitions, knownTrackKeys, latestTrackDefinition, type TrackKey } from '../domain/index.js';
import { LEDGER_COLUMNS, LEDGER_LABELS, LEDGER_STEP_COLUMNS, normalizeHeader, valueOfLabel, type ColumnSpec } from './ledger-columns.js';
import { readLedgerAmount, readLedgerDay, readLedgerText, type CellReading, type LedgerCell } from './ledger-cells.js';
import { resolveLedgerHeader, type AmountUnit } from './ledger-headers.js';
import type { LedgerTable, LedgerTableRow } from './ledger-table.js';

/** What is wrong with a cell (or a row, when `column` is null): the sheet, row number, the header as written, the value. */
export interface RowProblem {
  sheet: string | null;
  row: number;
  column: string | null;
  value: string | null;
  problem: string;
}

/** A registration as read from a row: the body of POST /projects (absent cells are absent). */
export interface RegistrationFields {
  code?: string;
  name?: string;
  track?: string;
  district?: string;
  investor?: string | null;
  investmentYuan?: string | null;
  signedAt?: string;
  approvalRoute?: string;
}

/** A step's position as read from the steps sheet: its key, state and days (YYYY-MM-DD, Asia/Shanghai). */
export interface StepPosition {
  row: number;
  step: string;
  state: string;
  acceptedOn: string | null;
  decidedOn: string | null;
}

/** A data row of the ledger sheet, read: its number, the registration, its steps' positions, and its problems. */
export interface LedgerImportRow {
  row: number;
  registration: RegistrationFields;
  position: StepPosition[];
  problems: RowProblem[];
  /**
   * True when the row's cells do not line up with the header (an unquoted `1,020.00`): the row is not read, and its
   * registration holds at most the code, when that cell comes before the shift, to name the project in the report.
   */
  shifted?: true;
}

/** A ledger read: its rows, problems of the file as a whole (a missing column), and the headers it does not use. */
export interface LedgerImport {
  sheet: string | null;
  rows: LedgerImportRow[];
  fileProblems: string[];
  /** Headers of the ledger sheet the import does not read, in the file's order (unknown, computed or repeated). */
  ignoredHeaders: string[];
  /** The header as written in the file for each registration field it has (for naming columns in problems). */
  headerOf: Partial<Record<keyof RegistrationFields, string>>;
}

/** Columns of the ledger sheet that a registration is read from; the other exported columns (light, stage…) are derived. */
const REGISTRATION_KEYS = ['code', 'name', 'track', 'district', 'investor', 'investmentWan', 'signedAt', 'approvalRoute'] as const;

/** Columns a ledger must have to be imported. */
const REQUIRED_KEYS = ['code', 'name', 'district', 'signedAt'] as const;

/** A column of a table: where it is, the header as written, the unit it names. */
interface MappedColumn {
  index: number;
  header: string;
  unit: AmountUnit | null;
}

/** The columns of a table by key (the first of two naming the same key), and the headers naming none. */
function mapColumns(headers: readonly string[], columns: readonly ColumnSpec[]): { byKey: Map<string, MappedColumn>; unknown: string[] } {
  const byKey = new Map<string, MappedColumn>();
  const unknown: string[] = [];
  headers.forEach((header, index) => {
    const r = resolveLedgerHeader(header, columns);
    if (r === null) {
      if (header.trim() !== '') unknown.push(header);
    } else if (!byKey.has(r.key)) byKey.set(r.key, { index, header, unit: r.unit });
  });
  return { byKey, unknown };
}

/** The text shown for a cell in a problem. */
function shown(cell: LedgerCell): string | null {
  return readLedgerText(cell);
}

/**
 * Why a row's cells do not line up with the header, or null when they do: more non-blank cells than headers (an
 * unquoted `1,020.00` splits into `1` and `020.00`), or, in a CSV, a record with another number of cells than the
 * header's. The column named is the amount column whose cell and the next look like the halves of a number split at a
 * thousands separator; none when no column can be told. `intactColumns`: how many columns from the first still hold
 * their own cells (those before the split amount; none when the split is not found).
 */
function shiftProblem(table: LedgerTable, r: LedgerTableRow, amountColumns: readonly number[]): { problem: RowProblem; intactColumns: number } | null {
  const n = table.recordWidth ?? table.headers.length;
  const extra = table.recordWidth === null ? r.cells.slice(n).some((c) => readLedgerText(c) !== null) : r.cells.length > n;
  const short = table.recordWidth !== null && r.cells.length < n;
  if (!extra && !short) return null;
  const count = table.recordWidth === null ? r.cells.reduce<number>((last, c, i) => (readLedgerText(c) === null ? last : i + 1), 0) : r.cells.length;
  // The halves of a number split at an unquoted thousands separator: `1` then `020.00`, in or next to an amount column.
  const split = extra
    ? r.cells.findIndex((c, i) => i < table.headers.length && /^\d{1,3}$/.test(String(c ?? '').trim()) && /^\d{3}(\.\d+)?$/.test(String(r.cells[i + 1] ?? '').trim()) && amountColumns.some((a) => a === i))
    : -1;
  const at = split >= 0 ? split : null;
  const value = split >= 0 ? `${String(r.cells[split])},${String(r.cells[split + 1])}` : null;
  const cause =
    split >= 0
      ? `an amount with a thousands separator that is not in quotes split into '${String(r.cells[split])}' and '${String(r.cells[split + 1])}', shifting the columns after it`
      : 'a comma inside a cell that is not in quotes shifts the columns';
  const problem: RowProblem = {
    sheet: table.sheet,
    row: r.row,
    column: at === null ? null : (table.headers[at] ?? null),
    value,
    problem: `the row has ${extra ? 'more' : 'fewer'} cells (${count}) than the header (${n}): ${cause}; the row is not imported (quote the cell, e.g. "1,020.00", or save the file from Excel)`,
  };
  // The cells before a split amount are where their headers say; where the shift starts is unknown otherwise.
  return { problem, intactColumns: split >= 0 ? split : 0 };
}

/** The words accepted for an enum column, for a problem's message: for tracks, every released one (shipped or published). */
function wordsOf(group: 'track' | 'approvalRoute'): string {
  if (group === 'approvalRoute') return 'filing, approval (备案, 核准)';
  const labels = LEDGER_LABELS.track as Record<string, { zh: string } | undefined>;
  const keys = [...new Set(allTrackDefinitions().map((d) => d.track))]; // shipped first, in their order, then published
  return `${keys.join(', ')} (${keys.map((k) => labels[k]?.zh ?? latestTrackDefinition(k).nameZh).join(', ')})`;
}

/**
 * The track a ledger's word names: the ledger's own word for a track ({@link LEDGER_LABELS}), or any released track's
 * key or name (shipped or published: the track registry), case and spaces ignored; null when none.
 */
function trackOfWord(text: string): TrackKey | null {
  const labelled = valueOfLabel('track', text);
  const wanted = normalizeHeader(text);
  const named = allTrackDefinitions().find((d) => [d.track, d.name, d.nameZh].some((w) => normalizeHeader(w) === wanted))?.track ?? null;
  const v = labelled ?? named;
  return v !== null && knownTrackKeys().includes(v) ? v : null;
}

/**
 * The registrations of a ledger sheet, row by row, and (when the workbook has a steps sheet) the position of each.
 * Per row: the code trimmed (NFKC), name, district and investor trimmed only (as written); the track and approval route by their Chinese or English word or their value
 * (valueOfLabel); the amount in yuan (readLedgerAmount, with the header's unit); the signing day (readLedgerDay).
 * Problems: a row whose cells do not line up with the header (nothing else is read from it), a required cell empty,
 * a cell that cannot be read, a code seen on an earlier row; a step row whose project is not in the ledger, whose
 * step the project's track does not have, or whose state or days cannot be read; with `today`, a signing, acceptance
 * or decision day after it (a ledger records what happened, and the API refuses an action in the future).
 * @param today the Asia/Shanghai date (YYYY-MM-DD) the import runs on; omitted, days are not compared with it
 */
export function readLedgerImport(table: LedgerTable, steps: LedgerTable | null = null, today?: string): LedgerImport {
  const { byKey } = mapColumns(table.headers, LEDGER_COLUMNS);
  const headerOf: LedgerImport['headerOf'] = {};
  for (const key of REGISTRATION_KEYS) {
    const c = byKey.get(key);
    if (c) headerOf[key === 'investmentWan' ? 'investmentYuan' : key] = c.header;
  }
  const fileProblems = REQUIRED_KEYS.filter((k) => !byKey.has(k)).map((k) => {
    const spec = LEDGER_COLUMNS.find((c) => c.key === k)!;
    return `the sheet${table.sheet ? ` ${table.sheet}` : ''} has no column ${spec.zh} (${spec.en}): every project needs it`;
  });
  const amountColumns = [byKey.get('investmentWan')?.index].filter((i): i is number => i !== undefined);
  const firstRowOfCode = new Map<string, number>();
  const rows: LedgerImportRow[] = table.rows.map((r) => {
    const problems: RowProblem[] = [];
    const registration: RegistrationFields = {};
    const shift = shiftProblem(table, r, amountColumns);
    if (shift) {
      // The row is not imported, but its report names the project when the code's cell is before the shift.
      const codeColumn = byKey.get('code');
      const code = codeColumn && codeColumn.index < shift.intactColumns ? readLedgerText(r.cells[codeColumn.index] ?? null) : null;
      if (code !== null) registration.code = code;
      return { row: r.row, registration, position: [], problems: [shift.problem], shifted: true };
    }
    const cellAt = (key: string): { cell: LedgerCell; col: MappedColumn } | null => {
      const col = byKey.get(key);
      return col ? { cell: r.cells[col.index] ?? null, col } : null;
    };
    const take = <T>(key: string, read: (cell: LedgerCell, col: MappedColumn) => CellReading<T>): T | undefined => {
      const at = cellAt(key);
      if (!at) return undefined;
      const reading = read(at.cell, at.col);
      if (reading.ok) return reading.value;
      problems.push({ sheet: table.sheet, row: r.row, column: at.col.header, value: shown(at.cell), problem: reading.problem });
      return undefined;
    };
    const text = (cell: LedgerCell): CellReading<string | null> => ({ ok: true, value: readLedgerText(cell) });
    // Names as written: only trimmed, since NFKC would turn a Chinese name's full-width （）、，into ASCII and the
    // project registered would differ from the ledger (and from its own export, read back).
    const asWritten = (cell: LedgerCell): CellReading<string | null> => ({ ok: true, value: typeof cell === 'string' ? cell.trim() || null : readLedgerText(cell) });
    const word = (group: 'track' | 'approvalRoute') => (cell: LedgerCell): CellReading<string | null> => {
      const t = readLedgerText(cell);
      if (t === null) return { ok: true, value: null };
      const v = group === 'track' ? trackOfWord(t) : valueOfLabel(group, t);
      if (v === null) return { ok: false, problem: `'${t}' is not one of: ${wordsOf(group)}` };
      return { ok: true, value: v };
    };
    const assign = <K extends keyof RegistrationFields>(field: K, value: RegistrationFields[K] | null | undefined, required: boolean, key: string): void => {
      if (value !== undefined && value !== null) registration[field] = value;
      else if (value === null && !required) registration[field] = null as RegistrationFields[K];
      else if (value === null && required) {
        const col = byKey.get(key)!;
        problems.push({ sheet: table.sheet, row: r.row, column: col.header, value: null, problem: 'empty: every project needs it' });
      }
    };
    assign('code', take('code', text), true, 'code');
    assign('name', take('name', asWritten), true, 'name');
    const track = take('track', word('track'));
    if (track) registration.track = track;
    assign('district', take('district', asWritten), true, 'district');
    assign('investor', take('investor', asWritten), false, 'investor');
    assign('investmentYuan', take('investmentWan', (cell, col) => readLedgerAmount(cell, col.unit)), false, 'investmentWan');
    assign('signedAt', take('signedAt', (cell) => readLedgerDay(cell, table.date1904)), true, 'signedAt');
    if (today !== undefined && registration.signedAt !== undefined && registration.signedAt > today) {
      const col = byKey.get('signedAt')!;
      problems.push({ sheet: table.sheet, row: r.row, column: col.header, value: registration.signedAt, problem: `signed ${registration.signedAt}, after today (${today}): the ledger records signed projects` });
    }
    const route = take('approvalRoute', word('approvalRoute'));
    if (route) registration.approvalRoute = route;
    const code = registration.code;
    if (code !== undefined) {
      const first = firstRowOfCode.get(code);
      if (first !== undefined) {
        problems.push({ sheet: table.sheet, row: r.row, column: byKey.get('code')!.header, value: code, problem: `the same project code as row ${first}: a project is imported once` });
      } else firstRowOfCode.set(code, r.row);
    }
    return { row: r.row, registration, position: [], problems };
  });
  if (steps) placeSteps(rows, steps, firstRowOfCode, fileProblems, today);
  // Not read: headers naming no column, the ledger's computed columns (stage, status, light, current steps, …: what
  // the registration and the steps sheet determine), and a second header naming a column already read.
  const read = new Set(REGISTRATION_KEYS.map((k) => byKey.get(k)?.index));
  const ignoredHeaders = table.headers.filter((h, i) => h.trim() !== '' && !read.has(i));
  return { sheet: table.sheet, rows, fileProblems, ignoredHeaders, headerOf };
}

/** States a step may be imported in, and which days each needs. */
const STATE_DAYS: Readonly<Record<string, { accepted: boolean; decided: boolean }>> = {
  blocked: { accepted: false, decided: false },
  ready: { accepted: false, decided: false },
  received: { accepted: false, decided: false },
  in_review: { accepted: true, decided: false },
  supplement_requested: { accepted: true, decided: false },
  approved: { accepted: false, decided: true },
  delivered: { accepted: false, decided: true },
  waived: { accepted: false, decided: true },
  rejected: { accepted: false, decided: true },
};

/**
 * Reads the steps sheet into the position of each ledger row (by project code). A step row's problems are added to the
 * project's row (with the steps sheet's name and row number); a step row of a code the ledger sheet does not list is a
 * problem of the file.
 */
function placeSteps(rows: LedgerImportRow[], steps: LedgerTable, rowOfCode: ReadonlyMap<string, number>, fileProblems: string[], today: string | undefined): void {
  const { byKey } = mapColumns(steps.headers, LEDGER_STEP_COLUMNS);
  if (!byKey.has('code') || !(byKey.has('step') || byKey.has('stepName')) || !byKey.has('state')) {
    fileProblems.push(`the sheet ${steps.sheet ?? ''} has no columns 项目代码, 事项代码 and 办理状态: the steps' positions are not read`);
    return;
  }
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const cell = (r: LedgerTableRow, key: string): LedgerCell => {
    const col = byKey.get(key);
    return col ? (r.cells[col.index] ?? null) : null;
  };
  for (const r of steps.rows) {
    const code = readLedgerText(cell(r, 'code'));
    const target = code === null ? undefined : byRow.get(rowOfCode.get(code) ?? -1);
    if (!target) {
      fileProblems.push(`${steps.sheet ?? 'steps'} row ${r.row}: project code ${code ?? '(empty)'} is not in the ledger sheet`);
      continue;
    }
    const problem = (key: string, problemText: string): void => {
      target.problems.push({ sheet: steps.sheet, row: r.row, column: byKey.get(key)?.header ?? null, value: readLedgerText(cell(r, key)), problem: problemText });
    };
    const track = (target.registration.track ?? 'standard') as TrackKey;
    const def = knownTrackKeys().includes(track) ? latestTrackDefinition(track) : null;
    const keyText = readLedgerText(cell(r, 'step'));
    const nameText = readLedgerText(cell(r, 'stepName'));
    const stepText = keyText ?? nameText;
    const names = (d: { key: string; name: string; nameZh: string }, text: string) => [d.key, d.name, d.nameZh].includes(text);
    const stepDef = def?.steps.find((s) => stepText !== null && names(s, stepText));
    if (!stepDef) {
      problem(byKey.has('step') ? 'step' : 'stepName', `not a step of track ${track}`);
      continue;
    }
    // A row whose key and name name two steps: which one the clerk meant is theirs to say.
    if (keyText !== null && nameText !== null && !names(stepDef, nameText)) {
      problem('stepName', `names another step than 事项代码 ${stepDef.key} (${stepDef.nameZh}); correct one of the two`);
      continue;
    }
    const stateText = readLedgerText(cell(r, 'state'));
    const state = stateText === null ? null : valueOfLabel('state', stateText);
    if (state === null || !Object.hasOwn(STATE_DAYS, state)) {
      problem('state', `'${stateText ?? ''}' is not a step state (待前置, 待申请, 已收件, 审查中, 补正中, 已办结, 已送达, 容缺, 不予许可)`);
      continue;
    }
    const accepted = readLedgerDay(cell(r, 'acceptedOn'), steps.date1904);
    const decided = readLedgerDay(cell(r, 'decidedOn'), steps.date1904);
    if (!accepted.ok) problem('acceptedOn', accepted.problem);
    if (!decided.ok) problem('decidedOn', decided.problem);
    if (!accepted.ok || !decided.ok) continue;
    const need = STATE_DAYS[state]!;
    const signedAt = target.registration.signedAt;
    if (need.accepted && accepted.value === null) problem('acceptedOn', `empty: a step ${stateText} runs from its acceptance day (受理日期)`);
    else if (need.decided && decided.value === null) problem('decidedOn', `empty: a step ${stateText} needs its decision day (办结日期)`);
    else if (accepted.value && decided.value && decided.value < accepted.value) problem('decidedOn', `decided ${decided.value} before it was accepted ${accepted.value}`);
    else if (signedAt !== undefined && accepted.value !== null && accepted.value < signedAt) problem('acceptedOn', `accepted ${accepted.value}, before the project was signed (${signedAt})`);
    else if (signedAt !== undefined && decided.value !== null && decided.value < signedAt) problem('decidedOn', `decided ${decided.value}, before the project was signed (${signedAt})`);
    else if (today !== undefined && accepted.value !== null && accepted.value > today) problem('acceptedOn', `accepted ${accepted.value}, after today (${today}): a ledger records what happened`);
    else if (today !== undefined && decided.value !== null && decided.value > today) problem('decidedOn', `decided ${decided.value}, after today (${today}): a ledger records what happened`);
    else if (target.position.some((p) => p.step === stepDef.key)) problem('step', `step ${stepDef.key} is listed twice for this project`);
    else target.position.push({ row: r.row, step: stepDef.key, state, acceptedOn: accepted.value, decidedOn: decided.value });
  }
}
