/*
 * The audit trail a project workflow keeps in its state: every timeline entry it produced (the registration, each
 * officer's action with its actor, time, comment and idempotency key, each automatic event), carried over
 * continue-as-new, so the read model's timeline can be rebuilt from the workflow after the read model's loss.
 * Pure state: it adds no command to history, so keeping it is replay-safe.
 */
import type { TimelineEntry } from '../libs/domain/index.js';
import {
  AUDIT_TRAIL_PAGE_MAX,
  type AuditTrailPage,
  type AuditTrailRequest,
  type IdempotencyKey,
  type ProjectWorkflowInput,
} from '../libs/temporal/project.contract.js';

/**
 * The written part of a project's timeline, in `seq` order, with the idempotency key of each Update's entries.
 * The entries not written yet stay in the workflow's `pending` list and are joined in by {@link AuditTrail.page}.
 */
export class AuditTrail {
  private readonly written: TimelineEntry[];
  private readonly requests: Array<[number, IdempotencyKey]>;
  /** The smallest seq this run knows: 1, or larger in a run continued before the trail was kept. */
  private readonly firstKnownSeq: number;

  /**
   * @param input the run's input: a new registration starts an empty, complete trail; a continued run takes the trail
   *   carried over, or — continued before the trail was kept — knows only the entries from its unwritten ones on
   */
  constructor(input: ProjectWorkflowInput) {
    if (input.kind === 'new') {
      this.written = [];
      this.requests = [];
      this.firstKnownSeq = 1;
    } else if (input.auditTrail !== undefined) {
      this.written = [...input.auditTrail];
      this.requests = [...(input.auditRequests ?? [])];
      this.firstKnownSeq = input.auditFirstSeq ?? 1;
    } else {
      this.written = [];
      this.requests = [];
      this.firstKnownSeq = Math.min(input.pendingTimeline[0]?.seq ?? Infinity, input.snapshot.timelineSeq + 1);
    }
  }

  /** Records entries just written to the read model (in order, after the ones recorded before). */
  recordWritten(entries: readonly TimelineEntry[]): void {
    this.written.push(...entries);
  }

  /** Records the idempotency key of an Update that produced `entries` (nothing when it produced none). */
  recordRequest(key: IdempotencyKey, entries: readonly TimelineEntry[]): void {
    if (entries.length > 0) this.requests.push([entries[0]!.seq, key]);
  }

  /**
   * One page of the trail: the written entries then the pending ones, with `seq` above `req.afterSeq`.
   * @param pending the entries produced but not yet written (the workflow's own list, in order)
   * @param lastSeq the `seq` of the last entry the project produced (the snapshot's `timelineSeq`)
   */
  page(req: AuditTrailRequest | undefined, pending: readonly TimelineEntry[], lastSeq: number): AuditTrailPage {
    const afterSeq = req?.afterSeq ?? 0;
    const limit = Math.max(1, Math.min(req?.limit ?? AUDIT_TRAIL_PAGE_MAX, AUDIT_TRAIL_PAGE_MAX));
    const all = this.written.concat(pending).filter((e) => e.seq > afterSeq);
    const entries = all.slice(0, limit);
    const seqs = new Set(entries.map((e) => e.seq));
    return {
      entries,
      requests: this.requests.filter(([seq]) => seqs.has(seq)),
      firstKnownSeq: this.firstKnownSeq,
      lastSeq,
      hasMore: all.length > entries.length,
    };
  }

  /** What continue-as-new carries over (the pending entries travel in their own field). */
  carryOver(): { auditTrail: TimelineEntry[]; auditRequests: Array<[number, IdempotencyKey]>; auditFirstSeq: number } {
    return { auditTrail: this.written, auditRequests: this.requests, auditFirstSeq: this.firstKnownSeq };
  }
}
