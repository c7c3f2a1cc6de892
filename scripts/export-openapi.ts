/*
 * Writes the API's OpenAPI document to a file (default apps/web/openapi.json) without a database or Temporal:
 * the application is created in Nest's preview mode, where modules are scanned but no provider is instantiated.
 * The web client's types (apps/web/src/api/schema.d.ts) are generated from this file.
 * Usage: node dist/scripts/export-openapi.js [out.json]
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../apps/api/src/app.module.js';
import { API_PREFIX, openApiDocument } from '../apps/api/src/bootstrap.js';
import { projectRoot } from '../libs/temporal/binaries.js';

async function main(): Promise<void> {
  process.env.JWT_SECRET ??= 'openapi-export-only-not-a-real-secret';
  process.env.DATABASE_URL ??= 'postgres://unused@127.0.0.1:1/unused';
  const app = await NestFactory.create(AppModule.forRoot(), { preview: true, logger: false, abortOnError: false });
  app.setGlobalPrefix(API_PREFIX);
  const doc = openApiDocument(app);
  const out = path.resolve(process.argv[2] ?? path.join(projectRoot(), 'apps/web/openapi.json'));
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`OpenAPI document written to ${path.relative(process.cwd(), out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`export-openapi failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
