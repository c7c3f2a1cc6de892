import { SignJWT } from 'jose';
import type { DepartmentKey } from '../domain/index.js';
import type { Role } from './roles.js';

/** Issuer and audience the API expects unless JWT_ISSUER / JWT_AUDIENCE say otherwise. */
export const DEFAULT_JWT_ISSUER = 'approvals-embedded';
export const DEFAULT_JWT_AUDIENCE = 'approvals-api';

/**
 * The development secret the embedded start (`npm start`) and `npm run token` use when JWT_SECRET is unset.
 * Public on purpose: the API refuses it when NODE_ENV=production.
 */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-0123456789';

/** What a minted token says about its holder. */
export interface TokenSubject {
  sub: string;
  name: string;
  roles: Role[];
  department: DepartmentKey;
}

/** How a token is signed and for how long it is valid. */
export interface MintOptions {
  /** HS256 shared secret (the API's JWT_SECRET). */
  secret: string;
  issuer?: string;
  audience?: string;
  /** Lifetime, a jose time span such as `8h` or a number of seconds (default 8 h). */
  expiresIn?: string | number;
}

/**
 * Signs an HS256 bearer token for `subject` with the claims the API requires (sub, name, roles, department,
 * iat, exp, iss, aud). Used by `npm run token`, the seed, the embedded start and the tests; an identity
 * provider issues the production tokens.
 * @returns the compact JWT
 */
export async function mintToken(subject: TokenSubject, options: MintOptions): Promise<string> {
  return new SignJWT({ name: subject.name, roles: subject.roles, department: subject.department })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject.sub)
    .setIssuedAt()
    .setIssuer(options.issuer ?? DEFAULT_JWT_ISSUER)
    .setAudience(options.audience ?? DEFAULT_JWT_AUDIENCE)
    // jose reads a bare number as an absolute epoch time; ours is a lifetime in seconds.
    .setExpirationTime(typeof options.expiresIn === 'number' ? `${options.expiresIn}s` : (options.expiresIn ?? '8h'))
    .sign(new TextEncoder().encode(options.secret));
}
