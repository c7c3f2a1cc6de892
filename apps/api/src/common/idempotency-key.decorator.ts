import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IdempotencyKey } from '../../../../libs/temporal/project.contract.js';
import type { RequestWithIdempotencyKey } from './idempotency.interceptor.js';

/**
 * The idempotency key of a write, as the IdempotencyInterceptor set it (from the `Idempotency-Key` header, else a
 * fresh UUID; a fresh UUID too on a route without the interceptor). The service hands it to the workflow, which
 * answers a repeat with the first result. Not the correlation id (`X-Request-Id`), which only logs and problems carry.
 */
export const IdempotencyKeyParam = createParamDecorator((_data: unknown, ctx: ExecutionContext): IdempotencyKey => {
  const req = ctx.switchToHttp().getRequest<RequestWithIdempotencyKey>();
  req.idempotencyKey ??= randomUUID();
  return req.idempotencyKey;
});
