import type { Deadline, YearSummary } from '../../../../libs/calendar/index.js';
import type { StoredYearCalendar } from '../../../../libs/persistence/index.js';
import { toShanghaiIso } from '../common/time.js';
import type { CalendarYearDto, DeadlineDto } from './dto/calendar-year.response.js';

/**
 * A year of the calendar in force as the API shows it.
 * @param summary the year from `WorkingDayCalendar.summary` (loadCalendar's calendar)
 * @param stored the stored override of that year, if an administrator loaded one
 */
export function calendarYearDto(summary: YearSummary, stored: StoredYearCalendar | null): CalendarYearDto {
  return {
    year: summary.year,
    provisional: summary.provisional,
    origin: stored ? 'loaded' : summary.provisional ? 'provisional' : 'built_in',
    holidays: [...summary.holidays],
    makeUpWorkdays: [...summary.makeUpWorkdays],
    workingDays: summary.workingDays,
    workingDaysByMonth: [...summary.workingDaysByMonth],
    source: summary.source,
    loadedAt: stored ? toShanghaiIso(stored.loadedAt) : null,
    loadedBy: stored ? stored.loadedBy : null,
  };
}

/** A computed deadline as the calculator answers it. */
export function deadlineDto(deadline: Deadline): DeadlineDto {
  return {
    dueOn: deadline.dueOn,
    dueAt: deadline.dueAt,
    provisional: deadline.provisional,
    usedDays: deadline.usedDays,
    remainingDays: deadline.remainingDays,
    clockStoppedDays: deadline.clockStoppedDays,
    stopped: deadline.stopped,
  };
}
