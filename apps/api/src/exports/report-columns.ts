import { memoOverTracks } from '../../../../libs/domain/index.js';
import { labelOf, type ColumnSpec, type LedgerLang, type TableRow } from '../../../../libs/ledger/index.js';
import type { StuckProjectDto, StuckReasonDto, SupervisionSummaryDto } from '../supervision/dto/supervision.response.js';

/*
 * The supervision exports' tables — the stuck list, the summary, and the weekly report's sheets (汇总, 滞留项目,
 * 超法定时限, 政府用时) — their columns in both languages and how a JSON answer of the supervision API becomes rows.
 * The ledger's own columns are libs/ledger's (the import reads them); these tables are reports and are not imported.
 */

const col = (key: string, zh: string, en: string, kind: ColumnSpec['kind'], width: number): ColumnSpec => ({ key, zh, en, kind, width });

/** Sheet and file names, by language. */
export const REPORT_NAMES = {
  summary: { zh: '汇总', en: 'Summary' },
  stuck: { zh: '滞留项目', en: 'Stuck projects' },
  statutory: { zh: '超法定时限', en: 'Past statutory limit' },
  governmentTime: { zh: '政府用时', en: 'Government time' },
  ledgerFile: { zh: '重大项目台账', en: 'major-projects-ledger' },
  stuckFile: { zh: '滞留项目清单', en: 'stuck-projects' },
  summaryFile: { zh: '督办汇总', en: 'supervision-summary' },
  weeklyFile: { zh: '督办周报', en: 'weekly-supervision-report' },
} as const;

/** The stuck list: one row per stuck project, most urgent first, its reasons worded in one cell. */
export const STUCK_COLUMNS: readonly ColumnSpec[] = [
  col('code', '项目代码', 'Project code', 'text', 26),
  col('name', '项目名称', 'Project name', 'text', 32),
  col('district', '所在区域', 'District', 'text', 12),
  col('stage', '当前阶段', 'Stage', 'text', 12),
  col('status', '项目状态', 'Status', 'text', 10),
  col('light', '亮灯', 'Light', 'light', 8),
  col('reasons', '滞留原因', 'Reasons', 'text', 60),
  col('supervision', '督办情况', 'Supervision', 'text', 30),
  col('lastProgressOn', '最近进展日期', 'Last progress on', 'date', 12),
  col('slackWorkingDays', '余量（工作日）', 'Slack (working days)', 'integer', 12),
  col('forecastFinishOn', '预计完成日期', 'Forecast finish on', 'date', 12),
];

/** The summary in long form: one row per number (section, item, measure, value), the day counted to first. */
export const SUMMARY_COLUMNS: readonly ColumnSpec[] = [
  col('section', '类别', 'Section', 'text', 18),
  col('item', '项目', 'Item', 'text', 28),
  col('measure', '指标', 'Measure', 'text', 22),
  col('value', '数值', 'Value', 'number', 12),
];

/** Steps past their statutory limit (超法定时限): one row per open step. */
export const STATUTORY_COLUMNS: readonly ColumnSpec[] = [
  col('code', '项目代码', 'Project code', 'text', 26),
  col('name', '项目名称', 'Project name', 'text', 32),
  col('district', '所在区域', 'District', 'text', 12),
  col('stepName', '事项名称', 'Step', 'text', 26),
  col('department', '责任部门', 'Department', 'text', 18),
  col('state', '办理状态', 'State', 'text', 10),
  col('statutoryDueOn', '法定时限到期日', 'Statutory limit ends on', 'date', 14),
  col('workingDaysOver', '超期（工作日）', 'Over (working days)', 'integer', 12),
  col('underSupervision', '是否督办', 'Under supervision', 'text', 10),
];

/** Government time (政府审批用时) per project. */
export const GOVERNMENT_TIME_COLUMNS: readonly ColumnSpec[] = [
  col('code', '项目代码', 'Project code', 'text', 26),
  col('name', '项目名称', 'Project name', 'text', 32),
  col('track', '项目类型', 'Track', 'text', 14),
  col('stage', '当前阶段', 'Stage', 'text', 12),
  col('status', '项目状态', 'Status', 'text', 10),
  col('workingDays', '政府审批用时（工作日）', 'Government time (working days)', 'integer', 14),
  col('asOf', '计算截至', 'Counted to', 'date', 12),
  col('promises', '承诺时限执行情况', 'Promises', 'text', 50),
  col('exceeded', '是否超承诺', 'Promise exceeded', 'text', 10),
];

/** Stage and step names of every released track (shipped and published), by key (a key names the same stage or step in every track). */
const NAMES = memoOverTracks((defs) => {
  const stages = new Map<string, { zh: string; en: string }>();
  const steps = new Map<string, { zh: string; en: string }>();
  for (const d of defs) {
    for (const s of d.stages) if (!stages.has(s.key)) stages.set(s.key, { zh: s.nameZh, en: s.name });
    for (const s of d.steps) if (!steps.has(s.key)) steps.set(s.key, { zh: s.nameZh, en: s.name });
  }
  return { stages, steps };
});

/** The name of stage `key` in `lang` (the key for a stage no definition names). */
export function stageLabel(key: string, lang: LedgerLang): string {
  return NAMES().stages.get(key)?.[lang] ?? key;
}

/** The name of step `key` in `lang` (the key for a step no definition names). */
export function stepLabel(key: string, lang: LedgerLang): string {
  return NAMES().steps.get(key)?.[lang] ?? key;
}

/** One reason a project is stuck, worded for a cell: the kind, the step and department, the working days. */
export function reasonText(r: StuckReasonDto, lang: LedgerLang): string {
  const step = r.step ? stepLabel(r.step, lang) : '';
  const dept = r.department ? labelOf('department', r.department, lang) : '';
  const n = r.workingDays ?? 0;
  if (lang === 'zh') {
    if (r.kind === 'statutory_overdue') return `超法定时限：${step}（${dept}）超${n}个工作日`;
    if (r.kind === 'overdue') return `超承诺时限：${step}（${dept}）超${n}个工作日`;
    if (r.kind === 'at_risk') return `难以按期完成：预计晚${n}个工作日（${r.detail}）`;
    return `无进展：${n}个工作日`;
  }
  if (r.kind === 'statutory_overdue') return `Past statutory limit: ${step} (${dept}), ${n} working days over`;
  if (r.kind === 'overdue') return `Overdue: ${step} (${dept}), ${n} working days over`;
  if (r.kind === 'at_risk') return `At risk: ${n} working days late (${r.detail})`;
  return `Idle: ${n} working days`;
}

/** The stuck list's row of a stuck project. */
export function stuckRowOf(p: StuckProjectDto, lang: LedgerLang): TableRow {
  const s = p.supervision;
  const supervision = !p.underSupervision || !s ? labelOf('yesNo', 'no', lang) : lang === 'zh' ? `督办中（${s.by}，${s.since.slice(0, 10)}）${s.comment}` : `Under supervision (${s.by}, ${s.since.slice(0, 10)}) ${s.comment}`;
  return {
    code: p.code,
    name: p.name,
    district: p.district,
    stage: stageLabel(p.stage, lang),
    status: labelOf('status', p.status, lang),
    light: p.light,
    reasons: p.reasons.map((r) => reasonText(r, lang)).join('\n'),
    supervision,
    lastProgressOn: p.lastProgressAt.slice(0, 10),
    slackWorkingDays: p.slackWorkingDays,
    forecastFinishOn: p.forecastFinishOn,
  };
}

/** The rows of the steps past their statutory limit of a stuck project, with the working days over from its reasons. */
export function statutoryRowsOf(p: StuckProjectDto, lang: LedgerLang): TableRow[] {
  return p.statutoryOverdueSteps.map((s) => ({
    code: p.code,
    name: p.name,
    district: p.district,
    stepName: stepLabel(s.step, lang) === s.step ? s.name : stepLabel(s.step, lang),
    department: labelOf('department', s.department, lang),
    state: labelOf('state', s.state, lang),
    statutoryDueOn: s.statutoryDueOn,
    workingDaysOver: p.reasons.find((r) => r.kind === 'statutory_overdue' && r.step === s.step)?.workingDays ?? null,
    underSupervision: labelOf('yesNo', p.underSupervision ? 'yes' : 'no', lang),
  }));
}

const SUMMARY_WORDS = {
  zh: {
    report: '报告', asOf: '统计截至', idleThreshold: '无进展阈值（工作日）', overall: '总体', projects: '在办项目数',
    stuck: '滞留项目', total: '合计', statutoryOverdue: '超法定时限', overdue: '超承诺时限', idle: '无进展', atRisk: '难以按期完成',
    byLightStage: '阶段×亮灯', byDepartment: '按部门', openSteps: '在办事项', green: '绿灯', yellow: '黄灯', red: '红灯', noClock: '未起算',
    byDistrict: '按区域', stuckProjects: '滞留项目数', steps: '事项数', governmentTime: '政府审批用时', computed: '已计算项目数',
    workingDaysTotal: '合计（工作日）', workingDaysAverage: '平均（工作日）', exceeded: '超承诺项目数',
  },
  en: {
    report: 'Report', asOf: 'Counted to', idleThreshold: 'Idle threshold (working days)', overall: 'Overall', projects: 'Running projects',
    stuck: 'Stuck projects', total: 'Total', statutoryOverdue: 'Past statutory limit', overdue: 'Overdue', idle: 'Idle', atRisk: 'At risk',
    byLightStage: 'Stage × light', byDepartment: 'By department', openSteps: 'Open steps', green: 'Green', yellow: 'Yellow', red: 'Red', noClock: 'No clock yet',
    byDistrict: 'By district', stuckProjects: 'Stuck projects', steps: 'Steps', governmentTime: 'Government time', computed: 'Projects computed',
    workingDaysTotal: 'Total (working days)', workingDaysAverage: 'Average (working days)', exceeded: 'Projects over the promise',
  },
} as const;

/**
 * The summary's rows in long form (section, item, measure, value): the day counted to (as the item, with no value)
 * and the idle threshold, the overall counts, stuck projects by kind, projects by
 * stage × light, open steps by department and light, projects by district, steps past the statutory limit by
 * department, government time and its promises.
 */
export function summaryRowsOf(s: SupervisionSummaryDto, lang: LedgerLang): TableRow[] {
  const w = SUMMARY_WORDS[lang];
  const rows: TableRow[] = [];
  const add = (section: string, item: string, measure: string, value: number | null) => rows.push({ section, item, measure, value });
  add(w.report, s.asOf, w.asOf, null);
  add(w.report, '', w.idleThreshold, s.idleWorkingDays);
  add(w.overall, '', w.projects, s.projects);
  add(w.stuck, '', w.total, s.stuck.total);
  add(w.stuck, '', w.statutoryOverdue, s.stuck.statutoryOverdue);
  add(w.stuck, '', w.overdue, s.stuck.overdue);
  add(w.stuck, '', w.atRisk, s.stuck.atRisk);
  add(w.stuck, '', w.idle, s.stuck.idle);
  for (const x of s.byLightStage) add(w.byLightStage, `${stageLabel(x.stage, lang)} · ${labelOf('light', x.light, lang)}`, w.projects, x.projects);
  for (const d of s.byDepartment) {
    const item = labelOf('department', d.department, lang);
    add(w.byDepartment, item, w.openSteps, d.openSteps);
    add(w.byDepartment, item, w.projects, d.projects);
    add(w.byDepartment, item, w.red, d.red);
    add(w.byDepartment, item, w.yellow, d.yellow);
    add(w.byDepartment, item, w.green, d.green);
    add(w.byDepartment, item, w.noClock, d.noClock);
  }
  for (const d of s.byDistrict) {
    add(w.byDistrict, d.district, w.projects, d.projects);
    add(w.byDistrict, d.district, w.red, d.red);
    add(w.byDistrict, d.district, w.yellow, d.yellow);
    add(w.byDistrict, d.district, w.green, d.green);
    add(w.byDistrict, d.district, w.stuckProjects, d.stuck);
  }
  add(w.statutoryOverdue, '', w.projects, s.statutoryOverdue.projects);
  add(w.statutoryOverdue, '', w.steps, s.statutoryOverdue.steps);
  for (const d of s.statutoryOverdue.byDepartment) add(w.statutoryOverdue, labelOf('department', d.department, lang), w.steps, d.steps);
  add(w.governmentTime, '', w.computed, s.governmentTime.projects);
  add(w.governmentTime, '', w.workingDaysTotal, s.governmentTime.workingDaysTotal);
  add(w.governmentTime, '', w.workingDaysAverage, s.governmentTime.workingDaysAverage);
  for (const p of s.governmentTime.byPromise) {
    const item = lang === 'zh' ? p.nameZh : p.name;
    add(w.governmentTime, item, w.computed, p.projects);
    add(w.governmentTime, item, w.exceeded, p.exceeded);
  }
  return rows;
}
