import { describe, it, expect } from '@jest/globals';
import { WorkingDayCalendar } from '../../../libs/calendar/index.js';
import { planDryRun } from '../../../apps/api/src/tracks/track-dry-run.js';
import { STEP_GROUPS_TRACK } from '../../support/step-groups-track.js';

/*
 * The dry run of a definition with sub-step groups: a step waits for the slowest member of an all-group and for the
 * quickest of an any-group, and the critical path runs through that member.
 */
describe('dry run with sub-step groups', () => {
  const cal = WorkingDayCalendar.official();

  it('starts the release after the quickest way of clearing the soil and the slower sign-off', () => {
    const plan = planDryRun(STEP_GROUPS_TRACK, '2026-09-21', cal);
    const at = (key: string) => plan.steps.find((s) => s.key === key)!;

    expect(plan.criticalPath).toEqual(['investigation', 'risk_assessment', 'release']);
    expect(plan.limitWorkingDays).toBe(33);
    expect(at('release').earliestStartOn).toBe(at('risk_assessment').earliestFinishOn);
    expect(at('release').earliestStartOn < at('effect_evaluation').earliestFinishOn).toBe(true);
    expect(at('remediation').critical).toBe(false);
    expect(plan.earliestFinishOn).toBe(at('release').earliestFinishOn);
  });

  it('waits for the slowest member of the all-group when it is later', () => {
    const slowFire = { ...STEP_GROUPS_TRACK, steps: STEP_GROUPS_TRACK.steps.map((s) => (s.key === 'fire_check' ? { ...s, limit: { ...s.limit, value: 40 } } : s)) };
    const plan = planDryRun(slowFire, '2026-09-21', cal);

    expect(plan.criticalPath).toEqual(['fire_check', 'release']);
    expect(plan.steps.find((s) => s.key === 'release')!.earliestStartOn).toBe(plan.steps.find((s) => s.key === 'fire_check')!.earliestFinishOn);
  });
});
