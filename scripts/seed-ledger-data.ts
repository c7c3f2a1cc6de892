/*
 * The district's major-project ledger (重大项目台账) that the first start imports: the projects of the 2022 report
 * (./seed-data.ts, registration columns only) and twelve more projects of the kind the district's ledger holds, at the
 * positions a ledger records them (steps done with their days, steps running with their acceptance day).
 *
 * The twelve are ILLUSTRATIVE: made up to show a district at every position (just signed, filing, land supply, design
 * and permits, a land price not yet paid in full, an energy review stuck on its quota, a bonded-zone phase II under
 * construction); their companies, codes and amounts are invented in the national code format (see seed-data.ts
 * `CODE_NOTE`) and name no real company. Every day is a working day (Monday–Friday, not a public holiday) and every
 * step starts after the steps it depends on are decided, as the standard and bonded-zone tracks require.
 */

/** The day the ledger is drawn up (统计截至): no day in it is later. */
export const LEDGER_AS_OF = '2026-11-30';

/** How a cell of the ledger is written: the forms offices type a day in, and an amount typed as text. */
export type DayForm = 'date' | 'iso' | 'slash' | 'chinese';

/**
 * A step's position in the ledger's steps sheet (事项明细): `delivered` (已送达, a certificate handed over the day it was
 * decided), `approved` (已办结), `in_review` (审查中, from its acceptance day), `supplement_requested` (补正中, returned on
 * its acceptance day).
 */
export interface LedgerStep {
  step: string;
  state: 'delivered' | 'approved' | 'in_review' | 'supplement_requested';
  acceptedOn: string;
  decidedOn?: string;
  /** What the office notes beside the step (备注). */
  note?: string;
}

/** A project of the seed ledger beyond those of the report. */
export interface LedgerProject {
  code: string;
  name: string;
  track?: 'standard' | 'bonded_zone';
  investor: string;
  /** 计划总投资 in 万元, as the office writes it. */
  investmentWan: number;
  signedAt: string;
  /** How the signing day is typed in the sheet (default: a real Excel date). */
  signedForm?: DayForm;
  /** The amount typed as text with a thousands separator (`356,000`), as some offices do. */
  amountAsText?: boolean;
  /** 备注 of the ledger row: what is holding the project, in the office's words. */
  note: string;
  /** 牵头部门 (lead department) as the office writes it. */
  lead: string;
  steps: LedgerStep[];
}

const D = (step: string, acceptedOn: string, decidedOn: string, note?: string): LedgerStep => ({ step, state: 'delivered', acceptedOn, decidedOn, ...(note ? { note } : {}) });
const A = (step: string, acceptedOn: string, decidedOn: string, note?: string): LedgerStep => ({ step, state: 'approved', acceptedOn, decidedOn, ...(note ? { note } : {}) });
const R = (step: string, acceptedOn: string, note?: string): LedgerStep => ({ step, state: 'in_review', acceptedOn, ...(note ? { note } : {}) });
const S = (step: string, acceptedOn: string, note: string): LedgerStep => ({ step, state: 'supplement_requested', acceptedOn, note });

/** The twelve illustrative projects, in the order of the ledger. */
export const LEDGER_PROJECTS: readonly LedgerProject[] = [
  {
    code: '2024-330602-26-03-000307',
    name: '年产3万吨高纯电子化学品项目',
    investor: '浙江越纯电子材料有限公司',
    investmentWan: 85000,
    signedAt: '2024-11-08',
    signedForm: 'slash',
    lead: '区发改局',
    note: '土地出让金分期缴纳，尾款未缴清，不动产权证暂无法办理，影响施工许可',
    steps: [
      D('project_filing', '2024-11-11', '2024-11-13'),
      A('land_prereview', '2024-11-12', '2024-12-04'),
      D('eia_approval', '2024-12-02', '2025-01-17'),
      A('energy_review', '2024-12-02', '2024-12-31'),
      A('land_auction', '2025-01-13', '2025-02-21'),
      A('land_contract', '2025-02-24', '2025-03-04'),
      D('land_use_planning_permit', '2025-03-06', '2025-03-13'),
      D('construction_planning_permit', '2025-04-07', '2025-04-29'),
      A('drawing_review', '2025-06-09', '2025-07-04'),
    ],
  },
  {
    code: '2024-330602-59-01-000202',
    name: '绍兴综合保税区二期（跨境电商监管中心及保税仓储）建设项目',
    track: 'bonded_zone',
    investor: '综保区建设发展有限公司（全称待核实）',
    investmentWan: 46000,
    signedAt: '2024-12-20',
    lead: '综保区管委会',
    note: '主体结构已封顶，竣工验收办理中',
    steps: [A('groundbreaking', '2025-03-03', '2025-03-10'), A('topping_out', '2025-10-20', '2025-10-28'), R('completion', '2026-11-16', '竣工验收资料已报送')],
  },
  {
    code: '2025-330602-17-03-000312',
    name: '滨海印染产业集聚提升改造项目',
    investor: '绍兴越城印染产业发展有限公司（全称待核实）',
    investmentWan: 150000,
    signedAt: '2025-01-15',
    signedForm: 'chinese',
    amountAsText: true,
    lead: '区经信局',
    note: '设计方案审查中',
    steps: [
      D('project_filing', '2025-01-20', '2025-01-22'),
      A('land_prereview', '2025-01-21', '2025-02-18'),
      D('eia_approval', '2025-03-10', '2025-05-16'),
      A('energy_review', '2025-03-10', '2025-04-11'),
      A('land_auction', '2025-04-14', '2025-05-16'),
      A('land_contract', '2025-05-19', '2025-05-27'),
      D('land_use_planning_permit', '2025-05-29', '2025-06-06'),
      R('construction_planning_permit', '2026-11-11', '设计方案已调整，重新报审'),
    ],
  },
  {
    code: '2025-330602-36-03-000310',
    name: '新能源汽车轻量化铝合金压铸件项目',
    investor: '绍兴越轻汽车部件有限公司',
    investmentWan: 76000,
    signedAt: '2025-05-28',
    lead: '区发改局',
    note: '节能审查用能指标待区内调剂，已超期，请发改局牵头协调',
    steps: [
      D('project_filing', '2025-06-03', '2025-06-05'),
      A('land_prereview', '2025-06-04', '2025-06-25'),
      A('land_auction', '2025-07-01', '2025-08-01'),
      D('eia_approval', '2025-07-07', '2025-08-22'),
      A('land_contract', '2025-08-04', '2025-08-12'),
      D('land_use_planning_permit', '2025-08-14', '2025-08-21'),
      D('construction_planning_permit', '2025-09-15', '2025-10-14'),
      A('drawing_review', '2025-11-10', '2025-12-12'),
      R('energy_review', '2026-08-31', '用能指标来源待落实'),
    ],
  },
  {
    code: '2025-330602-27-03-000302',
    name: '创新药及高端制剂产业化基地项目',
    investor: '浙江越康生物医药有限公司',
    investmentWan: 128000,
    signedAt: '2025-06-12',
    signedForm: 'iso',
    lead: '区发改局',
    note: '环评补正中（补充VOCs源强核算），施工图联审中',
    steps: [
      D('project_filing', '2025-06-16', '2025-06-18'),
      A('land_prereview', '2025-06-17', '2025-07-08'),
      A('energy_review', '2025-07-01', '2025-07-30'),
      A('land_auction', '2025-07-14', '2025-08-15'),
      A('land_contract', '2025-08-18', '2025-08-26'),
      D('land_use_planning_permit', '2025-08-28', '2025-09-04'),
      D('construction_planning_permit', '2025-10-13', '2025-11-05'),
      S('eia_approval', '2026-10-12', '补充发酵及溶剂回收工序VOCs源强核算'),
      R('drawing_review', '2026-11-02'),
    ],
  },
  {
    code: '2025-330602-34-03-000308',
    name: '工业机器人及智能产线制造项目',
    investor: '浙江越智机器人有限公司',
    investmentWan: 50000,
    signedAt: '2025-09-02',
    lead: '区经信局',
    note: '施工图审查意见待企业回复',
    steps: [
      D('project_filing', '2025-09-08', '2025-09-10'),
      A('land_prereview', '2025-09-09', '2025-09-30'),
      D('eia_approval', '2025-10-20', '2025-11-14'),
      A('energy_review', '2025-10-20', '2025-11-12'),
      A('land_auction', '2025-11-17', '2025-12-19'),
      A('land_contract', '2025-12-22', '2025-12-30'),
      D('land_use_planning_permit', '2026-01-05', '2026-01-12'),
      D('construction_planning_permit', '2026-03-02', '2026-03-24'),
      S('drawing_review', '2026-10-26', '消防设计需补充说明'),
    ],
  },
  {
    code: '2026-330602-38-03-000303',
    name: '新能源汽车电驱动系统智能制造项目',
    investor: '浙江越驰电驱科技有限公司',
    investmentWan: 125000,
    signedAt: '2026-01-09',
    lead: '区投促中心',
    note: '地块挂牌中',
    steps: [
      D('project_filing', '2026-01-12', '2026-01-14'),
      A('land_prereview', '2026-01-13', '2026-02-05'),
      A('energy_review', '2026-03-02', '2026-03-31'),
      D('eia_approval', '2026-03-02', '2026-04-10'),
      R('land_auction', '2026-11-02', '挂牌期至12月上旬'),
    ],
  },
  {
    code: '2026-330602-39-03-000311',
    name: 'MEMS传感器芯片研发及产业化项目',
    investor: '绍兴越感微系统有限公司',
    investmentWan: 95000,
    signedAt: '2026-02-27',
    signedForm: 'chinese',
    lead: '区投促中心',
    note: '已摘牌，出让合同签订中；环评审查中',
    steps: [
      D('project_filing', '2026-03-02', '2026-03-04'),
      A('land_prereview', '2026-03-03', '2026-03-24'),
      A('energy_review', '2026-04-20', '2026-05-19'),
      A('land_auction', '2026-10-12', '2026-11-13'),
      R('land_contract', '2026-11-23'),
      R('eia_approval', '2026-10-26'),
    ],
  },
  {
    code: '2026-330602-39-03-000301',
    name: '12英寸功率器件晶圆级封装测试项目',
    investor: '浙江越芯微电子有限公司',
    investmentWan: 356000,
    signedAt: '2026-03-18',
    amountAsText: true,
    lead: '区发改局',
    note: '土地款分期缴纳中；施工图联审中',
    steps: [
      D('project_filing', '2026-03-23', '2026-03-25'),
      A('land_prereview', '2026-03-24', '2026-04-14'),
      D('eia_approval', '2026-04-08', '2026-05-20'),
      A('energy_review', '2026-04-08', '2026-05-08'),
      A('land_auction', '2026-04-20', '2026-05-22'),
      A('land_contract', '2026-05-25', '2026-06-02'),
      D('land_use_planning_permit', '2026-06-04', '2026-06-11'),
      D('construction_planning_permit', '2026-06-17', '2026-07-09'),
      R('drawing_review', '2026-11-18'),
    ],
  },
  {
    code: '2026-330602-30-03-000304',
    name: '高性能玻璃纤维及复合材料项目',
    investor: '绍兴越纤新材料有限公司',
    investmentWan: 68000,
    signedAt: '2026-04-22',
    signedForm: 'slash',
    lead: '区发改局',
    note: '节能审查涉及能耗等量替代，已超期；用地预审审查中',
    steps: [D('project_filing', '2026-04-27', '2026-04-29'), R('energy_review', '2026-06-01', '能耗等量替代方案待省厅确认'), R('land_prereview', '2026-11-09')],
  },
  {
    code: '2026-330602-35-03-000305',
    name: '半导体装备精密零部件制造项目',
    investor: '绍兴精越装备科技有限公司',
    investmentWan: 42000,
    signedAt: '2026-09-15',
    lead: '区投促中心',
    note: '项目备案办理中',
    steps: [R('project_filing', '2026-11-25')],
  },
  {
    code: '2026-330602-39-03-000306',
    name: '先进封装基板项目',
    investor: '越城先进封装基板有限公司（筹）',
    investmentWan: 220000,
    signedAt: '2026-11-20',
    signedForm: 'chinese',
    amountAsText: true,
    lead: '区投促中心',
    note: '新签约，企业正在注册设立',
    steps: [],
  },
];

/**
 * The projects of the 2022 report (seed-data.ts SEED_PROJECTS) the ledger lists, in its order. Fixed here, so that a
 * project added to the seed's scripts later is not silently added to the committed workbook.
 */
export const LEDGER_REPORT_CODES: readonly string[] = [
  '2022-330602-39-03-000101',
  '2022-330602-39-03-000102',
  '2022-330602-38-03-000103',
  '2022-330602-39-03-000104',
  '2022-330602-39-03-000105',
  '2022-330602-26-03-000106',
  '2022-330602-73-03-000107',
  '2021-330602-59-01-000201',
];

/** Notes (备注) of the report's projects in the ledger: their history is driven by the seed's officers afterwards. */
export const REPORT_ROW_NOTE = '2022年度区政府工作报告重点项目；审批进展由各部门在系统中逐项办理';
