import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { userFromClaims, type AuthenticatedUser } from '../../../../libs/auth/index.js';
import type { AppConfig, TokenKeySource } from '../../../../libs/config/app-config.js';

/** Why a token was refused; `unavailable` means the identity provider's keys could not be fetched (503, not 401). */
export type VerifyResult = { ok: true; user: AuthenticatedUser } | { ok: false; reason: string; unavailable?: boolean };

/** DI token of the {@link TokenVerifier} (a Symbol, per STYLE.md). */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/**
 * Verifies bearer tokens with `jose`: signature (HS256 with JWT_SECRET, or the asymmetric algorithms of
 * JWT_ALGORITHMS against JWKS_URL), `exp` (required), `nbf`, `iss` (JWT_ISSUER), `aud` (JWT_AUDIENCE), then the
 * application claims (sub, name, roles, department; libs/auth/roles.ts). `alg: none` is never accepted.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(
    source: TokenKeySource,
    private readonly config: Pick<AppConfig, 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_CLOCK_TOLERANCE_S'>,
  ) {
    if (source.kind === 'secret') {
      this.key = new TextEncoder().encode(source.secret);
      this.algorithms = ['HS256'];
    } else {
      // jose caches the key set and refetches at most every 30 s on an unknown `kid` (key rotation).
      this.key = createRemoteJWKSet(new URL(source.url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
      this.algorithms = source.algorithms;
    }
  }

  /**
   * Checks one compact JWT.
   * @returns the user it names, or a reason a person can act on (no secret or key material in it)
   */
  async verify(token: string): Promise<VerifyResult> {
    try {
      const options = {
        algorithms: this.algorithms,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        clockTolerance: this.config.JWT_CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      };
      const { payload } =
        this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      const claims = userFromClaims(payload as Record<string, unknown>);
      return 'user' in claims ? { ok: true, user: claims.user } : { ok: false, reason: claims.reason };
    } catch (err) {
      return refusal(err, this.config);
    }
  }
}

function refusal(err: unknown, config: Pick<AppConfig, 'JWT_ISSUER' | 'JWT_AUDIENCE'>): VerifyResult {
  if (err instanceof errors.JWTExpired) return { ok: false, reason: 'the token has expired (exp); get a new one' };
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return { ok: false, reason: 'the token is not valid yet (nbf is in the future)' };
    if (err.claim === 'iss') return { ok: false, reason: `the token was issued by someone else (iss); expected ${config.JWT_ISSUER}` };
    if (err.claim === 'aud') return { ok: false, reason: `the token is meant for another audience (aud); expected ${config.JWT_AUDIENCE}` };
    if (err.reason === 'missing') return { ok: false, reason: `the token lacks the required ${err.claim} claim` };
    return { ok: false, reason: `the token's ${err.claim} claim is invalid` };
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'the token signature does not verify (tampered or signed with another key)' };
  if (err instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'the token is signed with an algorithm this API does not accept' };
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return { ok: false, reason: "no key of the identity provider's key set matches the token (kid)" };
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || (!(err instanceof errors.JOSEError) && isFetchFailure(err))) {
    return { ok: false, reason: "the identity provider's key set could not be fetched; retry later", unavailable: true };
  }
  return { ok: false, reason: 'the bearer token is malformed (expected a signed JWT: header.payload.signature)' };
}

function isFetchFailure(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && /fetch|ECONNREFUSED|ENOTFOUND|Expected 200 OK/i.test(err.message));
}
