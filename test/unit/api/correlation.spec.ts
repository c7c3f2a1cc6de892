import { describe, expect, it } from '@jest/globals';
import type { WorkflowStartUpdateInput } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { NextFunction, Request, Response } from 'express';
import { bindRequestContext, CORRELATION_HEADER, correlationInterceptor, currentCorrelationId } from '../../../apps/api/src/temporal/correlation.js';

/** Runs `fn` as the rest of a request with correlation id `id` (as bound by the API's middleware). */
function inRequest<T>(id: string | undefined, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const next: NextFunction = () => void fn().then(resolve, reject);
    bindRequestContext({ id } as unknown as Request, {} as Response, next);
  });
}

const update = (headers: Record<string, unknown> = {}): WorkflowStartUpdateInput =>
  ({ updateName: 'stepAction', args: [], workflowExecution: { workflowId: 'project:2025-330602-39-03-000101' }, headers, options: {} }) as unknown as WorkflowStartUpdateInput;

describe('correlationInterceptor', () => {
  it("sends the request's correlation id as a header of an Update, keeping the other headers", async () => {
    let sent: WorkflowStartUpdateInput | undefined;
    const other = defaultPayloadConverter.toPayload('x');
    await inRequest('req-42', () => correlationInterceptor().startUpdate!(update({ other }), async (input) => ((sent = input), {}) as never));
    expect(defaultPayloadConverter.fromPayload(sent!.headers[CORRELATION_HEADER]!)).toBe('req-42');
    expect(sent!.headers.other).toBe(other);
  });

  it('reads the id when the call is made, after the logger assigned it, and keeps requests apart', async () => {
    const req = {} as Request & { id?: string };
    const ids = await Promise.all([
      new Promise<string | undefined>((resolve) =>
        bindRequestContext(req, {} as Response, () => {
          req.id = 'assigned-later';
          setTimeout(() => resolve(currentCorrelationId()), 5);
        }),
      ),
      inRequest('other-request', async () => currentCorrelationId()),
    ]);
    expect(ids).toEqual(['assigned-later', 'other-request']);
  });

  it('adds nothing outside a request (a script, a start-up check)', async () => {
    let sent: WorkflowStartUpdateInput | undefined;
    await correlationInterceptor().startUpdate!(update(), async (input) => ((sent = input), {}) as never);
    expect(sent!.headers).toEqual({});
  });
});
