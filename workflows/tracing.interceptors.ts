import { context, trace, type Context } from '@opentelemetry/api';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  SignalInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { CORRELATION_ID_ATTRIBUTE } from '../libs/observability/attributes.js';
import { CORRELATION_HEADER } from '../libs/temporal/correlation.contract.js';

/*
 * Traces through the workflow, bundled only when the worker traces (apps/worker/worker.ts): the spans of
 * `@temporalio/interceptors-opentelemetry` (RunWorkflow, HandleUpdate, ValidateUpdate, HandleSignal, StartActivity),
 * each continuing the trace of the client call in its header, exported through the worker's `exporter` sink (not
 * while replaying). The project workflow's main loop, not the Update handler, writes the read model and plans the
 * clocks; so that an officer's action is one trace down to those activities, an activity scheduled while a message
 * is being handled belongs to that message's span (as the correlation id does, ./correlation.interceptors.ts).
 * Spans and their ids are made in the sandbox from its seeded randomness and no command changes: replay-safe, and the
 * interceptors' own SDK flags keep their yield points as in the history being replayed.
 */

/** The span context of the message (Update, signal) being handled, while it is; undefined between messages. */
let messageContext: Context | undefined;

/** The correlation id a header holds, or undefined. */
function correlationIdOf(headers: Headers): string | undefined {
  const payload = headers[CORRELATION_HEADER];
  if (payload === undefined) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Puts the message's correlation id on the span the OpenTelemetry interceptor just opened for it. */
function markSpan(headers: Headers): void {
  const id = correlationIdOf(headers);
  if (id !== undefined) trace.getActiveSpan()?.setAttribute(CORRELATION_ID_ATTRIBUTE, id);
}

/** Runs a message's handler with its span as the one activities scheduled meanwhile belong to. */
async function asMessage<T>(headers: Headers, run: () => Promise<T>): Promise<T> {
  markSpan(headers);
  const before = messageContext;
  const mine = context.active();
  messageContext = mine;
  try {
    return await run();
  } finally {
    // A later message that is still being handled keeps its own.
    if (messageContext === mine) messageContext = before;
  }
}

/** Inside the OpenTelemetry inbound interceptor: its span is the active one here. */
class MessageSpanInbound implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    markSpan(input.headers);
    return next(input);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return asMessage(input.headers, () => next(input));
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    markSpan(input.headers);
    next(input);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return asMessage(input.headers, () => next(input));
  }
}

/** Around the OpenTelemetry outbound interceptor: an activity scheduled during a message starts in that message's span. */
class MessageSpanOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return messageContext === undefined ? next(input) : context.with(messageContext, () => next(input));
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    return messageContext === undefined ? next(input) : context.with(messageContext, () => next(input));
  }
}

/** The workflow interceptors of a tracing worker (`interceptors.workflowModules` / `workflowInterceptorModules`). */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor(), new MessageSpanInbound()],
  outbound: [new MessageSpanOutbound(), new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
