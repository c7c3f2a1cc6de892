/*
 * The report's relocations and withdrawals (企业搬迁退出) as seed projects of the `relocation` track
 * (libs/domain/tracks/relocation.v1.track.json): printing and dyeing enterprises moved out of Paojiang by group
 * relocation (集聚搬迁), chemical enterprises in orderly withdrawal (有序退出), and the city's largest petrochemical
 * enterprise relocated across districts. The report and ../shared/data/yuecheng-projects.json name no single
 * enterprise of these, so each is registered under an honest placeholder name ("某印染企业A（集聚搬迁）"); the dates
 * follow the data where it has them (the Paojiang plants switched off on 2022-01-29 and closed by 2022-07-31) and are
 * chosen otherwise, as `seedChoices` say. Only types are imported from seed-data.ts (which lists these projects), so
 * the two modules do not load each other.
 */
import type { SeedAction, SeedProject } from './seed-data.js';

const DISTRICT = '越城区';
/** 亿元 → yuan, as a decimal string (seed-data.ts has the same conversion; not imported, see above). */
const yi = (amount: number): string => String(Math.round(amount * 1e8));

const CODE_NOTE =
  'real national project code not in the sources (a relocation has none of its own); made up in the seed\'s format YYYY-330602-XX-03-NNNNNN, ' +
  'XX = the enterprise\'s industry division of GB/T 4754-2017';
const DYEING_SOURCES = [
  'http://www.360elib.com:2027/detail.aspx?NewsCode=NC2021&NewsId=74147737&OrgId=001',
  'https://m.baijiantest.com/infoDetails/83/14010285',
  'http://ccedpw.com/html/news/show_29107.html',
];
const CHEMICAL_SOURCES = [
  'https://dfz.zj.gov.cn/zlyz/ossfs/h5/NJ-K-330602-2022-001-0101/files/basic-html/page422.html',
  'http://www.360elib.com:2027/detail.aspx?NewsCode=NC2021&NewsId=74147737&OrgId=001',
];

const step = (s: string, action: 'accept' | 'approve' | 'return' | 'resubmit', comment: string, on?: string): SeedAction => ({
  kind: 'step',
  step: s,
  action,
  comment,
  ...(on ? { on } : { sameDay: true }),
});
/** Accepted on `acceptedOn`, approved on `approvedOn` (the same day, an hour later, when omitted). */
const done = (s: string, accept: string, approve: string, acceptedOn: string, approvedOn?: string): SeedAction[] => [
  step(s, 'accept', accept, acceptedOn),
  step(s, 'approve', approve, approvedOn),
];

/** The plot is clean: the reviewed investigation finds nothing above the standard (土壤污染防治法 Art. 59, 60). */
const cleanSite = (investigationAcceptedOn: string, reviewedOn: string): SeedAction[] => [
  ...done(
    'site_investigation',
    '土壤污染状况调查报告已报送，予以受理，会同自然资源部门组织评审。',
    '经评审，地块土壤及地下水污染物含量均未超过建设用地土壤污染风险管控标准（GB 36600-2018 第二类用地筛选值），调查报告通过评审并备案，送不动产登记机构。',
    investigationAcceptedOn,
    reviewedOn,
  ),
  step('no_remediation_needed', 'accept', '受理无需修复确认。'),
  step('no_remediation_needed', 'approve', '依据通过评审的调查报告，地块污染物含量未超过风险管控标准，依土壤污染防治法第六十条无需开展风险评估，确认无需修复，具备收储条件。'),
];

/** The relocation projects of the report, on the relocation track. */
export const RELOCATION_SEED_PROJECTS: readonly SeedProject[] = [
  {
    dataKey: 'yuecheng-printing-dyeing-relocation',
    reportItem: 'printing and dyeing enterprises moved out by group relocation (1 of 2: a clean site, closed)',
    track: 'relocation',
    code: '2022-330602-17-03-000301',
    name: '某印染企业A（袍江印染集聚搬迁，名称待核实）',
    district: DISTRICT,
    investor: null,
    investmentYuan: yi(1.7),
    signedAt: '2022-01-04',
    sources: DYEING_SOURCES,
    seedChoices: [
      { field: 'name', value: '某印染企业A（袍江印染集聚搬迁，名称待核实）', why: 'the report and the data name the five destination groups, not the 47 relocating enterprises: a placeholder stands for one of them' },
      { field: 'investor', value: null, why: 'the enterprise is not identified' },
      { field: 'investmentYuan', value: yi(1.7), why: 'about 58亿元 for the five groups (medium confidence) over the 32–34 enterprises merged into them: about 1.7亿元 each, a placeholder' },
      { field: 'code', value: '2022-330602-17-03-000301', why: `${CODE_NOTE}; 17 = 纺织业 (printing and dyeing)` },
      { field: 'signedAt', value: '2022-01-04', why: 'not found; chosen so that the stop on 2022-01-29 (the day three Paojiang plants were switched off, high confidence) follows the agreement' },
      { field: 'script', value: 'closed in September 2022 on a clean site', why: 'the plants were closed in 2022 (high confidence); removal, waste, investigation, reserve and closing dates are chosen to fit, and the clean investigation is made up to show the no-remediation way' },
    ],
    script: [
      ...done('relocation_agreement', '集聚搬迁协议文本已报送，予以受理审核。', '搬迁协议已签订：企业并入柯桥蓝印时尚小镇组团项目，原厂区于2022年1月底前停产。', '2022-01-06', '2022-01-12'),
      ...done('production_stopped', '企业按协议启动停产，受理停产确认。', '原厂区生产线于2022年1月29日关停（与同批三家企业同日），确认停产。', '2022-01-13', '2022-01-29'),
      ...done('production_stop_verified', '危险化学品生产装置、储存设施及库存处置方案已备案，受理停产核查。', '经现场核查，库存染化料及助剂已按处置方案退回供应商或转移，无遗留危险化学品，核查通过。', '2022-02-07', '2022-02-11'),
      ...done('equipment_removal', '拆除活动土壤污染防治工作方案（含应急措施）已备案，受理拆除监管。', '印染设备、定型机及污水预处理设施拆除完毕，拆除过程未发现污染物遗撒。', '2022-02-14', '2022-04-08'),
      ...done('hazardous_waste_disposal', '危险废物管理计划及转移计划已报备，受理处置监管。', '废染料包装物、废矿物油及含染料污泥已委托持证单位处置，转移联单齐全。', '2022-04-11', '2022-04-29'),
      ...cleanSite('2022-04-12', '2022-05-10'),
      ...done('land_reserve', '原厂区土地使用权收回申请及土壤调查报告已报送，受理收储。', '国有建设用地使用权已依法收回并注销登记，地块纳入区土地储备库。', '2022-05-16', '2022-06-24'),
      ...done('acceptance', '搬迁任务验收申请已报送，予以受理。', '经验收，停产、拆除、危废处置、土壤调查及收储均已完成，准予销号。', '2022-06-27', '2022-07-08'),
    ],
  },
  {
    dataKey: 'yuecheng-printing-dyeing-relocation',
    reportItem: 'printing and dyeing enterprises moved out by group relocation (2 of 2: remediated, closed)',
    track: 'relocation',
    code: '2022-330602-17-03-000302',
    name: '某印染企业B（袍江印染集聚搬迁，名称待核实）',
    district: DISTRICT,
    investor: null,
    investmentYuan: yi(1.7),
    signedAt: '2022-03-01',
    sources: DYEING_SOURCES,
    seedChoices: [
      { field: 'name', value: '某印染企业B（袍江印染集聚搬迁，名称待核实）', why: 'as for A: the relocating enterprises are not named in the sources' },
      { field: 'investor', value: null, why: 'the enterprise is not identified' },
      { field: 'investmentYuan', value: yi(1.7), why: 'as for A: a placeholder share of the five groups\' 58亿元' },
      { field: 'code', value: '2022-330602-17-03-000302', why: `${CODE_NOTE}; 17 = 纺织业` },
      { field: 'signedAt', value: '2022-03-01', why: 'not found; chosen before the stop on 2022-07-31, the day of the closure ceremony when all 47 Paojiang firms were closed on schedule (high confidence)' },
      { field: 'script', value: 'remediated, closed in October 2023', why: 'made up to show the remediation way (aniline and petroleum hydrocarbons above the screening values are typical of dyeing sites, not a finding of this site)' },
    ],
    script: [
      ...done('relocation_agreement', '集聚搬迁协议文本已报送，予以受理审核。', '搬迁协议已签订：企业并入组团项目，原厂区随袍江印染整体关停。', '2022-03-03', '2022-03-15'),
      ...done('production_stopped', '企业按协议启动停产，受理停产确认。', '袍江印染企业关停仪式当日，原厂区全部生产线关停，确认停产。', '2022-05-06', '2022-07-31'),
      step('production_stop_verified', 'accept', '危险化学品处置方案已备案，受理停产核查。'),
      step('production_stop_verified', 'approve', '停产当日现场核查，库存危险化学品已清运，核查通过。'),
      ...done('equipment_removal', '拆除活动土壤污染防治工作方案已备案，受理拆除监管。', '生产设备及污水处理设施拆除完毕。', '2022-08-01', '2022-09-30'),
      ...done('hazardous_waste_disposal', '危险废物转移计划已报备，受理处置监管。', '含染料污泥及废包装物已交持证单位处置，转移联单齐全。', '2022-10-10', '2022-10-28'),
      ...done('site_investigation', '土壤污染状况调查报告已报送，予以受理，会同自然资源部门组织评审。', '经评审，原染色车间及污水池区域苯胺、石油烃（C10-C40）超过第二类用地筛选值，调查报告通过评审，须开展风险评估。', '2022-11-14', '2022-12-09'),
      ...done('risk_assessment', '风险评估报告已报送，予以受理，报省生态环境厅评审。', '风险评估报告通过省级评审，地块纳入建设用地土壤污染风险管控和修复名录，须实施修复。', '2022-12-12', '2023-01-20'),
      ...done('soil_remediation', '修复方案已备案，受理修复监管，施工期间设立公告牌。', '原位化学氧化与异位热脱附修复施工完成，污染土壤转运计划已提前报备。', '2023-02-01', '2023-07-21'),
      ...done('remediation_effect_evaluation', '修复效果评估报告已备案，予以受理，报省级评审。', '修复效果评估通过省级评审，达到修复目标，地块移出风险管控和修复名录。', '2023-07-24', '2023-09-01'),
      ...done('land_reserve', '土地使用权收回申请已报送，受理收储。', '土地使用权已收回并注销登记，地块纳入储备。', '2023-09-04', '2023-10-13'),
      ...done('acceptance', '搬迁任务验收申请已报送，予以受理。', '经验收，各环节均已完成，准予销号。', '2023-10-16', '2023-10-27'),
    ],
  },
  {
    dataKey: 'yuecheng-chemical-withdrawal',
    reportItem: 'chemical enterprises withdrawn in an orderly way (有序退出)',
    track: 'relocation',
    code: '2022-330602-26-03-000303',
    name: '某化工企业A（有序退出，名称待核实）',
    district: DISTRICT,
    investor: null,
    investmentYuan: yi(0.8),
    signedAt: '2022-02-21',
    sources: CHEMICAL_SOURCES,
    seedChoices: [
      { field: 'name', value: '某化工企业A（有序退出，名称待核实）', why: "the report's 33 withdrawn chemical enterprises are not named (and the figure itself was not found; a later source says 35)" },
      { field: 'investor', value: null, why: 'the enterprise is not identified' },
      { field: 'investmentYuan', value: yi(0.8), why: 'no amount in the sources; 0.8亿元 of compensation and relocation cost chosen as a placeholder' },
      { field: 'code', value: '2022-330602-26-03-000303', why: `${CODE_NOTE}; 26 = 化学原料和化学制品制造业` },
      { field: 'signedAt', value: '2022-02-21', why: 'no exit date per firm found; a date before the 2022-06-06 report chosen' },
      { field: 'script', value: 'investigation report returned once, clean site, closed', why: 'made up to show a 补正 round trip on the investigation; no source says this happened' },
    ],
    script: [
      ...done('relocation_agreement', '退出协议文本已报送，予以受理审核。', '有序退出协议已签订，企业于4月底前停产。', '2022-02-23', '2022-03-08'),
      ...done('production_stopped', '企业按协议启动停产，受理停产确认。', '企业已于4月28日全面停产。', '2022-03-09', '2022-04-28'),
      ...done('production_stop_verified', '危险化学品生产装置、储存设施及库存处置方案已报应急管理、经信、生态环境和公安部门备案，受理核查。', '会同生态环境、公安部门现场核查：反应釜、储罐已清洗置换，库存危险化学品已转让持证单位，核查通过。', '2022-05-05', '2022-05-13'),
      ...done('equipment_removal', '土壤污染重点监管单位拆除活动土壤污染防治工作方案（含应急措施）已报生态环境、经信部门备案，受理拆除监管。', '生产装置、管廊及储罐区拆除完毕，拆除废物分类收集。', '2022-05-16', '2022-07-08'),
      ...done('hazardous_waste_disposal', '危险废物管理计划已报备，受理处置监管。', '釜残、废溶剂、废活性炭及拆除产生的沾染危险废物已交持证单位处置，转移联单齐全。', '2022-07-11', '2022-08-05'),
      step('site_investigation', 'accept', '土壤污染状况调查报告已报送，予以受理。', '2022-07-12'),
      step(
        'site_investigation',
        'return',
        '请补正：1. 补充原储罐区及废水收集池的加密布点和地下水监测井数据；2. 补充特征污染物（甲苯、二氯甲烷）检测结果；3. 补充历史生产工艺及物料清单说明。以上材料请一次性补齐，补正期间暂停计时。',
        '2022-07-22',
      ),
      step('site_investigation', 'resubmit', '企业已按补正通知补充加密布点、地下水监测及特征污染物检测数据，材料齐全，恢复审查。', '2022-08-19'),
      step('site_investigation', 'approve', '经评审，各点位污染物含量均未超过第二类用地筛选值，调查报告通过评审并备案。', '2022-09-02'),
      step('no_remediation_needed', 'accept', '受理无需修复确认。'),
      step('no_remediation_needed', 'approve', '依据通过评审的调查报告，确认地块无需开展风险评估和修复。'),
      ...done('land_reserve', '土地使用权收回申请已报送，受理收储。', '土地使用权已收回并注销登记，地块纳入储备。', '2022-09-05', '2022-10-19'),
      ...done('acceptance', '退出任务验收申请已报送，予以受理。', '经验收，准予销号。', '2022-10-24', '2022-11-04'),
    ],
  },
  {
    dataKey: 'none: the report item only (yuecheng-projects.json has no entry for it)',
    reportItem: "the city's largest petrochemical enterprise relocated across districts",
    track: 'relocation',
    code: '2022-330602-25-03-000304',
    name: '市最大石化企业跨区域搬迁（原厂区退出，名称待核实）',
    district: DISTRICT,
    investor: null,
    investmentYuan: yi(20),
    signedAt: '2022-04-20',
    sources: [],
    seedChoices: [
      { field: 'name', value: '市最大石化企业跨区域搬迁（原厂区退出，名称待核实）', why: 'the report names neither the enterprise nor the district it moved to; the data has no entry for it' },
      { field: 'investor', value: null, why: 'the enterprise is not identified' },
      { field: 'investmentYuan', value: yi(20), why: 'no figure found; 20亿元 chosen as the order of moving a large petrochemical plant, a placeholder' },
      { field: 'code', value: '2022-330602-25-03-000304', why: `${CODE_NOTE}; 25 = 石油、煤炭及其他燃料加工业` },
      { field: 'signedAt', value: '2022-04-20', why: 'not found; a date before the 2022-06-06 report chosen' },
      { field: 'script', value: 'remediation of the old site still running', why: 'made up: a large petrochemical site is the case where remediation takes longest; it shows a running relocation past its targets on the stuck list' },
    ],
    script: [
      ...done('relocation_agreement', '跨区域搬迁协议文本已报送，予以受理审核。', '搬迁协议已签订：企业整体搬迁至市内化工园区，原厂区6月底前停产。', '2022-04-22', '2022-05-20'),
      ...done('production_stopped', '企业按协议启动停产，受理停产确认。', '原厂区常减压及下游装置已于6月30日全部停车。', '2022-05-23', '2022-06-30'),
      ...done('production_stop_verified', '危险化学品生产装置、储存设施及库存处置方案已备案，受理核查。', '会同生态环境、公安部门现场核查：装置已倒空、吹扫、置换，储罐已清罐，核查通过。', '2022-07-01', '2022-07-08'),
      ...done('equipment_removal', '拆除活动土壤污染防治工作方案（含应急措施）已备案，受理拆除监管。', '生产装置、储罐区及管廊拆除完毕。', '2022-09-01', '2022-10-28'),
      ...done('hazardous_waste_disposal', '危险废物管理计划及转移计划已报备，受理处置监管。', '油泥、废催化剂及清罐底泥已交持证单位处置，转移联单齐全。', '2022-11-01', '2022-11-30'),
      ...done('site_investigation', '土壤污染状况调查报告已报送，予以受理，会同自然资源部门组织评审。', '经评审，原储罐区及装置区苯、石油烃（C10-C40）超过第二类用地管制值，地下水受到污染，须开展风险评估。', '2023-01-09', '2023-02-08'),
      ...done('risk_assessment', '风险评估报告已报送，予以受理，报省生态环境厅评审。', '风险评估报告通过省级评审，地块纳入风险管控和修复名录，须实施土壤及地下水修复。', '2023-04-10', '2023-05-19'),
      step('soil_remediation', 'accept', '修复方案（含地下水污染防治）已备案，受理修复监管，施工期间设立公告牌。', '2023-06-01'),
    ],
  },
];
