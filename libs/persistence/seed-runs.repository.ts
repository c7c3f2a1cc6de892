import type { DataSource } from 'typeorm';

/** A run of a seed as recorded in `seed_runs`. */
export interface SeedRun {
  name: string;
  startedAt: Date;
  /** Projects seeded whole so far (in seed order). */
  projectsDone: number;
  projectsTotal: number;
  /** When the seed finished every project; null while it has not. */
  completedAt: Date | null;
}

interface SeedRunRow {
  name: string;
  started_at: Date;
  projects_done: number;
  projects_total: number;
  completed_at: Date | null;
}

/**
 * Whether a seed (e.g. the demo district, `demo-2022`) began, how far it got, and whether it completed, in the
 * `seed_runs` table (migration SeedRuns1765050000000). The start reads it to resume a seed that stopped part-way
 * and to leave a completed one alone.
 */
export class SeedRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The run of seed `name`, or null when it never began. */
  async find(name: string): Promise<SeedRun | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM "seed_runs" WHERE "name" = $1`, [name])) as SeedRunRow[];
    const row = rows[0];
    return row
      ? { name: row.name, startedAt: row.started_at, projectsDone: row.projects_done, projectsTotal: row.projects_total, completedAt: row.completed_at }
      : null;
  }

  /** Records that seed `name` began (keeps the first start time and progress when it began before). */
  async markStarted(name: string, projectsTotal: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "seed_runs" ("name", "started_at", "projects_total") VALUES ($1, now(), $2)
       ON CONFLICT ("name") DO UPDATE SET "projects_total" = EXCLUDED."projects_total"`,
      [name, projectsTotal],
    );
  }

  /** Records that the first `projectsDone` projects of seed `name` are seeded whole. */
  async recordProgress(name: string, projectsDone: number): Promise<void> {
    await this.dataSource.query(`UPDATE "seed_runs" SET "projects_done" = GREATEST("projects_done", $2) WHERE "name" = $1`, [name, projectsDone]);
  }

  /** Records that seed `name` completed. */
  async markCompleted(name: string): Promise<void> {
    await this.dataSource.query(`UPDATE "seed_runs" SET "projects_done" = "projects_total", "completed_at" = now() WHERE "name" = $1`, [name]);
  }
}
