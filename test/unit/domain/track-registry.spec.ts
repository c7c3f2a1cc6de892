import { describe, it, expect } from '@jest/globals';
import {
  addPublishedTrackDefinition,
  allTrackDefinitions,
  canonicalTrackJson,
  DomainError,
  DomainErrorCode,
  findTrackDefinition,
  getTrackDefinition,
  isShippedTrackDefinition,
  knownTrackKeys,
  latestTrackDefinition,
  memoOverTracks,
  trackRegistryGeneration,
} from '../../../libs/domain/index.js';

/*
 * The track registry of a process: the shipped definitions plus those published at run time and added to it. A
 * released version never changes; caches over every definition follow the additions.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '区政府工作方案', confidence: 'low' });

function pilot(version: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    track: 'pilot_registry',
    version,
    name: 'Pilot',
    nameZh: '试点',
    finalStep: 'done',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [{ key: 'only', name: 'Only', nameZh: '唯一' }],
    steps: [
      { key: 'start', name: 'Start', nameZh: '开始', stage: 'only', department: 'development_reform', dependsOn: [], limit: wd(5) },
      { key: 'done', name: 'Done', nameZh: '完成', stage: 'only', department: 'natural_resources', dependsOn: ['start'], limit: wd(5) },
    ],
    ...extra,
  };
}

function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('track registry', () => {
  it('adds a published definition: found by track and version, the latest of its track, listed, not shipped', () => {
    const names = memoOverTracks((defs) => defs.map((d) => `${d.track}@${d.version}`));
    const before = names();
    const generation = trackRegistryGeneration();

    const added = addPublishedTrackDefinition(pilot(1));

    expect(getTrackDefinition('pilot_registry', 1)).toBe(added);
    expect(findTrackDefinition('pilot_registry', 2)).toBeUndefined();
    expect(latestTrackDefinition('pilot_registry')).toBe(added);
    expect(isShippedTrackDefinition('pilot_registry', 1)).toBe(false);
    expect(isShippedTrackDefinition('standard', 3)).toBe(true);
    expect(knownTrackKeys()).toContain('pilot_registry');
    expect(allTrackDefinitions()).toContain(added);
    expect(trackRegistryGeneration()).toBe(generation + 1);
    expect(names()).toEqual([...before, 'pilot_registry@1']);

    addPublishedTrackDefinition(pilot(2));
    expect(latestTrackDefinition('pilot_registry').version).toBe(2);
  });

  it('takes the same definition again without change, in any key order', () => {
    const held = addPublishedTrackDefinition(pilot(3));
    const generation = trackRegistryGeneration();
    const reordered = Object.fromEntries(Object.entries(pilot(3)).reverse());

    expect(addPublishedTrackDefinition(reordered)).toBe(held);
    expect(trackRegistryGeneration()).toBe(generation);
  });

  it('refuses another definition under a released version, shipped or published', () => {
    addPublishedTrackDefinition(pilot(4));

    const changed = refusal(() => addPublishedTrackDefinition(pilot(4, { name: 'Changed' })));
    expect([changed.code, changed.message]).toEqual([DomainErrorCode.DefinitionInvalid, 'pilot_registry@4 is already released with another definition; a released version never changes']);
    const shipped = refusal(() => addPublishedTrackDefinition(pilot(1, { track: 'standard' })));
    expect(shipped.message).toBe('standard@1 is already released with another definition; a released version never changes');
    expect(getTrackDefinition('standard', 1).steps.length).toBeGreaterThan(2);
  });

  it('refuses an invalid definition with its problems', () => {
    const err = refusal(() => addPublishedTrackDefinition(pilot(5, { finalStep: 'nowhere' })));

    expect(err.code).toBe(DomainErrorCode.DefinitionInvalid);
    expect(err.message).toContain('finalStep');
    expect(findTrackDefinition('pilot_registry', 5)).toBeUndefined();
  });

  it('writes canonical JSON: keys sorted at every level, undefined left out, arrays in order', () => {
    expect(canonicalTrackJson({ b: [{ z: 1, a: 2 }, 3], a: undefined, c: null })).toBe('{"b":[{"a":2,"z":1},3],"c":null}');
  });
});
