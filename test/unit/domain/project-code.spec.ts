import { describe, it, expect } from '@jest/globals';
import { DomainErrorCode, parseProjectCode } from '../../../libs/domain/index.js';
import { refusal } from './standard-project.fixture.js';

describe(parseProjectCode.name, () => {
  it('splits a national project code into its parts', () => {
    expect(parseProjectCode('2022-330602-39-03-000101')).toEqual({
      year: 2022,
      regionCode: '330602',
      industryCode: '39',
      managementType: '03',
      serial: '000101',
    });
  });

  it.each([['1990-330602-39-03-000101', 1990], ['2100-330602-39-03-000101', 2100]])('accepts the boundary year of %s', (code, year) => {
    expect(parseProjectCode(code).year).toBe(year);
  });

  it.each([
    ['too short', '2022-330602-39-03-00010'],
    ['too long', '2022-330602-39-03-0001011'],
    ['a letter in the region', '2022-33O602-39-03-000101'],
    ['letters in the serial', '2022-330602-39-03-00A1B1'],
    ['no dashes', '202233060239030001010000'],
    ['one dash missing', '2022-330602-3903-000101'],
    ['slashes for dashes', '2022/330602/39/03/000101'],
    ['a leading space', ' 2022-330602-39-03-000101'],
    ['a trailing newline', '2022-330602-39-03-000101\n'],
    ['full-width digits', '２０２２-330602-39-03-000101'],
    ['nothing at all', ''],
  ])('refuses a code with %s, showing the expected format', (_why, code) => {
    const err = refusal(() => parseProjectCode(code));

    expect(err.code).toBe(DomainErrorCode.ProjectInvalidCode);
    expect(err.message).toContain(`project code '${code}' is not of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN`);
    expect(err.message).toContain('e.g. 2022-330602-39-03-000101');
  });

  it.each([['1989-330602-39-03-000101', 1989], ['2101-330602-39-03-000101', 2101], ['0000-330602-39-03-000101', 0]])(
    'refuses %s for its year outside 1990–2100',
    (code, year) => {
      const err = refusal(() => parseProjectCode(code));

      expect(err.code).toBe(DomainErrorCode.ProjectInvalidCode);
      expect(err.message).toBe(`project code '${code}' has year ${year}, outside 1990–2100`);
    },
  );
});
