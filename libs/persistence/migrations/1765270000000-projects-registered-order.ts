import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /projects` lists newest registration first (then by project code): this index is that order, so a page is a
 * walk that stops at its last row, filters and all, instead of a sort of every project the filters keep.
 */
export class ProjectsRegisteredOrder1765270000000 implements MigrationInterface {
  name = 'ProjectsRegisteredOrder1765270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_projects_registered" ON "projects" ("registered_at" DESC, "code" ASC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_projects_registered"`);
  }
}
