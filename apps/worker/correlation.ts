import { defaultPayloadConverter } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';
import { AsyncLocalStorage } from 'node:async_hooks';
import { CORRELATION_HEADER } from '../../libs/temporal/correlation.contract.js';

/** The correlation id of the activity being run, per asynchronous context. */
const activityCorrelation = new AsyncLocalStorage<string>();

/** The correlation id of the request on whose behalf the running activity was scheduled, or undefined. */
export function activityCorrelationId(): string | undefined {
  return activityCorrelation.getStore();
}

/**
 * Activity interceptors: each activity's log lines carry `projectCode` (from the workflow id `project:<code>`) and the
 * `correlationId` of the HTTP request on whose behalf the workflow scheduled it (the {@link CORRELATION_HEADER} header
 * the workflow interceptors pass on), so one request can be followed from the API's log to the worker's; the activity
 * itself reads it with {@link activityCorrelationId}.
 */
export function correlationActivityInterceptors(ctx: Context): ActivityInterceptors {
  let correlationId: string | undefined;
  const workflowId = ctx.info.workflowExecution?.workflowId ?? '';
  const projectCode = workflowId.startsWith('project:') ? workflowId.slice('project:'.length) : undefined;
  return {
    inbound: {
      execute: (input, next) => {
        const header = input.headers[CORRELATION_HEADER];
        if (header) {
          const value: unknown = defaultPayloadConverter.fromPayload(header);
          if (typeof value === 'string') correlationId = value;
        }
        return correlationId === undefined ? next(input) : activityCorrelation.run(correlationId, () => next(input));
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) =>
        next({ ...attributes, ...(projectCode ? { projectCode } : {}), ...(correlationId ? { correlationId } : {}) }),
    },
  };
}
