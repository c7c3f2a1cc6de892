/*
 * Workflow interceptors for the replay test of the audit trail (bundled into the workflow sandbox, test only): they
 * report through a sink every batch of timeline entries the workflow sends to the read model (syncReadModel) and, after
 * each activation, the audit trail its `auditTrail` Query would answer — so a replayed stored history shows whether
 * the trail equals the timeline the read model got. The Query handler is reached through the SDK's activator (an
 * internal API: queries cannot be sent to a replay).
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { getActivator } from '@temporalio/workflow/lib/global-attributes.js';
import type { TimelineEntry } from '../../libs/domain/index.js';
import type { AuditTrailPage, AuditTrailRequest } from '../../libs/temporal/project.contract.js';

/** The sink the interceptors report to. */
export interface AuditReplaySinks extends Sinks {
  auditReplay: {
    /** Entries sent to the read model by one syncReadModel call. */
    synced(entries: TimelineEntry[]): void;
    /** The whole audit trail after an activation. */
    trail(entries: TimelineEntry[]): void;
  };
}

const { auditReplay } = proxySinks<AuditReplaySinks>();

/** Every page of the trail through the registered Query handler, or null before it is registered. */
function currentTrail(): TimelineEntry[] | null {
  const query = getActivator().queryHandlers.get('auditTrail');
  if (!query) return null;
  const out: TimelineEntry[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = query.handler({ afterSeq } satisfies AuditTrailRequest) as AuditTrailPage;
    out.push(...page.entries);
    if (!page.hasMore || page.entries.length === 0) return out;
    afterSeq = page.entries.at(-1)!.seq;
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleLocalActivity(input, next) {
        if (input.activityType === 'syncReadModel') auditReplay.synced((input.args[0] as { entries: TimelineEntry[] }).entries);
        return next(input);
      },
    },
  ],
  internals: [
    {
      concludeActivation(input, next) {
        const trail = currentTrail();
        if (trail) auditReplay.trail(trail);
        return next(input);
      },
    },
  ],
});
