import { registerDecorator, type ValidationOptions } from 'class-validator';

/** True for a real calendar date written YYYY-MM-DD (e.g. not 2022-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Validates a YYYY-MM-DD string that is a real calendar date. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: { validate: (v: unknown) => isCalendarDate(v) },
    });
}

/** The OpenAPI pattern of a text that is not only white space (the `@Matches(/\S/)` of the DTOs). */
export const NOT_BLANK = '\\S';

/** A decimal amount in yuan: whole yuan up to 18 digits, at most 2 decimals. */
export const YUAN_PATTERN = /^(0|[1-9]\d{0,17})(\.\d{1,2})?$/;

/** An ISO 8601 instant with an explicit offset (`Z` or `±hh:mm`), seconds and milliseconds optional. */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

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
