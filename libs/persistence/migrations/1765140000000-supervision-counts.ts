import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The summary's counters (libs/persistence/supervision-counters.ts): one row per facet (the project itself, a
 * department's desk, a government-time promise), key and filter dimensions, moved by every write of a project row in
 * its transaction. Filled here from the rows already stored, with the same definitions; a TRUNCATE of the projects
 * empties them. Rows deleted one by one outside the write path must be recounted
 * (SupervisionRepository.recountSummary).
 */
export class SupervisionCounts1765140000000 implements MigrationInterface {
  name = 'SupervisionCounts1765140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "supervision_counts" (
      "facet" varchar(16) NOT NULL,
      "key" varchar(64) NOT NULL,
      "district" varchar(64) NOT NULL,
      "stage" varchar(64) NOT NULL,
      "track" varchar(32) NOT NULL,
      "status" varchar(16) NOT NULL,
      "light" varchar(8) NOT NULL,
      "statutory" boolean NOT NULL,
      "overdue" boolean NOT NULL,
      "at_risk" boolean NOT NULL,
      "name" text,
      "name_zh" text,
      "projects" int NOT NULL DEFAULT 0,
      "government_projects" int NOT NULL DEFAULT 0,
      "government_working_days" bigint NOT NULL DEFAULT 0,
      "open_steps" int NOT NULL DEFAULT 0,
      "green" int NOT NULL DEFAULT 0,
      "yellow" int NOT NULL DEFAULT 0,
      "red" int NOT NULL DEFAULT 0,
      "no_clock" int NOT NULL DEFAULT 0,
      "statutory_steps" int NOT NULL DEFAULT 0,
      "statutory_projects" int NOT NULL DEFAULT 0,
      "exceeded" int NOT NULL DEFAULT 0,
      CONSTRAINT "PK_supervision_counts" PRIMARY KEY ("facet", "key", "district", "stage", "track", "status", "light", "statutory", "overdue", "at_risk")
    )`);
    for (const sql of SUPERVISION_COUNTS_FILL) await q.query(sql);
    // Emptying the projects empties what they counted (a rebuild of the read model starts from zero).
    await q.query(`CREATE FUNCTION "supervision_counts_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM supervision_counts; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "tr_projects_truncate_counts" AFTER TRUNCATE ON "projects" FOR EACH STATEMENT EXECUTE FUNCTION "supervision_counts_truncate"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "tr_projects_truncate_counts" ON "projects"`);
    await q.query(`DROP FUNCTION "supervision_counts_truncate"()`);
    await q.query(`DROP TABLE "supervision_counts"`);
  }
}

const DIMS = `p.district, p.stage, p.track, p.status, p.light, p.statutory_overdue_steps > 0, p.overdue_steps > 0, p.at_risk`;
const RUNNING = `p.status IN ('active', 'suspended')`;
const OPEN = `s.state IN ('ready', 'received', 'in_review', 'supplement_requested')`;
const STATUTORY_OPEN = `s.statutory_overdue AND s.state IN ('in_review', 'supplement_requested')`;

/**
 * The counters of the rows stored, from scratch (into an empty table): the same cells as `counterCellsOf` gives.
 * Exported for the benchmark's bulk seed, which writes rows without the write path.
 */
export const SUPERVISION_COUNTS_FILL: readonly string[] = [
  `INSERT INTO supervision_counts (facet, key, district, stage, track, status, light, statutory, overdue, at_risk,
       projects, government_projects, government_working_days, statutory_steps)
     SELECT 'project', '', ${DIMS}, count(*), count(p.government_working_days), coalesce(sum(p.government_working_days), 0),
            coalesce(sum((SELECT count(*) FROM project_steps s WHERE s.project_code = p.code AND ${STATUTORY_OPEN})), 0)
       FROM projects p WHERE ${RUNNING} GROUP BY ${DIMS}`,
  `INSERT INTO supervision_counts (facet, key, district, stage, track, status, light, statutory, overdue, at_risk,
       projects, open_steps, green, yellow, red, no_clock, statutory_steps, statutory_projects)
     SELECT 'department', s.department, ${DIMS}, count(DISTINCT p.code), count(*), count(*) FILTER (WHERE s.light = 'green'),
            count(*) FILTER (WHERE s.light = 'yellow'), count(*) FILTER (WHERE s.light = 'red'), count(*) FILTER (WHERE s.light IS NULL),
            count(*) FILTER (WHERE ${STATUTORY_OPEN}), count(DISTINCT p.code) FILTER (WHERE ${STATUTORY_OPEN})
       FROM projects p JOIN project_steps s ON s.project_code = p.code
      WHERE ${RUNNING} AND ${OPEN} GROUP BY s.department, ${DIMS}`,
  `INSERT INTO supervision_counts (facet, key, district, stage, track, status, light, statutory, overdue, at_risk, name, name_zh, projects, exceeded)
     SELECT 'promise', e->>'key', ${DIMS}, min(e->>'name'), min(e->>'nameZh'), count(*), count(*) FILTER (WHERE coalesce((e->>'exceeded')::boolean, false))
       FROM projects p CROSS JOIN LATERAL jsonb_array_elements(coalesce(p.government_time->'promises', '[]'::jsonb)) e
      WHERE ${RUNNING} GROUP BY e->>'key', ${DIMS}`,
];
