import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
  SignalInput,
} from '@temporalio/workflow';
import { CORRELATION_HEADER } from '../libs/temporal/correlation.contract.js';

/*
 * The correlation id, carried through the workflow: the header of the start, Update or signal being handled is the
 * workflow's current one; activities scheduled meanwhile carry it on, and the workflow's log lines name it. Headers
 * are not part of the commands replay compares, so this changes no history.
 */

/** The correlation id of the message being handled (one value per workflow: the sandbox isolates module state). */
let current: Headers[string] | undefined;

/** Makes `headers`' correlation id the current one while `run` runs (until its first await returns, for a handler). */
async function within<T>(headers: Headers, run: () => Promise<T>): Promise<T> {
  const id = headers[CORRELATION_HEADER];
  if (id === undefined) return run();
  const before = current;
  current = id;
  try {
    return await run();
  } finally {
    current = before;
  }
}

/** Reads the header of each start, Update and signal. */
class CorrelationInbound implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    // The start's id stays current for what the workflow does before its first message.
    current = input.headers[CORRELATION_HEADER] ?? current;
    return next(input);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return within(input.headers, () => next(input));
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return within(input.headers, () => next(input));
  }
}

/** Hands the current id to the activities scheduled and to the workflow's log lines. */
class CorrelationOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return next(current === undefined ? input : { ...input, headers: { ...input.headers, [CORRELATION_HEADER]: current } });
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    return next(current === undefined ? input : { ...input, headers: { ...input.headers, [CORRELATION_HEADER]: current } });
  }

  getLogAttributes(input: Record<string, unknown>, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>): Record<string, unknown> {
    const id = current === undefined ? undefined : correlationIdOf(current);
    return next(id === undefined ? input : { ...input, correlationId: id });
  }
}

/** The correlation id a header payload holds, or undefined when it is not a string. */
function correlationIdOf(payload: Headers[string]): string | undefined {
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The workflow interceptors the worker installs (`interceptors.workflowModules` / `workflowInterceptorModules`). */
export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new CorrelationInbound()], outbound: [new CorrelationOutbound()] });
