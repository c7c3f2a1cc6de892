import type { Provider } from '@nestjs/common';
import { toShanghaiDate, type CalendarSource } from '../../../../libs/calendar/index.js';
import { CalendarRepository, loadCalendar } from '../../../../libs/persistence/index.js';
import type { LedgerContext } from '../projects/project.mapper.js';

/** DI token of the working-day calendar the API counts ledgers on. */
export const CALENDAR_SOURCE = Symbol('CALENDAR_SOURCE');

/** The calendar of the API: the official notices with the years administrators loaded (read fresh each time). */
export const calendarSourceProvider: Provider = {
  provide: CALENDAR_SOURCE,
  inject: [CalendarRepository],
  useFactory: (repo: CalendarRepository): CalendarSource => ({ current: () => loadCalendar(repo) }),
};

/** The ledger context for now: the current calendar and today's date in Asia/Shanghai. */
export async function ledgerContext(source: CalendarSource): Promise<LedgerContext> {
  return { calendar: await source.current(), today: toShanghaiDate(Date.now()) };
}
