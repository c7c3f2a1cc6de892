import { describe, it, expect } from '@jest/globals';
import { isTrackKey, TRACK_KEY_PATTERN, type TrackDefinition } from '../../../libs/domain/index.js';
import { checkTrackDefinition, formatProblem } from '../../../libs/domain/track-loader.js';

/*
 * Track keys are open: a district writes a track as data under a key of its own, and it loads and runs like a
 * shipped one; only the key's shape is checked.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '行政许可法 Art. 42', confidence: 'high' });

/** A three-step track under a key no code knows: agreement → stop → acceptance. */
function withdrawal(track: string): Record<string, unknown> {
  return {
    track,
    version: 1,
    name: 'Pilot withdrawal',
    nameZh: '退出试点',
    finalStep: 'acceptance',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [{ key: 'withdrawal', name: 'Withdrawal', nameZh: '退出' }],
    steps: [
      { key: 'agreement', name: 'Agreement', nameZh: '搬迁协议', stage: 'withdrawal', department: 'ecology_environment', dependsOn: [], limit: wd(10) },
      { key: 'stop', name: 'Production stopped', nameZh: '停产', stage: 'withdrawal', department: 'emergency_management', dependsOn: ['agreement'], limit: wd(5) },
      { key: 'acceptance', name: 'Acceptance', nameZh: '验收', stage: 'withdrawal', department: 'natural_resources', dependsOn: ['stop'], limit: wd(20) },
    ],
  };
}

describe('open track keys', () => {
  it('loads a track under a key of its own', () => {
    const result = checkTrackDefinition(withdrawal('pilot_withdrawal'));

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    const def = (result as { ok: true; definition: TrackDefinition }).definition;
    expect(def.track).toBe('pilot_withdrawal');
  });

  it.each([
    ['Pilot', 'uppercase'],
    ['x', 'one character'],
    ['9lives', 'a leading digit'],
    ['pilot-withdrawal', 'a hyphen'],
    ['a'.repeat(33), '33 characters'],
  ])('refuses the key %s (%s) at `track`', (key) => {
    const result = checkTrackDefinition(withdrawal(key));

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([`track: ${JSON.stringify(key)} is not a track key: snake_case, 2–32 characters, starting with a letter`]);
  });

  it('tells a well-formed key from another value', () => {
    expect(isTrackKey('relocation')).toBe(true);
    expect(isTrackKey('a'.repeat(32))).toBe(true);
    expect(isTrackKey('a'.repeat(33))).toBe(false);
    expect(isTrackKey(42)).toBe(false);
    expect(TRACK_KEY_PATTERN.test('bonded_zone')).toBe(true);
  });
});
