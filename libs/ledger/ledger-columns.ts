/*
 * The district's major-project ledger (重大项目台账) as a table: its columns, their Chinese and English headers, the
 * words its cells use for the API's enums, and the conversions of its amounts (万元) and days. One module for both
 * directions: the export writes these headers and words, and the import of a ledger reads them back with
 * {@link ledgerColumnOfHeader} and {@link valueOfLabel}, so "export → import" changes nothing. Pure: no I/O.
 */
import { DEPARTMENTS } from '../domain/departments.js';

/** Languages a ledger is written in: Chinese headers and words by default, English on request. */
export type LedgerLang = 'zh' | 'en';

/**
 * How a column's cells are written: `text`; `date` (a day YYYY-MM-DD, Asia/Shanghai; a real date in XLSX); `wan`
 * (an amount given in yuan as a decimal string, written in 万元); `integer`; `number` (a count or an average);
 * `light` (green | yellow | red: the word, and in XLSX the cell's fill colour).
 */
export type CellKind = 'text' | 'date' | 'wan' | 'integer' | 'number' | 'light';

/** A column of an exported table: its key (the cell's field), headers in both languages, kind and width (characters). */
export interface ColumnSpec {
  key: string;
  zh: string;
  en: string;
  kind: CellKind;
  width: number;
}

/** A row of an exported table: cell values by column key, in the form the column's {@link CellKind} says. */
export type TableRow = Record<string, string | number | null>;

const col = (key: string, zh: string, en: string, kind: CellKind, width: number): ColumnSpec => ({ key, zh, en, kind, width });

/**
 * The ledger sheet (台账), one row per project, in this order:
 * project code, name, track, district, investor, total investment in 万元 (exact, from `investmentYuan`), signing day,
 * approval route (备案/核准), current stage, status, the project's light, the open steps (name, department, state,
 * due day), the departments holding them, the earliest due day among them, the working days the most overdue open
 * step is past its published deadline (0 when none), government time in working days (政府审批用时), whether it is
 * under supervision (督办), and the day of its last progress.
 */
export const LEDGER_COLUMNS: readonly ColumnSpec[] = [
  col('code', '项目代码', 'Project code', 'text', 26),
  col('name', '项目名称', 'Project name', 'text', 36),
  col('track', '项目类型', 'Track', 'text', 14),
  col('district', '所在区域', 'District', 'text', 12),
  col('investor', '投资主体', 'Investor', 'text', 30),
  col('investmentWan', '总投资（万元）', 'Total investment (10k yuan)', 'wan', 16),
  col('signedAt', '签约日期', 'Signed on', 'date', 12),
  col('approvalRoute', '审批方式', 'Approval route', 'text', 10),
  col('stage', '当前阶段', 'Stage', 'text', 14),
  col('status', '项目状态', 'Status', 'text', 10),
  col('light', '亮灯', 'Light', 'light', 8),
  col('currentSteps', '当前办理事项', 'Current steps', 'text', 48),
  col('departments', '责任部门', 'Departments', 'text', 24),
  col('nextDueOn', '最近到期日', 'Next due on', 'date', 12),
  col('overdueWorkingDays', '逾期天数（工作日）', 'Days overdue (working days)', 'integer', 12),
  col('governmentWorkingDays', '政府审批用时（工作日）', 'Government time (working days)', 'integer', 14),
  col('underSupervision', '是否督办', 'Under supervision', 'text', 10),
  col('lastProgressOn', '最近进展日期', 'Last progress on', 'date', 12),
];

/**
 * The steps sheet (事项明细) of the XLSX ledger, one row per step of each project: where each project stands, step by
 * step, with the days an import needs to register it at its current position (acceptance day of a running step,
 * decision day of a done one).
 */
export const LEDGER_STEP_COLUMNS: readonly ColumnSpec[] = [
  col('code', '项目代码', 'Project code', 'text', 26),
  col('step', '事项代码', 'Step key', 'text', 26),
  col('stepName', '事项名称', 'Step', 'text', 28),
  col('department', '责任部门', 'Department', 'text', 18),
  col('state', '办理状态', 'State', 'text', 10),
  col('acceptedOn', '受理日期', 'Accepted on', 'date', 12),
  col('decidedOn', '办结日期', 'Decided on', 'date', 12),
  col('dueOn', '承诺办结日', 'Due on', 'date', 12),
  col('light', '亮灯', 'Light', 'light', 8),
  col('overdueWorkingDays', '逾期天数（工作日）', 'Days overdue (working days)', 'integer', 12),
];

/** Sheet names of the XLSX ledger. */
export const LEDGER_SHEETS = { ledger: { zh: '台账', en: 'Ledger' }, steps: { zh: '事项明细', en: 'Steps' } } as const;

/** The words a ledger's cells use for the API's enum values, by group, in both languages. */
export const LEDGER_LABELS = {
  track: {
    standard: { zh: '一般工业项目', en: 'Standard' },
    bonded_zone: { zh: '综保区项目', en: 'Bonded zone' },
    relocation: { zh: '企业搬迁退出', en: 'Relocation' },
  },
  status: {
    active: { zh: '进行中', en: 'Active' },
    suspended: { zh: '已中止', en: 'Suspended' },
    completed: { zh: '已完成', en: 'Completed' },
    cancelled: { zh: '已撤销', en: 'Cancelled' },
  },
  light: { green: { zh: '绿灯', en: 'Green' }, yellow: { zh: '黄灯', en: 'Yellow' }, red: { zh: '红灯', en: 'Red' } },
  approvalRoute: { filing: { zh: '备案', en: 'Filing' }, approval: { zh: '核准', en: 'Approval' } },
  state: {
    blocked: { zh: '待前置', en: 'Blocked' },
    ready: { zh: '待申请', en: 'Ready' },
    received: { zh: '已收件', en: 'Received' },
    in_review: { zh: '审查中', en: 'In review' },
    supplement_requested: { zh: '补正中', en: 'Supplement requested' },
    approved: { zh: '已办结', en: 'Approved' },
    delivered: { zh: '已送达', en: 'Delivered' },
    waived: { zh: '容缺', en: 'Waived' },
    rejected: { zh: '不予许可', en: 'Rejected' },
  },
  department: Object.fromEntries(Object.entries(DEPARTMENTS).map(([k, d]) => [k, { zh: d.nameZh, en: d.name }])) as Record<string, { zh: string; en: string }>,
  yesNo: { yes: { zh: '是', en: 'Yes' }, no: { zh: '否', en: 'No' } },
} as const satisfies Record<string, Record<string, { zh: string; en: string }>>;

/** A group of {@link LEDGER_LABELS}. */
export type LabelGroup = keyof typeof LEDGER_LABELS;

/** The word for `value` of `group` in `lang`; the value itself when the group has no word for it (e.g. a new track). */
export function labelOf(group: LabelGroup, value: string, lang: LedgerLang): string {
  const labels = LEDGER_LABELS[group] as Record<string, { zh: string; en: string }>;
  return Object.hasOwn(labels, value) ? labels[value]![lang] : value;
}

/**
 * The enum value a cell's word stands for, in either language or as the value itself (case and spaces ignored);
 * null when it names none of `group`.
 */
export function valueOfLabel(group: LabelGroup, text: string): string | null {
  const wanted = normalizeHeader(text);
  for (const [value, l] of Object.entries(LEDGER_LABELS[group] as Record<string, { zh: string; en: string }>)) {
    if ([value, l.zh, l.en].some((w) => normalizeHeader(w) === wanted)) return value;
  }
  return null;
}

/**
 * A header or word as compared: Unicode NFKC (full-width brackets, letters and digits become their ASCII forms),
 * whitespace removed, lower case. `总投资（万元）` and `总投资 (万元)` compare equal.
 */
export function normalizeHeader(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** The key of the column of `columns` whose Chinese or English header is `header` ({@link normalizeHeader}), or null. */
export function ledgerColumnOfHeader(header: string, columns: readonly ColumnSpec[] = LEDGER_COLUMNS): string | null {
  const wanted = normalizeHeader(header);
  return columns.find((c) => normalizeHeader(c.zh) === wanted || normalizeHeader(c.en) === wanted)?.key ?? null;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * An amount in yuan (a non-negative decimal string, e.g. `investmentYuan`) in 万元, as an exact decimal string:
 * the decimal point moved four places by text, never through floating point. `1020000000` → `102000`,
 * `12345678.9` → `1234.56789`.
 * @throws RangeError when `yuan` is not a non-negative decimal
 */
export function yuanToWan(yuan: string): string {
  const m = DECIMAL.exec(yuan);
  if (!m) throw new RangeError(`not an amount in yuan: ${yuan}`);
  const digits = (m[1]! + (m[2] ?? '')).replace(/^0+(?=\d)/, '');
  const scale = (m[2] ?? '').length + 4; // digits after the point, in 万元
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale).replace(/^0+(?=\d)/, '');
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * An amount in 万元 (a non-negative decimal string) in yuan, exact: the inverse of {@link yuanToWan}.
 * `102000` → `1020000000`, `1020.00` → `10200000`.
 * @throws RangeError when `wan` is not a non-negative decimal
 */
export function wanToYuan(wan: string): string {
  const m = DECIMAL.exec(wan);
  if (!m) throw new RangeError(`not an amount in 万元: ${wan}`);
  const fraction = (m[2] ?? '').padEnd(4, '0');
  const whole = (m[1]! + fraction.slice(0, 4)).replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(4).replace(/0+$/, '');
  return rest === '' ? whole : `${whole}.${rest}`;
}

/**
 * The number a spreadsheet cell may hold for an exact decimal string, or null when a double cannot give it back
 * exactly to 15 significant digits (then the cell holds the text).
 */
export function exactNumberOf(decimal: string): number | null {
  const significant = decimal.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  return significant <= 15 ? Number(decimal) : null;
}

/**
 * The instant a spreadsheet library writes as the Excel date of day `isoDay` (Asia/Shanghai day YYYY-MM-DD): UTC
 * midnight of that calendar day, which libraries map to the day's serial without a time zone.
 */
export function excelDateOf(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00Z`);
}

/** Characters that make a spreadsheet read a CSV cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell of a CSV as written: one starting like a formula gets a leading apostrophe, which Excel shows as text;
 * {@link csvTextFromCell} removes it again on import.
 */
export function csvCellOfText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text a CSV cell written by {@link csvCellOfText} stands for. */
export function csvTextFromCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
