import type { DataSource } from 'typeorm';

/** Where an import job is: waiting to start, running, done (every row tried), or failed (stopped by an error). */
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** A job's status and progress, without its report and results (what a progress bar polls). */
export type ImportJobProgress = Pick<ImportJob, 'id' | 'status' | 'rowsTotal' | 'rowsDone' | 'error' | 'updatedAt'>;

/** An import job as stored in `imports` (the file's bytes apart: {@link ImportsRepository.file}). */
export interface ImportJob {
  id: string;
  status: ImportStatus;
  fileName: string;
  fileSha256: string;
  createdBy: { id: string; department: string };
  createdAt: Date;
  updatedAt: Date;
  rowsTotal: number;
  rowsDone: number;
  /** The dry run's report the job works from (JSON as the API answers it). */
  report: unknown;
  /** One result per row tried, in row order (JSON). */
  results: unknown[];
  error: string | null;
}

interface ImportRow {
  id: string;
  status: ImportStatus;
  file_name: string;
  file_sha256: string;
  created_by: { id: string; department: string };
  created_at: Date;
  updated_at: Date;
  rows_total: number;
  rows_done: number;
  report: unknown;
  results: unknown[];
  error: string | null;
}

const COLUMNS = `"id", "status", "file_name", "file_sha256", "created_by", "created_at", "updated_at", "rows_total", "rows_done", "report", "results", "error"`;

function jobOf(r: ImportRow): ImportJob {
  return {
    id: r.id,
    status: r.status,
    fileName: r.file_name,
    fileSha256: r.file_sha256.trim(),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    rowsTotal: r.rows_total,
    rowsDone: r.rows_done,
    report: r.report,
    results: r.results,
    error: r.error,
  };
}

/**
 * Ledger import jobs in the `imports` table (migration Imports1765200000000): created queued with the file and its dry
 * run's report, marked running, advanced row by row with each row's result, ended done or failed. A start finds the
 * jobs left queued or running and resumes them.
 */
export class ImportsRepository {
  constructor(private readonly dataSource: DataSource) {}

    /**
   * Stores a new job, queued, unless a job of the same file content is already queued or running (two commits of one
   * file sent at once: the unique index `imports_one_in_flight_per_file`).
   * @returns true when stored, false when another job of the file is in flight (find it with {@link findByContent})
   */
  async create(job: { id: string; fileName: string; fileSha256: string; file: Buffer; createdBy: { id: string; department: string }; rowsTotal: number; report: unknown }): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO "imports" ("id", "status", "file_name", "file_sha256", "file", "created_by", "rows_total", "report") VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("file_sha256") WHERE "status" IN ('queued', 'running') DO NOTHING RETURNING "id"`,
      [job.id, job.fileName, job.fileSha256, job.file, JSON.stringify(job.createdBy), job.rowsTotal, JSON.stringify(job.report)],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The job, or null. */
  async find(id: string): Promise<ImportJob | null> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM "imports" WHERE "id" = $1`, [id])) as ImportRow[];
    return rows[0] ? jobOf(rows[0]) : null;
  }

  /** The job's status and progress, or null: a read of the row's small columns, never of its report or results. */
  async progress(id: string): Promise<ImportJobProgress | null> {
    const rows = (await this.dataSource.query(
      `SELECT "id", "status", "rows_total", "rows_done", "error", "updated_at" FROM "imports" WHERE "id" = $1`,
      [id],
    )) as Array<Pick<ImportRow, 'id' | 'status' | 'rows_total' | 'rows_done' | 'error' | 'updated_at'>>;
    const r = rows[0];
    return r ? { id: r.id, status: r.status, rowsTotal: r.rows_total, rowsDone: r.rows_done, error: r.error, updatedAt: r.updated_at } : null;
  }

  /** The latest job of a file with this content hash that did not fail, or null. */
  async findByContent(fileSha256: string): Promise<ImportJob | null> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM "imports" WHERE "file_sha256" = $1 AND "status" <> 'failed' ORDER BY "created_at" DESC LIMIT 1`, [
      fileSha256,
    ])) as ImportRow[];
    return rows[0] ? jobOf(rows[0]) : null;
  }

  /** Ids of the jobs a start must resume: queued or running, oldest first. */
  async unfinished(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT "id" FROM "imports" WHERE "status" IN ('queued', 'running') ORDER BY "created_at"`)) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Marks the job running. */
  async markRunning(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE "imports" SET "status" = 'running', "updated_at" = now() WHERE "id" = $1`, [id]);
  }

  /** Records the result of the job's next row: `rowsDone` rows are tried, `results` their results. */
  async recordProgress(id: string, rowsDone: number, results: unknown[]): Promise<void> {
    await this.dataSource.query(`UPDATE "imports" SET "rows_done" = $2, "results" = $3, "updated_at" = now() WHERE "id" = $1`, [id, rowsDone, JSON.stringify(results)]);
  }

  /** Ends the job: done, or failed with the error. */
  async finish(id: string, status: 'done' | 'failed', error: string | null = null): Promise<void> {
    await this.dataSource.query(`UPDATE "imports" SET "status" = $2, "error" = $3, "updated_at" = now() WHERE "id" = $1`, [id, status, error]);
  }
}
