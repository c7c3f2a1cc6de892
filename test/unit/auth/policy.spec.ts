import { describe, expect, it } from '@jest/globals';
import { decide, POLICY, reachesEveryDepartment, type Permission } from '../../../apps/api/src/auth/policy.js';
import { ROLES, type AuthenticatedUser, type Role } from '../../../libs/auth/index.js';
import type { DepartmentKey } from '../../../libs/domain/index.js';

const as = (role: Role, department: DepartmentKey = 'natural_resources'): AuthenticatedUser => ({ id: `${role}-1`, name: role, roles: [role], department });
const target = (department: DepartmentKey) => ({ department, label: 'step energy_review' });

describe('policy', () => {
  // role, permission, caller department, target department (null: none), allowed — written out by hand, not derived from POLICY.
  it.each<[Role, Permission, DepartmentKey, DepartmentKey | null, boolean]>([
    ['officer', 'step.act', 'natural_resources', 'natural_resources', true],
    ['officer', 'step.act', 'natural_resources', 'development_reform', false],
    ['department_head', 'step.act', 'customs', 'customs', true],
    ['department_head', 'step.act', 'customs', 'natural_resources', false],
    ['supervisor', 'step.act', 'project_office', 'natural_resources', false],
    ['admin', 'step.act', 'project_office', 'project_office', false],
    ['officer', 'step.reassign', 'customs', 'customs', false],
    ['department_head', 'step.reassign', 'customs', 'customs', true],
    ['department_head', 'step.reassign', 'customs', 'natural_resources', false],
    ['officer', 'project.register', 'project_office', null, true],
    ['officer', 'project.register', 'natural_resources', null, false],
    ['department_head', 'project.register', 'project_office', null, true],
    ['supervisor', 'project.register', 'natural_resources', null, true],
    ['admin', 'project.register', 'project_office', null, false],
    ['officer', 'project.cancel', 'project_office', null, true],
    ['officer', 'project.suspend', 'project_office', null, false],
    ['supervisor', 'project.suspend', 'project_office', null, true],
    ['supervisor', 'project.resume', 'customs', null, true],
    ['supervisor', 'project.escalate', 'project_office', null, true],
    ['department_head', 'project.resume', 'project_office', null, false],
    ['officer', 'tasks.read', 'customs', 'customs', true],
    ['officer', 'tasks.read', 'customs', 'natural_resources', false],
    ['supervisor', 'tasks.read', 'project_office', 'natural_resources', true],
    ['admin', 'tasks.read', 'project_office', 'project_office', false],
    ['admin', 'calendar.load', 'project_office', null, true],
    ['supervisor', 'calendar.load', 'project_office', null, false],
    ['admin', 'definition.load', 'project_office', null, true],
    ['system', 'event.post', 'project_office', null, true],
    ['admin', 'event.post', 'project_office', null, false],
    ['supervisor', 'supervision.read', 'project_office', null, true],
    ['officer', 'supervision.read', 'project_office', null, false],
    ['system', 'project.read', 'project_office', null, true],
    ['officer', 'calendar.read', 'customs', null, true],
  ])('a %s may %s (caller in %s, target %s): %s', (role, permission, caller, dept, allowed) => {
    expect(decide(as(role, caller), permission, dept ? target(dept) : undefined).allowed).toBe(allowed);
  });

  it('names the rule and both departments when an officer acts on another department’s step', () => {
    expect(decide(as('officer'), 'step.act', { department: 'development_reform', label: 'step energy_review' })).toEqual({
      allowed: false,
      rule: 'step.act:own_department',
      detail: 'officers act only on steps of their own department (natural_resources); step energy_review belongs to development_reform',
    });
  });

  it('names the roles a permission is for when the caller has none of them', () => {
    const d = decide(as('officer'), 'calendar.load');
    expect(d).toEqual({ allowed: false, rule: 'calendar.load:roles', detail: 'loading a holiday notice is for admins; your roles: officer' });
  });

  it('names the department a permission is limited to', () => {
    const d = decide(as('officer', 'customs'), 'project.register');
    expect(d).toMatchObject({ allowed: false, rule: 'project.register:project_office' });
    expect(!d.allowed && d.detail).toContain('your department is customs');
  });

  it('allows a user with several roles what any of them allows', () => {
    const both: AuthenticatedUser = { id: 'x', name: 'x', roles: ['officer', 'supervisor'], department: 'customs' };
    expect(decide(both, 'project.suspend').allowed).toBe(true);
    expect(decide(both, 'step.act', target('customs')).allowed).toBe(true);
  });

  it('knows every role, and gives every role at least one row', () => {
    for (const row of POLICY) expect(ROLES).toContain(row.role);
    for (const role of ROLES) expect(POLICY.some((r) => r.role === role)).toBe(true);
  });

  it('tells who reaches every department', () => {
    expect(reachesEveryDepartment(as('supervisor'), 'notifications.read')).toBe(true);
    expect(reachesEveryDepartment(as('officer'), 'notifications.read')).toBe(false);
  });
});
