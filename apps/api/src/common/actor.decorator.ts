import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import type { Actor } from '../../../../libs/domain/index.js';
import type { AuthenticatedRequest } from '../auth/authentication.js';
import { ApiErrorCode, ApiProblem } from './problem.js';

/**
 * Who is acting — the one place that reads it: the user the AuthGuard verified from the bearer token
 * (`sub`, `name`, `roles`, `department`). The X-Actor headers of the first releases are gone.
 * @throws ApiProblem AUTH.UNAUTHENTICATED (401) when no verified user is on the request (a route not guarded)
 */
export function readUser(req: AuthenticatedRequest): AuthenticatedUser {
  if (!req.user) {
    throw new ApiProblem(ApiErrorCode.Unauthenticated, 'this endpoint needs a bearer token: send Authorization: Bearer <token>', undefined, {
      'WWW-Authenticate': 'Bearer realm="approvals"',
    });
  }
  return req.user;
}

/** The actor the timeline records for `user`: its token subject and department, and its roles (the extension rule needs them). */
export function actorOf(user: AuthenticatedUser): Actor {
  return { id: user.id, department: user.department, roles: [...user.roles] };
}

/** The authenticated user (see {@link readUser}). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedUser => readUser(ctx.switchToHttp().getRequest<AuthenticatedRequest>()));
