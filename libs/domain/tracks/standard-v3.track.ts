import { ART_44_DELIVERY, type CertificateDefinition, type StepDefinition, type TrackDefinition } from '../track-definition.js';
import { STANDARD_TRACK_V2 } from './standard-v2.track.js';

/*
 * The `standard` track, version 3 (statutory fidelity: the statute's own limits and rules): version 2 with
 * - two tiers per step: the statutory limit (法定时限) and the district's published limit (承诺时限,
 *   优化营商环境条例 Art. 35) where one was found; a unit the statute leaves open ("日") is marked as the
 *   district's setting (`unitAsWritten`);
 * - the 核准 extension cap of 40 working days (企业投资项目核准和备案管理条例 Art. 10), the default 10 elsewhere;
 * - certificates delivered within 10 working days of the decision (行政许可法 Art. 44);
 * - expiry clocks after decisions (research note §2.7): 核准 2 years, construction-planning permit 1 year,
 *   construction permit 3 months, the land contract's preparation and build periods;
 * - gates: the land title waits for the land price paid in full; planning verification (规划核实) precedes
 *   completion acceptance (城乡规划法 Art. 45);
 * - the remaining sub-acceptances handled jointly under one limit (Art. 42 ¶2; 国办发〔2019〕11号 限时联合验收);
 * - Zhejiang's government-time promises (政府审批用时).
 * Projects that pinned version 1 or 2 keep them.
 */
const certificate = (name: string, nameZh: string): CertificateDefinition => ({ name, nameZh, limit: ART_44_DELIVERY });

const V3: Record<string, Partial<StepDefinition>> = {
  project_filing: {
    extensionCaps: [
      {
        value: 40,
        unit: 'working_days',
        route: 'approval',
        source: '企业投资项目核准和备案管理条例 (国务院令第673号) Art. 10: 核准 extended with the approval of the principal head, by at most 40 working days',
      },
    ],
    certificate: certificate('Approval or filing document', '核准文件/备案证明'),
    expiries: [
      {
        key: 'project_approval_validity',
        name: 'Project approval: start within 2 years',
        nameZh: '核准文件有效期（2年内开工）',
        months: 24,
        endsAtStep: 'groundbreaking',
        renewals: { max: 1, maxMonths: 12 },
        remindWorkingDaysBefore: 40,
        route: 'approval',
        source: '企业投资项目核准和备案管理条例 Art. 12: lapses without groundbreaking within 2 years; apply ≥ 30 working days before; one extension ≤ 1 year',
        confidence: 'high',
      },
    ],
  },
  land_contract: {
    expiries: [
      {
        key: 'land_preparation_period',
        name: 'Land contract: preparation period to groundbreaking',
        nameZh: '出让合同动工准备期',
        months: 6,
        contractTerm: 'preparation',
        endsAtStep: 'groundbreaking',
        renewals: { max: 0, maxMonths: 0 },
        remindWorkingDaysBefore: 20,
        source: 'Shaoxing industrial land notices (绍市自然告(工)字[2025]21号): 动工准备期 3–6 months, per contract (default 6)',
        confidence: 'medium',
      },
      {
        key: 'land_build_period',
        name: 'Land contract: build period to completion',
        nameZh: '出让合同建设期（竣工）',
        months: 30,
        contractTerm: 'build',
        endsAtStep: 'completion',
        renewals: { max: 0, maxMonths: 0 },
        remindWorkingDaysBefore: 40,
        source: 'Shaoxing industrial land notices (绍市自然告(工)字[2025]21号): build period 30 months incl. the preparation period, per contract',
        confidence: 'medium',
      },
    ],
  },
  land_use_planning_permit: { certificate: certificate('Land-use planning permit', '建设用地规划许可证') },
  land_title: {
    limit: {
      value: 5,
      unit: 'working_days',
      source: '国办发〔2019〕8号 §1(二): ordinary registration within 5 working days (published target)',
      confidence: 'medium',
    },
    statutoryLimit: { value: 30, unit: 'working_days', source: '不动产登记暂行条例 Art. 20: 30 working days from 受理', confidence: 'high' },
    requiresFacts: ['land_price_paid'],
    certificate: certificate('Real-estate title certificate', '不动产权证书'),
  },
  construction_planning_permit: {
    certificate: certificate('Construction-planning permit', '建设工程规划许可证'),
    expiries: [
      {
        key: 'construction_planning_permit_validity',
        name: 'Construction-planning permit: construction permit within 1 year',
        nameZh: '建设工程规划许可证有效期（1年内取得施工许可）',
        months: 12,
        endsAtStep: 'construction_permit',
        renewals: { max: 2, maxMonths: 12 },
        remindWorkingDaysBefore: 30,
        source: '浙江省城乡规划条例 (2011) Art. 49: construction permit within 1 year; apply ≥ 30 days before; at most 2 renewals of ≤ 1 year',
        confidence: 'medium',
      },
    ],
  },
  eia_approval: {
    limit: {
      value: 15,
      unit: 'working_days',
      unitAsWritten: '日',
      source: 'Zhejiang practice: 报告书 decided in 15 days (research note row 7, secondary source); unit set here as working days',
      confidence: 'medium',
    },
    statutoryLimit: {
      value: 60,
      unit: 'calendar_days',
      unitAsWritten: '日',
      source: '环境影响评价法 Art. 22: 报告书 within 60 日 of receipt; the statute leaves the unit open, set here as calendar days',
      confidence: 'high',
    },
    certificate: certificate('EIA approval', '环评批复'),
  },
  construction_permit: {
    limit: {
      value: 7,
      unit: 'calendar_days',
      unitAsWritten: '日',
      source: '建筑法 Art. 8: 7 日 from receipt; the statute leaves the unit open, set here as calendar days',
      confidence: 'high',
    },
    certificate: certificate('Construction permit', '建筑工程施工许可证'),
    expiries: [
      {
        key: 'construction_permit_validity',
        name: 'Construction permit: start within 3 months',
        nameZh: '施工许可证有效期（3个月内开工）',
        months: 3,
        endsAtStep: 'groundbreaking',
        renewals: { max: 2, maxMonths: 3 },
        remindWorkingDaysBefore: 10,
        source: '建筑法 Art. 9: start within 3 months; at most 2 extensions of ≤ 3 months, else the permit lapses',
        confidence: 'high',
      },
    ],
  },
  // 规划核实 precedes completion acceptance (城乡规划法 Art. 45): acceptance may not be organised before it.
  planning_verification: { stage: 'completion', dependsOn: ['construction'], certificate: certificate('Planning verification certificate', '规划核实确认书') },
  completion: { dependsOn: ['construction', 'planning_verification'] },
  joint_acceptance: { dependsOn: ['fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing'] },
};

export const STANDARD_TRACK_V3: TrackDefinition = {
  ...STANDARD_TRACK_V2,
  version: 3,
  steps: STANDARD_TRACK_V2.steps.map((s) => ({ ...s, ...V3[s.key] })),
  jointGroups: [
    {
      key: 'joint_acceptance',
      name: 'Joint acceptance (fire, civil air defence, filing)',
      nameZh: '限时联合验收',
      steps: ['fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing'],
      limit: {
        value: 45,
        unit: 'working_days',
        source: '行政许可法 Art. 42 ¶2: jointly handled licences at most 45 working days; 国办发〔2019〕11号 限时联合验收',
        confidence: 'high',
      },
      extension: {
        value: 15,
        unit: 'working_days',
        source: '行政许可法 Art. 42 ¶2: extended by 15 working days with the approval of the district government, the applicant told the reason',
      },
    },
  ],
  governmentTimePromises: [
    {
      key: 'pre_groundbreaking',
      name: 'Approvals before groundbreaking within 100 days',
      nameZh: '开工前审批最多100天',
      untilStep: 'groundbreaking',
      limit: {
        value: 100,
        unit: 'working_days',
        unitAsWritten: '天',
        source: '浙政办发〔2018〕73号 §1 (最多100天); government time counted in working days',
        confidence: 'medium',
      },
    },
    {
      key: 'whole_process',
      name: 'Whole process to joint acceptance within 90 days',
      nameZh: '全流程审批最多90天',
      untilStep: 'joint_acceptance',
      limit: {
        value: 90,
        unit: 'working_days',
        unitAsWritten: '天',
        source: 'Zhejiang DRC guide (2019, trial): 赋码备案 to 竣工验收 ≤ 90 days of government time (research note §2.6, secondary source)',
        confidence: 'low',
      },
    },
  ],
};
