import { describe, it, expect } from '@jest/globals';
import { DEPARTMENT_KEYS, DOMAIN_ERROR_CODES, DomainError, DomainErrorCode, isDepartmentKey } from '../../../libs/domain/index.js';

describe(isDepartmentKey.name, () => {
  it('knows the eight department keys of the public contract, in contract order', () => {
    expect(DEPARTMENT_KEYS).toEqual([
      'development_reform',
      'natural_resources',
      'ecology_environment',
      'housing_construction',
      'emergency_management',
      'economy_information',
      'customs',
      'project_office',
    ]);
    for (const key of DEPARTMENT_KEYS) expect(isDepartmentKey(key)).toBe(true);
  });

  it.each([['tax_bureau'], ['Customs'], [''], ['toString'], ['constructor'], ['__proto__'], [42], [null], [undefined]])('refuses %p', (value) => {
    expect(isDepartmentKey(value)).toBe(false);
  });
});

describe(DomainError.name, () => {
  it('carries a stable code and a plain message', () => {
    const err = new DomainError(DomainErrorCode.StepNotFound, "no step 'x'");

    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'DomainError', code: 'STEP.NOT_FOUND', message: "no step 'x'" });
  });

  it('lists every code once, each shaped AREA.REASON', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) expect(code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
  });
});
