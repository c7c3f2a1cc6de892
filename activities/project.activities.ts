import { Context, log } from '@temporalio/activity';
import { viewOfSnapshot, type ProjectSnapshot, type TimelineEntry, type TrackDefinition } from '../libs/domain/index.js';
import type { ApplyResult, ProjectReadModelRepository } from '../libs/persistence/project-read-model.repository.js';

/**
 * Input of {@link ProjectActivities.syncReadModel}: the project's state at one version (the definition
 * texts are joined here from the pinned definition, to keep them out of workflow history) and timeline
 * entries to append.
 */
export interface SyncReadModelInput {
  snapshot: ProjectSnapshot;
  entries: TimelineEntry[];
  /**
   * The definition the run carries (given at its start or by a migration; a version published at run time is known
   * to no registry of this worker until loaded): the texts are joined from it. Absent: the track registry's.
   */
  definition?: TrackDefinition;
}

/** Activities of the project workflow. */
export interface ProjectActivities {
  /**
   * Writes the project's state to the read model and appends its new timeline entries. Idempotent and
   * ordered: an older version never overwrites a newer one; an entry already stored is not stored again.
   */
  syncReadModel(input: SyncReadModelInput): Promise<ApplyResult>;
}

/** What the project activities need. */
export interface ProjectActivityDeps {
  readModel: Pick<ProjectReadModelRepository, 'applyProject'>;
}

/**
 * Builds the project activities over their dependencies; the worker wires the real repository, tests may
 * wire fakes.
 */
export function createProjectActivities({ readModel }: ProjectActivityDeps): ProjectActivities {
  return {
    async syncReadModel({ snapshot, entries, definition }) {
      const project = viewOfSnapshot(snapshot, definition);
      const result = await readModel.applyProject(project, entries);
      if (!result.applied) log.info('read model already newer; state write skipped', { code: project.code, version: project.version });
      recordReadModelLag();
      return result;
    },
  };
}

/**
 * Records the read model's lag behind the workflow for one project write: milliseconds from the moment the workflow
 * scheduled the write (after the change, so queueing and retries count) until it is stored. A histogram
 * `read_model_lag` (unit ms) of the worker's metrics (the Temporal runtime's Prometheus endpoint, WORKER_METRICS_PORT).
 */
function recordReadModelLag(): void {
  const ctx = Context.current();
  ctx.metricMeter
    .createHistogram('read_model_lag', 'int', 'ms', 'Read-model lag per project write: from the write being scheduled by the workflow to it being stored')
    .record(Math.max(0, Date.now() - ctx.info.scheduledTimestampMs));
}
