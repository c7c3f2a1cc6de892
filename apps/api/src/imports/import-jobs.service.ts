import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { DomainError, DomainErrorCode, latestTrackDefinition, type TrackKey } from '../../../../libs/domain/index.js';
import { planPosition } from '../../../../libs/ledger/ledger-position-plan.js';
import { ImportsRepository, type ImportJob } from '../../../../libs/persistence/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import type { RegisterProjectDto } from '../projects/dto/register-project.dto.js';
import type { StepActionDto } from '../projects/dto/step-action.dto.js';
import { ProjectsService } from '../projects/projects.service.js';
import type { RowReport } from './import-report.js';
import { ImportsService, type ImportReport, type UploadedLedger } from './imports.service.js';

/** What committing a row did. */
export interface RowResult {
  row: number;
  code: string | null;
  /** registered (with its position), already_registered (another registration of the code: left alone), invalid (not imported: see the report), failed. */
  result: 'registered' | 'already_registered' | 'invalid' | 'failed';
  /** Step actions applied to bring the project to its position. */
  actions: number;
  problem: string | null;
}

/**
 * Rows a job imports at once. Each row is its own project workflow, so they do not wait on each other; 10 keeps the
 * worker and the database busy without flooding them (100 rows took 31 s one at a time on 2 cores).
 */
export const IMPORT_BATCH = 10;

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
 * every valid row registered through ProjectsService — the same path as POST /projects and the step actions — on its
 * signing day and brought to its position with back-dated actions (libs/ledger planPosition), {@link IMPORT_BATCH} rows
 * at a time, the progress stored after each batch. Idempotent: every write's key comes from the file's SHA-256, the code and the action, so a row
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
   * @throws as ImportsService.dryRun (415, 422)
   */
  async commit(file: UploadedLedger, user: AuthenticatedUser): Promise<{ job: ImportJob; created: boolean }> {
    const sha = createHash('sha256').update(file.buffer).digest('hex');
    const existing = await this.repo.findByContent(sha);
    if (existing) return { job: existing, created: false };
    const report = await this.imports.dryRun(file);
    const id = randomUUID();
    await this.repo.create({ id, fileName: file.originalname, fileSha256: sha, file: file.buffer, createdBy: { id: user.id, department: user.department }, rowsTotal: report.rows.length, report });
    this.start(id);
    return { job: (await this.repo.find(id))!, created: true };
  }

  /**
   * The job.
   * @throws ApiProblem 404 IMPORT.NOT_FOUND
   */
  async find(id: string): Promise<ImportJob> {
    const job = await this.repo.find(id);
    if (!job) throw new ApiProblem(ApiErrorCode.ImportNotFound, `no import ${id}; POST /api/v1/imports with dryRun=false answers the id of a new one`);
    return job;
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

  /** Tries the job's rows from the first not yet tried, recording each result. */
  private async run(id: string): Promise<void> {
    const job = await this.find(id);
    await this.repo.markRunning(id);
    const report = job.report as ImportReport;
    const results = [...job.results] as RowResult[];
    // Rows go in batches of IMPORT_BATCH at once (each project is its own workflow); progress is stored after each
    // batch, in row order, so a resumed job starts at the first row of the batch it was in (its writes repeat harmlessly).
    const rows = report.rows.slice(results.length);
    for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
      if (this.stopping) return;
      results.push(...(await Promise.all(rows.slice(i, i + IMPORT_BATCH).map((row) => this.importRow(job, row)))));
      await this.repo.recordProgress(id, results.length, results);
    }
    await this.repo.finish(id, 'done');
  }

  /** Registers one row's project and brings it to its position; a refusal ends the row, not the job. */
  private async importRow(job: ImportJob, row: RowReport): Promise<RowResult> {
    const base = { row: row.row, code: row.code, actions: 0, problem: null };
    if (row.outcome === 'invalid' || row.project === null) return { ...base, result: 'invalid' };
    const p = row.project;
    const definition = latestTrackDefinition(p.track as TrackKey);
    const plan = planPosition(p.signedAt, row.position, definition);
    const registration = { ...p, occurredAt: plan.registeredAt } as RegisterProjectDto;
    try {
      await this.projects.register(registration, { id: job.createdBy.id, department: 'project_office' }, rowKey(job.fileSha256, p.code, 'register'));
    } catch (err) {
      if (err instanceof DomainError && err.code === DomainErrorCode.ProjectAlreadyExists) return { ...base, result: 'already_registered', problem: messageOf(err) };
      return { ...base, result: 'failed', problem: `registration: ${messageOf(err)}` };
    }
    let actions = 0;
    for (const [i, a] of plan.actions.entries()) {
      const department = definition.steps.find((s) => s.key === a.step)!.department;
      const dto = { action: a.action, occurredAt: a.occurredAt, ...(a.comment ? { comment: a.comment } : {}) } as StepActionDto;
      try {
        await this.projects.stepAction(p.code, a.step, dto, { id: job.createdBy.id, department, roles: ['officer'] }, rowKey(job.fileSha256, p.code, `${i}:${a.step}:${a.action}`));
        actions++;
      } catch (err) {
        return { ...base, result: 'failed', actions, problem: `${a.step} ${a.action} at ${a.occurredAt}: ${messageOf(err)}` };
      }
    }
    return { ...base, result: 'registered', actions };
  }
}
