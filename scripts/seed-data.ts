/*
 * The demo district: the projects behind the 2022 report of 越城区 (Shaoxing), as data, built from
 * ../shared/data/yuecheng-projects.json (every fact there carries its source and confidence; null where not
 * found). Where the data is null the seed chooses a plausible value and says so in `seedChoices`; every
 * project keeps the source URLs of its facts. None of the national project codes below is a real code: the
 * real ones were not in the sources, so each is made up in the national format (see `CODE_NOTE`).
 *
 * `script` is what the seed drives through the HTTP API after registration, in order; each entry becomes
 * one write with the Idempotency-Key `seed:<code>:<n>` (n from 1), so the scripts must only ever be
 * appended to once a district has been seeded.
 */
import { latestTrackDefinition, type ProjectActionKind, type StepActionKind, type TrackKey } from '../libs/domain/index.js';
import { RELOCATION_SEED_PROJECTS } from './seed-relocation.js';

/** Step keys of the `standard` track (libs/domain/tracks/standard.v1.track.json) that have default comments. */
export type StandardStepKey =
  | 'project_filing'
  | 'land_prereview'
  | 'land_auction'
  | 'land_contract'
  | 'land_use_planning_permit'
  | 'land_title'
  | 'construction_planning_permit'
  | 'eia_approval'
  | 'energy_review'
  | 'drawing_review'
  | 'construction_permit'
  | 'groundbreaking';

/** A value the seed chose where the data has none (or had to be interpreted), and why. */
export interface SeedChoice {
  field: string;
  value: string | null;
  why: string;
}

/** One write of a project's seed script. */
export type SeedAction =
  | {
      kind: 'step';
      /** A step of the project's track (standard steps have default comments; others need one). */
      step: string;
      action: Extract<StepActionKind, 'receive' | 'accept' | 'return' | 'resubmit' | 'approve' | 'deliver' | 'waive' | 'extend' | 'exclude' | 'end_exclusion'>;
      /** Done by the department head rather than the officer (an extension, 延期, is the head's: 行政许可法 Art. 42). */
      byHead?: boolean;
      /** For extend: working days added. */
      extensionWorkingDays?: number;
      /** For exclude: the kind of excluded period (Art. 45, or a local kind such as public_notice). */
      exclusionKind?: string;
      /** Happens on the same day as the write before it (e.g. the certificate handed over with the decision). */
      sameDay?: boolean;
      /** The day it happened (YYYY-MM-DD, 10:00 +08:00), where the sources date it; else the pace decides. */
      on?: string;
      /** Overrides the default officer's comment of {@link DEFAULT_COMMENTS}; required for return and waive. */
      comment?: string;
      /**
       * For waive: the material is due this many calendar days after the project's registration date
       * (Asia/Shanghai). Relative, so that a demo seeded today does not start out overdue, yet the same on
       * every run (the registration date never changes), which keeps the request body, and thus its
       * Idempotency-Key, stable.
       */
      waiverDueInDays?: number;
    }
  | { kind: 'project'; action: Extract<ProjectActionKind, 'suspend' | 'resume'>; comment: string }
  /** An inbound fact through `POST /events` (system caller): the land price paid in full (土地出让金缴清). */
  | { kind: 'fact'; fact: 'land_price_paid'; reference: string; sameDay?: boolean; on?: string };

/** A project of the demo district: what `POST /api/v1/projects` gets, plus provenance and the script. */
export interface SeedProject {
  /** `key` of the project in yuecheng-projects.json. */
  dataKey: string;
  /** What the district's 2022 report calls it (the report's item this project stands for). */
  reportItem: string;
  code: string;
  name: string;
  district: string;
  investor: string | null;
  /** Yuan, decimal string. */
  investmentYuan: string;
  /** YYYY-MM-DD, in 2022. */
  signedAt: string;
  sources: string[];
  seedChoices: SeedChoice[];
  script: SeedAction[];
  /** Calendar days between the script's writes in 2022 (default 4); see seed.ts `seedInstants`. */
  paceDays?: number;
  /** The track (default `standard`). */
  track?: TrackKey;
}

/** The district every seeded project belongs to. */
export const SEED_DISTRICT = '越城区';

/**
 * The USD→CNY rate the seed converts US$ amounts at: 6.7, a round figure near the 2022 average central
 * parity of the yuan (about 6.73). Stated here because the report gives the foreign investment in US$.
 */
export const USD_CNY_RATE = 6.7;

/** 亿元 (10^8 yuan) → yuan, as a decimal string. */
export function yiYuan(amountYi: number): string {
  return yuanString(amountYi * 1e8);
}

/** 亿美元 (10^8 US$) → yuan at {@link USD_CNY_RATE}, as a decimal string. */
export function yiUsdAsYuan(amountYi: number): string {
  return yuanString(amountYi * 1e8 * USD_CNY_RATE);
}

function yuanString(yuan: number): string {
  const rounded = Math.round(yuan);
  if (!Number.isSafeInteger(rounded) || rounded < 0) throw new Error(`not an amount in yuan: ${yuan}`);
  return String(rounded);
}

const CODE_NOTE =
  'real national project code (全国投资项目在线审批监管平台) not in the sources; made up in the format YYYY-330602-XX-03-NNNNNN: ' +
  '330602 = 越城区, 03 = 备案 (enterprise-invested project), XX = 2-digit industry division of GB/T 4754-2017';

/** Shared source: the forum repost of the mid-2022 Binhai report that names most of these projects. */
const REPORT_REPOST = 'http://bbs.shaoxingzx.com/archiver/showtopic-6188.aspx';

/**
 * Default officers' comments per step and action (受理 / 办结), in the words a window officer would use.
 * Project scripts override them where the project has something of its own to say.
 */
export const DEFAULT_COMMENTS: Record<StandardStepKey, { accept: string; approve: string }> = {
  project_filing: {
    accept: '企业投资项目备案信息已通过在线平台报送，信息完整，予以受理。',
    approve: '经核查，项目符合国家产业政策，不属于禁止投资项目，予以备案并赋予项目代码。',
  },
  land_prereview: {
    accept: '用地预审与选址申请材料齐全、符合法定形式，予以受理。',
    approve: '项目选址符合国土空间规划，用地规模符合工业项目建设用地控制指标，同意通过用地预审，核发用地预审与选址意见书。',
  },
  land_auction: {
    accept: '出让方案已报区政府批准，受理挂牌出让，出让公告已在市公共资源交易网发布。',
    approve: '挂牌期满，竞得人已确定，签订成交确认书，出让成交。',
  },
  land_contract: {
    accept: '已收到成交确认书及竞得人营业执照等材料，受理出让合同签订。',
    approve: '《国有建设用地使用权出让合同》已签订，合同约定开工、竣工时间及投资强度、亩均税收等履约条款。',
  },
  land_use_planning_permit: {
    accept: '建设用地规划许可申请材料齐全，予以受理。',
    approve: '符合规划条件，核发建设用地规划许可证。',
  },
  land_title: {
    accept: '土地出让价款及相关税费已缴清，受理不动产首次登记申请。',
    approve: '不动产首次登记已完成，核发不动产权证书。',
  },
  construction_planning_permit: {
    accept: '建设工程设计方案及规划许可申请材料齐全，予以受理。',
    approve: '设计方案审查通过，符合规划条件，核发建设工程规划许可证。',
  },
  eia_approval: {
    accept: '环境影响报告书及公众参与说明等材料齐全，予以受理，转技术评估。',
    approve: '经技术评估，项目在落实报告书提出的各项污染防治措施后，污染物可达标排放，同意该项目环境影响报告书结论，予以批复。',
  },
  energy_review: {
    accept: '节能报告已提交，予以受理，组织专家评审。',
    approve: '节能报告经专家评审通过，能效水平达到国内先进值，出具节能审查意见。',
  },
  drawing_review: {
    accept: '施工图设计文件及消防设计文件已上传联审平台，予以受理。',
    approve: '施工图审查及消防设计审查合格，出具审查合格书。',
  },
  construction_permit: {
    accept: '施工许可申请材料齐全，予以受理。',
    approve: '建设资金已落实，施工、监理单位已确定，符合施工许可条件，核发建筑工程施工许可证。',
  },
  groundbreaking: {
    accept: '企业已申报开工，受理开工条件现场核查。',
    approve: '经现场核查，施工、监理单位已进场，具备开工条件，确认开工。',
  },
};

const accept = (step: string, comment?: string, on?: string): SeedAction => ({ kind: 'step', step, action: 'accept', ...(comment ? { comment } : {}), ...(on ? { on } : {}) });
const approve = (step: string, comment?: string, on?: string): SeedAction => ({ kind: 'step', step, action: 'approve', ...(comment ? { comment } : {}), ...(on ? { on } : {}) });
/** Steps whose approval issues a certificate handed over afterwards (行政许可法 Art. 44), on the latest standard track. */
const CERTIFICATE_STEPS: ReadonlySet<string> = new Set(latestTrackDefinition('standard').steps.filter((s) => s.certificate).map((s) => s.key));
/** The certificate handed over the day it was decided (即办送达). */
const deliver = (step: string): SeedAction => ({ kind: 'step', step, action: 'deliver', sameDay: true });
/**
 * Accept then approve: a step done in the ordinary way; a step that issues a certificate also has it delivered
 * the same day (otherwise its 10-working-day delivery clock would run on).
 */
const done = (step: StandardStepKey, approveComment?: string): SeedAction[] => [accept(step), approve(step, approveComment), ...(CERTIFICATE_STEPS.has(step) ? [deliver(step)] : [])];
/** The land price paid in full, reported by the public resource exchange the day before the title is applied for. */
const landPricePaid = (reference: string): SeedAction => ({ kind: 'fact', fact: 'land_price_paid', reference, sameDay: true });

/** Initiation and land supply done, in dependency order. */
const THROUGH_LAND_SUPPLY: SeedAction[] = [
  ...done('project_filing'),
  ...done('land_prereview'),
  ...done('land_auction'),
  ...done('land_contract'),
  ...done('land_use_planning_permit'),
  landPricePaid('绍兴市公共资源交易中心 土地出让金缴款确认'),
  ...done('land_title'),
];

/** The projects of the 2022 report, registered by the seed (standard track, the bonded zone, then the relocations). */
export const SEED_PROJECTS: readonly SeedProject[] = [
  {
    dataKey: 'byd-semiconductor-shaoxing',
    reportItem: 'the ¥10 bn single manufacturing project',
    code: '2022-330602-39-03-000101',
    name: '比亚迪半导体功率器件和传感控制器件研发及产业化项目',
    district: SEED_DISTRICT,
    investor: '比亚迪半导体股份有限公司',
    investmentYuan: yiYuan(100),
    signedAt: '2022-04-15',
    // 24 writes from mid-April: groundbreaking confirmed in mid-August 2022, as reported (phase I started 2022-08)
    paceDays: 5,
    sources: [
      'https://qcdst.chelz.cn/post/179.html',
      'https://zjnews.zjol.com.cn/zjnews/202211/t20221124_25098361.shtml',
      'http://shaoxing.021cf.cn/index.php/post/1488.html',
      REPORT_REPOST,
    ],
    seedChoices: [
      { field: 'code', value: '2022-330602-39-03-000101', why: `${CODE_NOTE}; 39 = 计算机、通信和其他电子设备制造业 (power semiconductors)` },
      {
        field: 'signedAt',
        value: '2022-04-15',
        why: 'not found in the sources; the Binhai delegation visited BYD in Shenzhen on 2022-04-07/09 (year inferred, low confidence) and phase I started in 2022-08, so mid-April 2022 is taken as the signing',
      },
      {
        field: 'investor',
        value: '比亚迪半导体股份有限公司',
        why: "the data names the investor as '比亚迪半导体 (BYD Semiconductor, subsidiary of BYD)'; the full company name is written out",
      },
      {
        field: 'script',
        value: 'groundbreaking confirmed',
        why: 'phase I started construction in 2022-08 (medium confidence), so every step is driven to groundbreaking; the energy review is waived (容缺) to show the 承诺制 path, not because a source says so',
      },
    ],
    script: [
      ...THROUGH_LAND_SUPPLY,
      ...done('construction_planning_permit'),
      ...done('eia_approval'),
      accept('energy_review', '节能报告已提交，予以受理。'),
      {
        kind: 'step',
        step: 'energy_review',
        action: 'waive',
        comment:
          '容缺受理：节能报告专家评审意见及用能指标来源说明（区内能耗指标调剂确认函）暂缺，企业已签署告知承诺书，承诺在规定期限内补齐，先行办结，不影响后续施工许可办理。',
        waiverDueInDays: 60,
      },
      ...done('drawing_review'),
      ...done('construction_permit'),
      accept('groundbreaking', '企业申报一期工程开工，受理开工条件现场核查。'),
      approve('groundbreaking', '经现场核查，一期工程施工、监理单位已进场，已取得施工许可证，确认开工（一期于2022年8月开工建设）。'),
      accept('construction', '一期工程进入施工阶段，纳入重大项目施工进度监管。'),
      approve('construction', '一期工程完工（2023年11月绍兴发布报道一期竣工）。', '2023-11-28'),
      // 规划核实 precedes completion acceptance (城乡规划法 Art. 45).
      accept('planning_verification', '工程竣工，建设单位申请规划核实，材料齐全，予以受理。', '2023-11-28'),
      approve('planning_verification', '经现场核实，建设工程符合规划许可内容，出具规划核实确认书。', '2023-11-29'),
      deliver('planning_verification'),
      accept('completion', '建设单位组织竣工验收，受理竣工验收监督。', '2023-11-30'),
      approve('completion', '竣工验收程序合规，验收合格，转入联合验收。', '2023-12-15'),
    ],
  },
  {
    dataKey: 'first-fdi-over-100m-usd-2022',
    reportItem: "the city's first foreign investment over US$100 m",
    code: '2022-330602-39-03-000102',
    name: '首个超1亿美元外资制造业项目（名称待核实）',
    district: SEED_DISTRICT,
    investor: null,
    investmentYuan: yiUsdAsYuan(1.2),
    signedAt: '2022-05-20',
    sources: [],
    seedChoices: [
      {
        field: 'name',
        value: '首个超1亿美元外资制造业项目（名称待核实）',
        why: 'the data could not identify the project (identification NOT FOUND); registered under a neutral, clearly labelled name instead of guessing a company',
      },
      { field: 'investor', value: null, why: 'unknown: the project itself is not identified, so no investor is named' },
      {
        field: 'investmentYuan',
        value: yiUsdAsYuan(1.2),
        why: `the report says 'over US$100 m'; US$120 m chosen, converted at ${USD_CNY_RATE} CNY/USD (USD_CNY_RATE)`,
      },
      { field: 'signedAt', value: '2022-05-20', why: "not found; the 2022-06-06 report counts it among the year's signings, so a date shortly before it is chosen" },
      { field: 'code', value: '2022-330602-39-03-000102', why: `${CODE_NOTE}; industry unknown, 39 (电子设备制造) chosen as the district's focus` },
      {
        field: 'script',
        value: 'suspended during land pre-review',
        why: 'made up to show a special procedure (特别程序): a detailed-plan adjustment needs expert review and a hearing; no source says this happened',
      },
    ],
    script: [
      ...done('project_filing'),
      accept('land_prereview'),
      {
        kind: 'project',
        action: 'suspend',
        comment:
          '因项目选址涉及控制性详细规划局部调整（用地性质及容积率指标），依法组织专家论证并召开听证会，进入特别程序，特别程序期间暂停计时；待规划调整方案批复后恢复办理。',
      },
    ],
  },
  {
    dataKey: 'digital-economy-cooperation-park',
    reportItem: 'the digital economy industrial park projects (1 of 2)',
    code: '2022-330602-38-03-000103',
    name: '数字经济产业合作园敏捷智慧能源项目',
    district: SEED_DISTRICT,
    investor: '敏捷智慧能源（合作园入园企业，全称待核实）',
    investmentYuan: yiYuan(10),
    signedAt: '2022-03-05',
    sources: [
      'https://investchn.com/home/news/detail/id/247221.html',
      REPORT_REPOST,
      'http://m.taosk.cn/news/show-htm-itemid-24135.html',
      'https://investchn.com/index.php/home/news/detail/id/505376.html',
    ],
    seedChoices: [
      {
        field: 'name',
        value: '数字经济产业合作园敏捷智慧能源项目',
        why: "the data's notes name '敏捷智慧能源 (about 10亿元)' among the projects later reported in the park; the park agreement was signed by 敏实控股集团, 联峰集团 and 复合半导体集团 — no source ties 敏捷智慧能源 to 敏实, so the notes' spelling is kept",
      },
      { field: 'investor', value: '敏捷智慧能源（合作园入园企业，全称待核实）', why: "the investing company's registered name is not in the sources" },
      { field: 'investmentYuan', value: yiYuan(10), why: "the notes say 'about 10亿元' (report probably from 2024)" },
      {
        field: 'signedAt',
        value: '2022-03-05',
        why: "the park's cooperation agreement was signed on 2022-03-05 (high confidence); the project's own signing date was not found and is taken to be that of the park",
      },
      { field: 'code', value: '2022-330602-38-03-000103', why: `${CODE_NOTE}; 38 = 电气机械和器材制造业 (energy equipment)` },
    ],
    script: [
      ...THROUGH_LAND_SUPPLY,
      ...done('construction_planning_permit'),
      ...done('eia_approval', '项目为环境影响报告表类别，经审查，同意该项目环境影响报告表结论，予以批复。'),
      ...done('energy_review'),
      accept('drawing_review'),
    ],
  },
  {
    dataKey: 'digital-economy-cooperation-park',
    reportItem: 'the digital economy industrial park projects (2 of 2)',
    code: '2022-330602-39-03-000104',
    name: '数字经济产业合作园鼎捷智创芯基地项目',
    district: SEED_DISTRICT,
    investor: '鼎捷智创芯（合作园入园企业，全称待核实）',
    investmentYuan: yiYuan(20),
    signedAt: '2022-04-26',
    sources: ['https://investchn.com/home/news/detail/id/247221.html', REPORT_REPOST, 'https://investchn.com/index.php/home/news/detail/id/505376.html'],
    seedChoices: [
      { field: 'name', value: '数字经济产业合作园鼎捷智创芯基地项目', why: "the data's notes name '鼎捷智创芯基地 (about 20亿元, phase I nearing topping-out)' in the park's advanced-manufacturing part" },
      { field: 'investor', value: '鼎捷智创芯（合作园入园企业，全称待核实）', why: "the investing company's registered name is not in the sources" },
      { field: 'investmentYuan', value: yiYuan(20), why: "the notes say 'about 20亿元'" },
      {
        field: 'signedAt',
        value: '2022-04-26',
        why: 'NOT FOUND; a date after the park agreement (2022-03-05) and before the 2022-06-06 report that names the park projects is chosen',
      },
      { field: 'code', value: '2022-330602-39-03-000104', why: `${CODE_NOTE}; 39 = 计算机、通信和其他电子设备制造业 (chips)` },
      {
        field: 'script',
        value: 'expert review excluded, extension by the head, EIA deemed accepted',
        why: 'made up to show the statutory rules (行政许可法 Art. 32, 42, 45) on one project; no source says this happened',
      },
    ],
    script: [
      ...done('project_filing'),
      ...done('land_prereview'),
      accept('land_auction'),
      accept('energy_review'),
      // The statutory rules on one project: the energy report goes to expert review (excluded, Art. 45), then the
      // head extends the limit, and the EIA report is received but neither accepted nor returned: it counts as
      // accepted on receipt.
      {
        kind: 'step',
        step: 'energy_review',
        action: 'exclude',
        exclusionKind: 'expert_review',
        comment: '节能报告组织专家评审，专家评审时间不计入审查期限，已书面告知申请人所需时间（约10个工作日）。',
      },
      { kind: 'step', step: 'energy_review', action: 'end_exclusion', comment: '专家评审意见已出具，恢复计时。' },
      {
        kind: 'step',
        step: 'energy_review',
        action: 'extend',
        byHead: true,
        extensionWorkingDays: 10,
        comment: '用能指标需在区内调剂，须征求区发改、经信部门意见，经负责人批准延长审查期限10个工作日，并书面告知申请人理由。',
      },
      { kind: 'step', step: 'eia_approval', action: 'receive', comment: '环境影响报告书已收件，待审查是否受理。' },
    ],
  },
  {
    dataKey: 'smec-shaoxing-phase2',
    reportItem: 'SMIC Shaoxing phase II (land to be started)',
    code: '2022-330602-39-03-000105',
    name: '中芯越州二期晶圆制造项目',
    district: SEED_DISTRICT,
    investor: '中芯越州集成电路制造（绍兴）有限公司',
    investmentYuan: yiYuan(58.8),
    signedAt: '2022-05-05',
    sources: [
      'http://www.jysgc.com/article/3000142149',
      'http://m.cq9210.com/qiyekuaibao/4322.html',
      'https://zjnews.zjol.com.cn/zjnews/202211/t20221124_25098361.shtml',
      REPORT_REPOST,
      'https://q.stock.sohu.com/cn/gg/2024/688469/56541259.shtml',
    ],
    seedChoices: [
      {
        field: 'name',
        value: '中芯越州二期晶圆制造项目',
        why: "shortened from the data's '中芯绍兴（中芯集成）二期晶圆制造项目（实施主体：中芯越州集成电路制造（绍兴）有限公司）'",
      },
      {
        field: 'investmentYuan',
        value: yiYuan(58.8),
        why: "phase II total NOT FOUND; phase I's 58.8亿元 (2018 joint-venture contract) used as a same-scale placeholder; the only phase II figure found is its 15.3亿元 dedicated fund",
      },
      {
        field: 'signedAt',
        value: '2022-05-05',
        why: 'no signing found (phase II was already on the 2021 provincial key list); the seed needs a 2022 date, so the day the city publicised the phase II dedicated fund is used',
      },
      { field: 'code', value: '2022-330602-39-03-000105', why: `${CODE_NOTE}; 39 = 计算机、通信和其他电子设备制造业 (wafer fab)` },
      {
        field: 'script',
        value: 'land listing not started',
        why: "the report says phase II land is still to be started: land pre-review is approved but the listing (挂牌出让) waits, so every land-supply step is open; the brief's wording could not be matched to a source",
      },
    ],
    script: [...done('project_filing'), ...done('land_prereview'), ...done('energy_review'), accept('eia_approval')],
  },
  {
    dataKey: 'natrium-energy-sodium-ion-cathode',
    reportItem: 'the sodium-ion battery project',
    code: '2022-330602-26-03-000106',
    name: '浙江钠创新能源年产4万吨钠离子电池正极材料项目',
    district: SEED_DISTRICT,
    investor: '浙江钠创新能源有限公司',
    investmentYuan: yiYuan(10),
    signedAt: '2022-03-18',
    sources: [
      'http://www.chinabattery.org/detail/1054013.html',
      'http://www.natriumenergy.cn/NewsDetail/3716610.html',
      'http://shaoxing.021cf.cn/index.php/post/1488.html',
      'http://m.taosk.cn/news/show-htm-itemid-24135.html',
    ],
    seedChoices: [
      { field: 'investmentYuan', value: yiYuan(10), why: 'NOT FOUND; 10亿元 chosen as the order of a 40,000 t/yr cathode-material plant and the district\'s "≥10亿元 project" class of 2022' },
      {
        field: 'signedAt',
        value: '2022-03-18',
        why: 'NOT FOUND; the 2022-06-06 report already names the project and phase I started production on 2022-10-25, so a date in the first quarter of 2022 is chosen',
      },
      {
        field: 'code',
        value: '2022-330602-26-03-000106',
        why: `${CODE_NOTE}; 26 = 化学原料和化学制品制造业 (cathode material; 3985 电子专用材料 would also fit)`,
      },
      {
        field: 'script',
        value: 'EIA returned for supplement, then resubmitted',
        why: 'made up to show a 补正 round trip on the step where a chemical-process plant most often gets one; no source says this happened',
      },
    ],
    script: [
      ...THROUGH_LAND_SUPPLY,
      ...done('energy_review'),
      accept('eia_approval'),
      {
        kind: 'step',
        step: 'eia_approval',
        action: 'return',
        comment:
          '请补正：1. 环境影响报告书修改稿（补充正极材料烧结工序废气源强核算及颗粒物、锰及其化合物排放达标分析）；' +
          '2. 危险废物（除尘灰、废包装材料）产生量核算及处置去向说明；3. 公众参与说明（补充第二次公示网页截图及报纸公示页）；' +
          '4. 主要污染物排放总量（SO₂、NOx）排污权有偿使用交易凭证。以上材料请一次性补齐，补正期间暂停计时。',
      },
      {
        kind: 'step',
        step: 'eia_approval',
        action: 'resubmit',
        comment: '企业已按补正通知提交环境影响报告书修改稿、危废核算说明、公众参与补充材料及排污权交易凭证，材料齐全，恢复审查。',
      },
      ...done('construction_planning_permit'),
    ],
  },
  {
    dataKey: 'shaoxin-laboratory',
    reportItem: 'the Shaoxin Laboratory',
    code: '2022-330602-73-03-000107',
    name: '绍芯实验室建设项目',
    district: SEED_DISTRICT,
    investor: '绍芯实验室（举办单位待核实）',
    investmentYuan: yiYuan(5),
    signedAt: '2022-01-20',
    sources: [REPORT_REPOST],
    seedChoices: [
      { field: 'name', value: '绍芯实验室建设项目', why: "the data gives only the name '绍芯实验室'; '建设项目' added since what is registered is its construction" },
      { field: 'investor', value: '绍芯实验室（举办单位待核实）', why: 'host/investor NOT FOUND; the laboratory itself is named as applicant, labelled as unverified' },
      { field: 'investmentYuan', value: yiYuan(5), why: 'NOT FOUND; 5亿元 chosen as a plausible order for a city-level IC laboratory building' },
      {
        field: 'signedAt',
        value: '2022-01-20',
        why: 'NOT FOUND; the brief says construction had started by 2022-06-06, so an early-2022 date is chosen',
      },
      {
        field: 'code',
        value: '2022-330602-73-03-000107',
        why: `${CODE_NOTE}; 73 = 研究和试验发展; filed (03) on the standard track as if run by an enterprise-style new R&D institution — if it is government-invested it would be 01 审批 on a track not yet available`,
      },
    ],
    script: [...done('project_filing', '经核查，项目属于研究和试验发展类，符合产业政策，予以备案并赋予项目代码。'), accept('land_prereview')],
  },
  {
    dataKey: 'shaoxing-comprehensive-bonded-zone',
    reportItem: 'the comprehensive bonded zone: started, completed and accepted within one year',
    track: 'bonded_zone',
    code: '2021-330602-59-01-000201',
    name: '绍兴综合保税区一期建设项目',
    district: SEED_DISTRICT,
    investor: '综保区建设发展有限公司（全称待核实）',
    investmentYuan: yiYuan(11.2),
    signedAt: '2021-01-04',
    sources: [
      'http://zj.people.com.cn/n2/2021/0107/c186938-34515487.html',
      'http://ebuyphilippines.com/n2/2021/0618/c186327-34783295.html',
      'http://www.victorzhang.cn/page/2019/0128/15977099.shtml',
    ],
    seedChoices: [
      { field: 'code', value: '2021-330602-59-01-000201', why: `${CODE_NOTE}; 59 = 仓储业, 01 = 审批 (a government-invested project)` },
      { field: 'signedAt', value: '2021-01-04', why: 'not found; the day before the phase I start ceremony of 2021-01-05 (State Council approval 2020-09-10)' },
      {
        field: 'script',
        value: 'every milestone in 2021',
        why: 'start 2021-01-05 (high); completion by end of June and customs acceptance in September are the 2021 targets (the actual dates were not found); topping out, pre-acceptance and closed operation (2021-12-20) are chosen to fit the report\'s claim of start, completion and acceptance in one year',
      },
    ],
    script: [
      accept('groundbreaking', '一期工程开工申报，受理。', '2021-01-05'),
      approve('groundbreaking', '一期工程开工仪式举行，确认开工。', '2021-01-06'),
      accept('topping_out', '施工单位报主体结构封顶，受理核查。', '2021-04-26'),
      approve('topping_out', '主体结构封顶，核查属实。', '2021-04-28'),
      accept('completion', '一期工程竣工申报，受理。', '2021-06-28'),
      approve('completion', '一期工程竣工验收合格。', '2021-06-30'),
      accept('provincial_pre_acceptance', '受理省级预验收申请。', '2021-08-16'),
      approve('provincial_pre_acceptance', '省级预验收通过。', '2021-08-27'),
      accept('customs_joint_acceptance', '杭州海关牵头会同省级六部门联合验收，受理。', '2021-09-13'),
      approve('customs_joint_acceptance', '联合验收通过，签署验收备忘录。', '2021-09-28'),
      accept('sealed_operation', '申请封关运营，受理。', '2021-10-08'),
      approve('sealed_operation', '封关运营（当年开工、当年竣工、当年验收）。', '2021-12-20'),
    ],
  },
  // The report's relocations and withdrawals (relocation track): scripts/seed-relocation.ts.
  ...RELOCATION_SEED_PROJECTS,
];
