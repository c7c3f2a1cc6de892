import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { findTrackDefinition, type TrackDefinition } from '../../libs/domain/index.js';
import { checkTrackDefinition } from '../../libs/domain/track-loader.js';
import { PublishedTracksRepository } from '../../libs/persistence/published-tracks.repository.js';
import { TrackRegistry } from '../../libs/persistence/track-registry.js';
import { createTestDatabase } from '../support/database.js';

/*
 * Published track versions in PostgreSQL: inserted once (the primary key decides between two publications of one
 * version), never updated or deleted; the registry of another process finds them on a miss.
 */

const wd = (value: number) => ({ value, unit: 'working_days', source: '区政府工作方案', confidence: 'low' });

function pilot(version: number): TrackDefinition {
  const result = checkTrackDefinition({
    track: 'pilot_medium',
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
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

const ADMIN = { id: 'admin-wang', department: 'project_office' };

describe(PublishedTracksRepository.name, () => {
  let ds: DataSource;
  let repo: PublishedTracksRepository;
  beforeAll(async () => {
    ds = (await createTestDatabase('published_tracks')).dataSource;
    repo = new PublishedTracksRepository(ds);
  }, 60_000);
  afterAll(async () => ds?.destroy());

  it('stores a version once, with its publisher and time; a second insert of the same id stores nothing', async () => {
    const first = await repo.insert({ track: 'pilot_medium', version: 1, definition: pilot(1), sha256: 'a'.repeat(64), publishedBy: ADMIN });
    expect(first).toMatchObject({ stored: true, record: { track: 'pilot_medium', version: 1, sha256: 'a'.repeat(64), publishedBy: ADMIN } });
    expect(first.stored && first.record.publishedAt).toBeInstanceOf(Date);

    expect(await repo.insert({ track: 'pilot_medium', version: 1, definition: pilot(1), sha256: 'b'.repeat(64), publishedBy: ADMIN })).toEqual({ stored: false });
    expect((await repo.ofTrack('pilot_medium')).map((r) => [r.version, r.sha256])).toEqual([[1, 'a'.repeat(64)]]);
  });

  it('refuses to change or delete a published version', async () => {
    await expect(ds.query(`UPDATE "published_tracks" SET "sha256" = $1 WHERE "track" = 'pilot_medium'`, ['c'.repeat(64)])).rejects.toThrow(/immutable/);
    await expect(ds.query(`DELETE FROM "published_tracks" WHERE "track" = 'pilot_medium'`)).rejects.toThrow(/immutable/);
    expect(await repo.ofTrack('pilot_medium')).toHaveLength(1);
  });

  it('lets a registry find a version another process published, on a miss', async () => {
    await repo.insert({ track: 'pilot_medium', version: 2, definition: pilot(2), sha256: 'd'.repeat(64), publishedBy: ADMIN });
    const registry = new TrackRegistry(ds);

    expect(findTrackDefinition('pilot_medium', 2)).toBeUndefined();
    expect((await registry.definition('pilot_medium', 2)).steps.map((s) => s.key)).toEqual(['start', 'done']);
    expect((await registry.latest('pilot_medium')).version).toBe(2);
    expect((await registry.all()).filter((d) => d.track === 'pilot_medium').map((d) => d.version)).toEqual([1, 2]);
  });
});
