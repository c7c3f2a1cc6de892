import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  CalendarError,
  CalendarErrorCode,
  computeDeadline,
  assertPlausibleNotice,
  fromNotice,
  type ClockStop,
  type WorkingDayCalendar,
} from '../../../../libs/calendar/index.js';
import type { Actor } from '../../../../libs/domain/index.js';
import { CalendarRepository, loadCalendar, ProjectReadModelRepository } from '../../../../libs/persistence/index.js';
import { calendarChangedSignal, projectWorkflowId } from '../../../../libs/temporal/project.contract.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module.js';
import { calendarYearDto, deadlineDto } from './calendar.mapper.js';
import type { CalendarLoadResultDto, CalendarYearDto, DeadlineDto } from './dto/calendar-year.response.js';
import type { DeadlineQueryDto } from './dto/deadline.query.js';
import type { LoadCalendarYearDto } from './dto/load-calendar-year.dto.js';

/** Signals sent at once after a calendar load; more would only queue up in the Temporal client. */
const SIGNAL_BATCH = 16;

/**
 * The working-day calendar for the API: shows a year, loads a State Council notice (and tells every running
 * project workflow), and computes deadlines for officers. The calendar in force is read from PostgreSQL on
 * every request (`loadCalendar`), so all replicas agree right after a load. All arithmetic is libs/calendar's.
 */
@Injectable()
export class CalendarService {
  private readonly logger = new Logger(CalendarService.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly calendars: CalendarRepository,
    private readonly readModel: ProjectReadModelRepository,
  ) {}

  /**
   * One year of the calendar in force: the loaded notice, else the built-in one (2022–2026), else provisional.
   * @throws CalendarError CALENDAR.YEAR_NOT_SUPPORTED (422) for a year with no notice outside 2008–2099
   */
  async year(year: number): Promise<CalendarYearDto> {
    const [calendar, stored] = await Promise.all([loadCalendar(this.calendars), this.calendars.find(year)]);
    return calendarYearDto(calendar.summary(year), stored);
  }

  /**
   * Loads `year`'s holiday notice: validates it (libs/calendar `fromNotice`), stores it (replacing an earlier
   * load or the built-in year), then signals `calendarChanged { years: [year] }` to the workflow of every
   * project the read model shows as active or suspended, so each re-plans its open deadlines in that year.
   * A workflow that no longer runs (WorkflowNotFoundError) is skipped.
   * @returns the year as now stored and the number of workflows signalled
   * @throws CalendarError CALENDAR.INVALID_NOTICE (422) naming the offending date or field; nothing is stored, and the Idempotency-Key is not used up
   * @throws ApiProblem SERVICE.UNAVAILABLE (503) when the year was stored but not every running workflow could
   *   be signalled; repeating the request stores the same data again and re-signals (re-planning is idempotent)
   */
  async load(year: number, dto: LoadCalendarYearDto, actor: Actor): Promise<CalendarLoadResultDto> {
    const notice = fromNotice(year, dto.holidays, dto.makeUpWorkdays, dto.source);
    assertPlausibleNotice(notice);
    await this.calendars.save(notice, actor);
    const signalled = await this.signalRunningProjects([year]);
    return { ...(await this.year(year)), signalled };
  }

  /**
   * The deadline calculator: `start` (acceptance day, not counted) + `limit` days in `unit`, minus the clock
   * stops, on the calendar in force (libs/calendar `computeDeadline`; 民法典 Art. 201–203, 行政许可法 Art. 82).
   * @throws CalendarError (400) naming the query parameter: CALENDAR.INVALID_DATE or CALENDAR.INVALID_STOP for a
   *   `stop` (`stop[i]`, with its S or R), CALENDAR.YEAR_NOT_SUPPORTED when the count needs a year the calendar
   *   cannot provide (`start` or `limit`)
   */
  async deadline(q: DeadlineQueryDto): Promise<DeadlineDto> {
    const raw = q.stop ?? [];
    const stops: ClockStop[] = raw.map((value) => {
      const [from = '', to = ''] = value.split('/');
      return { from, to: to === '' ? null : to };
    });
    const calendar = await loadCalendar(this.calendars);
    try {
      return deadlineDto(computeDeadline({ start: q.start, limit: q.limit, unit: q.unit, stops }, calendar));
    } catch (err) {
      throw err instanceof CalendarError ? inQueryTerms(err, q, raw, calendar) : err;
    }
  }

  /**
   * Sends `calendarChanged` to the latest run of every running project's workflow (`project:<code>`), a batch at
   * a time; stops at the first batch with a failure other than WorkflowNotFoundError.
   * @returns how many workflows received the signal
   */
  private async signalRunningProjects(years: number[]): Promise<number> {
    const codes = await this.readModel.runningProjectCodes();
    let signalled = 0;
    let gone = 0;
    for (let i = 0; i < codes.length; i += SIGNAL_BATCH) {
      const batch = codes.slice(i, i + SIGNAL_BATCH);
      const results = await Promise.allSettled(
        batch.map((code) => this.temporal.workflow.getHandle(projectWorkflowId(code)).signal(calendarChangedSignal, { years })),
      );
      const failures: unknown[] = [];
      for (const result of results) {
        if (result.status === 'fulfilled') signalled++;
        else if (result.reason instanceof WorkflowNotFoundError) gone++; // closed since the read model last heard
        else failures.push(result.reason);
      }
      if (failures.length > 0) {
        this.logger.error({ err: failures[0], years, signalled, running: codes.length }, 'calendarChanged signal failed');
        throw new ApiProblem(
          ApiErrorCode.ServiceUnavailable,
          `calendar ${years.join(', ')} is stored, but only ${signalled} of ${codes.length} running projects could be told about it ` +
            '(the workflow engine did not take the signal); repeat this request, with the same Idempotency-Key if you gave one, to signal again',
        );
      }
    }
    if (gone > 0) this.logger.warn({ years, gone }, 'projects listed as running in the read model have no running workflow; not signalled');
    return signalled;
  }
}

/**
 * A CalendarError of `computeDeadline`, reworded in the calculator's query parameters: `stops[i].from/to`
 * become `stop[i]` with its S or R; a year the calendar cannot provide is blamed on `start` (when it lies in
 * such a year) or on `limit` (when the count runs into one).
 */
function inQueryTerms(err: CalendarError, q: DeadlineQueryDto, raw: readonly string[], calendar: WorkingDayCalendar): CalendarError {
  if (err.code === CalendarErrorCode.YearNotSupported) {
    const startServed = (() => {
      try {
        calendar.year(Number(q.start.slice(0, 4)));
        return true;
      } catch {
        return false;
      }
    })();
    const field = startServed ? 'limit' : 'start';
    const what = startServed ? `counting ${q.limit} ${q.unit} from start ${q.start} runs into a year` : `start ${q.start} lies in a year`;
    return new CalendarError(err.code, field, `${field}: ${what} the calendar cannot provide — ${err.message}`);
  }
  const stop = /^stops\[(\d+)\]\.(?:from|to)$/.exec(err.field);
  const message = err.message.replace(/stops\[(\d+)\]\.(from|to)/g, (_m, i: string, end: string) => `stop[${i}] ${end === 'from' ? 'S' : 'R'}`);
  if (!stop) return new CalendarError(err.code, err.field, message);
  const index = Number(stop[1]);
  return new CalendarError(err.code, `stop[${index}]`, `stop=${raw[index]}: ${message}`);
}
