import { describe, it, expect } from '@jest/globals';
import {
  knownTrackKeys,
  SHIPPED_TRACK_KEYS,
  DEPARTMENTS,
  definitionId,
  DomainErrorCode,
  getTrackDefinition,
  latestTrackDefinition,
  validateTrackDefinition,
  type StepDefinition,
  type TrackDefinition,
  type TrackKey,
} from '../../../libs/domain/index.js';
import standardV1 from '../../../libs/domain/tracks/standard.v1.track.json' with { type: 'json' };
import { refusal } from './standard-project.fixture.js';

/** The released standard track as its data file declares it. */
const STANDARD_TRACK_V1 = standardV1 as TrackDefinition;

function step(key: string, dependsOn: string[] = [], overrides: Partial<StepDefinition> = {}): StepDefinition {
  return {
    key,
    name: key,
    nameZh: key,
    stage: 'approvals',
    department: 'natural_resources',
    dependsOn,
    limit: { value: 20, unit: 'working_days', source: '行政许可法 Art. 42', confidence: 'high' },
    ...overrides,
  };
}

/**
 * A small valid track, steps declared out of dependency order on purpose:
 * survey → permit → build → opening (final), and survey → opening.
 */
function track(overrides: Partial<TrackDefinition> = {}): TrackDefinition {
  return {
    track: 'standard',
    version: 7,
    name: 'Test track',
    nameZh: '测试',
    finalStep: 'opening',
    reminderPolicy: { yellowRemainingWorkingDays: 2, yellowUsedPercent: 80, escalateAfterWorkingDays: 3, repeatEveryWorkingDays: 5 },
    projectDeadlines: [],
    stages: [
      { key: 'approvals', name: 'Approvals', nameZh: '审批' },
      { key: 'works', name: 'Works', nameZh: '施工' },
    ],
    steps: [
      step('opening', ['build', 'survey'], { stage: 'works', department: 'project_office' }),
      step('build', ['permit'], { stage: 'works', department: 'housing_construction' }),
      step('permit', ['survey']),
      step('survey'),
    ],
    ...overrides,
  };
}

/** The track with step `key` changed. */
function withStep(key: string, change: Partial<StepDefinition>): TrackDefinition {
  const def = track();
  return { ...def, steps: def.steps.map((s) => (s.key === key ? { ...s, ...change } : s)) };
}

function withLimit(key: string, limit: Partial<StepDefinition['limit']>): TrackDefinition {
  const def = track();
  return { ...def, steps: def.steps.map((s) => (s.key === key ? { ...s, limit: { ...s.limit, ...limit } } : s)) };
}

function expectDependenciesFirst(steps: readonly StepDefinition[]): void {
  const position = new Map(steps.map((s, i) => [s.key, i]));
  for (const s of steps) for (const dep of s.dependsOn) expect(position.get(dep)!).toBeLessThan(position.get(s.key)!);
}

describe(validateTrackDefinition.name, () => {
  it('passes a valid definition and returns its steps with dependencies first', () => {
    const valid = validateTrackDefinition(track());

    expect(valid.steps.map((s) => s.key)).toEqual(['survey', 'permit', 'build', 'opening']);
    expectDependenciesFirst(valid.steps);
    expect(Object.isFrozen(valid)).toBe(true);
    expect(valid).toMatchObject({ track: 'standard', version: 7, finalStep: 'opening' });
  });

  it('keeps the declaration order among steps that are free to go in any order', () => {
    const def = track({
      steps: [step('zeta'), step('alpha'), step('mid', ['alpha']), step('opening', ['mid', 'zeta'])],
    });

    expect(validateTrackDefinition(def).steps.map((s) => s.key)).toEqual(['zeta', 'alpha', 'mid', 'opening']);
  });

  it('leaves the definition it was given untouched', () => {
    const def = track();
    const copy = structuredClone(def);

    validateTrackDefinition(def);

    expect(def).toEqual(copy);
  });

  it('passes the released standard track, in dependency order', () => {
    const valid = validateTrackDefinition(STANDARD_TRACK_V1);

    expectDependenciesFirst(valid.steps);
    expect(valid.steps).toHaveLength(STANDARD_TRACK_V1.steps.length);
    expect(valid.steps.at(-1)!.key).toBe('groundbreaking');
  });

  it.each([[1], [3650]])('accepts a limit of %i days', (value) => {
    expect(() => validateTrackDefinition(withLimit('permit', { value }))).not.toThrow();
  });

  it('accepts a step that depends on several others and a stage without steps', () => {
    const def = track({ stages: [...track().stages, { key: 'handover', name: 'Handover', nameZh: '移交' }] });

    expect(() => validateTrackDefinition(def)).not.toThrow();
  });

  const cycle = track({
    steps: [step('survey'), step('permit', ['survey', 'build']), step('build', ['permit']), step('opening', ['build'])],
  });

  it.each<[string, TrackDefinition, string]>([
    ['a duplicate step key', track({ steps: [...track().steps, step('permit')] }), "step key 'permit' is used twice"],
    ['a duplicate stage key', track({ stages: [...track().stages, { key: 'works', name: 'Again', nameZh: '重复' }] }), "stage key 'works' is used twice"],
    ['an unknown dependency', withStep('build', { dependsOn: ['permit', 'geology'] }), "step 'build' depends on unknown step 'geology'"],
    ['a self-dependency', withStep('build', { dependsOn: ['permit', 'build'] }), "step 'build' depends on itself"],
    ['a dependency listed twice', withStep('build', { dependsOn: ['permit', 'permit'] }), "step 'build' lists a dependency twice"],
    ['a cycle', cycle, 'the dependencies contain a cycle: permit → build → permit'],
    ['an unknown stage', withStep('build', { stage: 'fitting_out' }), "step 'build' names unknown stage 'fitting_out'"],
    ['an unknown department', withStep('build', { department: 'tax_bureau' as keyof typeof DEPARTMENTS }), "step 'build' names unknown department 'tax_bureau'"],
    ['a limit of 0 days', withLimit('permit', { value: 0 }), "step 'permit' has limit 0; it must be a whole number of days in 1–3650"],
    ['a limit of 3651 days', withLimit('permit', { value: 3651 }), "step 'permit' has limit 3651; it must be a whole number of days in 1–3650"],
    ['a limit of 2.5 days', withLimit('permit', { value: 2.5 }), "step 'permit' has limit 2.5; it must be a whole number of days in 1–3650"],
    ['a negative limit', withLimit('permit', { value: -5 }), "step 'permit' has limit -5"],
    ['an unknown limit unit', withLimit('permit', { unit: 'weeks' as 'working_days' }), "step 'permit' has unknown limit unit 'weeks'"],
    ['an empty limit source', withLimit('permit', { source: '' }), "step 'permit' has a limit without a source"],
    ['a blank limit source', withLimit('permit', { source: '   ' }), "step 'permit' has a limit without a source"],
    ['an unknown final step', track({ finalStep: 'ribbon_cutting' }), "final step 'ribbon_cutting' is not a step of the track"],
    ['a step not leading to the final step', track({ steps: [...track().steps, step('fire_drill', ['survey'])] }), "steps not leading to the final step 'opening': fire_drill"],
    ['a step that follows the final step', track({ steps: [...track().steps, step('handover', ['opening'])] }), "steps not leading to the final step 'opening': handover"],
    ['a step key not in snake_case', withStep('survey', { key: 'Survey' }), "step key 'Survey' must be snake_case"],
    ['a stage key not in snake_case', track({ stages: [...track().stages, { key: 'fit-out', name: 'x', nameZh: 'x' }] }), "stage key 'fit-out' must be snake_case"],
    ['version 0', track({ version: 0 }), 'version must be a positive integer, got 0'],
  ])('refuses %s, naming the problem', (_why, def, problem) => {
    const err = refusal(() => validateTrackDefinition(def));

    expect(err.code).toBe(DomainErrorCode.DefinitionInvalid);
    expect(err.message).toContain(`track definition standard@${def.version} is invalid: `);
    expect(err.message).toContain(problem);
  });

  it('names every problem it finds at once', () => {
    const def = track({
      finalStep: 'ribbon_cutting',
      steps: track().steps.map((s) => (s.key === 'build' ? { ...s, stage: 'nowhere', limit: { ...s.limit, value: 0 } } : s)),
    });

    const err = refusal(() => validateTrackDefinition(def));

    expect(err.message).toContain("step 'build' names unknown stage 'nowhere'");
    expect(err.message).toContain("step 'build' has limit 0");
    expect(err.message).toContain("final step 'ribbon_cutting' is not a step of the track");
    expect(err.message).not.toContain('cycle');
  });

  it('shows the whole path of a longer cycle', () => {
    const def = track({
      steps: [step('survey', ['opening']), step('permit', ['survey']), step('build', ['permit']), step('opening', ['build'])],
    });

    expect(refusal(() => validateTrackDefinition(def)).message).toContain('cycle: survey → opening → build → permit → survey');
  });
});

describe('track registry', () => {
  it('offers the standard and bonded-zone tracks; new projects get the latest version, running ones keep theirs', () => {
    expect(SHIPPED_TRACK_KEYS).toEqual(expect.arrayContaining(['standard', 'bonded_zone']));
    expect(latestTrackDefinition('standard')).toBe(getTrackDefinition('standard', 3));
    expect(definitionId(getTrackDefinition('standard', 1))).toBe('standard@1');
    expect(getTrackDefinition('standard', 1).finalStep).toBe('groundbreaking');
    expect(getTrackDefinition('standard', 2).finalStep).toBe('in_production');
    expect(latestTrackDefinition('bonded_zone').finalStep).toBe('sealed_operation');
  });

  it('holds the standard track validated, in dependency order', () => {
    const def = getTrackDefinition('standard', 1);

    expectDependenciesFirst(def.steps);
    expect(def.finalStep).toBe('groundbreaking');
    expect(def.steps.find((s) => s.key === 'groundbreaking')!.waivable).toBe(false);
    for (const s of def.steps) {
      expect(Object.keys(DEPARTMENTS)).toContain(s.department);
      expect(s.limit.source.trim().length).toBeGreaterThan(0);
    }
  });

  it('refuses a version that was never released', () => {
    const err = refusal(() => getTrackDefinition('standard', 99));

    expect(err.code).toBe(DomainErrorCode.DefinitionNotFound);
    expect(err.message).toBe('no definition standard@99');
  });

  it('refuses the latest definition of a track that has none, listing those released', () => {
    const err = refusal(() => latestTrackDefinition('rail_siding' as TrackKey));

    expect(err.code).toBe(DomainErrorCode.DefinitionNotFound);
    expect(err.message).toContain(`track 'rail_siding' has no released definition; tracks: ${knownTrackKeys().join(', ')}`);
    expect(knownTrackKeys()).toEqual(expect.arrayContaining([...SHIPPED_TRACK_KEYS]));
  });
});
