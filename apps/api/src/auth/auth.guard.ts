import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { requireUser, type AuthenticatedRequest } from './authentication.js';
import { IS_PUBLIC } from './public.decorator.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.js';
import { inSpan } from '../../../../libs/observability/tracing.js';

/**
 * Global guard: every route but those marked {@link Public} needs a valid bearer token; the verified user is
 * left on `req.user` for {@link CurrentUser}. Authorization (who may do what) is decided later by policy.ts.
 * @throws ApiProblem AUTH.UNAUTHENTICATED (401, with WWW-Authenticate: Bearer)
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    await inSpan('authentication', () => requireUser(ctx.switchToHttp().getRequest<AuthenticatedRequest>(), this.verifier));
    return true;
  }
}
