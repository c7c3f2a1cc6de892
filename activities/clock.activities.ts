import {
  addDays,
  computeDeadline,
  endOfShanghaiDay,
  planClock,
  planFixedClock,
  toShanghaiDate,
  WorkingDayCalendar,
  type CalendarSource,
  type ClockPlan,
} from '../libs/calendar/index.js';
import {
  applyPosition,
  computeGovernmentTime,
  forecastProject,
  getTrackDefinition,
  openClockRequests,
  ProjectState,
  shiftedDueOn,
  type ClockRequest,
  type PlannedClocks,
  type PositionAction,
  type GovernmentTime,
  type ProjectForecast,
  type ProjectSnapshot,
  type TrackDefinition,
} from '../libs/domain/index.js';

/** Repeats planned ahead per deadline (about a month of 督办 at the default policy); more are planned when they run out. */
const REPEATS_AHEAD = 4;

/** Activities that read the calendar for the project workflow: workflow code never reads it itself. */
export interface ClockActivities {
  /**
   * Plans each clock on the current calendar: deadline, yellow/red/escalation instants and the next repeats
   * (see libs/calendar planClock; 民法典 Art. 201–203, 行政许可法 Art. 32, 82), with an extension's working days
   * (Art. 42) and the statutory tier (法定时限, counted beside the shorter promised limit).
   * @returns one plan per request, in order
   */
  planClocks(requests: ClockRequest[]): Promise<Array<{ request: ClockRequest; plan: ClockPlan }>>;

  /**
   * The at-risk forecast of a project as of workflow instant `at` (its Asia/Shanghai date is "today"): see
   * libs/domain forecastProject (does the remaining work fit the hard deadlines?); with the project's government
   * time (政府审批用时: working days the agencies held it) as `governmentTime`.
   */
  forecast(input: { snapshot: ProjectSnapshot; at: string; definition?: TrackDefinition }): Promise<ProjectForecast & { governmentTime?: GovernmentTime }>;

  /**
   * Plans a whole position ahead, for a registration that carries one (a ledger import): applies its actions to a copy
   * of the project as the workflow will (libs/domain applyPosition) and plans each time the workflow will plan, then the
   * open clocks its main loop plans next — one local activity instead of one per planning. The workflow takes each plan
   * whose requests equal its own at that point and asks {@link planClocks} for any other, so a plan made here is never
   * used for requests it was not made for.
   * @param input the project just registered, the position, the workflow's instant `at` (ISO 8601) and its settings
   * @returns the plans of each planning, in order (the last one the open clocks', when any)
   */
  planPosition(input: PositionPlanningInput): Promise<PlannedClocks[]>;
}

/** What {@link ClockActivities.planPosition} needs: the workflow's state, settings and instant. */
export interface PositionPlanningInput {
  snapshot: ProjectSnapshot;
  /** The run's definition when it carries one; else the shipped one of the snapshot's track and version. */
  definition?: TrackDefinition;
  position: PositionAction[];
  /** The workflow's time while it applies the position (one workflow task). */
  at: string;
  statutoryFidelity: boolean;
  keepsHoldOnUnchangedPlan: boolean;
  factsAtOnce: boolean;
  catchUpHoldMs?: number;
}

/**
 * Plans one clock request on `cal` (see {@link ClockActivities.planClocks}).
 * @throws CalendarError for dates or years the calendar cannot serve
 */
export function planRequest(request: ClockRequest, cal: WorkingDayCalendar, repeats = REPEATS_AHEAD): ClockPlan {
  const plan = planOnce(request, cal, repeats);
  const last = plan.repeatAts[plan.repeatAts.length - 1];
  if (!request.notBefore || plan.escalateAt === null || last === undefined || Date.parse(last) > Date.parse(request.notBefore)) return plan;
  // Every planned repeat is already past (a clock overdue for years): skip to the latest one due, which fires as the
  // one catch-up notice, and plan the following ones ahead. Repeat n falls at the end of the day n × every working
  // days after the escalation day; it is due once that day is over.
  const escalateOn = toShanghaiDate(Date.parse(plan.escalateAt) - 1);
  const yesterday = addDays(toShanghaiDate(Date.parse(request.notBefore)), -1);
  const due = Math.floor(cal.workingDaysBetween(escalateOn, yesterday) / Math.max(1, request.policy.repeatEveryWorkingDays));
  const skipped = Math.max(0, due - 1 - request.repeatsBefore);
  if (skipped === 0) return plan;
  return { ...planOnce({ ...request, repeatsBefore: request.repeatsBefore + skipped }, cal, repeats), skippedRepeats: skipped };
}

function planOnce(request: ClockRequest, cal: WorkingDayCalendar, repeats: number): ClockPlan {
  if (request.fixedDueOn) {
    // 民法典 Art. 203: a period whose last day is a holiday ends on the first working day after it.
    const dueOn = request.moveOffHoliday && !cal.isWorkingDay(request.fixedDueOn) ? cal.nextWorkingDay(request.fixedDueOn) : request.fixedDueOn;
    return planFixedClock(request.start, dueOn, cal, request.policy, repeats, request.repeatsBefore);
  }
  const stops = request.stops;
  // The request carries a limit as the domain's countedLimit gives it: an extension is already in a working-day
  // limit, and moves a calendar-day limit's last day by `extraWorkingDays` (shiftedDueOn; 行政许可法 Art. 42, 82).
  let plan = planClock({ start: request.start, limit: request.limit, unit: request.unit, stops }, cal, request.policy, repeats, request.repeatsBefore);
  const dueOn = shiftedDueOn(plan.dueOn, request.extraWorkingDays ?? 0, cal);
  if (dueOn !== null && dueOn !== plan.dueOn) {
    // The thresholds follow the moved day.
    plan = { ...planFixedClock(request.start, dueOn, cal, request.policy, repeats, request.repeatsBefore), provisional: plan.provisional };
  }
  if (request.statutory) {
    const st = computeDeadline({ start: request.start, limit: request.statutory.limit, unit: request.statutory.unit, stops }, cal);
    const statutoryDueOn = shiftedDueOn(st.dueOn, request.statutory.extraWorkingDays ?? 0, cal);
    plan = { ...plan, statutoryDueOn, statutoryDueAt: statutoryDueOn === null ? null : endOfShanghaiDay(statutoryDueOn) };
  }
  return plan;
}

/**
 * Builds the clock activities over a calendar source. `atRiskMarginWorkingDays` is the forecast's margin (a started
 * hard deadline with less slack is at risk; default 0, see libs/domain forecastProject).
 */
export function createClockActivities({ calendar, atRiskMarginWorkingDays = 0 }: { calendar: CalendarSource; atRiskMarginWorkingDays?: number }): ClockActivities {
  return {
    async planClocks(requests) {
      const cal = await calendar.current();
      return requests.map((request) => ({ request, plan: planRequest(request, cal) }));
    },
    async forecast({ snapshot, at, definition }) {
      const cal = await calendar.current();
      // The run's own definition when it carries one (published at run time, or moved to), else the registry's.
      const def = definition ?? getTrackDefinition(snapshot.track, snapshot.definitionVersion);
      const today = toShanghaiDate(Date.parse(at));
      return { ...forecastProject(def, snapshot, cal, today, at, { marginWorkingDays: atRiskMarginWorkingDays }), governmentTime: computeGovernmentTime(def, snapshot, cal, today) };
    },
    async planPosition(input) {
      const cal = await calendar.current();
      const def = input.definition ?? getTrackDefinition(input.snapshot.track, input.snapshot.definitionVersion);
      const state = ProjectState.restore(def, input.snapshot, input.catchUpHoldMs !== undefined ? { catchUpHoldMs: input.catchUpHoldMs } : {});
      state.statutoryFidelity = input.statutoryFidelity;
      state.keepsHoldOnUnchangedPlan = input.keepsHoldOnUnchangedPlan;
      state.factsAtOnce = input.factsAtOnce;
      const notBefore = input.statutoryFidelity ? input.at : null;
      const planned: PlannedClocks[] = [];
      const plan = (requests: ClockRequest[]): PlannedClocks => {
        const plans = requests.map((request) => ({ request, plan: planRequest(request, cal) }));
        planned.push(plans);
        return plans;
      };
      // The lights never change what is planned; judged as the workflow judges them today.
      await applyPosition(state, input.position, { now: () => input.at, notBefore: () => notBefore, plan: async (requests) => plan(requests), onEntries: () => undefined, lightsAtAction: true });
      const open = openClockRequests(state, notBefore);
      if (open.length > 0) plan(open);
      return planned;
    },
  };
}
