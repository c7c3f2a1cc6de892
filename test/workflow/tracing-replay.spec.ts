import { afterAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tracingSinks } from '../../apps/worker/tracing.js';
import { startTracing } from '../../libs/observability/tracing.js';
import { projectRoot } from '../../libs/temporal/binaries.js';
import { tracingWorkflowBundle } from '../support/temporal.js';

const dir = path.join(projectRoot(), 'test', 'fixtures', 'histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));

// Turning tracing on for a worker whose projects were recorded without it must not break them: the stored histories
// (recorded with tracing off) replay with the tracing interceptors bundled, and replay exports no span.
describe('projectWorkflow replay with the tracing interceptors', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName: 'approvals-worker', exporter, batch: false });
  afterAll(() => tracing.shutdown());

  it.each(histories)('replays %s', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await tracingWorkflowBundle(), sinks: tracingSinks(tracing) }, history, `replay-${file}`),
    ).resolves.toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  }, 60_000);
});
