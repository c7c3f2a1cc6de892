import type { Provider } from '@nestjs/common';
import { toShanghaiDate } from '../../../../libs/calendar/index.js';
import { builtInCalendarSource, type CalendarSource } from '../../../../activities/clock.activities.js';
import type { LedgerContext } from '../projects/project.mapper.js';

/** DI token of the working-day calendar the API counts ledgers on. */
export const CALENDAR_SOURCE = Symbol('CALENDAR_SOURCE');

/** The calendar source of the API (MERGE: stored overrides via loadCalendar). */
export const calendarSourceProvider: Provider = { provide: CALENDAR_SOURCE, useFactory: (): CalendarSource => builtInCalendarSource() };

/** The ledger context for now: the current calendar and today's date in Asia/Shanghai. */
export async function ledgerContext(source: CalendarSource): Promise<LedgerContext> {
  return { calendar: await source.current(), today: toShanghaiDate(Date.now()) };
}
