// The working-day calendar and statutory deadline arithmetic. Pure: no I/O, no framework, no local
// time — importable by activities, the API and Temporal's workflow sandbox alike.
export { CalendarError, CalendarErrorCode } from './calendar.errors.js';
export {
  addDays,
  addMonths,
  civilOf,
  dayNumberOf,
  dayOfWeek,
  daysInMonth,
  endOfShanghaiDay,
  formatDayNumber,
  isIsoDate,
  isLeapYear,
  isWeekendDay,
  parseIsoDate,
  startOfShanghaiDay,
  toShanghaiDate,
  shanghaiDateOf,
  weekdayOf,
  type DayNumber,
  type IsoDate,
} from './iso-date.js';
export { checkInstant, ISO_INSTANT_PATTERN, REAL_INSTANT_PATTERN, whyNotARealDay, type InstantCheck } from './instants.js';
export { fromNotice, validateYearCalendar, MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR, type YearCalendar } from './year-calendar.js';
export { OFFICIAL_YEARS } from './official-notices.js';
export {
  lunarLeapMonth,
  lunarMonthDays,
  lunarToSolar,
  newYearsEveDate,
  springFestivalDate,
  MAX_LUNAR_YEAR,
  MIN_LUNAR_YEAR,
} from './lunar.js';
export { qingmingDate, MAX_QINGMING_YEAR, MIN_QINGMING_YEAR } from './solar-terms.js';
export {
  provisionalYear,
  statutoryHolidays,
  MAX_PROVISIONAL_YEAR,
  MIN_PROVISIONAL_YEAR,
  type StatutoryHoliday,
} from './statutory-holidays.js';
export { WorkingDayCalendar, type YearSummary } from './working-day-calendar.js';
export { builtInCalendarSource, type CalendarSource } from './calendar-source.js';
export {
  computeDeadline,
  usedAsOf,
  LIMIT_UNITS,
  MAX_LIMIT,
  MIN_LIMIT,
  type ClockStop,
  type Deadline,
  type DeadlineInput,
  type DeadlineStatus,
  type LimitUnit,
} from './deadline.js';
export {
  planClock,
  planFixedClock,
  calendarDaysBetween,
  DEFAULT_REMINDER_POLICY,
  type ClockPlan,
  type ReminderPolicy,
} from './step-clock.js';
export { assertPlausibleNotice } from './notice-plausibility.js';
