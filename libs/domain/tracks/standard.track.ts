import type { TrackDefinition } from '../track-definition.js';

/*
 * The `standard` track, version 1: from signing (签约) to groundbreaking (开工) of an enterprise-invested
 * industrial project on 出让 land, following the 工改 stages (国办发〔2019〕11号; 国办发〔2018〕33号 §(五)).
 * Limits and their sources are from ../shared/research/statutory-limits.md (§1 table, §2 general rules);
 * "行政许可法 Art. 42" is the default of 20 working days where no specific limit was found.
 * Dependencies follow the gates of §2.7: EIA and energy review gate groundbreaking, not filing; the land
 * title follows the land contract; the construction permit needs the drawing review and the title.
 */
export const STANDARD_TRACK_V1: TrackDefinition = {
  track: 'standard',
  version: 1,
  name: 'Standard industrial project: signing to groundbreaking',
  nameZh: '一般工业项目：签约至开工',
  finalStep: 'groundbreaking',
  // The district's reminder policy: yellow at ≤ 2 working days left or 80 % used; 督办 3 working days after red;
  // repeat every 5.
  reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
  projectDeadlines: [
    {
      key: 'groundbreaking_promise',
      name: 'Groundbreaking within 90 days of the land contract',
      nameZh: '拿地即开工（出让合同签订后90日内开工）',
      fromStep: 'land_contract',
      toStep: 'groundbreaking',
      limit: {
        value: 90,
        unit: 'calendar_days',
        source: 'Binhai investment centre "963" standard (绍兴日报 2025-04-21, research note §2.6): 90 days pass, 60 good, 30 top grade',
        confidence: 'medium',
      },
      grades: [
        { maxDays: 30, grade: 'excellent' },
        { maxDays: 60, grade: 'good' },
        { maxDays: 90, grade: 'on_time' },
      ],
      lateGrade: 'overdue',
    },
  ],
  stages: [
    { key: 'initiation', name: 'Initiation and land pre-review', nameZh: '立项用地' },
    { key: 'land_supply', name: 'Land supply', nameZh: '供地' },
    { key: 'permits', name: 'Planning and construction permits', nameZh: '工程建设许可与施工许可' },
    { key: 'groundbreaking', name: 'Groundbreaking', nameZh: '开工' },
  ],
  steps: [
    {
      key: 'project_filing',
      name: 'Project filing or approval',
      nameZh: '项目备案/核准',
      stage: 'initiation',
      department: 'development_reform',
      dependsOn: [],
      limit: {
        value: 20,
        unit: 'working_days',
        source: '企业投资项目核准和备案管理条例 (国务院令第673号) Art. 10: 核准 within 20 working days of 受理; 备案 (Art. 13) has no decision period',
        confidence: 'high',
      },
    },
    {
      key: 'land_prereview',
      name: 'Land pre-review and site selection',
      nameZh: '用地预审与选址',
      stage: 'initiation',
      department: 'natural_resources',
      dependsOn: [],
      limit: {
        value: 20,
        unit: 'working_days',
        source: '行政许可法 Art. 42 default (no specific national limit found); 土地管理法实施条例 Art. 24',
        confidence: 'low',
      },
    },
    {
      key: 'land_auction',
      name: 'Land listing and auction',
      nameZh: '挂牌出让',
      stage: 'land_supply',
      department: 'natural_resources',
      dependsOn: ['land_prereview'],
      notGovernmentTime: "the seller's statutory sale procedure (notice ≥ 20 days, listing ≥ 10 days); auction time is excluded from licensing limits (行政许可法 Art. 45)",
      limit: {
        value: 30,
        unit: 'calendar_days',
        source: '招标拍卖挂牌出让国有建设用地使用权规定 (国土资源部令第39号) Art. 10, 19: notice ≥ 20 days, listing ≥ 10 days; Shaoxing notices: 21–25 days notice to auction',
        confidence: 'medium',
      },
    },
    {
      key: 'land_contract',
      name: 'Land grant contract',
      nameZh: '国有建设用地使用权出让合同',
      stage: 'land_supply',
      department: 'natural_resources',
      dependsOn: ['land_auction'],
      limit: {
        value: 10,
        unit: 'working_days',
        source: '国土资发〔2010〕34号 §2: contract signed within 10 working days of the sale',
        confidence: 'medium',
      },
    },
    {
      key: 'land_use_planning_permit',
      name: 'Land-use planning permit',
      nameZh: '建设用地规划许可证',
      stage: 'land_supply',
      department: 'natural_resources',
      dependsOn: ['project_filing', 'land_contract'],
      limit: {
        value: 20,
        unit: 'working_days',
        source: '城乡规划法 Art. 38 ¶2; 行政许可法 Art. 42 default (no specific limit found)',
        confidence: 'low',
      },
    },
    {
      key: 'land_title',
      name: 'Land title (first registration)',
      nameZh: '不动产权证',
      stage: 'land_supply',
      department: 'natural_resources',
      dependsOn: ['land_contract'],
      limit: {
        value: 30,
        unit: 'working_days',
        source: '不动产登记暂行条例 Art. 20: 30 working days from 受理',
        confidence: 'high',
      },
    },
    {
      key: 'construction_planning_permit',
      name: 'Design scheme and construction-planning permit',
      nameZh: '设计方案审查与建设工程规划许可证',
      stage: 'permits',
      department: 'natural_resources',
      dependsOn: ['land_use_planning_permit'],
      limit: {
        value: 20,
        unit: 'working_days',
        source: '城乡规划法 Art. 40; 行政许可法 Art. 42 default',
        confidence: 'medium',
      },
    },
    {
      key: 'eia_approval',
      name: 'Environmental impact assessment approval',
      nameZh: '环境影响评价审批',
      stage: 'permits',
      department: 'ecology_environment',
      dependsOn: ['project_filing'],
      limit: {
        value: 60,
        unit: 'calendar_days',
        source: '环境影响评价法 Art. 22: report (报告书) within 60 日 of receipt; unit not stated by the statute, set here as calendar days',
        confidence: 'high',
      },
    },
    {
      key: 'energy_review',
      name: 'Energy-conservation review',
      nameZh: '节能审查',
      stage: 'permits',
      department: 'development_reform',
      dependsOn: ['project_filing'],
      limit: {
        value: 15,
        unit: 'working_days',
        source: '浙江省实施《节约能源法》办法 (2017) Art. 15: 15 working days from receipt of the energy report',
        confidence: 'high',
      },
    },
    {
      key: 'drawing_review',
      name: 'Construction-drawing and fire-design review',
      nameZh: '施工图审查与消防设计审查',
      stage: 'permits',
      department: 'housing_construction',
      dependsOn: ['construction_planning_permit'],
      limit: {
        value: 15,
        unit: 'working_days',
        source: '施工图设计文件审查管理办法 (住建部令第13号) Art. 12: large works 15 working days; 住建部令第51号 Art. 22: fire design 15 working days',
        confidence: 'medium',
      },
    },
    {
      key: 'construction_permit',
      name: 'Construction permit',
      nameZh: '施工许可证',
      stage: 'permits',
      department: 'housing_construction',
      dependsOn: ['drawing_review', 'land_title'],
      limit: {
        value: 7,
        unit: 'calendar_days',
        source: '建筑法 Art. 8: 7 日 from receipt; unit not stated by the statute, set here as calendar days',
        confidence: 'high',
      },
    },
    {
      key: 'groundbreaking',
      name: 'Groundbreaking confirmed',
      nameZh: '开工',
      stage: 'groundbreaking',
      department: 'project_office',
      dependsOn: ['construction_permit', 'eia_approval', 'energy_review'],
      waivable: false,
      limit: {
        value: 90,
        unit: 'calendar_days',
        source: '建筑法 Art. 9: start within 3 months of the construction permit (counted here as 90 calendar days)',
        confidence: 'medium',
      },
    },
  ],
};
