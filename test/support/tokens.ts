import { createHmac } from 'node:crypto';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER } from '../../libs/auth/index.js';

/** The HS256 secret every test stack's API verifies with (set as JWT_SECRET by startTestStack). */
export const TEST_JWT_SECRET = 'test-secret-for-e2e-only-0123456789abcdef';

/** Claims of a test token; anything here overrides the defaults (iss, aud, iat, exp one hour ahead). */
export type TestClaims = Record<string, unknown>;

const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Signs an HS256 JWT synchronously (supertest's request chain is synchronous), with the test secret unless
 * `secret` says otherwise. Test-only: the API verifies with `jose`, which also checks this signer. A claim set to
 * `undefined` is left out (to test missing claims).
 * @returns the compact JWT
 */
export function testToken(claims: TestClaims, secret = TEST_JWT_SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = Object.fromEntries(
    Object.entries({ iss: DEFAULT_JWT_ISSUER, aud: DEFAULT_JWT_AUDIENCE, iat: now, exp: now + 3600, ...claims }).filter(([, v]) => v !== undefined),
  );
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** A valid token for a user of `role` in `department` (sub defaults to `<role>-<department>`). */
export function tokenFor(role: string, department: string | null, sub?: string): string {
  return testToken({ sub: sub ?? `${role}-${department}`, name: sub ?? `${role} of ${department}`, roles: [role], department: department ?? undefined });
}
