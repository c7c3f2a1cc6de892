import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IdempotencyRepository } from '../../../../libs/persistence/index.js';
import type { IdempotencyKey } from '../../../../libs/temporal/project.contract.js';
import type { AuthenticatedRequest } from '../auth/authentication.js';
import { ApiErrorCode, ApiProblem, toProblem } from './problem.js';
import { inSpan } from '../../../../libs/observability/tracing.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** A request with the idempotency key the workflow deduplicates its Update by: derived from the Idempotency-Key, else fresh. */
export type RequestWithIdempotencyKey = Request & { idempotencyKey?: IdempotencyKey };

/**
 * `Idempotency-Key` on writes: the first request with a key runs and its response (success or a 4xx
 * refusal) is stored; a repeat of the same request answers the stored response with no second effect;
 * the same key on a different request is refused (422); a repeat while the first still runs is 409.
 * Keys are scoped to the caller (the token's `sub`). The scoped key, hashed, is also the idempotency key the
 * workflow deduplicates by, so even a request re-run after a crash has one effect. A request answered 503 by its time
 * budget (common/request-budget.interceptor.ts) keeps running here: its eventual answer is stored, so a retry with the
 * key gets that answer (409 IN_PROGRESS while it still runs, with `Retry-After`: the seconds until its claim can be taken
 * over), never a second action.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly records: IdempotencyRepository) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<RequestWithIdempotencyKey>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const raw = req.headers['idempotency-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (key === undefined) {
      req.idempotencyKey = randomUUID();
      return next.handle();
    }
    // The status the route answers on success (Nest sets it before interceptors run), read now: once the claim below
    // waits on PostgreSQL, the request's time budget may answer 503 meanwhile, and the response's status is then that
    // 503, which must never be stored as the action's own.
    const successStatus = res.statusCode;
    return from(this.run(key, req, res, next, successStatus));
  }

  private async run(key: string, req: RequestWithIdempotencyKey, res: Response, next: CallHandler, successStatus: number): Promise<unknown> {
    if (!KEY_PATTERN.test(key)) throw new ApiProblem(ApiErrorCode.IdempotencyKeyInvalid, 'Idempotency-Key must be 1–200 printable ASCII characters');
    const actor = (req as AuthenticatedRequest).user?.id ?? '';
    const scoped = `${actor}\u0000${key}`;
    const stored = createHash('sha256').update(scoped).digest('hex');
    const fingerprint = createHash('sha256').update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    req.idempotencyKey = `idem:${stored.slice(0, 32)}`;

    const begun = await inSpan('idempotency: begin', () => this.records.begin(stored, fingerprint));
    if (begun.kind === 'mismatch') {
      throw new ApiProblem(ApiErrorCode.IdempotencyKeyReused, 'this Idempotency-Key was already used for a different request; use a new key');
    }
    if (begun.kind === 'in_progress') {
      const seconds = retryAfterSeconds(begun.retryAfterMs);
      throw new ApiProblem(
        ApiErrorCode.IdempotencyInProgress,
        `a request with this Idempotency-Key is still running (or its server stopped while it ran); retry in ${seconds} s with the same key, which then answers its result or runs it again`,
        undefined,
        { 'Retry-After': String(seconds) },
      );
    }
    if (begun.kind === 'completed') {
      res.setHeader('Idempotent-Replayed', 'true');
      if (begun.status >= 400) {
        res.status(begun.status).type('application/problem+json');
        throw new ReplayedProblem(begun.status, begun.body);
      }
      res.status(begun.status);
      return begun.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: null });
      await inSpan('idempotency: complete', () => this.records.complete(stored, res.headersSent ? successStatus : res.statusCode, body));
      return body;
    } catch (err) {
      const problem = toProblem(err);
      // A request that never started (refused by validation or authorization, or a holiday notice refused by the
      // calendar's checks of its dates before anything is stored) keeps no result: the corrected request may reuse the
      // key. Outcomes of the action itself (404, 409…) are kept, as is any success.
      const neverStarted = /^(REQUEST|AUTH|IDEMPOTENCY)\./.test(problem.code) || problem.code === 'CALENDAR.INVALID_NOTICE';
      if (problem.status >= 500 || neverStarted) await this.records.release(stored).catch(() => undefined);
      else await this.records.complete(stored, problem.status, { ...problem, instance: req.originalUrl });
      throw err;
    }
  }
}

/**
 * The `Retry-After` of a 409 IDEMPOTENCY.IN_PROGRESS: whole seconds until the key's claim can be taken over (the claim of
 * a request whose server was killed lasts IdempotencyRepository's `staleAfterMs`, 30 s), rounded up and at least 1.
 * @param remainingMs milliseconds until the claim is stale (≥ 0)
 */
export function retryAfterSeconds(remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 1000));
}

/** A stored refusal answered again; the filter writes it as it was. */
export class ReplayedProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('replayed problem');
  }
}
