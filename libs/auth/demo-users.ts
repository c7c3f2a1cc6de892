/*
 * The demo users of the embedded start: one officer and one head per department, a supervisor, an admin and a
 * system caller. `npm run token` mints their tokens; the seed acts as them; `npm start` prints one token per role;
 * the workbench's sign-in page lists the people among them (everyone but the system caller) while the API runs
 * with the public development secret. Ids are the tokens' `sub` and the actors the timeline records.
 */
import { DEPARTMENT_KEYS, type DepartmentKey } from '../domain/index.js';
import type { Role } from './roles.js';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, DEVELOPMENT_JWT_SECRET, mintToken, type TokenSubject } from './tokens.js';

/** Short id prefix of each department's demo users. */
const PREFIX: Readonly<Record<DepartmentKey, string>> = {
  development_reform: 'drc',
  natural_resources: 'nrp',
  ecology_environment: 'eco',
  housing_construction: 'hc',
  emergency_management: 'em',
  economy_information: 'eit',
  customs: 'cus',
  project_office: 'po',
};

/** The officer each department's steps are done by in the seed. */
const OFFICER_IDS: Readonly<Record<DepartmentKey, string>> = {
  development_reform: 'drc-wang',
  natural_resources: 'nrp-li',
  ecology_environment: 'eco-chen',
  housing_construction: 'hc-zhao',
  emergency_management: 'em-zhou',
  economy_information: 'eit-qian',
  customs: 'cus-wu',
  project_office: 'po-sun',
};

/** Every demo user: officers and heads of each department, then supervisor, admin and system. */
export const DEMO_USERS: readonly TokenSubject[] = [
  ...DEPARTMENT_KEYS.map((d): TokenSubject => ({ sub: OFFICER_IDS[d], name: `${OFFICER_IDS[d]} (officer, ${d})`, roles: ['officer'], department: d })),
  ...DEPARTMENT_KEYS.map((d): TokenSubject => ({ sub: `${PREFIX[d]}-head`, name: `${PREFIX[d]}-head (department head, ${d})`, roles: ['department_head'], department: d })),
  { sub: 'sup-zhou', name: 'sup-zhou (supervisor, 督办)', roles: ['supervisor'], department: 'project_office' },
  { sub: 'admin-wang', name: 'admin-wang (administrator)', roles: ['admin'], department: 'project_office' },
  { sub: 'svc-exchange', name: 'public resource exchange (system)', roles: ['system'], department: 'project_office' },
];

/** The demo users a person signs in as on the workbench: every demo user but system callers (machines post events). */
export const SIGN_IN_DEMO_USERS: readonly TokenSubject[] = DEMO_USERS.filter((u) => !u.roles.includes('system'));

/**
 * The demo user of `role` (and `department`, for officers and heads; the first of the role otherwise).
 * @returns the user, or undefined when there is none
 */
export function demoUser(role: Role, department?: DepartmentKey): TokenSubject | undefined {
  return DEMO_USERS.find((u) => u.roles.includes(role) && (department === undefined || u.department === department));
}

/** How demo tokens are signed: the API's JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE, or the development defaults. */
export function demoSigning(env: NodeJS.ProcessEnv = process.env): { secret: string; issuer: string; audience: string } {
  return {
    secret: env.JWT_SECRET || DEVELOPMENT_JWT_SECRET,
    issuer: env.JWT_ISSUER || DEFAULT_JWT_ISSUER,
    audience: env.JWT_AUDIENCE || DEFAULT_JWT_AUDIENCE,
  };
}

/**
 * Mints an HS256 token for a demo user with the signing settings of {@link demoSigning}.
 * @returns the compact JWT
 */
export function demoToken(user: TokenSubject, expiresIn: string | number = '12h', env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return mintToken(user, { ...demoSigning(env), expiresIn });
}

/**
 * Whether the API verifies tokens with the public development secret — the embedded start's setting, under which
 * anyone can mint any token anyway, so the workbench may hand out demo tokens. False under NODE_ENV=production
 * (which refuses that secret at start-up) and whenever JWKS_URL is set.
 */
export function developmentSecretInUse(config: { JWT_SECRET?: string; JWKS_URL?: string; NODE_ENV?: string }): boolean {
  return config.JWT_SECRET === DEVELOPMENT_JWT_SECRET && !config.JWKS_URL && config.NODE_ENV !== 'production';
}
