import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { latestTrackDefinition, ProjectState, toProjectView, type Actor } from '../../libs/domain/index.js';
import { parseProjectChange, PROJECT_CHANGES_CHANNEL, ProjectReadModelRepository, type ProjectChange } from '../../libs/persistence/index.js';
import { createTestDatabase } from '../support/database.js';

/*
 * The read model announces its writes on the project_changes channel: once per write that changed something,
 * after commit, with the project's new version, stage, light and departments; a write that changed nothing (an
 * older or equal version, timeline entries already stored) is not announced.
 */
const REGISTRAR: Actor = { id: 'po-chen', department: 'project_office' };
const DRC: Actor = { id: 'drc-li', department: 'development_reform', roles: ['officer'] };
const CODE = '2026-330602-39-03-000601';

describe('project change announcements (medium)', () => {
  let ds: DataSource;
  let url: string;
  let listener: pg.Client;
  let repo: ProjectReadModelRepository;
  const heard: ProjectChange[] = [];

  /** Waits until `count` announcements were heard, or fails after 2 s. */
  const heardAtLeast = async (count: number): Promise<void> => {
    const until = Date.now() + 2_000;
    while (heard.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(heard.length).toBeGreaterThanOrEqual(count);
  };
  /** A round trip on the listener's connection: every notification sent before it has arrived. */
  const settle = async (): Promise<void> => void (await listener.query('SELECT 1'));

  beforeAll(async () => {
    ({ dataSource: ds, url } = await createTestDatabase('medium_project_changes'));
    repo = new ProjectReadModelRepository(ds);
    listener = new pg.Client({ connectionString: url });
    await listener.connect();
    listener.on('notification', (msg) => {
      if (msg.channel === PROJECT_CHANGES_CHANNEL) heard.push(parseProjectChange(msg.payload)!);
    });
    await listener.query(`LISTEN ${PROJECT_CHANGES_CHANNEL}`);
  }, 60_000);
  afterAll(async () => {
    await listener?.end();
    await ds?.destroy();
  });

  it('announces a registration and a step action, each once, with what changed', async () => {
    const def = latestTrackDefinition('standard');
    const { state, entries } = ProjectState.register(
      def,
      { code: CODE, name: '通知测试项目', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2026-09-01' },
      { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
    );
    const v1 = { ...toProjectView(state), version: 1 };
    await repo.applyProject(v1, entries);
    await heardAtLeast(1);
    expect(heard[0]).toEqual({
      code: CODE,
      version: 1,
      stage: v1.stage,
      status: 'active',
      light: v1.light,
      departments: [...new Set(def.steps.map((s) => s.department))].sort(),
      timelineSeq: Math.max(...entries.map((e) => e.seq)),
    });

    const more = state.applyStepAction('project_filing', { action: 'accept' } as never, { at: '2026-09-02T01:00:00.000Z', actor: DRC });
    await repo.applyProject({ ...toProjectView(state), version: 2 }, more);
    await heardAtLeast(2);
    expect(heard[1]).toMatchObject({ code: CODE, version: 2, timelineSeq: Math.max(...more.map((e) => e.seq)) });
  });

  it('stays silent when a retried write changes nothing', async () => {
    const before = heard.length;
    const def = latestTrackDefinition('standard');
    const { state, entries } = ProjectState.register(
      def,
      { code: CODE, name: '通知测试项目', track: 'standard', district: '越城区', investor: null, investmentYuan: null, signedAt: '2026-09-01' },
      { at: '2026-09-01T02:00:00.000Z', actor: REGISTRAR },
    );
    const result = await repo.applyProject({ ...toProjectView(state), version: 1 }, entries);
    expect(result).toEqual({ applied: false, timelineInserted: 0 });
    await settle();
    expect(heard).toHaveLength(before);
  });

  it('announces nothing from a write that rolls back', async () => {
    const before = heard.length;
    await expect(
      ds.transaction(async (em) => {
        await em.query('SELECT pg_notify($1, $2)', [PROJECT_CHANGES_CHANNEL, JSON.stringify({ code: CODE, version: 99 })]);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await settle();
    expect(heard).toHaveLength(before);
  });
});
