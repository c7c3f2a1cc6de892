import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-year working-day calendars loaded by an administrator (`PUT /calendar/{year}`): a State Council
 * General Office holiday notice that replaces the built-in data of its year (libs/calendar `OFFICIAL_YEARS`)
 * or the provisional year computed from the national holiday rules. One row per year; a new load replaces it.
 */
export class CalendarYears1764600000000 implements MigrationInterface {
  name = 'CalendarYears1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "calendar_years" (
        "year" int NOT NULL,
        "holidays" date array NOT NULL,
        "make_up_workdays" date array NOT NULL,
        "source" text NOT NULL,
        "loaded_by" varchar(64) NOT NULL,
        "loaded_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_calendar_years" PRIMARY KEY ("year"),
        CONSTRAINT "ck_calendar_years_year" CHECK ("year" BETWEEN 1949 AND 2199)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "calendar_years"`);
  }
}
