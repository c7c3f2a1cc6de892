import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { ApiErrorCode, ApiProblem, problemType, toProblem, type ProblemDetails } from '../../../apps/api/src/common/problem.js';
import { DomainError, DomainErrorCode } from '../../../libs/domain/index.js';

/** A gRPC error as @grpc/grpc-js raises it (what Temporal's client wraps in a ServiceError). */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

/** A pg connection error as Node raises it when nothing listens on the port. */
function connRefused(port = 5432): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    address: '127.0.0.1',
    port,
  });
}

/** Every problem carries the members of RFC 9457 plus the stable code, and its type follows the code. */
function expectWellFormed(p: ProblemDetails): void {
  expect(p).toEqual(
    expect.objectContaining({ type: problemType(p.code), title: expect.stringMatching(/\S/), status: expect.any(Number), detail: expect.stringMatching(/\S/), code: expect.any(String) }),
  );
}

describe('toProblem', () => {
  describe('unreachable dependencies answer 503 DEPENDENCY.UNAVAILABLE naming the dependency', () => {
    it('maps a refused PostgreSQL connection to 503 naming the database', () => {
      const p = toProblem(connRefused());
      expectWellFormed(p);
      expect(p).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable, title: 'Service unavailable', dependency: 'database' });
      expect(p.detail).toBe('PostgreSQL (the read model) is unreachable (connection refused (ECONNREFUSED)); retry in 5 s');
    });

    it('maps a refused connection on both address families (an AggregateError) to 503', () => {
      const err = Object.assign(new AggregateError([connRefused(), connRefused()], ''), { code: 'ECONNREFUSED' });
      expect(toProblem(err)).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable });
    });

    it('maps a pool that cannot get a connection in time to 503, as a timeout (a frozen server accepts the connection but never answers)', () => {
      expect(toProblem(new Error('timeout exceeded when trying to connect'))).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable });
      const p = toProblem(new Error('Connection terminated due to connection timeout'));
      expect(p).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable, dependency: 'database' });
      expect(p.detail).toBe('PostgreSQL (the read model) is unreachable (connection timed out); retry in 5 s');
    });

    it('maps a query failed because the server is shutting down (57P01) to 503', () => {
      const driverError = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      const p = toProblem(new QueryFailedError('SELECT 1', [], driverError));
      expect(p).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable, dependency: 'database' });
      expect(p.detail).toMatch(/PostgreSQL .*shutting down/);
    });

    it('maps a query whose connection dropped mid-way (pg "Connection terminated unexpectedly") to 503', () => {
      const p = toProblem(new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')));
      expect(p).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable });
    });

    it('maps a Temporal ServiceError caused by gRPC UNAVAILABLE to 503 naming the workflow engine', () => {
      const err = new ServiceError('Failed to signal Workflow', { cause: grpcError(14, 'No connection established') });
      const p = toProblem(err);
      expectWellFormed(p);
      expect(p).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable, dependency: 'temporal' });
      expect(p.detail).toMatch(/^Temporal \(the workflow engine\) is unreachable \(unavailable\); retry in 5 s$/);
      expect(p.detail).not.toContain('No connection established');
    });

    it('maps a bare gRPC UNAVAILABLE or DEADLINE_EXCEEDED error to 503', () => {
      expect(toProblem(grpcError(14, 'unavailable'))).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable });
      expect(toProblem(grpcError(4, 'deadline exceeded'))).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable });
    });

    it('maps an Update whose RPC timed out to 503 and says to retry with the same Idempotency-Key', () => {
      const p = toProblem(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out', { cause: grpcError(4, 'deadline') }));
      expect(p).toMatchObject({ status: 503, code: ApiErrorCode.DependencyUnavailable });
      expect(p.detail).toContain('Idempotency-Key');
    });

    it('does not take a gRPC error that is not about reachability (INVALID_ARGUMENT) for an outage', () => {
      const p = toProblem(grpcError(3, 'bad request'));
      expect(p.status).toBe(500);
    });
  });

  describe('unknown failures answer a generic 500', () => {
    it('maps an unknown Error to 500 INTERNAL without leaking its message', () => {
      const p = toProblem(new Error('password authentication failed for user "approvals" at 10.0.0.7'));
      expectWellFormed(p);
      expect(p).toMatchObject({ status: 500, code: ApiErrorCode.Internal, title: 'Internal error' });
      expect(p.detail).not.toMatch(/password|10\.0\.0\.7|approvals/);
      expect(p.detail).toMatch(/correlation id/);
    });

    it('maps a failed query that is not an outage to 500 without the SQL or the driver message', () => {
      const driverError = Object.assign(new Error('duplicate key value violates unique constraint "PK_projects"'), { code: '23505' });
      const p = toProblem(new QueryFailedError('INSERT INTO projects (code) VALUES ($1)', ['x'], driverError));
      expect(p).toMatchObject({ status: 500, code: ApiErrorCode.Internal });
      expect(p.detail).not.toMatch(/INSERT|PK_projects|duplicate/);
    });

    it('maps a thrown non-Error value to 500', () => {
      expect(toProblem('boom')).toMatchObject({ status: 500, code: ApiErrorCode.Internal });
      expect(toProblem(undefined)).toMatchObject({ status: 500, code: ApiErrorCode.Internal });
    });

    it('maps a 5xx HttpException to 500 with a generic detail', () => {
      const p = toProblem(new HttpException('stack: at Foo.bar (/app/x.js:1)', 500));
      expect(p).toMatchObject({ status: 500, code: ApiErrorCode.Internal });
      expect(p.detail).not.toContain('Foo.bar');
    });

    it('maps an Update the workflow failed for a reason other than a domain refusal to 500', () => {
      const err = new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'x')" }));
      const p = toProblem(err);
      expect(p).toMatchObject({ status: 500, code: ApiErrorCode.Internal });
      expect(p.detail).not.toContain('reading');
    });
  });

  describe('refusals keep their reason', () => {
    it.each([
      [DomainErrorCode.StepInvalidState, 409],
      [DomainErrorCode.StepNotFound, 404],
      [DomainErrorCode.ProjectNotFound, 404],
      [DomainErrorCode.ProjectClosed, 409],
      [DomainErrorCode.ProjectSuspended, 409],
      [DomainErrorCode.ProjectAlreadyExists, 409],
      [DomainErrorCode.ProjectInvalidCode, 400],
    ])('maps the domain code %s to %i with its message as detail', (code, status) => {
      const p = toProblem(new DomainError(code, `reason for ${code}`));
      expectWellFormed(p);
      expect(p).toMatchObject({ status, code, detail: `reason for ${code}` });
    });

    it("maps an Update refused by the workflow's validator to the domain code and the validator's reason", () => {
      const reason = "cannot approve step 'land_title' (不动产权证): it is blocked until land_contract is approved or waived";
      const err = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: DomainErrorCode.StepInvalidState, message: reason, nonRetryable: true }));
      expect(toProblem(err)).toMatchObject({ status: 409, code: DomainErrorCode.StepInvalidState, detail: reason });
    });

    it('maps a workflow that already exists to 409 PROJECT.ALREADY_EXISTS and a missing one to 404 PROJECT.NOT_FOUND', () => {
      expect(toProblem(new WorkflowExecutionAlreadyStartedError('exists', 'project:2022-330602-39-03-000101', 'projectWorkflow'))).toMatchObject({
        status: 409,
        code: DomainErrorCode.ProjectAlreadyExists,
      });
      const missing = toProblem(new WorkflowNotFoundError('not found', 'project:2022-330602-39-03-000102', undefined));
      expect(missing).toMatchObject({ status: 404, code: DomainErrorCode.ProjectNotFound });
      expect(missing.detail).toContain('2022-330602-39-03-000102');
      expect(missing.detail).not.toContain('project:');
    });

    it('keeps the field errors of a validation problem', () => {
      const errors = [{ field: 'comment', message: 'comment must be text; return, waive and reject need one' }];
      const p = toProblem(new ApiProblem(ApiErrorCode.RequestInvalid, errors[0]!.message, errors));
      expect(p).toMatchObject({ status: 400, code: ApiErrorCode.RequestInvalid, errors });
    });

    it.each([
      [ApiErrorCode.Unauthenticated, 401],
      [ApiErrorCode.Forbidden, 403],
      [ApiErrorCode.RateLimited, 429],
      [ApiErrorCode.IdempotencyKeyReused, 422],
      [ApiErrorCode.IdempotencyInProgress, 409],
    ])('maps the API code %s to %i', (code, status) => {
      expect(toProblem(new ApiProblem(code, 'why'))).toMatchObject({ status, code, detail: 'why' });
    });
  });

  describe('errors of the HTTP layer', () => {
    it('maps a body that is not valid JSON (as Nest hands it over) to 400 REQUEST.MALFORMED', () => {
      // Nest's Express adapter turns body-parser's SyntaxError into a BadRequestException with the original as cause.
      const parseError = Object.assign(new SyntaxError("Expected ',' or '}' after property value in JSON at position 20"), {
        status: 400,
        statusCode: 400,
        expose: true,
        type: 'entity.parse.failed',
      });
      const p = toProblem(new BadRequestException(parseError.message, { cause: parseError }));
      expect(p).toMatchObject({ status: 400, code: ApiErrorCode.RequestMalformed });
      expect(p.detail).toMatch(/not valid JSON/);
    });

    it('maps a body-parser error that reaches it unwrapped to 400 REQUEST.MALFORMED', () => {
      const parseError = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400, expose: true, type: 'entity.parse.failed' });
      expect(toProblem(parseError)).toMatchObject({ status: 400, code: ApiErrorCode.RequestMalformed });
    });

    it('maps a body over the limit to 413 REQUEST.TOO_LARGE', () => {
      expect(toProblem(new PayloadTooLargeException('request entity too large'))).toMatchObject({ status: 413, code: ApiErrorCode.RequestTooLarge });
    });

    it('maps an unknown route to 404 ROUTE.NOT_FOUND', () => {
      expect(toProblem(new NotFoundException('Cannot GET /api/v1/nowhere'))).toMatchObject({ status: 404, code: ApiErrorCode.RouteNotFound });
    });
  });
});
