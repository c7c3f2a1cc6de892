import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/* The OpenAPI shape of the problem documents ProblemFilter sends (problem.ts `ProblemDetails`, RFC 9457). */

/** One invalid field of a refused request. */
export class FieldErrorDto {
  @ApiProperty({ example: 'comment', description: 'The field, query parameter, path parameter or header, dotted for nested fields (e.g. contractTerms.buildMonths, stop[1])' })
  field!: string;

  @ApiProperty({ example: 'comment must not be blank; return, waive and reject need one, and so do extend, exclude and renew' })
  message!: string;
}

/**
 * Every error of the API, sent as `application/problem+json` (RFC 9457). `code` is stable and machine-readable;
 * `detail` is a sentence a person can act on; validation refusals list each field in `errors`.
 */
export class ProblemDto {
  @ApiProperty({ example: 'urn:approvals:problem:REQUEST.INVALID', description: 'A URN naming the kind of problem: urn:approvals:problem:<code>' })
  type!: string;

  @ApiProperty({ example: 'Bad request', description: 'Short summary of the status' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400, description: 'The HTTP status, repeated' })
  status!: number;

  @ApiProperty({ example: 'comment must not be blank; return, waive and reject need one, and so do extend, exclude and renew', description: 'What went wrong and what to do' })
  detail!: string;

  @ApiProperty({
    example: 'REQUEST.INVALID',
    description:
      'Stable code: REQUEST.* (INVALID, MALFORMED, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, RATE_LIMITED), AUTH.* (UNAUTHENTICATED, FORBIDDEN), ' +
      'IDEMPOTENCY.*, ROUTE.NOT_FOUND, ROUTE.METHOD_NOT_ALLOWED, SERVICE.UNAVAILABLE, DEPENDENCY.UNAVAILABLE, INTERNAL, and the domain and calendar codes (PROJECT.*, STEP.*, RULE.REFUSED, CALENDAR.*…)',
  })
  code!: string;

  @ApiPropertyOptional({ example: '/api/v1/projects/2022-330602-39-03-000101/steps/land_title/actions', description: 'The request path (with its query)' })
  instance?: string;

  @ApiPropertyOptional({ example: '6f1c9a52-3f0e-4d2b-9a51-0b7f3c1d2e4f', description: 'The request id (X-Request-Id), also in the server log' })
  correlationId?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'For refused input: one entry per invalid field' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ example: 'step.act:own_department', description: 'For AUTH.FORBIDDEN: the authorization policy rule that refused' })
  rule?: string;

  @ApiPropertyOptional({
    enum: ['database', 'temporal', 'worker'],
    example: 'database',
    description: 'For DEPENDENCY.UNAVAILABLE: what did not answer — PostgreSQL (database), the Temporal frontend (temporal) or the workflow worker (worker)',
  })
  dependency?: 'database' | 'temporal' | 'worker';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true },
    example: { database: { status: 'down', message: 'connection refused (ECONNREFUSED)', responseTime: 2 }, temporal: { status: 'up', responseTime: 4 } },
    description: 'For DEPENDENCY.UNAVAILABLE from /health and /health/ready: every dependency’s state',
  })
  checks?: Record<string, { status: string }>;
}
