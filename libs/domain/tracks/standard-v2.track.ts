import type { StepDefinition, TrackDefinition } from '../track-definition.js';
import { STANDARD_TRACK_V1 } from './standard.track.js';

/*
 * The `standard` track, version 2: version 1 (signing to groundbreaking) continued past groundbreaking —
 * construction → completion (竣工) → joint acceptance (联合验收), whose sub-acceptances (planning verification,
 * fire protection, civil air defence, completion filing) run in parallel and must all pass → in production
 * (投产). A failed sub-acceptance is returned for rectification (整改: `return`, clock stopped) and comes back
 * (`resubmit`). Limits: ../shared/research/statutory-limits.md rows 11a–11e; 国办发〔2019〕11号 (限时联合验收).
 * Projects that pinned version 1 keep it.
 */
const V1_STEPS: StepDefinition[] = STANDARD_TRACK_V1.steps.map((s) =>
  s.key === 'groundbreaking'
    ? {
        ...s,
        // Confirming a start the permits already allow: one working day in the forecast (the 3-month limit of
        // 建筑法 Art. 9 is an expiry window, not a duration).
        forecastDuration: { value: 1, unit: 'working_days', source: 'confirmation of a start the construction permit allows' },
      }
    : s,
);

const SUB_ACCEPTANCE = ['planning_verification', 'fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing'];

export const STANDARD_TRACK_V2: TrackDefinition = {
  ...STANDARD_TRACK_V1,
  version: 2,
  name: 'Standard industrial project: signing to production',
  nameZh: '一般工业项目：签约至投产',
  finalStep: 'in_production',
  stages: [
    ...STANDARD_TRACK_V1.stages,
    { key: 'construction', name: 'Construction', nameZh: '施工建设' },
    { key: 'completion', name: 'Completion', nameZh: '竣工' },
    { key: 'joint_acceptance', name: 'Joint acceptance', nameZh: '联合验收' },
    { key: 'production', name: 'In production', nameZh: '投产' },
  ],
  steps: [
    ...V1_STEPS,
    {
      key: 'construction',
      name: 'Construction works',
      nameZh: '施工建设',
      stage: 'construction',
      department: 'housing_construction',
      dependsOn: ['groundbreaking'],
      waivable: false,
      notGovernmentTime: "the builder's works, not a file held by an agency",
      limit: {
        value: 730,
        unit: 'calendar_days',
        source: 'Shaoxing industrial land notices (绍市自然告(工)字[2025]21号): build period 30 months incl. 3–6 months 动工准备期; counted here as 24 months of works',
        confidence: 'low',
      },
    },
    {
      key: 'completion',
      name: 'Completion inspection organised by the builder',
      nameZh: '竣工验收',
      stage: 'completion',
      department: 'housing_construction',
      dependsOn: ['construction'],
      waivable: false,
      notGovernmentTime: 'completion acceptance is organised by the builder (建设工程质量管理条例 Art. 16); the department supervises it',
      limit: { value: 20, unit: 'working_days', source: '行政许可法 Art. 42 default (no specific limit found)', confidence: 'low' },
    },
    {
      key: 'planning_verification',
      name: 'Planning verification',
      nameZh: '规划核实',
      stage: 'joint_acceptance',
      department: 'natural_resources',
      dependsOn: ['completion'],
      waivable: false,
      limit: { value: 15, unit: 'working_days', source: '浙江省城乡规划条例 (2011) Art. 44: 15 working days from 受理', confidence: 'medium' },
    },
    {
      key: 'fire_acceptance',
      name: 'Fire-protection acceptance',
      nameZh: '消防验收',
      stage: 'joint_acceptance',
      department: 'housing_construction',
      dependsOn: ['completion'],
      waivable: false,
      limit: { value: 15, unit: 'working_days', source: '建设工程消防设计审查验收管理暂行规定 (住建部令第51号) Art. 29, believed 15 日 (not confirmed)', confidence: 'low' },
    },
    {
      key: 'civil_air_defence_acceptance',
      name: 'Civil air-defence acceptance filing',
      nameZh: '人防验收',
      stage: 'joint_acceptance',
      department: 'housing_construction',
      dependsOn: ['completion'],
      waivable: false,
      limit: { value: 20, unit: 'working_days', source: '浙江省实施《人民防空法》办法 Art. 17 (no time limit found); 行政许可法 Art. 42 default', confidence: 'low' },
    },
    {
      key: 'completion_filing',
      name: 'Completion acceptance filing',
      nameZh: '竣工验收备案',
      stage: 'joint_acceptance',
      department: 'housing_construction',
      dependsOn: ['completion'],
      waivable: false,
      notGovernmentTime: "the builder's filing obligation within 15 days of acceptance (Art. 49)",
      limit: { value: 15, unit: 'calendar_days', source: '建设工程质量管理条例 Art. 49: filed within 15 days after acceptance', confidence: 'high' },
    },
    {
      key: 'joint_acceptance',
      name: 'Joint acceptance opinion',
      nameZh: '联合验收意见',
      stage: 'joint_acceptance',
      department: 'housing_construction',
      dependsOn: SUB_ACCEPTANCE,
      waivable: false,
      limit: { value: 20, unit: 'working_days', source: '国办发〔2019〕11号: 限时联合验收 (no number); 行政许可法 Art. 42 default', confidence: 'low' },
    },
    {
      key: 'in_production',
      name: 'In production',
      nameZh: '投产',
      stage: 'production',
      department: 'project_office',
      dependsOn: ['joint_acceptance'],
      waivable: false,
      notGovernmentTime: "the enterprise's own start of production",
      limit: { value: 90, unit: 'calendar_days', source: 'district practice: production within a quarter of acceptance (no statute)', confidence: 'low' },
      forecastDuration: { value: 30, unit: 'calendar_days', source: 'district practice (no statute)' },
    },
  ],
  projectDeadlines: STANDARD_TRACK_V1.projectDeadlines.map((d) => ({ ...d, hard: true })),
};
