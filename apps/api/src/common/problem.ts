import { HttpException, HttpStatus } from '@nestjs/common';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { CalendarError, CalendarErrorCode } from '../../../../libs/calendar/index.js';
import { DOMAIN_ERROR_CODES, DomainError, DomainErrorCode } from '../../../../libs/domain/index.js';

/** An RFC 9457 problem document, with our stable `code`, the request path and a correlation id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  /** For validation problems: one entry per invalid field. */
  errors?: Array<{ field: string; message: string }>;
  /** For AUTH.FORBIDDEN: the policy rule that refused (apps/api/src/auth/policy.ts), e.g. `step.act:own_department`. */
  rule?: string;
  /** For DEPENDENCY.UNAVAILABLE: what did not answer (`database`, `temporal`, `worker`), when it is known. */
  dependency?: DependencyName;
  /** For DEPENDENCY.UNAVAILABLE from a health check: each dependency's state (`{ status: "up" | "down", … }`). */
  checks?: Record<string, { status: string }>;
}

/** The dependencies a request can wait on: PostgreSQL (the read model), the Temporal frontend, a worker of the task queue. */
export type DependencyName = 'database' | 'temporal' | 'worker';

/** Seconds a client should wait before retrying after a 503 (the `Retry-After` of every 503 the API answers). */
export const RETRY_AFTER_S = 5;

/** How each dependency is named in a problem's detail. */
export const DEPENDENCY_LABEL: Record<DependencyName, string> = {
  database: 'PostgreSQL (the read model)',
  temporal: 'Temporal (the workflow engine)',
  worker: 'the workflow worker',
};

/**
 * The `context` of a class-validator rule the OpenAPI document cannot state (e.g. one field compared with another):
 * a request refused only by such rules matches the document, so it is 422 REQUEST.UNPROCESSABLE rather than 400.
 * Usage: `@SomeRule({ message: '…', context: UNPROCESSABLE_CONTEXT })`.
 */
export const UNPROCESSABLE_CONTEXT = { unprocessable: true } as const;

/** Codes of the API edge (the domain's are in libs/domain/errors.ts). Wire values: never rename. */
export const ApiErrorCode = {
  RequestInvalid: 'REQUEST.INVALID',
  RequestUnprocessable: 'REQUEST.UNPROCESSABLE',
  RequestMalformed: 'REQUEST.MALFORMED',
  RequestTooLarge: 'REQUEST.TOO_LARGE',
  RequestHeadersTooLarge: 'REQUEST.HEADERS_TOO_LARGE',
  RequestTimeout: 'REQUEST.TIMEOUT',
  UnsupportedMediaType: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  RouteNotFound: 'ROUTE.NOT_FOUND',
  MethodNotAllowed: 'ROUTE.METHOD_NOT_ALLOWED',
  Unauthenticated: 'AUTH.UNAUTHENTICATED',
  Forbidden: 'AUTH.FORBIDDEN',
  RateLimited: 'REQUEST.RATE_LIMITED',
  DemoUserUnknown: 'AUTH.DEMO_USER_UNKNOWN',
  IdempotencyKeyInvalid: 'IDEMPOTENCY.KEY_INVALID',
  IdempotencyKeyReused: 'IDEMPOTENCY.KEY_REUSED',
  IdempotencyInProgress: 'IDEMPOTENCY.IN_PROGRESS',
  ServiceUnavailable: 'SERVICE.UNAVAILABLE',
  DependencyUnavailable: 'DEPENDENCY.UNAVAILABLE',
  Internal: 'INTERNAL',
  TrackNotFound: 'TRACK.NOT_FOUND',
  TrackVersionConflict: 'TRACK.VERSION_CONFLICT',
  ImportNotFound: 'IMPORT.NOT_FOUND',
} as const;

const STATUS_OF: Record<string, number> = {
  [DomainErrorCode.ProjectNotFound]: 404,
  [DomainErrorCode.StepNotFound]: 404,
  [DomainErrorCode.ProjectAlreadyExists]: 409,
  [DomainErrorCode.ProjectInvalidCode]: 400,
  [DomainErrorCode.ProjectClosed]: 409,
  [DomainErrorCode.ProjectSuspended]: 409,
  [DomainErrorCode.ProjectInvalidState]: 409,
  [DomainErrorCode.StepInvalidState]: 409,
  [DomainErrorCode.StepNotWaivable]: 409,
  [DomainErrorCode.RuleRefused]: 422,
  [DomainErrorCode.ActorNotAllowed]: 403,
  [DomainErrorCode.ActionInvalid]: 409,
  [DomainErrorCode.DefinitionInvalid]: 400,
  [DomainErrorCode.DefinitionNotFound]: 400,
  // A migration to another version of the track that the project cannot take (the detail names the steps): 422.
  [DomainErrorCode.TrackMigrationRefused]: 422,
  // Calendar and deadline refusals (libs/calendar): all the caller's to fix, each naming its field. The limit and unit
  // are the document's (400); dates that match its YYYY-MM-DD shape but are not real, in order, in the year or in the
  // years the calendar provides are refused by the calendar's rules (422).
  [CalendarErrorCode.InvalidDate]: 422,
  [CalendarErrorCode.InvalidNotice]: 422,
  [CalendarErrorCode.InvalidLimit]: 400,
  [CalendarErrorCode.InvalidUnit]: 400,
  [CalendarErrorCode.InvalidStop]: 422,
  [CalendarErrorCode.YearNotSupported]: 422,
  // 400: the request does not match the OpenAPI document; 422: it does, but a rule refuses it.
  [ApiErrorCode.RequestInvalid]: 400,
  [ApiErrorCode.RequestUnprocessable]: 422,
  [ApiErrorCode.RequestMalformed]: 400,
  [ApiErrorCode.RequestTooLarge]: 413,
  [ApiErrorCode.RequestHeadersTooLarge]: 431,
  [ApiErrorCode.RequestTimeout]: 408,
  [ApiErrorCode.ImportNotFound]: 404,
  [ApiErrorCode.UnsupportedMediaType]: 415,
  [ApiErrorCode.TrackNotFound]: 404,
  // Publishing a version that is not the next of its track, or another definition under a released version.
  [ApiErrorCode.TrackVersionConflict]: 409,
  [ApiErrorCode.RouteNotFound]: 404,
  [ApiErrorCode.MethodNotAllowed]: 405,
  [ApiErrorCode.Unauthenticated]: 401,
  [ApiErrorCode.Forbidden]: 403,
  [ApiErrorCode.RateLimited]: 429,
  [ApiErrorCode.DemoUserUnknown]: 422,
  [ApiErrorCode.IdempotencyKeyInvalid]: 400,
  [ApiErrorCode.IdempotencyKeyReused]: 422,
  [ApiErrorCode.IdempotencyInProgress]: 409,
  [ApiErrorCode.ServiceUnavailable]: 503,
  [ApiErrorCode.DependencyUnavailable]: 503,
  [ApiErrorCode.Internal]: 500,
};

const TITLE_OF: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  431: 'Request header fields too large',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** The `type` URI of a code: stable, one per code. */
export function problemType(code: string): string {
  return `urn:approvals:problem:${code}`;
}

/**
 * An error the API throws on purpose: carries a stable code, a message a person can act on, optionally
 * per-field errors, and response headers the problem needs (e.g. `WWW-Authenticate` on a 401). Its status
 * comes from the code.
 */
export class ApiProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors?: Array<{ field: string; message: string }>,
    readonly headers?: Record<string, string>,
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

/**
 * 503 DEPENDENCY.UNAVAILABLE: a dependency did not answer (refused, reset, or past the request's time budget). The
 * detail names it and when to retry; the answer carries `Retry-After` ({@link RETRY_AFTER_S}). A write that may still
 * take effect says to retry with the same Idempotency-Key, which then answers the eventual result.
 */
export class DependencyUnavailable extends ApiProblem {
  constructor(
    readonly dependency: DependencyName | undefined,
    message: string,
  ) {
    super(ApiErrorCode.DependencyUnavailable, message, undefined, { 'Retry-After': String(RETRY_AFTER_S) });
    this.name = 'DependencyUnavailable';
  }
}

/**
 * Why a dependency did not answer, in words safe to show any caller (no host, port, SQL or driver text): `connection
 * refused (ECONNREFUSED)`, `connection reset`, `connection timed out`, `shutting down`, `deadline exceeded`,
 * `unavailable`, or `error` with the error's code when it has one.
 */
export function shortReason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; driverError?: unknown } | null;
  const inner = (e?.driverError ?? (isGrpcServiceError(e?.cause) ? e?.cause : undefined) ?? e) as { code?: unknown; message?: unknown } | null;
  const code = inner?.code ?? e?.code;
  const message = `${typeof inner?.message === 'string' ? inner.message : ''} ${typeof e?.message === 'string' ? e.message : ''}`;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|connection refused/i.test(message)) return 'connection refused (ECONNREFUSED)';
  if (code === 'ETIMEDOUT' || /timeout exceeded when trying to connect|connection timeout|ETIMEDOUT/i.test(message)) return 'connection timed out';
  if (code === 'ECONNRESET' || /ECONNRESET|Connection terminated|Connection dropped/i.test(message)) return 'connection reset';
  if (code === '57P01' || code === '57P03' || /shutting down|starting up/i.test(message)) return 'shutting down';
  if (code === 4 || /deadline/i.test(message)) return 'deadline exceeded';
  if (code === 14 || /UNAVAILABLE|Failed to connect/i.test(message)) return 'unavailable';
  return typeof code === 'string' && /^[A-Z0-9_]{2,16}$/.test(code) ? `error ${code}` : 'error';
}

/**
 * The problem document of an error code: its HTTP status (the code's own, else `status`, else 500), the status's
 * title, the `detail` a person can act on, and the field errors when given.
 */
export function problemOf(code: string, detail: string, status = STATUS_OF[code] ?? 500, errors?: ProblemDetails['errors']): ProblemDetails {
  return {
    type: problemType(code),
    title: TITLE_OF[status] ?? HttpStatus[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

/**
 * Turns any error into a problem document. Domain and calendar codes and Temporal refusals keep their reason
 * (a calendar refusal also names its field in `errors`); an unreachable Temporal or database becomes 503;
 * anything unknown becomes a generic 500 with no internals.
 * @returns the problem and whether it is a server-side failure (5xx) that should be logged
 */
export function toProblem(err: unknown): ProblemDetails {
  if (err instanceof DependencyUnavailable) return { ...problemOf(err.code, err.message), ...(err.dependency ? { dependency: err.dependency } : {}) };
  if (err instanceof ApiProblem) return { ...problemOf(err.code, err.message, undefined, err.errors), ...(err.rule ? { rule: err.rule } : {}) };
  if (err instanceof DomainError) return problemOf(err.code, err.message);
  if (err instanceof CalendarError) return problemOf(err.code, err.message, undefined, [{ field: err.field, message: err.message }]);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type && DOMAIN_ERROR_CODES.includes(cause.type)) return problemOf(cause.type, cause.message);
    return problemOf(ApiErrorCode.Internal, 'the workflow failed to apply the action');
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return problemOf(DomainErrorCode.ProjectAlreadyExists, `a project with workflow id ${err.workflowId} is already registered`);
  }
  if (err instanceof WorkflowNotFoundError) return problemOf(DomainErrorCode.ProjectNotFound, `no project ${err.workflowId.replace(/^project:/, '')}`);
  const down = (dependency: DependencyName, detail: string): ProblemDetails => ({ ...problemOf(ApiErrorCode.DependencyUnavailable, detail), dependency });
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return down('temporal', `${DEPENDENCY_LABEL.temporal} did not answer the action in time; retry in ${RETRY_AFTER_S} s with the same Idempotency-Key`);
  }
  if (isTemporalUnavailable(err)) return down('temporal', `${DEPENDENCY_LABEL.temporal} is unreachable (${shortReason(err)}); retry in ${RETRY_AFTER_S} s`);
  if (isDatabaseUnavailable(err)) return down('database', `${DEPENDENCY_LABEL.database} is unreachable (${shortReason(err)}); retry in ${RETRY_AFTER_S} s`);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    // Nest hands body-parser's errors over as HttpExceptions whose cause keeps the parser's type (and the body's text).
    const cause = err.cause as { type?: unknown; body?: unknown } | undefined;
    if (cause?.type === 'entity.parse.failed') return problemOf(ApiErrorCode.RequestMalformed, unparsableBodyDetail(cause.body), 400);
    if (cause?.type === 'entity.too.large') return problemOf(ApiErrorCode.RequestTooLarge, JSON_BODY_TOO_LARGE, 413);
    // The body parser's verify hook refused the bytes (not UTF-8: common/request-shape.guard.ts refuseInvalidUtf8).
    if (cause?.type === 'entity.verify.failed') return problemOf(ApiErrorCode.RequestMalformed, err.message, 400);
    if (status === 404) return problemOf(ApiErrorCode.RouteNotFound, err.message, 404);
    if (status === 429) return problemOf(ApiErrorCode.RateLimited, 'too many requests from this caller; wait for the time in Retry-After and retry', 429);
    if (status === 503) return healthProblem(err.getResponse());
    const code = status === 413 ? ApiErrorCode.RequestTooLarge : status >= 500 ? ApiErrorCode.Internal : ApiErrorCode.RequestInvalid;
    return problemOf(code, status >= 500 ? 'internal error' : err.message, status);
  }
  const httpLike = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown };
  const status = typeof httpLike?.status === 'number' ? httpLike.status : typeof httpLike?.statusCode === 'number' ? httpLike.statusCode : undefined;
  if (status === 413) return problemOf(ApiErrorCode.RequestTooLarge, JSON_BODY_TOO_LARGE, 413);
  if (status === 400 && httpLike.type === 'entity.parse.failed') return problemOf(ApiErrorCode.RequestMalformed, unparsableBodyDetail((err as { body?: unknown }).body), 400);
  if (status !== undefined && status >= 400 && status < 500 && httpLike.expose) return problemOf(ApiErrorCode.RequestMalformed, (err as Error).message, status);
  return problemOf(ApiErrorCode.Internal, 'an internal error occurred; it has been logged with the correlation id', 500);
}

/** The refusal of a JSON body over the API's limit (apps/api/src/bootstrap.ts: `json({ limit: '1mb' })`). */
const JSON_BODY_TOO_LARGE = 'the request body is larger than the limit of 1 MB';

/**
 * Why the JSON body parser refused a body (it takes only an object or an array at the top): JSON that is not an object
 * (`null`, a number, a string) is named as such; anything else is not JSON.
 * @param body the body's text as the parser kept it (undefined when it kept none)
 */
export function unparsableBodyDetail(body: unknown): string {
  if (typeof body === 'string') {
    try {
      const value: unknown = JSON.parse(body);
      const kind = value === null ? 'null' : typeof value;
      return `the request body must be a JSON object; it is JSON ${kind}`;
    } catch {
      // not JSON at all
    }
  }
  return 'the request body is not valid JSON';
}

/**
 * The health check's refusal (@nestjs/terminus answers 503 with `{ error, details }`): DEPENDENCY.UNAVAILABLE naming each
 * dependency that is down and why, with every dependency's state under `checks`.
 */
function healthProblem(response: unknown): ProblemDetails {
  const body = (response ?? {}) as { error?: Record<string, { message?: unknown }>; details?: Record<string, { status: string }> };
  const failed = Object.entries(body.error ?? {}).map(([name, state]) => {
    const label = DEPENDENCY_LABEL[name as DependencyName] ?? name;
    return typeof state?.message === 'string' ? `${label} is down (${state.message})` : `${label} is down`;
  });
  const detail = failed.length > 0 ? `not ready: ${failed.join('; ')}; retry in ${RETRY_AFTER_S} s` : `a dependency is unreachable; retry in ${RETRY_AFTER_S} s`;
  const names = Object.keys(body.error ?? {});
  return {
    ...problemOf(ApiErrorCode.DependencyUnavailable, detail),
    ...(names.length === 1 && names[0]! in DEPENDENCY_LABEL ? { dependency: names[0] as DependencyName } : {}),
    ...(body.details ? { checks: body.details } : {}),
  };
}

/** Temporal's frontend cannot be reached (gRPC UNAVAILABLE / DEADLINE_EXCEEDED, or a failed connect). */
export function isTemporalUnavailable(err: unknown): boolean {
  const grpc = err instanceof ServiceError ? err.cause : err;
  if (isGrpcServiceError(grpc)) return grpc.code === 14 || grpc.code === 4;
  const msg = err instanceof Error ? err.message : '';
  return err instanceof ServiceError || /Failed to connect|ECONNREFUSED.*7233|transport error|Connection dropped/i.test(msg);
}

/** PostgreSQL cannot be reached (refused connection, terminated connection, pool timeout). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown };
  if (err instanceof QueryFailedError) {
    const driver = err.driverError as { code?: string; message?: string } | undefined;
    const code = driver?.code ?? '';
    if (code.startsWith('08') || code === '57P01' || code === '57P03') return true;
    return driver !== undefined && driver !== err && isDatabaseUnavailable(driver);
  }
  const msg = typeof e?.message === 'string' ? e.message : '';
  return (
    e?.code === 'ECONNREFUSED' ||
    e?.code === 'ECONNRESET' ||
    /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(msg)
  );
}
