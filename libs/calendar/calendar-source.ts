import { WorkingDayCalendar } from './working-day-calendar.js';

/**
 * Where a reader gets the working-day calendar from: the official notices plus the years administrators loaded.
 * The clock activities plan deadlines on it; the API counts ledgers and supervision views on it. Implementations
 * live where the storage is (the API's provider reads PostgreSQL); this module only names the shape.
 */
export interface CalendarSource {
  /** The calendar as it stands now (read afresh on each call, so a newly loaded year is seen at once). */
  current(): Promise<WorkingDayCalendar>;
}

/**
 * A calendar source with the built-in official notices only (the years in `OFFICIAL_YEARS`; other years
 * provisional). For tests, scripts and replays that have no database.
 */
export function builtInCalendarSource(): CalendarSource {
  const calendar = WorkingDayCalendar.official();
  return { current: async () => calendar };
}
