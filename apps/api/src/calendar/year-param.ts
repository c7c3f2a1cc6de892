import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../../../../libs/calendar/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';

/**
 * The `{year}` of `/calendar/{year}` as sent: four digits in 1949–2199 (libs/calendar `MIN_CALENDAR_YEAR` …
 * `MAX_CALENDAR_YEAR`, the years a notice may be loaded for).
 * Whether the year can be shown is decided later: a year with neither a notice nor provisional rules
 * (outside 2008–2099) is refused with `CALENDAR.YEAR_NOT_SUPPORTED`.
 * @param value the path segment, e.g. `2025` (text as sent, so that `abc` is named as `abc`)
 * @returns the year
 * @throws ApiProblem REQUEST.INVALID (400) naming `year` when it is not four digits or out of that range
 */
export function parseYear(value: unknown): number {
  const fail = (message: string): never => {
    throw new ApiProblem(ApiErrorCode.RequestInvalid, message, [{ field: 'year', message }]);
  };
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) fail(`year must be a 4-digit year, e.g. 2025; got ${JSON.stringify(value)}`);
  const year = Number(value);
  if (year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) fail(`year must be in ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}; got ${year}`);
  return year;
}

/**
 * The route's `{year}` parameter read from the request as sent and parsed by {@link parseYear}. A custom parameter
 * decorator, because the global validation pipe (transform: true) turns a `number` parameter into a number before any
 * pipe of the parameter runs, so `abc` would arrive as NaN and be named "null". The OpenAPI parameter is declared with
 * `@ApiParam` beside it.
 */
export const YearParam = createParamDecorator((_data: unknown, ctx: ExecutionContext): number => parseYear(ctx.switchToHttp().getRequest<Request>().params['year']));
