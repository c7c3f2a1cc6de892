import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The summary's counters per desk: `supervision_counts` gains the key column `desk` ('' for the count over all
 * projects, as every row stored so far; a department for the count over the projects with an open step on its desk,
 * the row's `open_departments`), so the summary filtered by a department is a sum of counter rows, not a scan of the
 * projects and their steps. Filled here for the rows already stored, with the definitions of the write path
 * (supervision-counters.ts counterCellsOf).
 */
export class DeskCounts1765250000000 implements MigrationInterface {
  name = 'DeskCounts1765250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "supervision_counts" ADD COLUMN "desk" varchar(64) NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "supervision_counts" DROP CONSTRAINT "PK_supervision_counts"`);
    await q.query(`ALTER TABLE "supervision_counts" ADD CONSTRAINT "PK_supervision_counts"
      PRIMARY KEY ("facet", "key", "desk", "district", "stage", "track", "status", "light", "statutory", "overdue", "at_risk")`);
    for (const sql of DESK_COUNTS_FILL) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "supervision_counts" WHERE "desk" <> ''`);
    await q.query(`ALTER TABLE "supervision_counts" DROP CONSTRAINT "PK_supervision_counts"`);
    await q.query(`ALTER TABLE "supervision_counts" ADD CONSTRAINT "PK_supervision_counts"
      PRIMARY KEY ("facet", "key", "district", "stage", "track", "status", "light", "statutory", "overdue", "at_risk")`);
    await q.query(`ALTER TABLE "supervision_counts" DROP COLUMN "desk"`);
  }
}

const DIMS = `p.district, p.stage, p.track, p.status, p.light, p.statutory_overdue_steps > 0, p.overdue_steps > 0, p.at_risk`;
const RUNNING = `p.status IN ('active', 'suspended')`;
const OPEN = `s.state IN ('ready', 'received', 'in_review', 'supplement_requested')`;
const STATUTORY_OPEN = `s.statutory_overdue AND s.state IN ('in_review', 'supplement_requested')`;
/** Each running project once per department on whose desk it has an open step. */
const PER_DESK = `projects p CROSS JOIN LATERAL unnest(p.open_departments) AS k(desk)`;

/**
 * The desk counters of the rows stored, from scratch (no desk rows yet): the cells of the SupervisionCounts
 * migration's fill, once per desk. Exported for a recount and the benchmark's bulk seed (supervision-counters.ts
 * COUNTS_FILL).
 */
export const DESK_COUNTS_FILL: readonly string[] = [
  `INSERT INTO supervision_counts (facet, key, desk, district, stage, track, status, light, statutory, overdue, at_risk,
       projects, government_projects, government_working_days, statutory_steps)
     SELECT 'project', '', k.desk, ${DIMS}, count(*), count(p.government_working_days), coalesce(sum(p.government_working_days), 0),
            coalesce(sum((SELECT count(*) FROM project_steps s WHERE s.project_code = p.code AND ${STATUTORY_OPEN})), 0)
       FROM ${PER_DESK} WHERE ${RUNNING} GROUP BY k.desk, ${DIMS}`,
  `INSERT INTO supervision_counts (facet, key, desk, district, stage, track, status, light, statutory, overdue, at_risk,
       projects, open_steps, green, yellow, red, no_clock, statutory_steps, statutory_projects)
     SELECT 'department', s.department, k.desk, ${DIMS}, count(DISTINCT p.code), count(*), count(*) FILTER (WHERE s.light = 'green'),
            count(*) FILTER (WHERE s.light = 'yellow'), count(*) FILTER (WHERE s.light = 'red'), count(*) FILTER (WHERE s.light IS NULL),
            count(*) FILTER (WHERE ${STATUTORY_OPEN}), count(DISTINCT p.code) FILTER (WHERE ${STATUTORY_OPEN})
       FROM ${PER_DESK} JOIN project_steps s ON s.project_code = p.code
      WHERE ${RUNNING} AND ${OPEN} GROUP BY k.desk, s.department, ${DIMS}`,
  `INSERT INTO supervision_counts (facet, key, desk, district, stage, track, status, light, statutory, overdue, at_risk, name, name_zh, projects, exceeded)
     SELECT 'promise', e->>'key', k.desk, ${DIMS}, min(e->>'name'), min(e->>'nameZh'), count(*), count(*) FILTER (WHERE coalesce((e->>'exceeded')::boolean, false))
       FROM ${PER_DESK} CROSS JOIN LATERAL jsonb_array_elements(coalesce(p.government_time->'promises', '[]'::jsonb)) e
      WHERE ${RUNNING} GROUP BY k.desk, e->>'key', ${DIMS}`,
];
