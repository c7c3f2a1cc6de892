import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RequestWithId } from './idempotency.interceptor.js';

/** The workflow request id of a write: set by the IdempotencyInterceptor (from the key, or fresh). */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<RequestWithId>();
  req.requestId ??= randomUUID();
  return req.requestId;
});
