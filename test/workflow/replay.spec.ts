import { describe, expect, it } from '@jest/globals';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { projectWorkflowBundle } from '../support/temporal.js';

const dir = path.join(projectRoot(), 'test', 'fixtures', 'histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));

// A change to workflow code that would break running projects fails here (non-determinism on replay).
describe('projectWorkflow replay of stored histories', () => {
  it('has stored histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
  });

  // The sandbox evaluates a workflow's modules afresh for every run: the track loader's schema validator and YAML
  // parser (about 150 modules) would cost every project's first workflow task.
  it('bundles neither the schema validator nor the YAML parser', async () => {
    const { code } = await projectWorkflowBundle();
    expect(code).toMatch(/libs\/domain\/track-graph\.[jt]s/);
    expect(code).not.toMatch(/node_modules\/(ajv|yaml)\//);
  }, 60_000);

  it.each(histories)('replays %s with the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await projectWorkflowBundle() }, history, `replay-${file}`)).resolves.toBeUndefined();
  }, 60_000);
});
