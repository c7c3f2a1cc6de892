import { describe, expect, it } from '@jest/globals';
import { decide, POLICY, stepActionPermission } from '../../../apps/api/src/auth/policy.js';
import type { AuthenticatedUser, Role } from '../../../libs/auth/index.js';
import { STEP_ACTIONS, type DepartmentKey } from '../../../libs/domain/index.js';

const as = (role: Role, department: DepartmentKey = 'natural_resources'): AuthenticatedUser => ({ id: `${role}-1`, name: role, roles: [role], department });
const step = (department: DepartmentKey) => ({ department, label: 'step land_title' });

describe('policy: extension (延期) and the other statutory step actions (issue 7)', () => {
  it('maps extend to step.extend, reassign to step.reassign and every other step action to step.act', () => {
    const mapped = Object.fromEntries(STEP_ACTIONS.map((a) => [a, stepActionPermission(a)]));
    expect(mapped).toEqual({
      receive: 'step.act',
      accept: 'step.act',
      return: 'step.act',
      resubmit: 'step.act',
      approve: 'step.act',
      deliver: 'step.act',
      waive: 'step.act',
      reject: 'step.act',
      reassign: 'step.reassign',
      extend: 'step.extend',
      exclude: 'step.act',
      end_exclusion: 'step.act',
      renew: 'step.act',
    });
  });

  it('grants step.extend to department heads of the step’s department only', () => {
    expect(POLICY.filter((r) => r.permission === 'step.extend')).toEqual([{ permission: 'step.extend', role: 'department_head', scope: 'own_department' }]);
  });

  // role, caller department, step department, allowed — written out by hand.
  it.each<[Role, DepartmentKey, DepartmentKey, boolean]>([
    ['department_head', 'natural_resources', 'natural_resources', true],
    ['department_head', 'customs', 'natural_resources', false],
    ['officer', 'natural_resources', 'natural_resources', false],
    ['supervisor', 'project_office', 'natural_resources', false],
    ['admin', 'natural_resources', 'natural_resources', false],
    ['system', 'natural_resources', 'natural_resources', false],
  ])('a %s of %s extending a step of %s: %s', (role, caller, target, allowed) => {
    expect(decide(as(role, caller), 'step.extend', step(target)).allowed).toBe(allowed);
  });

  it("refuses an officer's extension naming the rule of 行政许可法 Art. 42 (the head of the agency approves it)", () => {
    expect(decide(as('officer'), 'step.extend', step('natural_resources'))).toEqual({
      allowed: false,
      rule: 'step.extend:roles',
      detail:
        "extending a step's time limit (延期) is for the head of the step's department: 行政许可法 Art. 42 ¶1, the extension is approved by the head of the agency; your roles: officer",
    });
  });

  it("refuses a head's extension of another department's step, naming both departments", () => {
    expect(decide(as('department_head', 'customs'), 'step.extend', step('natural_resources'))).toEqual({
      allowed: false,
      rule: 'step.extend:own_department',
      detail: 'department heads extend only steps of their own department (customs); step land_title belongs to natural_resources',
    });
  });

  it('lets officers take the other new step actions on their own department’s steps (step.act)', () => {
    expect(decide(as('officer'), stepActionPermission('exclude'), step('natural_resources')).allowed).toBe(true);
    expect(decide(as('officer'), stepActionPermission('receive'), step('customs')).allowed).toBe(false);
  });

  it('keeps inbound events (event.post) for the system role', () => {
    expect(decide(as('system', 'project_office'), 'event.post').allowed).toBe(true);
    expect(decide(as('officer', 'project_office'), 'event.post')).toMatchObject({ allowed: false, rule: 'event.post:roles' });
  });
});
