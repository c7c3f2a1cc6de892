import { describe, expect, it } from '@jest/globals';
import {
  checkTrackMigration,
  DomainErrorCode,
  getTrackDefinition,
  migrateTrack,
  TRACK_MIGRATED,
  type Actor,
  type StepDefinition,
  type TrackDefinition,
} from '../../../libs/domain/index.js';
import { refusal, StandardProject } from './standard-project.fixture.js';

const ADMIN: Actor = { id: 'admin-chen', department: null, roles: ['admin'] };
const V1 = getTrackDefinition('standard', 1);
const V3 = getTrackDefinition('standard', 3);

/** A project on standard v1 part way: filing and the land contract decided, the EIA in review, the land title ready. */
function midwayProject(): StandardProject {
  const p = new StandardProject();
  p.approve('project_filing');
  p.completeDependencies('land_title'); // land_prereview, land_auction, land_contract approved
  p.act('eia_approval', 'accept');
  return p;
}

/** A later version of v1 made for the test: `energy_review` removed, `site_survey` added before `land_prereview`. */
function v1With(changes: { drop?: string; add?: StepDefinition; before?: { step: string; dependsOn: string[] }; version?: number }): TrackDefinition {
  const def = JSON.parse(JSON.stringify(V1)) as TrackDefinition;
  def.version = changes.version ?? 2;
  if (changes.drop) {
    def.steps = def.steps.filter((s) => s.key !== changes.drop);
    for (const s of def.steps) s.dependsOn = s.dependsOn.filter((k) => k !== changes.drop);
  }
  if (changes.add) def.steps.unshift(changes.add);
  if (changes.before) def.steps.find((s) => s.key === changes.before!.step)!.dependsOn = changes.before.dependsOn;
  return def;
}

const SITE_SURVEY: StepDefinition = {
  key: 'site_survey',
  name: 'Site survey',
  nameZh: '现场踏勘',
  stage: 'initiation',
  department: 'natural_resources',
  dependsOn: [],
  limit: { value: 5, unit: 'working_days', source: 'district practice (test definition)', confidence: 'low' },
};

describe('migrateTrack: standard v1 → v3', () => {
  it('carries every step with its state and dates, adds the new ones blocked, drops none, and says so on the timeline', () => {
    const p = midwayProject();
    const before = p.state.snapshot();
    const ctx = p.next(ADMIN);

    const { state, entries, summary } = migrateTrack(p.state, V3, ctx, 'the district adopted version 3');

    const after = state.snapshot();
    expect(state.definition).toBe(V3);
    expect(after.definitionVersion).toBe(3);
    expect(after.steps.map((s) => s.key)).toEqual(V3.steps.map((s) => s.key));
    expect(summary.carried).toEqual(V1.steps.map((s) => s.key).filter((k) => V3.steps.some((d) => d.key === k)).sort((a, b) => order(a) - order(b)));
    expect(summary.added).toEqual(
      ['construction', 'completion', 'planning_verification', 'fire_acceptance', 'civil_air_defence_acceptance', 'completion_filing', 'joint_acceptance', 'in_production']
        .sort((a, b) => order(a) - order(b))
        .map((step) => ({ step, state: 'blocked' })),
    );
    expect(summary.dropped).toEqual([]);
    // Done steps stay done with their decision; the step in review keeps its acceptance.
    for (const key of ['project_filing', 'land_prereview', 'land_auction', 'land_contract', 'eia_approval']) {
      expect(after.steps.find((s) => s.key === key)).toEqual(before.steps.find((s) => s.key === key));
    }
    expect(state.step('eia_approval')).toMatchObject({ state: 'in_review', acceptedAt: before.steps.find((s) => s.key === 'eia_approval')!.acceptedAt });
    // v3's land title waits for the land price paid in full: nothing was submitted yet, so it waits again.
    expect(summary.reblocked).toEqual(['land_title']);
    expect(state.step('land_title')).toMatchObject({ state: 'blocked', readyAt: null });
    expect(summary.changed.find((c) => c.step === 'eia_approval')).toEqual({
      step: 'eia_approval',
      changes: { limit: { from: '60 calendar_days', to: '15 working_days' } },
    });
    // One audited entry, numbered after the old timeline, with the actor, time and summary.
    expect(entries.map((e) => e.type)).toEqual([TRACK_MIGRATED]);
    expect(entries[0]).toMatchObject({
      seq: before.timelineSeq + 1,
      at: ctx.at,
      actor: 'admin-chen',
      comment: 'the district adopted version 3',
      data: { from: 'standard@1', to: 'standard@3', fromVersion: 1, toVersion: 3, dropped: [], reblocked: ['land_title'] },
    });
    expect(after.version).toBe(before.version + 1);
    expect(after.stage).toBe(before.stage);
    // The old state is untouched.
    expect(p.state.snapshot()).toEqual(before);
  });

  it('keeps a running clock’s start and plans it on the new limit (15 working days, statutory 60 calendar days)', () => {
    const p = midwayProject();
    const accepted = p.state.step('eia_approval')!.acceptedAt!;

    const { state } = migrateTrack(p.state, V3, p.next(ADMIN));

    const request = state.clockRequests().find((r) => r.id === 'eia_approval')!;
    expect(request).toMatchObject({ start: accepted.slice(0, 10), limit: 15, unit: 'working_days', statutory: { limit: 60, unit: 'calendar_days' } });
  });

  it('refuses the same or an older version, another track, and a finished project, with a reason', () => {
    const p = midwayProject();
    const { state } = migrateTrack(p.state, V3, p.next(ADMIN));

    const same = refusal(() => checkTrackMigration(state, V3));
    expect(same.code).toBe(DomainErrorCode.TrackMigrationRefused);
    expect(same.message).toMatch(/already runs on standard@3; version 3 is not newer/);
    expect(refusal(() => checkTrackMigration(state, getTrackDefinition('standard', 2))).message).toMatch(/version 2 is not newer/);
    const other = refusal(() => checkTrackMigration(p.state, getTrackDefinition('bonded_zone', 1)));
    expect(other.message).toMatch(/runs on track 'standard'; it can move only to a newer version of that track, not to 'bonded_zone'/);

    const cancelled = new StandardProject();
    cancelled.project({ action: 'cancel', comment: 'investor withdrew' });
    expect(refusal(() => checkTrackMigration(cancelled.state, V3)).code).toBe(DomainErrorCode.ProjectClosed);
  });
});

describe('migrateTrack: steps added and removed', () => {
  it('starts an added step without dependencies ready, sends a ready step back to blocked behind it, and drops a removed step not started', () => {
    const p = new StandardProject();
    p.approve('project_filing'); // energy_review becomes ready
    expect(p.stateOf('energy_review')).toBe('ready');
    const target = v1With({ drop: 'energy_review', add: SITE_SURVEY, before: { step: 'land_prereview', dependsOn: ['site_survey'] } });
    const ctx = p.next(ADMIN);

    const { state, entries, summary } = migrateTrack(p.state, target, ctx);

    expect(summary.added).toEqual([{ step: 'site_survey', state: 'ready' }]);
    expect(summary.dropped).toEqual([{ step: 'energy_review', state: 'ready' }]);
    expect(summary.reblocked).toEqual(['land_prereview']);
    expect(state.step('energy_review')).toBeUndefined();
    expect(state.step('site_survey')).toMatchObject({ state: 'ready', readyAt: ctx.at });
    expect(state.step('land_prereview')).toMatchObject({ state: 'blocked', readyAt: null });
    expect(entries.map((e) => [e.type, e.step])).toEqual([
      [TRACK_MIGRATED, null],
      ['step.ready', 'site_survey'],
    ]);
    // The new step works like any other: approving it makes land_prereview ready again.
    state.applyStepAction('site_survey', { action: 'accept' }, p.next());
    state.applyStepAction('site_survey', { action: 'approve' }, p.next());
    expect(state.step('land_prereview')!.state).toBe('ready');
  });

  it('refuses to drop a step a department holds, naming it and what to do', () => {
    const p = new StandardProject();
    p.approve('project_filing');
    p.act('energy_review', 'accept');
    const target = v1With({ drop: 'energy_review' });

    const err = refusal(() => migrateTrack(p.state, target, p.next(ADMIN)));

    expect(err.code).toBe(DomainErrorCode.TrackMigrationRefused);
    expect(err.message).toBe(
      `project ${p.state.code} cannot move from standard@1 to standard@2: step energy_review is in_review but version 2 has no such step: decide or return it first`,
    );
  });

  it('clears the assignee of a carried step whose department changes', () => {
    const p = new StandardProject();
    p.approve('project_filing');
    p.act('energy_review', { action: 'reassign', assignee: 'drc-liu' });
    const target = v1With({});
    target.steps.find((s) => s.key === 'energy_review')!.department = 'economy_information';

    const { state, summary } = migrateTrack(p.state, target, p.next(ADMIN));

    expect(state.step('energy_review')).toMatchObject({ state: 'ready', assignee: null });
    expect(summary.changed).toEqual([{ step: 'energy_review', changes: { department: { from: 'development_reform', to: 'economy_information' } } }]);
  });
});

function order(key: string): number {
  return V3.steps.findIndex((s) => s.key === key);
}
