import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { planDryRun } from '../../../apps/api/src/tracks/track-dry-run.js';
import { WorkingDayCalendar } from '../../../libs/calendar/index.js';
import { DEPARTMENTS } from '../../../libs/domain/index.js';
import { criticalPathOf } from '../../../libs/domain/track-graph.js';
import { formatProblem, loadTrackDefinition } from '../../../libs/domain/track-loader.js';

/*
 * The relocation track (企业搬迁退出) is written only as data: these tests read the file as a person would hand it in
 * (text through the loader) and check what was computed by hand from its limits and the State Council's notices of
 * 2025 and 2026 (docs/research/relocation-limits.md §4).
 */
const TEXT = readFileSync(new URL('../../../libs/domain/tracks/relocation.v1.track.json', import.meta.url), 'utf8');

function load() {
  const result = loadTrackDefinition(TEXT);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.definition;
}

/**
 * The quickest way through the any-group `soil_cleared` (no remediation needed, confirmed on the reviewed
 * investigation), then the land reserve: the hazardous waste runs beside the investigation and ends first.
 */
const CRITICAL_PATH = [
  'relocation_agreement',
  'production_stopped',
  'production_stop_verified',
  'equipment_removal',
  'site_investigation',
  'no_remediation_needed',
  'land_reserve',
  'acceptance',
];

describe('the relocation track (relocation.v1.track.json)', () => {
  it('loads through the track loader and the graph checks without a problem', () => {
    const result = loadTrackDefinition(TEXT);

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it('belongs to the four departments the relocation involves', () => {
    const def = load();

    expect(new Set(def.steps.map((s) => s.department))).toEqual(new Set(['economy_information', 'emergency_management', 'ecology_environment', 'natural_resources']));
    expect(DEPARTMENTS.economy_information.nameZh).toBe('经济和信息化局');
  });

  it('gives every limit a source and a confidence, and calls a limit no statute sets the district\'s own target', () => {
    const def = load();
    const limits = [...def.steps.map((s) => s.limit), ...def.projectDeadlines.flatMap((d) => (d.limit ? [d.limit] : []))];

    for (const limit of limits) {
      expect(limit.source.length).toBeGreaterThan(20);
      expect(limit.confidence).toBe('low');
      expect(limit.source).toMatch(/district's own target|no statute/);
    }
  });

  it('has a hard withdrawal deadline at the year end, moved to 31 July in the 2022 plan', () => {
    const def = load();

    expect(def.projectDeadlines.find((d) => d.key === 'withdrawal_deadline')).toMatchObject({
      fromStep: null,
      toStep: 'production_stop_verified',
      target: { monthDay: '12-31' },
      hard: true,
    });
    expect(def.yearPlans).toEqual({ 2022: { withdrawal_deadline: '07-31' } });
  });

  it('has the critical path computed by hand: 110 working days and 150 calendar days of limits', () => {
    expect(criticalPathOf(load())).toEqual({ steps: CRITICAL_PATH, workingDays: 110, calendarDays: 150 });
  });

  it('needs either the confirmation that no remediation is needed or remediation and its effect evaluation (an any-group) before the land reserve', () => {
    const def = load();

    expect(def.stepGroups).toEqual([expect.objectContaining({ key: 'soil_cleared', mode: 'any', steps: ['no_remediation_needed', 'remediation_effect_evaluation'] })]);
    expect(def.steps.find((s) => s.key === 'land_reserve')!.dependsOn).toEqual(['hazardous_waste_disposal', 'soil_cleared']);
  });

  it('dry-runs from Monday 2025-01-06 to the earliest finish computed by hand on the official calendar, 2025-11-17', () => {
    const plan = planDryRun(load(), '2025-01-06', WorkingDayCalendar.official());

    expect(plan.criticalPath).toEqual(CRITICAL_PATH);
    expect({ limitWorkingDays: plan.limitWorkingDays, limitCalendarDays: plan.limitCalendarDays, provisional: plan.provisional }).toEqual({
      limitWorkingDays: 110,
      limitCalendarDays: 150,
      provisional: false,
    });
    expect(Object.fromEntries(plan.steps.map((s) => [s.key, [s.earliestStartOn, s.earliestFinishOn]]))).toEqual({
      relocation_agreement: ['2025-01-06', '2025-02-21'], // 30 wd: the Spring Festival (01-28…02-04) skipped, 01-26 and 02-08 worked
      production_stopped: ['2025-02-21', '2025-05-22'], // 90 calendar days
      production_stop_verified: ['2025-05-22', '2025-06-06'], // 10 wd over the Dragon Boat Festival (05-31…06-02)
      equipment_removal: ['2025-06-06', '2025-08-05'], // 60 calendar days
      hazardous_waste_disposal: ['2025-08-05', '2025-09-04'], // 30 calendar days, beside the investigation
      site_investigation: ['2025-08-05', '2025-09-02'], // 20 wd
      no_remediation_needed: ['2025-09-02', '2025-09-09'], // 5 wd: the quickest member of soil_cleared
      risk_assessment: ['2025-09-02', '2025-10-20'], // 30 wd over National Day (10-01…08), 09-28 and 10-11 worked
      soil_remediation: ['2025-10-20', '2026-04-20'], // 180 calendar days end on Saturday 04-18: the next working day
      remediation_effect_evaluation: ['2026-04-20', '2026-06-03'], // 30 wd over Labour Day (05-01…05), 05-09 worked
      land_reserve: ['2025-09-09', '2025-10-27'], // 30 wd over National Day, 09-28 and 10-11 worked
      acceptance: ['2025-10-27', '2025-11-17'], // 15 wd
    });
    expect(plan.earliestFinishOn).toBe('2025-11-17');
  });
});
