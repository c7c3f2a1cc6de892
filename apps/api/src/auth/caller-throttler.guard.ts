import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { authenticate, type AuthenticatedRequest } from './authentication.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.js';

/**
 * Rate limit per caller: the verified token subject when the request carries a valid token, else the client IP
 * (so a flood of bad tokens is limited per address, and random `sub`s in unverified tokens buy nothing).
 * Limits: RATE_LIMIT_LIMIT requests per RATE_LIMIT_TTL_MS. A refusal is 429 REQUEST.RATE_LIMITED with Retry-After.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AuthenticatedRequest;
    const result = await authenticate(request, this.verifier);
    return result.ok ? `sub:${result.user.id}` : `ip:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}`;
  }

  /** Refuses with our own problem (the library's exception is a class of its own copy of @nestjs/common under jest). */
  protected override async throwThrottlingException(_ctx: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new ApiProblem(
      ApiErrorCode.RateLimited,
      `too many requests from this caller: at most ${detail.limit} per ${Math.round(detail.ttl / 1000)} s; retry after ${detail.timeToBlockExpire} s`,
      undefined,
      { 'Retry-After': String(detail.timeToBlockExpire) },
    );
  }
}
