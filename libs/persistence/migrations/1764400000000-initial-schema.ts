import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read model, audit trail and idempotency records of the foundation. */
export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "projects" (
        "code" varchar(24) NOT NULL,
        "name" text NOT NULL,
        "track" varchar(32) NOT NULL,
        "definition_version" int NOT NULL,
        "district" varchar(64) NOT NULL,
        "investor" text,
        "investment_yuan" numeric(20,2),
        "signed_at" date NOT NULL,
        "registered_at" timestamptz NOT NULL,
        "registered_by" varchar(64) NOT NULL,
        "status" varchar(16) NOT NULL,
        "stage" varchar(64) NOT NULL,
        "version" int NOT NULL,
        "last_progress_at" timestamptz NOT NULL,
        "suspended_at" timestamptz,
        "closed_at" timestamptz,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "PK_projects" PRIMARY KEY ("code")
      )`);
    await q.query(`CREATE INDEX "ix_projects_stage" ON "projects" ("stage")`);
    await q.query(`CREATE INDEX "ix_projects_track" ON "projects" ("track")`);
    await q.query(`CREATE INDEX "ix_projects_district" ON "projects" ("district")`);
    await q.query(`CREATE INDEX "ix_projects_status" ON "projects" ("status")`);

    await q.query(`
      CREATE TABLE "project_steps" (
        "project_code" varchar(24) NOT NULL,
        "step_key" varchar(64) NOT NULL,
        "position" int NOT NULL,
        "name" text NOT NULL,
        "name_zh" text NOT NULL,
        "stage" varchar(64) NOT NULL,
        "department" varchar(32) NOT NULL,
        "depends_on" text array NOT NULL,
        "limit_value" int NOT NULL,
        "limit_unit" varchar(16) NOT NULL,
        "limit_source" text NOT NULL,
        "limit_confidence" varchar(8) NOT NULL,
        "state" varchar(32) NOT NULL,
        "assignee" varchar(64),
        "ready_at" timestamptz,
        "accepted_at" timestamptz,
        "decided_at" timestamptz,
        "actor" varchar(64),
        "comment" text,
        "waiver_due_on" date,
        "clock_stops" jsonb NOT NULL,
        "available_actions" text array NOT NULL,
        "version" int NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "PK_project_steps" PRIMARY KEY ("project_code", "step_key"),
        CONSTRAINT "fk_project_steps_project" FOREIGN KEY ("project_code") REFERENCES "projects"("code") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await q.query(`CREATE INDEX "ix_project_steps_department_state" ON "project_steps" ("department", "state")`);

    await q.query(`
      CREATE TABLE "timeline_entries" (
        "project_code" varchar(24) NOT NULL,
        "seq" int NOT NULL,
        "at" timestamptz NOT NULL,
        "type" varchar(64) NOT NULL,
        "step_key" varchar(64),
        "actor" varchar(64),
        "actor_department" varchar(32),
        "comment" text,
        "data" jsonb NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_timeline_entries" PRIMARY KEY ("project_code", "seq")
      )`);
    await q.query(`CREATE INDEX "ix_timeline_entries_at" ON "timeline_entries" ("at")`);

    await q.query(`
      CREATE TABLE "idempotency_records" (
        "key" varchar(255) NOT NULL,
        "fingerprint" varchar(64) NOT NULL,
        "state" varchar(16) NOT NULL,
        "response_status" int,
        "response_body" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_idempotency_records" PRIMARY KEY ("key")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "idempotency_records"`);
    await q.query(`DROP TABLE "timeline_entries"`);
    await q.query(`DROP TABLE "project_steps"`);
    await q.query(`DROP TABLE "projects"`);
  }
}
