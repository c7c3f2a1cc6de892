import { DomainError, DomainErrorCode } from './errors.js';

/**
 * National investment-project code (全国投资项目在线审批监管平台 项目代码): 24 characters,
 * `YYYY-RRRRRR-XX-XX-NNNNNN` — year of filing, 6-digit administrative region code (330602 = 越城区,
 * Shaoxing), 2-digit industry code, 2-digit management type (01 审批, 02 核准, 03 备案), 6-digit serial.
 */
export const PROJECT_CODE_PATTERN = /^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$/;

/** The parts of a project code. */
export interface ProjectCodeParts {
  year: number;
  regionCode: string;
  industryCode: string;
  managementType: string;
  serial: string;
}

/**
 * Parses and checks a project code.
 * @param code e.g. `2022-330602-39-03-000101`
 * @returns its parts
 * @throws DomainError `PROJECT.INVALID_CODE` when the code is not of the 24-character format or its year is
 *   outside 1990–2100.
 */
export function parseProjectCode(code: string): ProjectCodeParts {
  const m = PROJECT_CODE_PATTERN.exec(code);
  if (!m) {
    throw new DomainError(
      DomainErrorCode.ProjectInvalidCode,
      `project code '${code}' is not of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN (e.g. 2022-330602-39-03-000101)`,
    );
  }
  const year = Number(m[1]);
  if (year < 1990 || year > 2100) {
    throw new DomainError(DomainErrorCode.ProjectInvalidCode, `project code '${code}' has year ${year}, outside 1990–2100`);
  }
  return { year, regionCode: m[2]!, industryCode: m[3]!, managementType: m[4]!, serial: m[5]! };
}
