import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import { dayOfWeek } from './iso-date.js';
import { MAX_PROVISIONAL_YEAR, MIN_PROVISIONAL_YEAR, statutoryHolidays } from './statutory-holidays.js';
import { WorkingDayCalendar } from './working-day-calendar.js';
import type { YearCalendar } from './year-calendar.js';

/** Working days a year of State Council notices has had (2008–2026: 242–251), with a margin. */
const MIN_WORKING_DAYS = 230;
const MAX_WORKING_DAYS = 255;

/**
 * Checks that a loaded notice is plausible against the national holiday rules (全国年节及纪念日放假办法
 * Art. 2): every statutory holiday of all citizens that falls on a weekday is a rest day of the notice,
 * and the year keeps 230–255 working days. Catches a truncated or mistyped notice before it moves
 * every running deadline.
 * @throws CalendarError `CALENDAR.INVALID_NOTICE` naming the missing holiday or the working-day count
 */
export function assertPlausibleNotice(notice: YearCalendar): void {
  if (notice.year >= MIN_PROVISIONAL_YEAR && notice.year <= MAX_PROVISIONAL_YEAR) {
    const rest = new Set(notice.holidays);
    for (const h of statutoryHolidays(notice.year)) {
      if (h.kind !== 'holiday') continue;
      const weekend = dayOfWeek(h.date) === 0 || dayOfWeek(h.date) === 6;
      if (!weekend && !rest.has(h.date)) {
        throw new CalendarError(
          CalendarErrorCode.InvalidNotice,
          'holidays',
          `holidays: ${h.date} (${h.name}) is a statutory holiday on a weekday but is not a rest day of this notice; every notice includes it (全国年节及纪念日放假办法 Art. 2)`,
        );
      }
    }
  }
  const workingDays = new WorkingDayCalendar([notice]).summary(notice.year).workingDays;
  if (workingDays < MIN_WORKING_DAYS || workingDays > MAX_WORKING_DAYS) {
    throw new CalendarError(
      CalendarErrorCode.InvalidNotice,
      'holidays',
      `holidays: the notice leaves ${workingDays} working days in ${notice.year}; State Council notices leave ${MIN_WORKING_DAYS}–${MAX_WORKING_DAYS}`,
    );
  }
}
