import type { Request } from 'express';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import type { TokenVerifier, VerifyResult } from './token-verifier.js';

/** A request once its bearer token was looked at. */
export type AuthenticatedRequest = Request & { user?: AuthenticatedUser };

const results = new WeakMap<Request, Promise<VerifyResult | { ok: false; reason: string; missing: true }>>();

/**
 * Verifies the request's `Authorization: Bearer <jwt>` once per request (the throttler and the auth guard both
 * ask; the first answer is remembered) and sets `req.user` when it verifies.
 * @returns the verification result; `missing` when no bearer token was sent
 */
export function authenticate(req: AuthenticatedRequest, verifier: TokenVerifier): Promise<VerifyResult | { ok: false; reason: string; missing: true }> {
  let result = results.get(req);
  if (!result) {
    result = (async () => {
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
      if (!match) {
        return header === undefined || header === ''
          ? { ok: false as const, reason: 'this endpoint needs a bearer token: send Authorization: Bearer <token>', missing: true as const }
          : { ok: false as const, reason: 'the Authorization header must be Bearer <token>' };
      }
      const verified = await verifier.verify(match[1]!);
      if (verified.ok) req.user = verified.user;
      return verified;
    })();
    results.set(req, result);
  }
  return result;
}

/**
 * The authenticated user of a request, or the 401 (or 503 when the identity provider is unreachable) that
 * refuses it. 401s carry `WWW-Authenticate: Bearer` (RFC 6750), with `error="invalid_token"` when a token was sent.
 * @throws ApiProblem AUTH.UNAUTHENTICATED (401) or SERVICE.UNAVAILABLE (503)
 */
export async function requireUser(req: AuthenticatedRequest, verifier: TokenVerifier): Promise<AuthenticatedUser> {
  const result = await authenticate(req, verifier);
  if (result.ok) return result.user;
  if ('unavailable' in result && result.unavailable) throw new ApiProblem(ApiErrorCode.ServiceUnavailable, result.reason);
  const challenge =
    'missing' in result
      ? 'Bearer realm="approvals"'
      : `Bearer realm="approvals", error="invalid_token", error_description="${result.reason.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '')}"`;
  throw new ApiProblem(ApiErrorCode.Unauthenticated, result.reason, undefined, { 'WWW-Authenticate': challenge });
}
