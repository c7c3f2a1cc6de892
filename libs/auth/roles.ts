import { isDepartmentKey, type DepartmentKey } from '../domain/index.js';

/**
 * Roles a token may carry in its `roles` claim (what each may do: apps/api/src/auth/policy.ts). Wire values: the
 * identity provider issues them, so they never change once released.
 */
export const ROLES = ['officer', 'department_head', 'supervisor', 'admin', 'system'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True when `value` is one of {@link ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated caller: who the token names (`sub`, `name`), what it may do (`roles`) and for whom (`department`). */
export interface AuthenticatedUser {
  /** The token's `sub`: recorded as the actor of every action. */
  id: string;
  name: string;
  roles: Role[];
  department: DepartmentKey;
}

/** Longest `sub` and `name` accepted: they end up in timeline rows and logs. */
export const MAX_SUBJECT_LENGTH = 64; // the read model keeps actors in varchar(64) columns (registered_by, loaded_by)
export const MAX_NAME_LENGTH = 200;

/**
 * Checks the application claims of a verified JWT payload and returns the user they describe.
 * Input: the payload after signature, `exp`, `nbf`, `iss` and `aud` were checked by the JWT library.
 * @returns the user, or a reason naming the claim at fault (for a 401 `detail`)
 */
export function userFromClaims(payload: Record<string, unknown>): { user: AuthenticatedUser } | { reason: string } {
  const { sub, name, roles, department } = payload;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_SUBJECT_LENGTH || [...sub].some((c) => c.charCodeAt(0) < 0x20)) {
    return { reason: `the token's sub claim must be a non-empty string of at most ${MAX_SUBJECT_LENGTH} characters` };
  }
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    return { reason: `the token's name claim must be a non-empty string of at most ${MAX_NAME_LENGTH} characters` };
  }
  if (!Array.isArray(roles) || roles.length === 0) return { reason: `the token's roles claim must be a non-empty array of: ${ROLES.join(', ')}` };
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) return { reason: `the token's roles claim names an unknown role (${unknown.map(String).join(', ')}); known roles: ${ROLES.join(', ')}` };
  if (!isDepartmentKey(department)) return { reason: "the token's department claim must be a department key (e.g. natural_resources)" };
  return { user: { id: sub, name, roles: [...new Set(roles as Role[])], department } };
}
