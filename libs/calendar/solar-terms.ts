import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import type { IsoDate } from './iso-date.js';

/** Years the 清明 formula below is valid for. */
export const MIN_QINGMING_YEAR = 2000;
export const MAX_QINGMING_YEAR = 2099;

/**
 * The date of the solar term 清明 (sun at ecliptic longitude 15°, Beijing time) in `year`, 2000–2099.
 *
 * Uses the common solar-term formula ("寿星通用公式") `[Y × D + C] − [Y / 4]` with Y = year − 2000,
 * D = 0.2422 and C = 4.81 for the 21st century; for 清明 it has no known exception in 2000–2099 and gives
 * 4 or 5 April (2025-04-04, 2026-04-05, 2027-04-05, 2028-04-04). The tests check it against the 清明 day of
 * every State Council notice 2008–2026.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 2000–2099.
 */
export function qingmingDate(year: number): IsoDate {
  if (!Number.isInteger(year) || year < MIN_QINGMING_YEAR || year > MAX_QINGMING_YEAR) {
    throw new CalendarError(
      CalendarErrorCode.YearNotSupported,
      'year',
      `year: the 清明 formula covers ${MIN_QINGMING_YEAR}–${MAX_QINGMING_YEAR}, not ${year}`,
    );
  }
  const y = year - 2000;
  // [Y × 0.2422 + 4.81] in integer arithmetic, so no floating-point rounding near a whole day.
  const day = Math.floor((y * 2422 + 48_100) / 10_000) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}
