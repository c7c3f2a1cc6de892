import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiErrorCode, ApiProblem } from './problem.js';

/** Deepest JSON nesting a request body may have; our bodies are flat, so this is generous. */
const MAX_DEPTH = 8;

/**
 * Refuses, before validation, what no field of this API accepts and what would hurt further down:
 * a NUL character in any text (PostgreSQL cannot store it in text, so it would block the project's
 * read-model writes), JSON nested deeper than {@link MAX_DEPTH}, and a write whose body is not
 * `application/json` (415).
 * @throws ApiProblem REQUEST.INVALID (400) or REQUEST.UNSUPPORTED_MEDIA_TYPE (415)
 */
@Injectable()
export class RequestShapeGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    if (req.url.includes('%00') || req.url.includes('\u0000')) {
      throw new ApiProblem(ApiErrorCode.RequestInvalid, 'the query contains a NUL character (%00); remove it');
    }
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(req.method) && Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !/^application\/([\w.+-]+\+)?json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      throw new ApiProblem(ApiErrorCode.UnsupportedMediaType, `send the body as application/json (got ${String(req.headers['content-type'] ?? 'no Content-Type')})`);
    }
    const problem = inspect(req.body, 0, 'body');
    if (problem) throw new ApiProblem(ApiErrorCode.RequestInvalid, problem);
    return true;
  }
}

function inspect(value: unknown, depth: number, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? `${path} contains a NUL character (\\u0000); remove it` : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return `${path} is nested more than ${MAX_DEPTH} levels deep`;
  for (const [k, v] of Object.entries(value)) {
    const found = inspect(k, depth + 1, path) ?? inspect(v, depth + 1, `${path}.${k}`);
    if (found) return found;
  }
  return null;
}
