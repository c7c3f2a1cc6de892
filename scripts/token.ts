/*
 * `npm run -s token -- --role officer --department natural_resources`: prints a bearer token for a demo user
 * (scripts/demo-users.ts), signed with JWT_SECRET (or the development secret of `npm start`), JWT_ISSUER and
 * JWT_AUDIENCE. Options: --role (officer, department_head, supervisor, admin, system), --department (a department
 * key; officers and heads), --sub and --name (someone who is not a demo user), --expires (e.g. 30m, 12h; default 12h),
 * --list (every demo user with a token, one per line).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isRole, ROLES, type TokenSubject } from '../libs/auth/index.js';
import { DEPARTMENT_KEYS, isDepartmentKey } from '../libs/domain/index.js';
import { DEMO_USERS, demoToken, demoUser } from './demo-users.js';

/**
 * Resolves the command line to a token subject.
 * @throws Error naming the bad option (unknown role or department, no demo user of that role)
 */
export function subjectFromArgs(args: string[]): { subject: TokenSubject | null; expires: string } {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      department: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      list: { type: 'boolean', default: false },
    },
  });
  if (values.list) return { subject: null, expires: values.expires };
  const role = values.role ?? 'officer';
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const department = values.department;
  if (department !== undefined && !isDepartmentKey(department)) throw new Error(`--department must be one of ${DEPARTMENT_KEYS.join(', ')}`);
  if (values.sub !== undefined) {
    return {
      subject: { sub: values.sub, name: values.name ?? values.sub, roles: [role], department: department ?? 'project_office' },
      expires: values.expires,
    };
  }
  const user = demoUser(role, department);
  if (!user) throw new Error(`no demo user with role ${role}${department ? ` in ${department}` : ''}; pass --sub to mint one`);
  return { subject: user, expires: values.expires };
}

async function main(): Promise<void> {
  const { subject, expires } = subjectFromArgs(process.argv.slice(2));
  if (subject) {
    process.stdout.write(`${await demoToken(subject, expires)}\n`);
    return;
  }
  for (const u of DEMO_USERS) process.stdout.write(`${u.roles.join(',')}\t${u.department}\t${u.sub}\t${await demoToken(u, expires)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
