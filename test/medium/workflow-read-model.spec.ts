import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createProjectWorker, productionActivities } from '../../apps/worker/worker.js';
import type { Actor } from '../../libs/domain/index.js';
import { ProjectReadModelRepository } from '../../libs/persistence/index.js';
import { projectWorkflowId, stepActionUpdate, TASK_QUEUE } from '../../libs/temporal/project.contract.js';
import { createTestDatabase } from '../support/database.js';
import { newProjectInput, projectWorkflowBundle, startDevServer } from '../support/temporal.js';

/*
 * The one workflow test with the production activities: the project workflow's read-model writes land in PostgreSQL
 * (versioned upsert, timeline numbered without gaps) as the workflow answered them. The workflow tier runs the same
 * workflow with activity fakes and no database (test/workflow).
 */
const officer = (department: Actor['department']): Actor => ({ id: `officer-${department}`, department });

describe('project workflow with the production activities (PostgreSQL read model)', () => {
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  let worker: Worker;
  let running: Promise<void>;
  let readModel: ProjectReadModelRepository;

  beforeAll(async () => {
    const [e, d, bundle] = await Promise.all([startDevServer(), createTestDatabase('workflow_read_model'), projectWorkflowBundle()]);
    env = e;
    db = d.dataSource;
    readModel = new ProjectReadModelRepository(db);
    worker = await createProjectWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', activities: productionActivities({ dataSource: db }), workflowBundle: bundle });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.destroy();
    await env?.teardown();
  });

  it('writes each version the workflow answers to the read model, and a gapless timeline up to completion', async () => {
    const code = '2022-330602-39-03-000901';
    const handle = await env.client.workflow.start('projectWorkflow', { taskQueue: TASK_QUEUE, workflowId: projectWorkflowId(code), args: [newProjectInput(code)] });

    const r = await handle.executeUpdate(stepActionUpdate, { args: [{ step: 'project_filing', action: 'accept', actor: officer('development_reform'), requestId: 'r1' }] });
    const row = await readModel.findProject(code);
    expect(row?.version).toBe(r.project.version); // the read model holds what the action answered
    expect(row?.steps.find((s) => s.stepKey === 'project_filing')?.state).toBe('in_review');
    const first = await readModel.timeline(code, { page: 1, pageSize: 50 });
    expect(first.items.map((e) => e.type).filter((t) => !t.startsWith('forecast.'))).toEqual(['project.registered', 'step.ready', 'step.ready', 'step.accepted', 'deadline.set']);

    const order = ['project_filing', 'land_prereview', 'land_auction', 'land_contract', 'land_use_planning_permit', 'land_title', 'construction_planning_permit', 'eia_approval', 'energy_review', 'drawing_review', 'construction_permit', 'groundbreaking'];
    let i = 0;
    for (const step of order) {
      for (const action of ['accept', 'approve'] as const) {
        if (step === 'project_filing' && action === 'accept') continue;
        await handle.executeUpdate(stepActionUpdate, { args: [{ step, action, actor: officer(null), requestId: `q${i++}` }] });
      }
    }
    expect((await handle.result()).status).toBe('completed');
    const done = await readModel.findProject(code);
    expect(done?.status).toBe('completed');
    expect(done?.steps.every((s) => s.state === 'approved')).toBe(true);
    const tl = await readModel.timeline(code, { page: 1, pageSize: 200 });
    expect(tl.items.map((e) => e.seq)).toEqual(Array.from({ length: tl.total }, (_, k) => k + 1));
    expect(tl.items.at(-1)?.type).toBe('project.completed');
  }, 60_000);
});
