import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiParam, ApiResponse, DECORATORS, getSchemaPath, type OpenAPIObject, type SchemaObject } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto.js';

/*
 * Helpers that keep the OpenAPI document (served at /docs/openapi.json, the web client's source) exact: the problem
 * responses of each operation, the public operations' empty security, the shared parameters, and the conditional
 * requirements of request bodies that decorators on properties cannot say.
 */

/** The media type of every error (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** What each status means across the API, for the problem responses that are not described per operation. */
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request does not match this document: REQUEST.INVALID naming each field in `errors` (an unknown field or query parameter, a wrong type, a value out of range, a field the action needs), REQUEST.MALFORMED for a body that is not JSON',
  401: 'No valid bearer token: AUTH.UNAUTHENTICATED, with WWW-Authenticate: Bearer',
  403: 'Refused by the authorization policy: AUTH.FORBIDDEN, `rule` naming the policy rule',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The body is larger than 1 MB: REQUEST.TOO_LARGE',
  415: 'The body is not application/json: REQUEST.UNSUPPORTED_MEDIA_TYPE',
  422: 'The request matches this document but a rule refuses it; `errors` names the field',
  429: 'Too many requests from this caller: REQUEST.RATE_LIMITED; retry after Retry-After seconds',
  503:
    'A dependency is unreachable or did not answer within the request’s time budget: DEPENDENCY.UNAVAILABLE naming it in `dependency` (database, temporal, worker), or SERVICE.UNAVAILABLE (the identity provider); retry after the seconds in Retry-After (a write with the same Idempotency-Key, which then answers its result)',
};

/** Headers some problems carry. */
const PROBLEM_HEADERS: Record<number, Record<string, { description: string; schema: SchemaObject }>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer realm="approvals" (RFC 6750), with error="invalid_token" when a token was sent', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string', pattern: '^\\d+$' } } },
};

/** A problem response: a status, or a status with what it means for this operation. */
export type ProblemSpec = number | { status: number; description: string };

/**
 * Documents problem responses (`application/problem+json`, schema {@link ProblemDto}) on an operation or, on a
 * controller, on each of its operations. A bare status gets the API-wide meaning (PROBLEM_DESCRIPTIONS).
 * Example: `@ApiProblems(400, 401, 403, { status: 404, description: 'No project with this code (PROJECT.NOT_FOUND)' })`.
 */
export function ApiProblems(...specs: ProblemSpec[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...specs.map((spec) => {
      const status = typeof spec === 'number' ? spec : spec.status;
      const description = typeof spec === 'number' ? (PROBLEM_DESCRIPTIONS[status] ?? 'Problem') : spec.description;
      return ApiResponse({
        status,
        description,
        ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      });
    }),
  );
}

/** The problems every operation behind the bearer token can answer: bad query or header, no token, policy, rate limit, dependency down. */
export const ApiSecuredProblems = (): MethodDecorator & ClassDecorator => ApiProblems(400, 401, 403, 429, 503);

/** The problems of a write besides the secured ones: a body too large or not JSON. */
export const ApiWriteProblems = (): MethodDecorator & ClassDecorator => ApiProblems(413, 415);

/** The 422 of the lists filtered by a due range. */
export const DUE_RANGE_REFUSED: ProblemSpec = { status: 422, description: 'dueTo is before dueFrom: REQUEST.UNPROCESSABLE naming dueTo' };

/** Marks an operation or controller as needing no bearer token in the document (`security: []`, overriding the global requirement). */
export const ApiNoSecurity = (): MethodDecorator & ClassDecorator => SetMetadata(DECORATORS.API_SECURITY, []);

/** Documents the optional `Idempotency-Key` header of a write, with the shape the IdempotencyInterceptor accepts. */
export const ApiIdempotencyKey = (description = 'A repeat with the same key answers the first response and has no second effect'): MethodDecorator =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$', minLength: 1, maxLength: 200, example: 'b1e3c0de-2f4a-4b9e-9c1d-7a5e3f2d1c0b' } });

/**
 * A national project code as the API parses it (libs/domain parseProjectCode): the 24-character format with a year in
 * 1990–2100; another is refused 400 PROJECT.INVALID_CODE.
 */
export const PARSED_PROJECT_CODE = '^(199\\d|20\\d{2}|2100)-\\d{6}-\\d{2}-\\d{2}-\\d{6}$';

/** The `code` path parameter: a national project code (the read model answers 404 for any it does not hold). */
export const ApiProjectCodeParam = (): MethodDecorator =>
  ApiParam({ name: 'code', description: 'National project code, YYYY-RRRRRR-XX-XX-NNNNNN, year 1990–2100', schema: { type: 'string', pattern: PARSED_PROJECT_CODE, example: '2022-330602-39-03-000101' } });

/** The `step` path parameter: a step key of the project's track definition (404 STEP.NOT_FOUND for another). */
export const ApiStepKeyParam = (): MethodDecorator =>
  ApiParam({ name: 'step', description: "A step key of the project's track definition", schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,63}$', example: 'land_use_planning_permit' } });

/** A conditional requirement of a request body: when `property` is one of `values`, `required` must be present (and not null). */
interface Requirement {
  property: string;
  values: readonly string[];
  required: Record<string, SchemaObject>;
}

const requirements = new Map<string, Requirement[]>();

/**
 * Declares on a request DTO that some fields are required for some values of a discriminating property (e.g. a
 * comment for `return`), as the DTO's class-validator rules enforce. {@link refineOpenApiDocument} adds it to the
 * class's schema as `allOf: [{ anyOf: [<property not one of values>, <required present>] }]`, which OpenAPI 3.0 can
 * say and generators of lenient types ignore.
 * @param required field → the schema it must then satisfy (its non-null type)
 */
export function ApiRequiredWhen(property: string, values: readonly string[], required: Record<string, SchemaObject>): ClassDecorator {
  return (target) => {
    const list = requirements.get(target.name) ?? [];
    list.push({ property, values, required });
    requirements.set(target.name, list);
  };
}

/** Names of the component schemas `schema` refers to, directly or through properties, items and compositions. */
function referencedSchemas(schema: unknown, schemas: Record<string, unknown>, found = new Set<string>()): Set<string> {
  if (schema === null || typeof schema !== 'object') return found;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (!found.has(name)) {
      found.add(name);
      referencedSchemas(schemas[name], schemas, found);
    }
    return found;
  }
  for (const value of Object.values(schema)) referencedSchemas(value, schemas, found);
  return found;
}

/**
 * What the decorators cannot say: request bodies (and the objects nested in them) refuse unknown fields, as the
 * ValidationPipe does (`forbidNonWhitelisted`), so their schemas say `additionalProperties: false`; and the
 * {@link ApiRequiredWhen} requirements are added to their schemas. Idempotent.
 * @returns the same document, refined in place
 */
export function refineOpenApiDocument(doc: OpenAPIObject): OpenAPIObject {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const bodies = Object.values(doc.paths).flatMap((item) =>
    Object.values(item as Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>).map((op) => op?.requestBody?.content ?? {}),
  );
  for (const name of referencedSchemas(bodies, schemas)) {
    const schema = schemas[name];
    if (schema?.type === 'object' || schema?.properties) schema.additionalProperties = false;
  }
  for (const [name, list] of requirements) {
    const schema = schemas[name] as SchemaObject | undefined;
    if (!schema) continue;
    schema.allOf = list.map((r) => ({
      anyOf: [
        { properties: { [r.property]: { not: { enum: [...r.values] } } } },
        { required: Object.keys(r.required), properties: r.required },
      ],
    }));
  }
  return doc;
}
