import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { defer, timeout, type Observable } from 'rxjs';
import { DEPENDENCY_LABEL, DependencyUnavailable, RETRY_AFTER_S, type DependencyName } from './problem.js';

/** What the budget asks when it runs out: which dependencies answer (see health/dependency-probe.ts). */
export interface BudgetProbe {
  all(timeoutMs: number): Promise<Array<{ name: DependencyName; up: boolean; message?: string }>>;
}

/** Limit of the probes run when a budget runs out, milliseconds (the answer leaves at most this long after the budget). */
export const EXPIRY_PROBE_MS = 1_000;

/**
 * The server-side time budget of every request (REQUEST_TIMEOUT_MS): a handler that has not answered within
 * `budgetMs` gets 503 DEPENDENCY.UNAVAILABLE with Retry-After instead of keeping the client waiting. The answer names
 * what did not answer, asked at that moment (PostgreSQL and the Temporal frontend, each probed for at most
 * {@link EXPIRY_PROBE_MS}); when both answer, a write was waiting on the workflow worker and a read on its query.
 * The handler itself is not cancelled: a write still running completes, and the Idempotency-Key interceptor (inside
 * this one) stores its eventual answer, which a retry with the same key replays. Streams (`@Res()` handlers) answer
 * at once and are not limited.
 */
@Injectable()
export class RequestBudgetInterceptor implements NestInterceptor {
  constructor(
    private readonly budgetMs: number,
    private readonly probe: BudgetProbe | null,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    return next.handle().pipe(timeout({ first: this.budgetMs, with: () => defer(() => this.expired(req)) }));
  }

  /** The 503 of a request whose budget ran out. */
  private async expired(req: Request): Promise<never> {
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const keyed = typeof req.headers['idempotency-key'] === 'string';
    const retry = write
      ? keyed
        ? `retry in ${RETRY_AFTER_S} s with the same Idempotency-Key to get its result`
        : `it may still take effect: look before repeating it, and send an Idempotency-Key so that a retry answers the result`
      : `retry in ${RETRY_AFTER_S} s`;
    const states = this.probe ? await this.probe.all(EXPIRY_PROBE_MS).catch(() => []) : [];
    const down = states.filter((s) => !s.up);
    const budget = `no answer within the request's budget of ${this.budgetMs} ms`;
    if (down.length > 0) {
      const named = down.map((s) => `${DEPENDENCY_LABEL[s.name]} is not answering (${s.message ?? 'down'})`).join('; ');
      throw new DependencyUnavailable(down[0]!.name, `${named}: ${budget}; ${retry}`);
    }
    if (write && this.probe) {
      throw new DependencyUnavailable('worker', `${DEPENDENCY_LABEL.worker} did not complete the request (PostgreSQL and Temporal answer): ${budget}; ${retry}`);
    }
    throw new DependencyUnavailable(undefined, `${budget}; ${retry}`);
  }
}
