import { describe, expect, it } from '@jest/globals';
import { jwtVerify } from 'jose';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, DEVELOPMENT_JWT_SECRET, ROLES } from '../../../libs/auth/index.js';
import { DEPARTMENT_KEYS } from '../../../libs/domain/index.js';
import { DEMO_USERS, demoToken } from '../../../scripts/demo-users.js';
import { subjectFromArgs } from '../../../scripts/token.js';

describe('npm run token', () => {
  it('finds the demo officer of a department', () => {
    expect(subjectFromArgs(['--role', 'officer', '--department', 'natural_resources']).subject).toMatchObject({
      sub: 'nrp-li',
      roles: ['officer'],
      department: 'natural_resources',
    });
  });

  it('mints for someone who is not a demo user with --sub', () => {
    expect(subjectFromArgs(['--role', 'supervisor', '--sub', 'sup-li', '--name', 'Li']).subject).toEqual({
      sub: 'sup-li',
      name: 'Li',
      roles: ['supervisor'],
      department: 'project_office',
    });
  });

  it.each([
    [['--role', 'mayor'], /--role must be one of/],
    [['--role', 'officer', '--department', 'tax_bureau'], /--department must be one of/],
  ])('refuses %j', (args, message) => {
    expect(() => subjectFromArgs(args)).toThrow(message);
  });

  it('has a demo user for every role, and an officer and a head in every department', () => {
    for (const role of ROLES) expect(DEMO_USERS.some((u) => u.roles.includes(role))).toBe(true);
    for (const d of DEPARTMENT_KEYS) {
      expect(DEMO_USERS.filter((u) => u.department === d && u.roles.includes('officer'))).toHaveLength(1);
      expect(DEMO_USERS.filter((u) => u.department === d && u.roles.includes('department_head'))).toHaveLength(1);
    }
  });

  it('signs with JWT_SECRET, or the development secret when it is unset', async () => {
    const token = await demoToken(DEMO_USERS[0]!, '1h', {});
    const { payload } = await jwtVerify(token, new TextEncoder().encode(DEVELOPMENT_JWT_SECRET), { issuer: DEFAULT_JWT_ISSUER, audience: DEFAULT_JWT_AUDIENCE });
    expect(payload.sub).toBe(DEMO_USERS[0]!.sub);
    const own = await demoToken(DEMO_USERS[0]!, '1h', { JWT_SECRET: 'x'.repeat(40), JWT_AUDIENCE: 'aud' });
    await expect(jwtVerify(own, new TextEncoder().encode('x'.repeat(40)), { audience: 'aud' })).resolves.toBeDefined();
  });
});
