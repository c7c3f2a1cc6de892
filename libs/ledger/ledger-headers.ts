/*
 * The header map of a ledger being imported: which column a header names, and in which unit its amounts are. Reads the
 * headers the export writes (ledger-columns.ts, Chinese and English) and the ways a district's own workbook words them:
 * spaces anywhere, full-width or half-width brackets, a unit after the name (`总投资（万元）`, `总投资 (亿元)`,
 * `总投资/万元`, `Total investment (10k yuan)`), and a few other names a ledger uses for the same column (`项目编码`,
 * `建设单位`, `计划总投资`). Pure.
 */
import { LEDGER_COLUMNS, normalizeHeader, type ColumnSpec } from './ledger-columns.js';

/** The unit of an amount: yuan (元), 10,000 yuan (万元) or 100 million yuan (亿元). */
export type AmountUnit = 'yuan' | 'wan' | 'yi';

/** Decimal places an amount in the unit is shifted by to give yuan. */
export const UNIT_EXPONENT: Readonly<Record<AmountUnit, number>> = { yuan: 0, wan: 4, yi: 8 };

/** A header as the import reads it: the column key and, for an amount, the unit the header names (null: none). */
export interface ResolvedHeader {
  key: string;
  unit: AmountUnit | null;
}

/**
 * Other names of ledger columns, beside the export's own headers (LEDGER_COLUMNS and LEDGER_STEP_COLUMNS), compared
 * after {@link normalizeHeader} and without a unit. `investmentYuan` (the API's field name) is in yuan by its name.
 */
export const HEADER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  code: ['项目编码', '项目统一代码', '统一项目代码', '项目代码号', 'code', 'projectcode'],
  name: ['名称', 'name', 'projectname'],
  track: ['项目类别', '类型', 'track', 'type'],
  district: ['区域', '所在地', '所属区域', '所在区县', '所在地区', 'district'],
  investor: ['投资方', '建设单位', '项目单位', '业主单位', 'investor'],
  investmentWan: ['总投资', '计划总投资', '总投资额', '投资额', '投资总额', 'investment', 'totalinvestment', 'investmentyuan'],
  signedAt: ['签约时间', '签约日', 'signedat', 'signingdate', 'signedon'],
  approvalRoute: ['审批类型', 'approvalroute'],
  step: ['事项', 'stepkey'],
  state: ['状态', 'state'],
  acceptedOn: ['受理时间', 'acceptedat', 'acceptedon'],
  decidedOn: ['办结时间', 'decidedat', 'decidedon'],
};

/** Unit words after a header's name, normalized (NFKC, no spaces, lower case). */
const UNIT_WORDS: Readonly<Record<string, AmountUnit>> = {
  元: 'yuan',
  人民币元: 'yuan',
  yuan: 'yuan',
  cny: 'yuan',
  rmb: 'yuan',
  万元: 'wan',
  万: 'wan',
  '10kyuan': 'wan',
  '10,000yuan': 'wan',
  'cny10k': 'wan',
  亿元: 'yi',
  亿: 'yi',
  '100myuan': 'yi',
  '100millionyuan': 'yi',
};

/** Units of headers that name none by a word but by their name (the API's field). */
const NAMED_UNITS: Readonly<Record<string, AmountUnit>> = { investmentyuan: 'yuan' };

/**
 * A normalized header split into its name and the text in a trailing bracket or after a slash or colon, if any:
 * `总投资(万元)` → [`总投资`, `万元`]; `总投资/万元` → [`总投资`, `万元`]; `总投资万元` → [`总投资`, `万元`] (a unit word
 * written straight after the name).
 */
function splitUnit(normalized: string): [name: string, suffix: string | null] {
  const bracket = /^(.+?)[([【〔]([^()[\]【】〔〕]*)[)\]】〕]$/.exec(normalized);
  if (bracket) return [bracket[1]!, bracket[2]!.replace(/^单位[:：]?/, '')];
  const slash = /^(.+?)[/:：]([^/:：]+)$/.exec(normalized);
  if (slash) return [slash[1]!, slash[2]!];
  const word = /^(.+?)(万元|亿元|元)$/.exec(normalized);
  if (word) return [word[1]!, word[2]!];
  return [normalized, null];
}

/** The names a column answers to, normalized and without units: its two headers and its aliases. */
function namesOf(c: ColumnSpec): Set<string> {
  const names = [c.zh, c.en, c.key, ...(HEADER_ALIASES[c.key] ?? [])].map((h) => splitUnit(normalizeHeader(h))[0]);
  return new Set(names);
}

/**
 * The column `header` names among `columns` (LEDGER_COLUMNS by default; LEDGER_STEP_COLUMNS for the steps sheet) and
 * the amount unit it names: spaces and bracket widths ignored, a unit in brackets or after `/` read as the unit (元,
 * 万元, 亿元, yuan, 10k yuan, 100m yuan), other bracketed text (e.g. `（工作日）`) ignored for the match. Null when the
 * header names no column (such columns are kept out of the import and listed in its report).
 */
export function resolveLedgerHeader(header: string, columns: readonly ColumnSpec[] = LEDGER_COLUMNS): ResolvedHeader | null {
  const normalized = normalizeHeader(header);
  if (normalized === '') return null;
  const [name, suffix] = splitUnit(normalized);
  const unit = suffix !== null && Object.hasOwn(UNIT_WORDS, suffix) ? UNIT_WORDS[suffix]! : (NAMED_UNITS[normalized] ?? null);
  for (const c of columns) {
    const names = namesOf(c);
    if (names.has(normalized) || names.has(name)) return { key: c.key, unit };
  }
  return null;
}

/**
 * How well a row of cells reads as the header row of `columns`: the number of distinct columns it names. The import
 * takes, among a sheet's first rows, the one that names the most (a ledger often has a title row above its headers).
 */
export function headerScore(cells: readonly unknown[], columns: readonly ColumnSpec[] = LEDGER_COLUMNS): number {
  const keys = new Set<string>();
  for (const cell of cells) {
    if (typeof cell !== 'string') continue;
    const r = resolveLedgerHeader(cell, columns);
    if (r) keys.add(r.key);
  }
  return keys.size;
}
