import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { addDays, CalendarError, CalendarErrorCode, startOfShanghaiDay, type IsoDate } from '../../../../libs/calendar/index.js';
import { idleWindowStart, stuckReasons } from '../../../../libs/domain/index.js';
import type { AppConfig } from '../../../../libs/config/app-config.js';
import { InvalidStuckCursorError, SupervisionRepository, type StuckCriteria, type StuckFilter, type StuckRow } from '../../../../libs/persistence/index.js';
import type { CalendarSource } from '../../../../libs/calendar/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { toShanghaiIso } from '../common/time.js';
import { CALENDAR_SOURCE, ledgerContext } from '../database/calendar-source.provider.js';
import type { LedgerContext } from '../projects/project.mapper.js';
import type { StuckQueryDto, SupervisionFilterDto } from './dto/supervision.query.js';
import type { StuckListDto, StuckProjectDto, SupervisionInfoDto, SupervisionSummaryDto } from './dto/supervision.response.js';

/** The day, threshold and SQL criteria one request counts with. */
interface Counting {
  ctx: LedgerContext;
  idleWorkingDays: number;
  criteria: StuckCriteria;
}

/**
 * Supervisors' views: the stuck list and the summary. What "stuck" means, its reasons and their wording are the
 * domain's (libs/domain/supervision.ts); this service fetches the calendar, hands SQL the idle window's first day
 * as an instant, and words the page's rows with the domain's `stuckReasons` after the query.
 */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly supervision: SupervisionRepository,
    private readonly config: ConfigService<AppConfig, true>,
    @Inject(CALENDAR_SOURCE) private readonly calendar: CalendarSource,
  ) {}

  /**
   * Stuck projects matching the filters, most urgent first (see SupervisionRepository), one page: by number, or
   * after `q.cursor` (keyset), with the cursor of the next page. As of a past day (`q.asOf`), the list, its total and
   * the summary leave out the projects registered after that day (Asia/Shanghai) and the lateness of steps whose
   * deadline ended after it (SupervisionRepository's PastDay).
   * @throws ApiProblem REQUEST.UNPROCESSABLE (422) for an `asOf` after today; REQUEST.UNPROCESSABLE (422) for a cursor of the right
   *   shape that it did not give (a well-formed request about a page that does not exist); CalendarError (422) for a year the calendar cannot serve
   */
  async stuck(q: StuckQueryDto): Promise<StuckListDto> {
    const { ctx, idleWorkingDays, criteria } = await this.counting(q);
    try {
      const page = await this.supervision.listStuck(filterOf(q), criteria, { page: q.page, pageSize: q.pageSize, ...(q.cursor ? { cursor: q.cursor } : {}) });
      return {
        items: page.items.map((r) => stuckProject(r, ctx)),
        total: page.total,
        page: q.page,
        pageSize: q.pageSize,
        asOf: ctx.today,
        idleWorkingDays,
        nextCursor: page.nextCursor,
      };
    } catch (err) {
      if (!(err instanceof InvalidStuckCursorError)) throw err;
      throw new ApiProblem(ApiErrorCode.RequestUnprocessable, err.message, [{ field: 'cursor', message: err.message }]);
    }
  }

  /**
   * Counts by stage × light, department and district, and the stuck projects by kind, over the running
   * projects matching the filters.
   * @throws as {@link SupervisionService.stuck}
   */
  async summary(q: SupervisionFilterDto): Promise<SupervisionSummaryDto> {
    const { ctx, idleWorkingDays, criteria } = await this.counting(q);
    const rows = await this.supervision.summary(filterOf(q), criteria);
    return { ...rows, asOf: ctx.today, idleWorkingDays };
  }

  private async counting(q: SupervisionFilterDto): Promise<Counting> {
    const now = await ledgerContext(this.calendar);
    if (q.asOf !== undefined && q.asOf > now.today) {
      const why = `asOf ${q.asOf} is after today (${now.today}): days that have not come cannot be counted; ask as of today or an earlier day`;
      throw new ApiProblem(ApiErrorCode.RequestUnprocessable, why, [{ field: 'asOf', message: why }]);
    }
    const ctx: LedgerContext = { calendar: now.calendar, today: (q.asOf ?? now.today) as IsoDate };
    const idleWorkingDays = q.idleWorkingDays ?? this.config.get('IDLE_WORKING_DAYS', { infer: true });
    const windowStart = idleWindowOf(ctx, idleWorkingDays, q.asOf !== undefined);
    const criteria: StuckCriteria = { idleBefore: new Date(startOfShanghaiDay(windowStart)) };
    // As of a past day, what cannot have been so then is left out (PastDay: later registrations, later lateness).
    if (ctx.today < now.today) criteria.pastDay = { day: ctx.today, start: new Date(startOfShanghaiDay(ctx.today)), end: new Date(startOfShanghaiDay(addDays(ctx.today, 1))) };
    return { ctx, idleWorkingDays, criteria };
  }
}

/**
 * The first day of the idle window as of `ctx.today` (the domain's idleWindowStart). A year the calendar cannot serve
 * is refused naming `asOf` when the caller gave it (the year came from that parameter), as the OpenAPI document says.
 * @throws CalendarError CALENDAR.YEAR_NOT_SUPPORTED (422)
 */
function idleWindowOf(ctx: LedgerContext, idleWorkingDays: number, askedAsOf: boolean): IsoDate {
  try {
    return idleWindowStart(ctx.calendar, ctx.today as IsoDate, idleWorkingDays);
  } catch (err) {
    if (askedAsOf && err instanceof CalendarError && err.code === CalendarErrorCode.YearNotSupported) throw new CalendarError(err.code, 'asOf', err.message);
    throw err;
  }
}

function filterOf(q: SupervisionFilterDto): StuckFilter {
  return {
    stage: q.stage,
    track: q.track,
    department: q.department,
    district: q.district,
    status: q.status,
    light: q.light,
    kind: q.kind,
    dueFrom: q.dueFrom,
    dueTo: q.dueTo,
  };
}

function supervisionInfo(s: Record<string, unknown> | null): SupervisionInfoDto | null {
  if (!s) return null;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return { step: str(s.step), department: str(s.department), since: toShanghaiIso(str(s.since)) ?? '', by: str(s.by) ?? '', comment: str(s.comment) ?? '' };
}

/** A stuck row as the API shows it, its working days counted to `ctx.today`. */
function stuckProject(r: StuckRow, ctx: LedgerContext): StuckProjectDto {
  return {
    code: r.code,
    name: r.name,
    track: r.track,
    district: r.district,
    stage: r.stage,
    status: r.status,
    light: r.light,
    lastProgressAt: toShanghaiIso(r.lastProgressAt)!,
    forecastFinishOn: r.forecastFinishOn,
    slackWorkingDays: r.slackWorkingDays,
    underSupervision: r.underSupervision,
    supervision: supervisionInfo(r.supervision),
    statutoryOverdueSteps: r.statutorySteps.map((s) => ({
      step: s.step,
      name: s.name,
      department: s.department,
      state: s.state,
      statutoryDueOn: s.statutoryDueOn,
      statutoryDueAt: toShanghaiIso(s.statutoryDueAt),
    })),
    reasons: stuckReasons(r, ctx.calendar, ctx.today as IsoDate),
  };
}
