import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { getTrackDefinition, migrateTrack, ProjectState, toProjectView, type Actor, type TrackDefinition } from '../../libs/domain/index.js';
import { ProjectReadModelRepository } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';

/*
 * A project moved to a newer version of its track, written to the read model as the workflow's activity writes it:
 * the project row and its steps follow the new version; a step the version dropped leaves the step rows.
 */
const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const ADMIN: Actor = { id: 'admin-wang', department: null, roles: ['admin'] };
const DRC: Actor = { id: 'drc-li', department: 'development_reform', roles: ['officer'] };
const V1 = getTrackDefinition('standard', 1);

/** Version 2 of a made-up copy of standard v1 without `energy_review`. */
function withoutEnergyReview(): TrackDefinition {
  const def = JSON.parse(JSON.stringify(V1)) as TrackDefinition;
  def.version = 2;
  def.steps = def.steps.filter((s) => s.key !== 'energy_review');
  for (const s of def.steps) s.dependsOn = s.dependsOn.filter((k) => k !== 'energy_review');
  return def;
}

describe('read model after a track migration', () => {
  let db: DataSource;
  let repo: ProjectReadModelRepository;

  beforeAll(async () => {
    db = (await createTestDatabase('track_migration_read_model')).dataSource;
    repo = new ProjectReadModelRepository(db);
  }, 60_000);
  afterAll(async () => db?.destroy());

  it('holds the new version and only its steps: added ones in order, a dropped one gone', async () => {
    const code = '2022-330602-39-03-000881';
    const registered = ProjectState.register(
      V1,
      { code, name: '迁移测试项目', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2022-03-05' },
      { at: '2022-03-07T01:00:00.000Z', actor: REGISTRAR },
    );
    const state = registered.state;
    await repo.applyProject(toProjectView(state), registered.entries);
    const approved = [
      ...state.applyStepAction('project_filing', { action: 'accept' }, { at: '2022-03-08T01:00:00.000Z', actor: DRC }),
      ...state.applyStepAction('project_filing', { action: 'approve' }, { at: '2022-03-09T01:00:00.000Z', actor: DRC }),
    ];
    await repo.applyProject(toProjectView(state), approved);
    expect((await repo.findProject(code))!.steps.map((s) => s.stepKey)).toContain('energy_review');

    const toV2 = migrateTrack(state, withoutEnergyReview(), { at: '2022-03-10T01:00:00.000Z', actor: ADMIN });
    expect(await repo.applyProject(toProjectView(toV2.state), toV2.entries)).toEqual({ applied: true, timelineInserted: 1 });
    const afterV2 = (await repo.findProject(code))!;
    expect(afterV2.definitionVersion).toBe(2);
    expect(afterV2.steps.map((s) => s.stepKey)).toEqual(toV2.state.snapshot().steps.map((s) => s.key));
    expect(afterV2.steps.map((s) => s.stepKey)).not.toContain('energy_review');

    const v3 = getTrackDefinition('standard', 3);
    const toV3 = migrateTrack(toV2.state, v3, { at: '2022-03-11T01:00:00.000Z', actor: ADMIN });
    await repo.applyProject(toProjectView(toV3.state), toV3.entries);
    const afterV3 = (await repo.findProject(code))!;
    expect(afterV3.definitionVersion).toBe(3);
    expect(afterV3.steps.map((s) => [s.stepKey, s.state])).toEqual(toV3.state.snapshot().steps.map((s) => [s.key, s.state]));
    expect(afterV3.steps.find((s) => s.stepKey === 'project_filing')!.state).toBe('approved');
    expect(afterV3.steps.find((s) => s.stepKey === 'energy_review')!.state).toBe('ready'); // back in v3, ready after the filing
  });
});
