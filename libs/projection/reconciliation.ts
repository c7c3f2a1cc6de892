/*
 * The reconciliation of the read model with the workflows at every start: the rebuild of read-model-rebuild.ts run
 * once in the background, retried while Temporal or PostgreSQL does not answer, with its state kept where readiness
 * (`/health/ready`) and the start's log can name it: "read model lacks 303 projects; rebuilding (120/303)".
 */
import { describeRebuild, rebuildReadModel, type RebuildDeps, type RebuildReport } from './read-model-rebuild.js';

/** Where the reconciliation of this process stands. */
export interface ReconciliationState {
  /**
   * `off`: none runs in this process; `checking`: listing the workflows; `rebuilding`: writing the projects the read
   * model lacks or holds behind; `done`; `retrying`: the last attempt failed (Temporal or PostgreSQL down), another follows.
   */
  phase: 'off' | 'checking' | 'rebuilding' | 'done' | 'retrying';
  /** Project workflows in Temporal and projects in the read model when last counted (null: not counted yet). */
  inTemporal: number | null;
  inReadModel: number | null;
  /** Projects the read model lacked when the reconciliation started. */
  lacking: number;
  /** Projects to check, and how many are done. */
  candidates: number;
  done: number;
  /** The last failure's reason, while retrying. */
  error: string | null;
}

/** Whether readiness holds, and the message and details it names. */
export interface ReconciliationReadiness {
  /** False while the read model lacks projects that are being rebuilt: lists and work queues would miss them. */
  up: boolean;
  message: string;
  details: Record<string, unknown>;
}

/** The reconciliation of one process; read by readiness, moved by {@link runReconciliation}. */
export class ReadModelReconciliation {
  private current: ReconciliationState = { phase: 'off', inTemporal: null, inReadModel: null, lacking: 0, candidates: 0, done: 0, error: null };

  /** A copy of the current state. */
  state(): ReconciliationState {
    return { ...this.current };
  }

  /** Moves the state (the runner's). */
  update(change: Partial<ReconciliationState>): void {
    this.current = { ...this.current, ...change };
  }

  /**
   * Readiness: down until the read model has been compared with the workflows in Temporal (until then nobody knows
   * whether lists would miss projects), and while it lacks projects the rebuild has not written yet (the message names
   * how many and how far it is); up otherwise — including while the running projects' versions are being compared,
   * since the read model then holds every project.
   */
  readiness(): ReconciliationReadiness {
    const s = this.current;
    const details = { phase: s.phase, inTemporal: s.inTemporal, inReadModel: s.inReadModel, lacking: s.lacking, checked: s.done, toCheck: s.candidates };
    if ((s.phase === 'checking' || s.phase === 'retrying') && s.inTemporal === null) {
      const after = s.phase === 'retrying' ? `; retrying after: ${s.error ?? 'an error'}` : '';
      return { up: false, message: `comparing the read model with the project workflows in Temporal${after}`, details };
    }
    if (s.phase === 'rebuilding' && s.lacking > 0) {
      return { up: false, message: `read model lacks ${s.lacking} project(s); rebuilding (${s.done}/${s.candidates} checked)`, details };
    }
    if (s.phase === 'retrying' && s.lacking > 0) {
      return { up: false, message: `read model lacks ${s.lacking} project(s); rebuild retrying after: ${s.error ?? 'an error'}`, details };
    }
    const message =
      s.phase === 'done' ? `read model holds the ${s.inTemporal ?? 0} project workflow(s)` : s.phase === 'off' ? 'no reconciliation in this process' : `reconciliation ${s.phase}`;
    return { up: true, message, details };
  }
}

/** The reconciliation of this process (one per API process). */
export const readModelReconciliation = new ReadModelReconciliation();

/** How {@link runReconciliation} runs. */
export interface ReconciliationOptions {
  /** Lines for the log (the plan, progress every batch, the result). */
  log: (message: string) => void;
  /** First retry after this many milliseconds, doubled up to a minute; default 2000. */
  retryMs?: number;
  /** Stops retrying (e.g. on shutdown). */
  signal?: AbortSignal;
  concurrency?: number;
  /** Which projects are compared (see RebuildOptions.scope); default `all`. */
  scope?: 'missing' | 'all';
}

/**
 * Reconciles the read model with the workflows until it succeeds once (retrying with back-off while a dependency does
 * not answer), keeping `into` current for readiness.
 * @returns the rebuild's report, or null when stopped before one finished
 */
export async function runReconciliation(deps: RebuildDeps, into: ReadModelReconciliation, options: ReconciliationOptions): Promise<RebuildReport | null> {
  let wait = options.retryMs ?? 2000;
  // A new run knows nothing yet: counts from an earlier run (another app in this process) must not make it look done.
  into.update({ phase: 'checking', inTemporal: null, inReadModel: null, lacking: 0, candidates: 0, done: 0, error: null });
  while (!options.signal?.aborted) {
    into.update({ phase: 'checking', error: null, done: 0 });
    try {
      const report = await rebuildReadModel(deps, {
        scope: options.scope ?? 'all',
        concurrency: options.concurrency ?? 4,
        signal: options.signal,
        onPlan: (p) => {
          into.update({ phase: 'rebuilding', inTemporal: p.inTemporal, inReadModel: p.inReadModel, lacking: p.lacking, candidates: p.candidates });
          if (p.lacking > 0) options.log(`read model lacks ${p.lacking} project(s) of ${p.inTemporal} in Temporal; rebuilding`);
        },
        onProgress: (p) => {
          into.update({ done: p.done });
          if (into.state().lacking > 0) options.log(`rebuilding the read model: ${p.done}/${p.total} checked, ${p.written} written`);
        },
        onWarning: (m) => options.log(`read model rebuild: ${m}`),
      });
      if (report.failed.length > 0) throw new Error(`${report.failed.length} project(s) not rebuilt, e.g. ${report.failed[0]!.code}: ${report.failed[0]!.reason}`);
      into.update({ phase: 'done', inReadModel: report.inReadModelAfter, lacking: 0 });
      if (report.written > 0 || report.lacking > 0) for (const line of describeRebuild(report)) options.log(line);
      return report;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      into.update({ phase: 'retrying', error: reason });
      options.log(`read model reconciliation failed (${reason}); retrying in ${Math.round(wait / 1000)} s`);
      await sleep(wait, options.signal);
      wait = Math.min(wait * 2, 60_000);
    }
  }
  return null;
}

/** Waits `ms` milliseconds, or less when `signal` aborts; never keeps the process alive on its own. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
