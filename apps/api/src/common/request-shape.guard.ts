import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { isUtf8 } from 'node:buffer';
import { ApiErrorCode, ApiProblem } from './problem.js';

/** Deepest JSON nesting a request body may have; our bodies are flat, so this is generous. */
const MAX_DEPTH = 8;

/**
 * Refuses, before validation, what no field of this API accepts and what would hurt further down:
 * a NUL character in any text (PostgreSQL cannot store it in text, so it would block the project's
 * read-model writes), a lone UTF-16 surrogate (`"\ud800"` escaped in JSON: no character, it would be stored as U+FFFD),
 * a member named `__proto__` (JSON.parse keeps it as a field, but class-transformer drops it before the validation pipe
 * could refuse it as unknown, so it is refused here with the pipe's words), JSON nested deeper than {@link MAX_DEPTH}, and
 * a write whose body is not `application/json` (415). Bytes that are not UTF-8 never get here: {@link refuseInvalidUtf8}.
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
    // The ledger import (POST /imports) takes its file as multipart/form-data; every other write is JSON.
    const upload = req.method === 'POST' && /^\/api\/v1\/imports\/?(\?|$)/.test(req.url) && /^multipart\/form-data\b/i.test(String(req.headers['content-type'] ?? ''));
    if (hasBody && !upload && !/^application\/([\w.+-]+\+)?json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      throw new ApiProblem(ApiErrorCode.UnsupportedMediaType, `send the body as application/json (got ${String(req.headers['content-type'] ?? 'no Content-Type')})`);
    }
    const problem = inspect(req.body, 0, '');
    if (problem) throw new ApiProblem(ApiErrorCode.RequestInvalid, problem.message, problem.field ? [{ field: problem.field, message: problem.message }] : undefined);
    return true;
  }
}

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong in a body's value at `path` (`''` for the body itself, else `field` or `field.sub`), or null. */
function inspect(value: unknown, depth: number, path: string): { message: string; field?: string } | null {
  const where = path === '' ? 'body' : path;
  if (typeof value === 'string') {
    const field = path === '' ? undefined : path;
    if (value.includes('\u0000')) return { message: `${where} contains a NUL character (\\u0000); remove it`, field };
    if (LONE_SURROGATE.test(value)) return { message: `${where} contains a lone UTF-16 surrogate (e.g. \\ud800), which is no character; send the text as UTF-8`, field };
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return { message: `${where} is nested more than ${MAX_DEPTH} levels deep` };
  for (const [k, v] of Object.entries(value)) {
    const field = path === '' ? k : `${path}.${k}`;
    if (k === '__proto__') return { message: `${field} is not a known field`, field };
    const found = inspect(k, depth + 1, where) ?? inspect(v, depth + 1, field);
    if (found) return found;
  }
  return null;
}

/**
 * The body parser's `verify` hook: refuses a body whose bytes are not UTF-8 (RFC 8259 §8.1: JSON exchanged between
 * systems is UTF-8), which the parser would otherwise decode with U+FFFD in place of each bad byte and store.
 * @throws an HTTP error of status 400, type `entity.verify.failed`, that the problem filter answers as REQUEST.MALFORMED
 */
export function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) {
    throw Object.assign(new Error('the request body is not valid UTF-8; send JSON encoded as UTF-8'), { status: 400, expose: true, type: 'entity.verify.failed' });
  }
}
