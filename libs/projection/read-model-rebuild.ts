/*
 * The read model rebuilt from the workflows. The project workflows are the source of truth and the read model a
 * projection of them: this finds the project workflows the read model lacks or holds behind (visibility lists them,
 * the read model's version and last timeline `seq` are compared with the workflow's), reads each one's state (the
 * `detail` Query) and audit trail (the `auditTrail` Query, paged; earlier runs' trails for a run continued before the
 * workflow kept it), and writes them through the read model's one write path, which is idempotent (versioned rows,
 * timeline entries once per seq): a re-run writes nothing twice, so a stopped rebuild resumes by running again.
 * Queries need a worker polling the task queue (closed workflows are answered by replaying their history, while
 * within the namespace's retention).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { ProjectView, TimelineEntry } from '../domain/index.js';
import type { ProjectReadModelRepository } from '../persistence/project-read-model.repository.js';
import {
  AUDIT_TRAIL_PAGE_MAX,
  auditTrailQuery,
  detailQuery,
  PROJECT_WORKFLOW_TYPE,
} from '../temporal/project.contract.js';

/** The visibility query that lists every project workflow run. */
export const PROJECT_WORKFLOWS_QUERY = `WorkflowType = '${PROJECT_WORKFLOW_TYPE}'`;
const WORKFLOW_ID_PREFIX = 'project:';
/** Timeline entries written per read-model write (each entry is 9 parameters of one INSERT). */
const WRITE_CHUNK = 1000;

/** A project workflow as visibility lists it: its current (or last) run and the runs it continued from. */
export interface ListedProject {
  code: string;
  workflowId: string;
  runId: string;
  /** Temporal's execution status of the current run (RUNNING, COMPLETED, TERMINATED, …). */
  status: string;
  /** Earlier runs (closed as continued-as-new), newest first. */
  earlierRunIds: string[];
}

/** The read model's knowledge of one project: its version, status and the last timeline seq it holds. */
export interface StoredProject {
  version: number;
  status: string;
  lastSeq: number;
}

/** What the rebuild found and did. */
export interface RebuildReport {
  /** Project workflows in Temporal (distinct workflow ids). */
  inTemporal: number;
  /** Projects in the read model before the rebuild. */
  inReadModelBefore: number;
  /** Projects in the read model after the rebuild. */
  inReadModelAfter: number;
  /** Workflows without a row in the read model when the rebuild started. */
  lacking: number;
  /** Workflows checked (read from Temporal). */
  checked: number;
  /** Projects whose row or timeline was written. */
  written: number;
  /** Timeline entries inserted. */
  entriesInserted: number;
  /** Projects whose trail lacks early entries no run within retention holds: code → first seq known. */
  gaps: Array<{ code: string; firstKnownSeq: number }>;
  /** Projects that could not be read or written, with the reason (a re-run retries them). */
  failed: Array<{ code: string; reason: string }>;
  /** True when stopped before every candidate was done (run again to resume). */
  stopped: boolean;
  /** Wall time, milliseconds. */
  elapsedMs: number;
}

/** Progress after each batch. */
export interface RebuildProgress {
  done: number;
  total: number;
  written: number;
  entriesInserted: number;
  failed: number;
  elapsedMs: number;
}

/** What the rebuild needs. */
export interface RebuildDeps {
  client: Client;
  dataSource: DataSource;
  readModel: Pick<ProjectReadModelRepository, 'applyProject'>;
}

/** How the rebuild runs. */
export interface RebuildOptions {
  /** Projects per batch (progress is reported after each); default 200. */
  batchSize?: number;
  /** Projects read and written at once; default 8. */
  concurrency?: number;
  /**
   * `missing`: only the projects the read model lacks or holds as running while their workflow is closed (cheap: no
   * query for an up-to-date closed project); `all` (default): every running workflow's version and last seq too.
   */
  scope?: 'missing' | 'all';
  /** Stops after the batch in progress (a re-run resumes: written projects are skipped as up to date). */
  signal?: AbortSignal;
  /** Called once the candidates are known (e.g. to say "read model lacks 303 projects; rebuilding"). */
  onPlan?: (plan: { inTemporal: number; inReadModel: number; lacking: number; candidates: number }) => void;
  onProgress?: (progress: RebuildProgress) => void;
  /** Called for a project whose trail has a gap or that failed (operator-facing warnings). */
  onWarning?: (message: string) => void;
}

/**
 * Lists every project workflow through visibility, one entry per workflow id: its current run (running or, if
 * closed, its last one) and the runs it continued from.
 * @returns the projects in workflow-id order
 */
export async function listProjectWorkflows(client: Client): Promise<ListedProject[]> {
  // Only what the rebuild needs of each run: a listed execution carries its raw protobuf, memo and search
  // attributes, which at 100,000 projects would be held for nothing.
  type Run = { runId: string; status: WorkflowExecutionInfo['status']['name']; startTime: Date };
  const byId = new Map<string, { current?: Run; earlier: Run[] }>();
  for await (const wf of client.workflow.list({ query: PROJECT_WORKFLOWS_QUERY })) {
    if (!wf.workflowId.startsWith(WORKFLOW_ID_PREFIX)) continue;
    const slot = byId.get(wf.workflowId) ?? { earlier: [] };
    const run: Run = { runId: wf.runId, status: wf.status.name, startTime: wf.startTime };
    if (run.status === 'CONTINUED_AS_NEW') slot.earlier.push(run);
    else if (!slot.current || run.startTime > slot.current.startTime) slot.current = run;
    byId.set(wf.workflowId, slot);
  }
  const out: ListedProject[] = [];
  for (const [workflowId, slot] of [...byId.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const earlier = slot.earlier.sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
    // A chain whose current run is not listed yet (visibility lags a moment behind a continue-as-new): its newest
    // listed run answers for it; the rest are its earlier runs.
    const current = slot.current ?? earlier.shift();
    if (!current) continue;
    out.push({
      code: workflowId.slice(WORKFLOW_ID_PREFIX.length),
      workflowId,
      runId: current.runId,
      status: current.status,
      earlierRunIds: earlier.map((e) => e.runId),
    });
  }
  return out;
}

/** What the read model holds of every project: version, status and last timeline seq, by code. */
export async function storedProjects(ds: DataSource): Promise<Map<string, StoredProject>> {
  const rows: Array<{ code: string; version: number | string; status: string; last_seq: number | string | null }> = await ds.query(
    `SELECT p.code, p.version, p.status, (SELECT max(t.seq) FROM timeline_entries t WHERE t.project_code = p.code) AS last_seq
       FROM projects p`,
  );
  return new Map(rows.map((r) => [r.code, { version: Number(r.version), status: r.status, lastSeq: Number(r.last_seq ?? 0) }]));
}

/** Statuses of a read-model row whose workflow is still running. */
const RUNNING_ROW = new Set(['active', 'suspended']);

/**
 * Whether a listed workflow needs reading: the read model lacks it, or holds it as running while its workflow closed,
 * or (scope `all`) it is running and may be ahead of its row.
 */
export function isCandidate(p: ListedProject, stored: StoredProject | undefined, scope: 'missing' | 'all'): boolean {
  if (!stored) return true;
  if (p.status === 'RUNNING') return scope === 'all';
  return RUNNING_ROW.has(stored.status);
}

/**
 * The audit trail of a project from `afterSeq` on, as its workflow knows it: every page of the current run's
 * `auditTrail` Query and, when that run does not know the early entries (continued before the workflow kept its
 * trail), the earlier runs' trails, newest first, until the entries are whole.
 * @returns the entries in seq order and the first seq known when even the earliest run within retention lacks some
 */
export async function readAuditTrail(
  client: Client,
  project: ListedProject,
  afterSeq: number,
): Promise<{ entries: TimelineEntry[]; firstKnownSeq: number }> {
  const bySeq = new Map<number, TimelineEntry>();
  let firstKnownSeq = await readRunTrail(client, project.workflowId, project.runId, afterSeq, bySeq);
  for (const runId of project.earlierRunIds) {
    if (firstKnownSeq <= afterSeq + 1) break;
    // The earlier run knows entries up to its continue-as-new; those this run already read are kept once.
    firstKnownSeq = Math.min(firstKnownSeq, await readRunTrail(client, project.workflowId, runId, afterSeq, bySeq));
  }
  const entries = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { entries, firstKnownSeq: Math.max(firstKnownSeq, afterSeq + 1) };
}

/** Reads every page of one run's trail after `afterSeq` into `into`; returns the first seq that run knows. */
async function readRunTrail(client: Client, workflowId: string, runId: string, afterSeq: number, into: Map<number, TimelineEntry>): Promise<number> {
  const handle = client.workflow.getHandle(workflowId, runId);
  let after = afterSeq;
  for (;;) {
    const page = await handle.query(auditTrailQuery, { afterSeq: after, limit: AUDIT_TRAIL_PAGE_MAX });
    for (const e of page.entries) if (!into.has(e.seq)) into.set(e.seq, e);
    if (!page.hasMore || page.entries.length === 0) return page.firstKnownSeq;
    after = page.entries[page.entries.length - 1]!.seq;
  }
}

/**
 * Brings one project's row, steps, deadlines, facts and timeline in the read model up to its workflow.
 * @returns the entries inserted and whether anything was written, and the first seq known when the trail has a gap
 */
export async function rebuildProject(
  deps: RebuildDeps,
  project: ListedProject,
  stored: StoredProject | undefined,
): Promise<{ written: boolean; entriesInserted: number; gapFrom: number | null }> {
  const handle = deps.client.workflow.getHandle(project.workflowId, project.runId);
  const view: ProjectView = await handle.query(detailQuery);
  const afterSeq = stored?.lastSeq ?? 0;
  const { entries, firstKnownSeq } = await readAuditTrail(deps.client, project, afterSeq);
  if (stored && stored.version >= view.version && entries.length === 0) return { written: false, entriesInserted: 0, gapFrom: null };
  let written = false;
  let inserted = 0;
  // The row (at the workflow's version) goes with the first chunk; later chunks only add entries.
  for (let i = 0; i === 0 || i < entries.length; i += WRITE_CHUNK) {
    const r = await deps.readModel.applyProject(view, entries.slice(i, i + WRITE_CHUNK));
    written ||= r.applied || r.timelineInserted > 0;
    inserted += r.timelineInserted;
  }
  return { written, entriesInserted: inserted, gapFrom: firstKnownSeq > afterSeq + 1 ? firstKnownSeq : null };
}

/** Counts the projects in the read model. */
export async function countReadModelProjects(ds: DataSource): Promise<number> {
  const [row] = (await ds.query('SELECT count(*)::int AS n FROM projects')) as Array<{ n: number }>;
  return Number(row?.n ?? 0);
}

/**
 * Rebuilds the read model from the workflows: lists them, finds the candidates ({@link isCandidate}), and brings each
 * up to date ({@link rebuildProject}) in batches of `batchSize` with at most `concurrency` at once, reporting progress
 * after each batch. A project that fails is reported and left for the next run; it does not stop the others.
 * @returns the counts in Temporal and in the read model before and after, and what was written
 */
export async function rebuildReadModel(deps: RebuildDeps, options: RebuildOptions = {}): Promise<RebuildReport> {
  const started = Date.now();
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const scope = options.scope ?? 'all';
  const [listed, stored] = await Promise.all([listProjectWorkflows(deps.client), storedProjects(deps.dataSource)]);
  const candidates = listed.filter((p) => isCandidate(p, stored.get(p.code), scope));
  const lacking = listed.filter((p) => !stored.has(p.code)).length;
  options.onPlan?.({ inTemporal: listed.length, inReadModel: stored.size, lacking, candidates: candidates.length });

  const report: RebuildReport = {
    inTemporal: listed.length,
    inReadModelBefore: stored.size,
    inReadModelAfter: stored.size,
    lacking,
    checked: 0,
    written: 0,
    entriesInserted: 0,
    gaps: [],
    failed: [],
    stopped: false,
    elapsedMs: 0,
  };
  for (let start = 0; start < candidates.length; start += batchSize) {
    if (options.signal?.aborted) {
      report.stopped = true;
      break;
    }
    const batch = candidates.slice(start, start + batchSize);
    await forEachBounded(batch, concurrency, async (p) => {
      try {
        const r = await rebuildProject(deps, p, stored.get(p.code));
        report.checked += 1;
        if (r.written) report.written += 1;
        report.entriesInserted += r.entriesInserted;
        if (r.gapFrom !== null) {
          report.gaps.push({ code: p.code, firstKnownSeq: r.gapFrom });
          options.onWarning?.(`${p.code}: timeline entries before seq ${r.gapFrom} are in no run within retention (continued before the workflow kept its trail)`);
        }
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        report.failed.push({ code: p.code, reason });
        options.onWarning?.(`${p.code}: not rebuilt (${reason}); a re-run retries it`);
      }
    });
    options.onProgress?.({
      done: Math.min(start + batch.length, candidates.length),
      total: candidates.length,
      written: report.written,
      entriesInserted: report.entriesInserted,
      failed: report.failed.length,
      elapsedMs: Date.now() - started,
    });
  }
  report.inReadModelAfter = await countReadModelProjects(deps.dataSource);
  report.elapsedMs = Date.now() - started;
  return report;
}

/** One summary line per figure of a finished (or stopped) rebuild. */
export function describeRebuild(r: RebuildReport): string[] {
  const rate = r.checked > 0 ? (r.checked / (r.elapsedMs / 1000)).toFixed(1) : '0';
  return [
    `rebuild ${r.stopped ? 'stopped (run again to resume)' : 'done'} in ${(r.elapsedMs / 1000).toFixed(1)} s: ${r.checked} project(s) read (${rate}/s), ${r.written} written, ${r.entriesInserted} timeline entries inserted`,
    `projects in Temporal: ${r.inTemporal}; in the read model: ${r.inReadModelBefore} before, ${r.inReadModelAfter} after`,
    ...(r.gaps.length > 0 ? [`timelines with early entries beyond retention: ${r.gaps.length} (${r.gaps.slice(0, 5).map((g) => `${g.code} from seq ${g.firstKnownSeq}`).join(', ')}${r.gaps.length > 5 ? ', …' : ''})`] : []),
    ...(r.failed.length > 0 ? [`not rebuilt (a re-run retries them): ${r.failed.length} (${r.failed.slice(0, 5).map((f) => f.code).join(', ')}${r.failed.length > 5 ? ', …' : ''})`] : []),
  ];
}

/** Runs `fn` over `items` with at most `limit` calls at once; resolves when all have settled. */
async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
