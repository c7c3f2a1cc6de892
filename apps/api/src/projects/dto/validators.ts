import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { checkInstant, REAL_INSTANT_PATTERN, whyNotARealDay } from '../../../../../libs/calendar/index.js';

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why a `YYYY-MM-DD`-shaped text is not a real day (e.g. "February 2022 has 28 days"), or null (a real day or another shape). */
function whyNotARealDate(value: unknown): string | null {
  const m = typeof value === 'string' ? DATE_SHAPE.exec(value) : null;
  return m ? whyNotARealDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** True for a real calendar date written YYYY-MM-DD (e.g. not 2022-02-30). */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && DATE_SHAPE.test(value) && whyNotARealDate(value) === null;
}

/**
 * Validates a YYYY-MM-DD string that is a real calendar date. A text of that shape naming a day that does not exist is
 * refused as `<field> '2022-02-30' is not a real date: February 2022 has 28 days`; any other value with `options.message`.
 */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  const otherwise = options?.message;
  const message = (args: ValidationArguments): string => {
    const why = whyNotARealDate(args.value);
    if (why) return `${args.property} '${String(args.value)}' is not a real date: ${why}`;
    return typeof otherwise === 'function' ? otherwise(args) : (otherwise ?? `${args.property} must be a real date YYYY-MM-DD`);
  };
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { ...options, message },
      validator: { validate: (v: unknown) => isCalendarDate(v) },
    });
}

/**
 * Validates an instant: the ISO 8601 form with offset naming a day and time that exist ({@link INSTANT_PATTERN}), as
 * libs/calendar `checkInstant` decides for every instant the API takes (so 2026-02-30T09:00+08:00 and T25:00 are
 * refused, where `Date.parse` would roll them into another day).
 * Refusals: `<field> '<value>' is not a real date and time: <why>` for a well-formed text naming a day or time that does
 * not exist; `<field> must be an ISO 8601 instant with offset, e.g. <example>` for anything else (not a string included).
 * @param example a valid instant shown in the message, e.g. `2022-04-20T10:00:00+08:00`
 */
export function IsInstant(example: string, options?: ValidationOptions): PropertyDecorator {
  const message = (args: ValidationArguments): string => {
    const found = checkInstant(args.value);
    if (!found.ok && found.shaped) return `${args.property} '${String(args.value)}' is not a real date and time: ${found.why}`;
    return `${args.property} must be an ISO 8601 instant with offset, e.g. ${example}`;
  };
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { ...options, message },
      validator: { validate: (v: unknown) => checkInstant(v).ok },
    });
}

/** The OpenAPI pattern of a text that is not only white space (the `@Matches(/\S/)` of the DTOs). */
export const NOT_BLANK = '\\S';

/** A decimal amount in yuan: whole yuan up to 18 digits, at most 2 decimals. */
export const YUAN_PATTERN = /^(0|[1-9]\d{0,17})(\.\d{1,2})?$/;

/**
 * The OpenAPI pattern of an instant: ISO 8601 with an explicit offset (`Z` or `±hh:mm`), seconds and milliseconds optional,
 * naming a real day and time (libs/calendar `REAL_INSTANT_PATTERN`, which accepts what {@link IsInstant} accepts), so that
 * the document states what a 400 refuses.
 */
export const INSTANT_PATTERN = REAL_INSTANT_PATTERN;

/**
 * A text of `min` to `max` characters, counted as the OpenAPI document counts them (JSON Schema minLength/maxLength:
 * Unicode code points, so 𠮷 is one character, not two UTF-16 units as class-validator's `Length` counts). Not a string
 * fails too.
 */
export function CharLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'charLength',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string') return false;
          const n = [...v].length;
          return n >= min && n <= max;
        },
      },
    });
}
