import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DEPARTMENT_KEYS, isDepartmentKey, type Actor, type DepartmentKey } from '../../../../libs/domain/index.js';
import { ApiErrorCode, ApiProblem } from './problem.js';

const ACTOR_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * Reads who is acting from the request — the one place that does, until authentication replaces it:
 * `X-Actor` (an officer id, 1–64 of letters, digits, `._@-`) and `X-Actor-Department` (a department key).
 * @throws ApiProblem ACTOR.MISSING when `X-Actor` is absent (unless optional), ACTOR.INVALID when malformed
 */
export function readActor(req: Request, optional = false): Actor | null {
  const id = header(req, 'x-actor');
  const department = header(req, 'x-actor-department');
  if (id === undefined) {
    if (optional) return null;
    throw new ApiProblem(ApiErrorCode.ActorMissing, 'name the acting officer in the X-Actor header (and the department in X-Actor-Department)');
  }
  if (!ACTOR_ID.test(id)) throw new ApiProblem(ApiErrorCode.ActorInvalid, 'X-Actor must be 1–64 letters, digits or ._@- characters');
  if (department !== undefined && !isDepartmentKey(department)) {
    throw new ApiProblem(ApiErrorCode.ActorInvalid, `X-Actor-Department '${department}' is not a department; use one of: ${DEPARTMENT_KEYS.join(', ')}`);
  }
  return { id, department: department ?? null };
}

/**
 * The department named by `X-Actor-Department`, with or without `X-Actor` (a work queue needs only it).
 * @throws ApiProblem ACTOR.INVALID when it is not a department key
 */
export function readDepartment(req: Request): DepartmentKey | null {
  const department = header(req, 'x-actor-department');
  if (department === undefined) return null;
  if (!isDepartmentKey(department)) {
    throw new ApiProblem(ApiErrorCode.ActorInvalid, `X-Actor-Department '${department}' is not a department; use one of: ${DEPARTMENT_KEYS.join(', ')}`);
  }
  return department;
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** The acting officer (required): see {@link readActor}. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => readActor(ctx.switchToHttp().getRequest<Request>())!);
