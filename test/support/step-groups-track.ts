import type { TrackDefinition } from '../../libs/domain/index.js';
import { loadTrackDefinitionOrThrow } from '../../libs/domain/track-loader.js';

/*
 * A small track written only as data with one sub-step group of each mode, shared by the unit and workflow tests of
 * sub-step groups. A withdrawn site is released once its soil is cleared and its safety sign-offs are given:
 *
 *   investigation ─┬─ risk_assessment ───────────────────────┐ soil_cleared (any) ─┐
 *                  └─ remediation ── effect_evaluation ──────┘                     ├─ release (final)
 *   fire_check ─────────────────────────────────────────────┐ sign_offs (all) ────┘
 *   defence_check ──────────────────────────────────────────┘
 *
 * The soil is cleared EITHER by a risk assessment concluding no remediation is needed (土壤污染防治法 Art. 59/67)
 * OR by remediation with its effect evaluation; both the fire and the civil-defence sign-offs must pass.
 * Critical path: soil_cleared takes its quickest way (investigation 10 + risk assessment 20 working days = 30, not
 * 10 + 60 + 20 = 90), sign_offs its slowest member (fire_check 15, not defence_check 5), release 3 after the later
 * of the two: investigation → risk_assessment → release, 33 working days.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: 'district target (test track)', confidence: 'low' });

/** The track as a plain JSON document (what a district writes). */
export function stepGroupsTrackDocument(): Record<string, unknown> {
  return {
    track: 'site_release',
    version: 1,
    name: 'Site release after withdrawal',
    nameZh: '退出地块释放',
    finalStep: 'release',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [
      { key: 'soil', name: 'Soil', nameZh: '土壤' },
      { key: 'release', name: 'Release', nameZh: '释放' },
    ],
    steps: [
      { key: 'investigation', name: 'Soil investigation', nameZh: '土壤污染状况调查', stage: 'soil', department: 'ecology_environment', dependsOn: [], limit: wd(10) },
      { key: 'risk_assessment', name: 'Risk assessment: no remediation', nameZh: '风险评估（无需修复）', stage: 'soil', department: 'ecology_environment', dependsOn: ['investigation'], limit: wd(20) },
      { key: 'remediation', name: 'Remediation', nameZh: '治理修复', stage: 'soil', department: 'ecology_environment', dependsOn: ['investigation'], limit: wd(60) },
      { key: 'effect_evaluation', name: 'Remediation effect evaluation', nameZh: '修复效果评估', stage: 'soil', department: 'ecology_environment', dependsOn: ['remediation'], limit: wd(20) },
      { key: 'fire_check', name: 'Fire safety sign-off', nameZh: '消防验收', stage: 'soil', department: 'emergency_management', dependsOn: [], limit: wd(15) },
      { key: 'defence_check', name: 'Civil defence sign-off', nameZh: '人防验收', stage: 'soil', department: 'housing_construction', dependsOn: [], limit: wd(5) },
      { key: 'release', name: 'Land taken into the reserve', nameZh: '收储', stage: 'release', department: 'natural_resources', dependsOn: ['soil_cleared', 'sign_offs'], limit: wd(3) },
    ],
    stepGroups: [
      { key: 'soil_cleared', name: 'Soil cleared', nameZh: '土壤风险管控完成', mode: 'any', steps: ['risk_assessment', 'effect_evaluation'] },
      { key: 'sign_offs', name: 'Safety sign-offs', nameZh: '安全验收', mode: 'all', steps: ['fire_check', 'defence_check'] },
    ],
  };
}

/** The track loaded through the track loader (schema and graph checks), as a project pins it. */
export const STEP_GROUPS_TRACK: TrackDefinition = loadTrackDefinitionOrThrow(JSON.stringify(stepGroupsTrackDocument()), 'step-groups test track');
