import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import { json } from 'express';
import helmet from 'helmet';
import { splitList, type AppConfig } from '../../../libs/config/app-config.js';
import { ConfigService } from '@nestjs/config';
import { Logger } from './common/logger.module.js';
import { AppModule } from './app.module.js';
import { ApiErrorCode, ApiProblem } from './common/problem.js';
import { ProblemFilter } from './common/problem.filter.js';
import { refuseInvalidUtf8 } from './common/request-shape.guard.js';
import { RequestBudgetInterceptor } from './common/request-budget.interceptor.js';
import { DependencyProbe } from './health/dependency-probe.js';
import { metricsEndpoint, requestMetrics } from './metrics/metrics.middleware.js';
import { MetricsService } from './metrics/metrics.service.js';
import { bindRequestContext } from './temporal/correlation.js';
import { traceRequests } from './tracing/http-tracing.js';
import { activeTracing } from '../../../libs/observability/tracing.js';
import { ProblemDto } from './common/problem.dto.js';
import { methodNotAllowed } from './common/method-not-allowed.js';
import { answerClientErrorsAsProblems } from './common/client-error.js';
import { refineOpenApiDocument } from './common/openapi.js';
import { serveWorkbench } from './web/serve-web.js';

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

/** The provider `token` of the application, or null when no module provides it (e.g. the controller test tier). */
function optionalProvider<T>(app: INestApplication, token: abstract new (...args: never[]) => T): T | null {
  try {
    return app.get(token, { strict: false });
  } catch {
    return null;
  }
}

/** The origin (scheme, host, port) of a URL setting, or null when unset. */
function originOf(url: string | undefined): string | null {
  return url ? new URL(url).origin : null;
}

/** True when every failed rule is one the OpenAPI document cannot state (context UNPROCESSABLE_CONTEXT of common/problem.ts). */
export function onlyUnprocessable(errors: ValidationError[]): boolean {
  const failed = (e: ValidationError): boolean[] => [
    ...Object.keys(e.constraints ?? {}).map((name) => (e.contexts?.[name] as { unprocessable?: boolean } | undefined)?.unprocessable === true),
    ...(e.children ?? []).flatMap(failed),
  ];
  const all = errors.flatMap(failed);
  return all.length > 0 && all.every(Boolean);
}

/**
 * Applies what every instance of the API needs: security headers (helmet), CORS for CORS_ORIGINS only, base path,
 * body limit, validation (unknown fields are refused), problem+json errors, OpenAPI at /docs (with bearer auth),
 * and shutdown hooks. Authentication, authorization and the rate limit are global guards of AppModule.
 */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  // Requests Node's parser refuses (e.g. headers over 16 KB) are answered as problem+json too, not with a bare status line.
  answerClientErrorsAsProblems(app.getHttpServer());
  const config = app.get(ConfigService<AppConfig, true>);
  // Swagger UI at /docs needs inline styles and scripts of its own origin; the API answers JSON only. The
  // workbench's OIDC sign-in reads the provider's discovery document and token endpoint from the browser.
  const oidcOrigin = originOf(config.get('OIDC_ISSUER', { infer: true }));
  const connectSrc = ["'self'", ...(oidcOrigin ? [oidcOrigin] : [])];
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'validator.swagger.io'], 'connect-src': connectSrc },
      },
    }),
  );
  // Every request timed for Prometheus; GET /metrics for operators (METRICS_TOKEN, else loopback only).
  const metrics = optionalProvider(app, MetricsService) ?? new MetricsService();
  app.use(requestMetrics(metrics));
  // With tracing on (OTEL_* settings, libs/observability/tracing.ts), each API request is a span, the parent of its Temporal calls'.
  const tracing = activeTracing();
  if (tracing) app.use(traceRequests(tracing.tracer));
  app.use(bindRequestContext); // the request's correlation id for the Temporal calls made on its behalf
  app.use(metricsEndpoint(metrics, config.get('METRICS_TOKEN', { infer: true })));
  const origins = splitList(config.get('CORS_ORIGINS', { infer: true }));
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'POST', 'PUT'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed', 'Retry-After', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
  // 405 for methods the document does not list on a path; the document is built once the routes exist (below).
  const served: { doc?: OpenAPIObject } = {};
  app.use(methodNotAllowed(() => served.doc));
  // The raw bytes are kept: inbound events are signed over them (POST /events).
  app.use(
    json({
      limit: '1mb',
      verify: (req, res, body) => {
        refuseInvalidUtf8(req, res, body);
        (req as { rawBody?: Buffer }).rawBody = body;
      },
    }),
  );
  serveWorkbench(app, config.get('WEB_DIST_DIR', { infer: true }));
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
        const code = onlyUnprocessable(errors) ? ApiErrorCode.RequestUnprocessable : ApiErrorCode.RequestInvalid;
        return new ApiProblem(code, fields.map((f) => f.message).join('; '), fields);
      },
    }),
  );
  app.useGlobalFilters(new ProblemFilter());
  // Outermost interceptor: the request's time budget, around the Idempotency-Key interceptor of writes.
  app.useGlobalInterceptors(new RequestBudgetInterceptor(config.get('REQUEST_TIMEOUT_MS', { infer: true }), optionalProvider(app, DependencyProbe)));
  app.enableShutdownHooks();

  served.doc = openApiDocument(app);
  SwaggerModule.setup('docs', app, served.doc, { useGlobalPrefix: false, jsonDocumentUrl: 'docs/openapi.json' });
}

/**
 * The OpenAPI 3 document of the public contract (DESIGN.md §5), built from the controllers' decorators and refined
 * by common/openapi.ts: the bearer scheme is required by every operation but the public ones (`@Public()`, which
 * documents `security: []`); errors are `application/problem+json` (ProblemDto) with every status an operation can
 * answer. Served at /docs/openapi.json; `scripts/export-openapi.ts` writes it to apps/web/openapi.json, which the
 * web client's types are generated from (test/e2e/openapi.e2e.spec.ts keeps the two equal).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Major-project approvals')
      .setDescription(
        'Event-driven workflow engine for major-project approvals: projects, approval steps, timelines and work queues. ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`: 400 when a request does not match this document ' +
          '(`errors` names each field), 422 when it does but a rule refuses it.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'npm run token -- --role officer --department natural_resources' }, 'bearer')
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ProblemDto] },
  );
  return refineOpenApiDocument(doc);
}

/** Creates the configured API application (not yet listening). */
export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(), { bufferLogs: true, bodyParser: false, abortOnError: false });
  configureApp(app);
  return app;
}
