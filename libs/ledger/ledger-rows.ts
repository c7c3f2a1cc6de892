/*
 * A project as rows of the ledger (重大项目台账): one row of the ledger sheet and one row per step of the steps sheet,
 * in the columns of ledger-columns.ts. Pure: the API hands in projects as it answers them (the read model's rows with
 * each step's ledger counted to a day), this module chooses and words the cells.
 */
import { shanghaiDateOf } from '../calendar/index.js';
import { OPEN_STEP_STATES } from '../domain/index.js';
import { labelOf, type LedgerLang, type TableRow } from './ledger-columns.js';

/** A step as the ledger reads it (a subset of the API's step). Instants ISO 8601 with offset, days YYYY-MM-DD. */
export interface LedgerStep {
  key: string;
  name: string;
  nameZh: string;
  department: string;
  state: string;
  acceptedAt: string | null;
  decidedAt: string | null;
  /** The published deadline's last day (承诺时限). */
  dueOn: string | null;
  light: string | null;
  /** The step's clock ledger counted to a day; `overdueWorkingDays` past its last day. */
  ledger: { overdueWorkingDays: number } | null;
}

/** A project as the ledger reads it (a subset of the API's project). */
export interface LedgerProject {
  code: string;
  name: string;
  track: string;
  district: string;
  investor: string | null;
  /** Decimal yuan, exact. */
  investmentYuan: string | null;
  signedAt: string;
  approvalRoute: string;
  stageName: string;
  stageNameZh: string;
  status: string;
  light: string;
  underSupervision: boolean;
  lastProgressAt: string;
  governmentTime: { workingDays: number } | null;
  steps: LedgerStep[];
}

const OPEN = new Set<string>(OPEN_STEP_STATES);

/** The open steps of a project (on a desk: ready, received, in review, supplement requested), in definition order. */
function openSteps(p: LedgerProject): LedgerStep[] {
  return p.steps.filter((s) => OPEN.has(s.state));
}

/** One open step as the ledger words it: name, department, state and due day. */
function stepText(s: LedgerStep, lang: LedgerLang): string {
  const dept = labelOf('department', s.department, lang);
  const state = labelOf('state', s.state, lang);
  if (lang === 'zh') return `${s.nameZh}（${dept}，${state}${s.dueOn ? `，${s.dueOn}到期` : ''}）`;
  return `${s.name} (${dept}, ${state}${s.dueOn ? `, due ${s.dueOn}` : ''})`;
}

/**
 * The ledger sheet's row of a project (columns: LEDGER_COLUMNS). The amount stays the exact yuan string (the
 * writer shows it in 万元); days are Asia/Shanghai; the overdue days are the most any open step is past its
 * published deadline, in working days (0 when none is).
 */
export function ledgerRowOf(p: LedgerProject, lang: LedgerLang): TableRow {
  const open = openSteps(p);
  const dues = open.map((s) => s.dueOn).filter((d): d is string => d !== null).sort();
  const departments = [...new Set(open.map((s) => s.department))].map((d) => labelOf('department', d, lang));
  return {
    code: p.code,
    name: p.name,
    track: labelOf('track', p.track, lang),
    district: p.district,
    investor: p.investor,
    investmentWan: p.investmentYuan,
    signedAt: p.signedAt,
    approvalRoute: labelOf('approvalRoute', p.approvalRoute, lang),
    stage: lang === 'zh' ? p.stageNameZh : p.stageName,
    status: labelOf('status', p.status, lang),
    light: p.light,
    currentSteps: open.map((s) => stepText(s, lang)).join(lang === 'zh' ? '；' : '; '),
    departments: departments.join(lang === 'zh' ? '、' : ', '),
    nextDueOn: dues[0] ?? null,
    overdueWorkingDays: Math.max(0, ...open.map((s) => s.ledger?.overdueWorkingDays ?? 0)),
    governmentWorkingDays: p.governmentTime?.workingDays ?? null,
    underSupervision: labelOf('yesNo', p.underSupervision ? 'yes' : 'no', lang),
    lastProgressOn: shanghaiDateOf(p.lastProgressAt),
  };
}

/** The steps sheet's rows of a project (columns: LEDGER_STEP_COLUMNS), in definition order. */
export function ledgerStepRowsOf(p: LedgerProject, lang: LedgerLang): TableRow[] {
  return p.steps.map((s) => ({
    code: p.code,
    step: s.key,
    stepName: lang === 'zh' ? s.nameZh : s.name,
    department: labelOf('department', s.department, lang),
    state: labelOf('state', s.state, lang),
    acceptedOn: s.acceptedAt === null ? null : shanghaiDateOf(s.acceptedAt),
    decidedOn: s.decidedAt === null ? null : shanghaiDateOf(s.decidedAt),
    dueOn: s.dueOn,
    light: s.light,
    overdueWorkingDays: s.ledger?.overdueWorkingDays ?? null,
  }));
}
