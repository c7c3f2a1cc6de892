import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { CORRELATION_HEADER } from '../../../../libs/temporal/correlation.contract.js';

export { CORRELATION_HEADER };

/** The request being served, per asynchronous context (bound by {@link bindRequestContext}). */
const current = new AsyncLocalStorage<Request & { id?: unknown }>();

/**
 * Express middleware: runs the rest of the request in its own asynchronous context, so that calls made on its behalf
 * (the Temporal client's) find its correlation id. The id is read when it is needed: pino-http assigns it after this.
 */
export function bindRequestContext(req: Request, _res: Response, next: NextFunction): void {
  current.run(req, next);
}

/** The correlation id of the request being served, or undefined outside a request. */
export function currentCorrelationId(): string | undefined {
  const id = current.getStore()?.id;
  return id === undefined ? undefined : String(id);
}

/** Headers with the current request's correlation id added (unchanged outside a request). */
function withCorrelation<T extends { headers: Record<string, unknown> }>(input: T): T {
  const id = currentCorrelationId();
  return id === undefined ? input : { ...input, headers: { ...input.headers, [CORRELATION_HEADER]: defaultPayloadConverter.toPayload(id) } };
}

/**
 * The Temporal client interceptor that sends the request's correlation id as the {@link CORRELATION_HEADER} header on
 * every workflow start, Update and signal the API makes (both the start's and the Update's of an Update-with-Start).
 */
export function correlationInterceptor(): WorkflowClientInterceptor {
  return {
    start: (input, next) => next(withCorrelation(input)),
    startUpdateWithStart: (input, next) =>
      next({
        ...input,
        workflowStartHeaders: withCorrelation({ headers: input.workflowStartHeaders }).headers,
        updateHeaders: withCorrelation({ headers: input.updateHeaders }).headers,
      }),
    startWithDetails: (input, next) => next(withCorrelation(input)),
    startUpdate: (input, next) => next(withCorrelation(input)),
    signal: (input, next) => next(withCorrelation(input)),
  };
}
