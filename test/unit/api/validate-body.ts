import { ValidationPipe, type Type } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** A refused body: the field errors as the API's validation pipe reports them. */
export class FieldErrors extends Error {
  constructor(readonly fields: Array<{ field: string; message: string }>) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  }
}

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((message) => ({ field, message })), ...flatten(e.children ?? [], field)];
  });
}

/** The API's ValidationPipe settings (apps/api/src/bootstrap.ts): unknown fields refused, one message per field. */
const pipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => new FieldErrors(flatten(errors)),
});

/**
 * Validates `body` as the API would for a body of type `dto`.
 * @returns the field errors (empty when the body is valid)
 */
export async function fieldErrors(dto: Type<unknown>, body: unknown): Promise<Array<{ field: string; message: string }>> {
  try {
    await pipe.transform(body, { type: 'body', metatype: dto });
    return [];
  } catch (err) {
    if (err instanceof FieldErrors) return err.fields;
    throw err;
  }
}
