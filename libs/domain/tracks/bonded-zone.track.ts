import type { TrackDefinition } from '../track-definition.js';

/*
 * The `bonded_zone` track (综合保税区): start, main structure topped out, completion, provincial
 * pre-acceptance, the joint acceptance led by customs with the other departments, and operation under
 * customs seal (封关运营) — all inside the calendar year of signing (当年开工、当年竣工、当年验收). Each milestone
 * has a target day of the year plan; 31 December (Asia/Shanghai) is the hard deadline. Sources: research note
 * row 12 (海关总署令第256号 Art. 4; no time rule found) and the Shaoxing zone's 2021 plan (start 01-05,
 * works complete by end of June, customs acceptance and closed operation by September).
 */
const VERIFY = { value: 5, unit: 'working_days' as const, source: 'district practice: the department confirms a reported milestone within 5 working days (no statute)', confidence: 'low' as const };

export const BONDED_ZONE_TRACK_V1: TrackDefinition = {
  track: 'bonded_zone',
  version: 1,
  name: 'Comprehensive bonded zone: start, completion and acceptance in the year of signing',
  nameZh: '综合保税区：当年开工、当年竣工、当年验收',
  finalStep: 'sealed_operation',
  reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
  stages: [
    { key: 'start', name: 'Start of works', nameZh: '开工' },
    { key: 'construction', name: 'Construction', nameZh: '施工建设' },
    { key: 'acceptance', name: 'Acceptance', nameZh: '验收' },
    { key: 'operation', name: 'Operation under customs seal', nameZh: '封关运营' },
  ],
  steps: [
    {
      key: 'groundbreaking',
      name: 'Start of works',
      nameZh: '开工',
      stage: 'start',
      department: 'project_office',
      dependsOn: [],
      waivable: false,
      limit: VERIFY,
      forecastDuration: { value: 10, unit: 'working_days', source: 'Shaoxing 2021: State Council approval Sept 2020, works started 2021-01-05' },
    },
    {
      key: 'topping_out',
      name: 'Main structure topped out',
      nameZh: '主体结构封顶',
      stage: 'construction',
      department: 'housing_construction',
      dependsOn: ['groundbreaking'],
      waivable: false,
      limit: VERIFY,
      forecastDuration: { value: 100, unit: 'calendar_days', source: 'Shaoxing 2021 phase I plan: works complete by end of June (≈ 6 months from start), topping out about two thirds in' },
    },
    {
      key: 'completion',
      name: 'Completion',
      nameZh: '竣工',
      stage: 'construction',
      department: 'housing_construction',
      dependsOn: ['topping_out'],
      waivable: false,
      limit: VERIFY,
      forecastDuration: { value: 60, unit: 'calendar_days', source: 'Shaoxing 2021 phase I plan (end of June)' },
    },
    {
      key: 'provincial_pre_acceptance',
      name: 'Provincial pre-acceptance',
      nameZh: '省级预验收',
      stage: 'acceptance',
      department: 'development_reform',
      dependsOn: ['completion'],
      waivable: false,
      limit: { value: 20, unit: 'working_days', source: '行政许可法 Art. 42 default (no rule found)', confidence: 'low' },
    },
    {
      key: 'customs_joint_acceptance',
      name: 'Joint acceptance led by customs',
      nameZh: '海关牵头联合验收',
      stage: 'acceptance',
      department: 'customs',
      dependsOn: ['provincial_pre_acceptance'],
      waivable: false,
      limit: { value: 20, unit: 'working_days', source: '海关综合保税区管理办法 (海关总署令第256号) Art. 4: acceptance by customs with the other departments; no time rule found', confidence: 'low' },
    },
    {
      key: 'sealed_operation',
      name: 'Operation under customs seal',
      nameZh: '封关运营',
      stage: 'operation',
      department: 'customs',
      dependsOn: ['customs_joint_acceptance'],
      waivable: false,
      limit: { value: 30, unit: 'calendar_days', source: 'Shaoxing 2021 plan: closed operation soon after acceptance (no statute)', confidence: 'low' },
      forecastDuration: { value: 10, unit: 'working_days', source: 'district practice' },
    },
  ],
  projectDeadlines: [
    ...(
      [
        ['groundbreaking_target', 'groundbreaking', 'Start by the year plan', '按年度计划开工', '03-31'],
        ['topping_out_target', 'topping_out', 'Topped out by the year plan', '按年度计划主体封顶', '07-31'],
        ['completion_target', 'completion', 'Completed by the year plan', '按年度计划竣工', '09-30'],
        ['acceptance_target', 'customs_joint_acceptance', 'Accepted by the year plan', '按年度计划通过验收', '11-30'],
      ] as const
    ).map(([key, toStep, name, nameZh, monthDay]) => ({
      key,
      name,
      nameZh,
      fromStep: null,
      toStep,
      target: { monthDay, source: 'the district year plan (default; configurable per year)', confidence: 'low' as const },
      grades: [],
      lateGrade: 'late',
    })),
    {
      key: 'year_end',
      name: 'Start, completion and acceptance in the year of signing',
      nameZh: '当年开工、当年竣工、当年验收（年底封关运营）',
      fromStep: null,
      toStep: 'sealed_operation',
      target: { monthDay: '12-31', source: 'the zone\'s promise (当年开工、当年竣工、当年验收), 2022 report', confidence: 'high' },
      hard: true,
      grades: [],
      lateGrade: 'missed',
    },
  ],
  yearPlans: {
    // Shaoxing comprehensive bonded zone, 2021: works started 01-05; complete by end of June; customs acceptance
    // and closed operation targeted for September (research note row 12; yuecheng-projects.json).
    2021: { groundbreaking_target: '01-31', topping_out_target: '04-30', completion_target: '06-30', acceptance_target: '09-30' },
  },
};
