import { Injectable, type PipeTransform } from '@nestjs/common';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../../../../libs/calendar/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';

/**
 * The `{year}` of `/calendar/{year}`: four digits in 1949–2199 (libs/calendar `MIN_CALENDAR_YEAR` …
 * `MAX_CALENDAR_YEAR`, the years a notice may be loaded for).
 * Whether the year can be shown is decided later: a year with neither a notice nor provisional rules
 * (outside 2008–2099) is refused with `CALENDAR.YEAR_NOT_SUPPORTED`.
 * @throws ApiProblem REQUEST.INVALID (400) naming `year` when it is not a whole number or out of that range
 */
@Injectable()
export class ParseYearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const fail = (message: string): never => {
      throw new ApiProblem(ApiErrorCode.RequestInvalid, message, [{ field: 'year', message }]);
    };
    if (!/^\d{4}$/.test(value)) fail(`year must be a whole number YYYY, e.g. 2025; got ${JSON.stringify(value)}`);
    const year = Number(value);
    if (year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) fail(`year must be in ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}; got ${year}`);
    return year;
  }
}
