import { describe, expect, it } from '@jest/globals';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, DefaultLogger, Worker, type InjectedSinks, type WorkflowBundle } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH, webpackConfigHook } from '../../apps/worker/worker.js';
import type { TimelineEntry } from '../../libs/domain/index.js';
import { projectRoot } from '../../libs/temporal/binaries.js';
import type { AuditReplaySinks } from '../support/audit-replay.interceptors.js';
import { quietTemporal } from '../support/temporal.js';

const dir = path.join(projectRoot(), 'test', 'fixtures', 'histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));
const here = path.dirname(fileURLToPath(import.meta.url));
/** The workflow bundle with the reporting interceptors, built once for the file. */
let bundle: Promise<WorkflowBundle> | undefined;

// Each stored history replayed with the current code: the audit trail the workflow keeps is the timeline it sent to the
// read model (every syncReadModel batch, in order), entry for entry, then the entries not yet written.
describe('audit trail of the stored histories, replayed', () => {
  it.each(histories)('%s: the trail equals the timeline the read model got', async (file) => {
    quietTemporal();
    bundle ??= bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      webpackConfigHook,
      workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES, path.join(here, '..', 'support', 'audit-replay.interceptors.ts')],
      logger: new DefaultLogger('WARN'),
    });
    const synced: TimelineEntry[] = [];
    let trail: TimelineEntry[] = [];
    const sinks: InjectedSinks<AuditReplaySinks> = {
      auditReplay: {
        synced: { fn: (_info, entries) => void synced.push(...entries), callDuringReplay: true },
        trail: { fn: (_info, entries) => void (trail = entries), callDuringReplay: true },
      },
    };
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await bundle, sinks }, history, `audit-${file}`);
    expect(synced.length).toBeGreaterThan(0);
    expect(trail.slice(0, synced.length)).toEqual(synced);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
  }, 120_000);
});
