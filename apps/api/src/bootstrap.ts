import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { ApiErrorCode, ApiProblem } from './common/problem.js';
import { ProblemFilter } from './common/problem.filter.js';
import { RequestShapeGuard } from './common/request-shape.guard.js';

/** Base path of the public contract (DESIGN.md §5). */
export const API_PREFIX = 'api/v1';

/** Field errors of class-validator, flattened to `{ field, message }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/**
 * Applies what every instance of the API needs: base path, body limit, validation (unknown fields are
 * refused), problem+json errors, OpenAPI at /docs, and shutdown hooks.
 */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.use(json({ limit: '1mb' }));
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true, // one message per field
      exceptionFactory: (errors) => {
        const fields = flattenValidationErrors(errors).map((f) =>
          f.message.startsWith('property ') ? { field: f.field, message: `${f.field} is not a known field` } : f,
        );
        return new ApiProblem(ApiErrorCode.RequestInvalid, fields.map((f) => f.message).join('; '), fields);
      },
    }),
  );
  app.useGlobalGuards(new RequestShapeGuard());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Major-project approvals')
      .setDescription(
        'Event-driven workflow engine for major-project approvals: projects, approval steps, timelines and work queues. ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`.',
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { useGlobalPrefix: false, jsonDocumentUrl: 'docs/openapi.json' });
}

/** Creates the configured API application (not yet listening). */
export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(), { bufferLogs: true, bodyParser: false, abortOnError: false });
  configureApp(app);
  return app;
}
