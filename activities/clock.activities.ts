import { planClock, planFixedClock, toShanghaiDate, WorkingDayCalendar, type ClockPlan } from '../libs/calendar/index.js';
import { forecastProject, getTrackDefinition, type ClockRequest, type ProjectForecast, type ProjectSnapshot } from '../libs/domain/index.js';

/** Where the activities get the working-day calendar from (official notices plus stored overrides). */
export interface CalendarSource {
  /** The calendar as it stands now. */
  current(): Promise<WorkingDayCalendar>;
}

/** A calendar source with the built-in official notices only (2022–2026; other years provisional). */
export function builtInCalendarSource(): CalendarSource {
  const calendar = WorkingDayCalendar.official();
  return { current: async () => calendar };
}

/** Repeats planned ahead per deadline (about a month of 督办 at the default policy); more are planned when they run out. */
const REPEATS_AHEAD = 4;

/** Activities that read the calendar for the project workflow: workflow code never reads it itself. */
export interface ClockActivities {
  /**
   * Plans each clock on the current calendar: deadline, yellow/red/escalation instants and the next repeats
   * (see libs/calendar planClock; rules of issue 4, 民法典 Art. 201–203, 行政许可法 Art. 32, 82).
   * @returns one plan per request, in order
   */
  planClocks(requests: ClockRequest[]): Promise<Array<{ request: ClockRequest; plan: ClockPlan }>>;

  /**
   * The at-risk forecast of a project as of workflow instant `at` (its Asia/Shanghai date is "today"): see
   * libs/domain forecastProject (issue 5).
   */
  forecast(input: { snapshot: ProjectSnapshot; at: string }): Promise<ProjectForecast>;
}

/** Builds the clock activities over a calendar source. */
export function createClockActivities({ calendar }: { calendar: CalendarSource }): ClockActivities {
  return {
    async planClocks(requests) {
      const cal = await calendar.current();
      return requests.map((request) => ({
        request,
        plan: request.fixedDueOn
          ? planFixedClock(request.start, request.fixedDueOn, cal, request.policy, REPEATS_AHEAD, request.repeatsBefore)
          : planClock({ start: request.start, limit: request.limit, unit: request.unit, stops: request.stops }, cal, request.policy, REPEATS_AHEAD, request.repeatsBefore),
      }));
    },
    async forecast({ snapshot, at }) {
      const cal = await calendar.current();
      const def = getTrackDefinition(snapshot.track, snapshot.definitionVersion);
      return forecastProject(def, snapshot, cal, toShanghaiDate(Date.parse(at)), at);
    },
  };
}
