import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ReplayedProblem } from './idempotency.interceptor.js';
import { ApiErrorCode, ApiProblem, RETRY_AFTER_S, toProblem } from './problem.js';

/**
 * The one exception filter: every error leaves as `application/problem+json` (RFC 9457) with a stable
 * `code`, the request path and its correlation id. Server-side failures are logged (an unavailable dependency as a
 * warning naming it); their bodies carry
 * no stack trace, SQL or internal message. Every 503 carries `Retry-After`.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: unknown }>();
    const res = http.getResponse<Response>();
    if (exception instanceof ReplayedProblem) {
      res.status(exception.status).type('application/problem+json').send(JSON.stringify(exception.body));
      return;
    }
    const problem = toProblem(exception);
    problem.instance = req.originalUrl ?? req.url;
    if (req.id !== undefined) problem.correlationId = String(req.id);
    // A dependency that does not answer is an outage to watch, not a defect: one warning line naming it, no stack. A
    // health probe's "not ready" is its answer, asked every few seconds while the API starts or rebuilds its read model
    // (which log their own progress): a debug line, so the console does not fill with probes.
    if (problem.code === ApiErrorCode.DependencyUnavailable && isHealthProbe(req)) this.logger.debug({ dependency: problem.dependency, correlationId: problem.correlationId }, problem.detail);
    else if (problem.code === ApiErrorCode.DependencyUnavailable) this.logger.warn({ dependency: problem.dependency, correlationId: problem.correlationId }, problem.detail);
    else if (problem.status >= 500) this.logger.error({ err: exception, correlationId: problem.correlationId }, problem.detail);
    if (res.headersSent) return;
    if (exception instanceof ApiProblem && exception.headers) for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    // Every 503 says when to come back (RFC 9110 §10.2.3), whichever error produced it.
    if (problem.status === 503 && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', String(RETRY_AFTER_S));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/** Whether the request is one of the health probes (`GET /api/v1/health`, `/health/live`, `/health/ready`). */
function isHealthProbe(req: Request): boolean {
  return /^\/api\/v1\/health(\/|$|\?)/.test(req.originalUrl ?? req.url);
}
