import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { createHash, randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { DomainError, DomainErrorCode, latestTrackDefinition, type Actor, type TrackDefinition, type TrackKey } from '../../../../libs/domain/index.js';
import { planPosition, type PositionPlan } from '../../../../libs/ledger/ledger-position-plan.js';
import { ImportsRepository, type ImportJob, type ImportJobProgress } from '../../../../libs/persistence/index.js';
import { importedPositionQuery, projectWorkflowId, type StepActionRequest } from '../../../../libs/temporal/project.contract.js';
import type { projectWorkflow } from '../../../../workflows/project.workflow.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import type { ProjectDto } from '../projects/dto/project.response.js';
import type { RegisterProjectDto } from '../projects/dto/register-project.dto.js';
import type { StepActionDto } from '../projects/dto/step-action.dto.js';
import { ProjectsService } from '../projects/projects.service.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';
import type { RowReport } from './import-report.js';
import { ImportsService, type ImportReport, type UploadedLedger } from './imports.service.js';
import { importActor } from './position-check.js';

/** What committing a row did. */
export interface RowResult {
  row: number;
  code: string | null;
  /** registered (with its position), already_registered (another registration of the code: left alone), invalid (not imported: see the report), failed. */
  result: 'registered' | 'already_registered' | 'invalid' | 'failed';
  /** Step actions applied to bring the project to its position. */
  actions: number;
  /** Why the row is invalid (the report's problems) or failed (the write refused); null otherwise. */
  problem: string | null;
}

/**
 * Rows a job imports at once: a pool of this many rows in flight, the next row starting as soon as one ends. Each row
 * is its own project workflow registered by one start (its position in the start's input), so rows wait on nothing
 * but the worker and the database; 16 keeps both busy on 2 cores without flooding PostgreSQL's connection pool.
 */
export const IMPORT_CONCURRENCY = 16;

/** Tries of a row's registration when a dependency does not answer (a refusal is not tried again). */
const REGISTRATION_ATTEMPTS = 4;
/** Wait before the second try (ms), doubled before each later one: 1 s, 2 s, 4 s. */
const REGISTRATION_BACKOFF_MS = 1_000;

/**
 * Whether a registration's failure may pass when tried again: not a refusal of the row (a domain or API problem other
 * than 503), i.e. a Temporal or PostgreSQL error, a timeout, or 503 DEPENDENCY.UNAVAILABLE.
 */
function isTransient(err: unknown): boolean {
  if (err instanceof DomainError) return false;
  if (err instanceof ApiProblem) return err.code === ApiErrorCode.DependencyUnavailable;
  return true;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Step states the position plan brings a step to with actions (the others are where a new project's steps start). */
const PLANNED_STATES: ReadonlySet<string> = new Set(['in_review', 'supplement_requested', 'approved', 'delivered', 'rejected', 'waived']);

/** Progress is stored at most this often (ms) while a job runs, and once at its end. */
const PROGRESS_EVERY_MS = 500;

/** The text of an error for a row's result. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An idempotency key of the form the workflows know (`idem:` + 32 hex), from the file's content, the row's code and the step of the plan. */
function rowKey(fileSha256: string, code: string, what: string): string {
  return `idem:${createHash('sha256').update(`ledger-import\u0000${fileSha256}\u0000${code}\u0000${what}`).digest('hex').slice(0, 32)}`;
}

/**
 * Commits ledger imports as jobs: the file and its dry run's report stored (table `imports`), then, in the background,
 * every valid row registered through ProjectsService — the same path as POST /projects — on its signing day, with its
 * position (libs/ledger planPosition: the back-dated accept/approve/return/waive/reject/deliver) in the workflow's
 * start, which applies it through the same step-action pipeline as an officer's Updates in its first task and writes
 * the read model once; {@link IMPORT_CONCURRENCY} rows in flight. Progress is stored as the rows done from the first
 * one on, in row order. Idempotent: every write's key comes from the file's SHA-256, the code and the action, so a row
 * tried again (a job resumed after a restart) has no second effect, and the same file sent again answers the job it
 * already has. Jobs left queued or running by a stopped API resume at the next start.
 */
@Injectable()
export class ImportJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportJobsService.name);
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly repo: ImportsRepository,
    private readonly imports: ImportsService,
    private readonly projects: ProjectsService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Resumes the jobs a stopped API left queued or running. */
  async onApplicationBootstrap(): Promise<void> {
    for (const id of await this.repo.unfinished()) {
      this.logger.log({ importId: id }, 'resuming ledger import');
      this.start(id);
    }
  }

  /** Lets the row in progress finish and stops; the job resumes at the next start. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.running.values());
  }

  /**
   * Starts the import of a file, or answers the job of the same content when there is one (that did not fail).
   * @returns the job and whether it was created now
   * @throws as ImportsService.dryRun (415, 422); ApiProblem 422 REQUEST.UNPROCESSABLE for a file with no project rows
   */
  async commit(file: UploadedLedger, user: AuthenticatedUser): Promise<{ job: ImportJob; created: boolean }> {
    const sha = createHash('sha256').update(file.buffer).digest('hex');
    const existing = await this.repo.findByContent(sha);
    if (existing) return { job: existing, created: false };
    const report = await this.imports.dryRun(file);
    if (report.rows.length === 0) {
      const why = report.fileProblems.length > 0 ? `: ${report.fileProblems.join('; ')}` : '';
      const message = `the file ${file.originalname} holds no project rows below its header (row ${report.headerRow})${why}; nothing to import`;
      throw new ApiProblem(ApiErrorCode.RequestUnprocessable, message, [{ field: 'file', message }]);
    }
    const id = randomUUID();
    const job = { id, fileName: file.originalname, fileSha256: sha, file: file.buffer, createdBy: { id: user.id, department: user.department }, rowsTotal: report.rows.length, report };
    // The same file committed at the same moment by another request: its job (looked up again should it end between).
    for (let attempt = 1; !(await this.repo.create(job)); attempt++) {
      const other = await this.repo.findByContent(sha);
      if (other) return { job: other, created: false };
      if (attempt >= 3) throw new ApiProblem(ApiErrorCode.IdempotencyInProgress, 'the same file is being committed by another request; retry in a few seconds', undefined, { 'Retry-After': '2' });
    }
    this.start(id);
    return { job: (await this.repo.find(id))!, created: true };
  }

  /**
   * The job.
   * @throws ApiProblem 404 IMPORT.NOT_FOUND
   */
  async find(id: string): Promise<ImportJob> {
    const job = await this.repo.find(id);
    if (!job) throw this.notFound(id);
    return job;
  }

  private notFound(id: string): ApiProblem {
    return new ApiProblem(ApiErrorCode.ImportNotFound, `no import ${id}; POST /api/v1/imports with dryRun=false answers the id of a new one`);
  }

  /**
   * The job's status and progress only (neither its report nor its results): what a client polls while it runs.
   * @throws ApiProblem 404 IMPORT.NOT_FOUND
   */
  async progress(id: string): Promise<ImportJobProgress> {
    const progress = await this.repo.progress(id);
    if (!progress) throw this.notFound(id);
    return progress;
  }

  /** Waits for the job's run in this process, if one is going (for tests and a clean stop). */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  /** Runs the job in the background unless it already runs here. */
  private start(id: string): void {
    if (this.running.has(id) || this.stopping) return;
    const run = this.run(id)
      .catch(async (err: unknown) => {
        this.logger.error({ importId: id, err }, 'ledger import failed');
        await this.repo.finish(id, 'failed', messageOf(err)).catch(() => undefined);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /**
   * Tries the job's rows from the first not yet tried, {@link IMPORT_CONCURRENCY} at once. `rowsDone` counts the rows
   * done from the first on (a row after one still running waits to be counted), so a resumed job starts at the first
   * row not counted and repeats at most the rows in flight when it stopped, which the idempotency keys make harmless.
   */
  private async run(id: string): Promise<void> {
    const job = await this.find(id);
    await this.repo.markRunning(id);
    const report = job.report as ImportReport;
    const results = [...job.results] as RowResult[];
    const first = results.length;
    const rows = report.rows.slice(first);
    const done: (RowResult | undefined)[] = new Array<RowResult | undefined>(rows.length);
    let counted = 0;
    let next = 0;
    let storedAt = 0;
    let storing: Promise<void> = Promise.resolve();
    const store = (force: boolean): Promise<void> => {
      while (counted < rows.length && done[counted] !== undefined) results.push(done[counted++]!);
      if (!force && Date.now() - storedAt < PROGRESS_EVERY_MS) return storing;
      storedAt = Date.now();
      const snapshot = results.slice();
      storing = storing.catch(() => undefined).then(() => this.repo.recordProgress(id, snapshot.length, snapshot));
      return storing;
    };
    const lane = async (): Promise<void> => {
      while (!this.stopping && next < rows.length) {
        const i = next++;
        done[i] = await this.importRow(job, rows[i]!);
        void store(false).catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, rows.length) }, lane));
    await store(true);
    if (this.stopping && results.length < report.rows.length) return;
    await this.repo.finish(id, 'done');
  }

  /** Registers one row's project at its position; a refusal ends the row, not the job. */
  private async importRow(job: ImportJob, row: RowReport): Promise<RowResult> {
    const base = { row: row.row, code: row.code, actions: 0, problem: null };
    if (row.outcome === 'invalid' || row.project === null) {
      // The dry run's reasons, so the job's results say why the row was left out.
      const why = row.problems.map((p) => `${p.sheet ?? 'CSV'} row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.problem}`).join('; ');
      return { ...base, result: 'invalid', problem: why || null };
    }
    const p = row.project;
    const definition = latestTrackDefinition(p.track as TrackKey);
    const plan = planPosition(p.signedAt, row.position, definition);
    const registration = { ...p, occurredAt: plan.registeredAt } as RegisterProjectDto;
    const position: StepActionRequest[] = plan.actions.map((a, i) => ({
      step: a.step,
      action: a.action,
      occurredAt: a.occurredAt,
      comment: a.comment,
      actor: this.actorFor(job, definition, a.step),
      requestId: rowKey(job.fileSha256, p.code, `${i}:${a.step}:${a.action}`),
    }));
    let project: ProjectDto | undefined;
    const registrationKey = rowKey(job.fileSha256, p.code, 'register');
    for (let attempt = 1; project === undefined; attempt++) {
      try {
        project = await this.projects.register(registration, { id: job.createdBy.id, department: 'project_office' }, registrationKey, position);
      } catch (err) {
        if (err instanceof DomainError && err.code === DomainErrorCode.ProjectAlreadyExists) return { ...base, result: 'already_registered', problem: messageOf(err) };
        // A refusal is final; a dependency slow or down (a query or Update timing out under load) is asked again with
        // the same registration key, which the started workflow recognises as its own start (no second project).
        if (!isTransient(err) || attempt >= REGISTRATION_ATTEMPTS) return { ...base, result: 'failed', problem: `registration: ${messageOf(err)}` };
        this.logger.warn({ importId: job.id, row: row.row, code: p.code, attempt, err: messageOf(err) }, 'ledger import: registration did not answer; trying again');
        await sleep(REGISTRATION_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
    // Every step at the state the file gives: the whole position was applied (an action refused would have left its
    // step short of it, since each planned action moves its step), so the workflow need not be asked.
    const reached = row.position.every((s) => !PLANNED_STATES.has(s.state) || project.steps.find((x) => x.key === s.step)?.state === s.state);
    if (reached) return { ...base, result: 'registered', actions: position.length };
    const handle = this.temporal.workflow.getHandle<typeof projectWorkflow>(projectWorkflowId(p.code));
    const imported = await handle.query(importedPositionQuery).catch(() => null);
    // A project registered without its position in the start (a job begun before the start carried it) gets it
    // action by action; the same idempotency keys make the actions it already had answer without a second effect.
    if (imported === null) return this.applyByUpdates(job, row, definition, plan);
    if (imported.refused !== null) {
      const r = imported.refused;
      return { ...base, result: 'failed', actions: imported.applied, problem: `${r.step} ${r.action} at ${r.occurredAt}: ${r.message}` };
    }
    return { ...base, result: 'registered', actions: imported.applied };
  }

  /** The officer of the step's department acting for the import's author. */
  private actorFor(job: ImportJob, definition: TrackDefinition, step: string): Actor {
    return importActor(job.createdBy.id, definition, step);
  }

  /** The plan's actions as step-action Updates, one after the other (a project registered without its position). */
  private async applyByUpdates(job: ImportJob, row: RowReport, definition: TrackDefinition, plan: PositionPlan): Promise<RowResult> {
    const base = { row: row.row, code: row.code, actions: 0, problem: null };
    const code = row.project!.code;
    let actions = 0;
    for (const [i, a] of plan.actions.entries()) {
      const dto = { action: a.action, occurredAt: a.occurredAt, ...(a.comment ? { comment: a.comment } : {}) } as StepActionDto;
      try {
        await this.projects.stepAction(code, a.step, dto, this.actorFor(job, definition, a.step), rowKey(job.fileSha256, code, `${i}:${a.step}:${a.action}`));
        actions++;
      } catch (err) {
        return { ...base, result: 'failed', actions, problem: `${a.step} ${a.action} at ${a.occurredAt}: ${messageOf(err)}` };
      }
    }
    return { ...base, result: 'registered', actions };
  }
}
