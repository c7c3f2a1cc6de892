import { ApplicationFailure, log } from '@temporalio/activity';
import { startOfShanghaiDay, toShanghaiDate, type CalendarSource, type IsoDate } from '../libs/calendar/index.js';
import { idleWindowStart } from '../libs/domain/index.js';
import type { SupervisionRepository } from '../libs/persistence/index.js';

/** What {@link SupervisionActivities.snapshotSupervisionDay} did: `taken`, or `replaced` (an earlier one that day), and the rows copied. */
export interface SupervisionDaySnapshot {
  day: string;
  outcome: 'taken' | 'replaced';
  rows: number;
}

/** Activities of the daily supervision snapshot workflow. */
export interface SupervisionActivities {
  /**
   * Takes the snapshot of the summary's counters for `day` (SupervisionRepository.snapshotDay), with that day's idle
   * counts at the configured idle window (IDLE_WORKING_DAYS working days on the official calendar). A day already
   * snapshotted (a run triggered by hand earlier that day) gets the later snapshot: the day's last one stands.
   * @param day an ISO date (Asia/Shanghai); it must be today there
   * @throws ApplicationFailure `SnapshotDayOver` (not retried) when `day` is no longer today in Asia/Shanghai: the
   *   counters have moved on to the next day, and a snapshot labelled with the day would not be what it was
   */
  snapshotSupervisionDay(day: string): Promise<SupervisionDaySnapshot>;
}

/** What the supervision activities need. */
export interface SupervisionActivityDeps {
  supervision: Pick<SupervisionRepository, 'snapshotDay'>;
  calendar: CalendarSource;
  /** The idle window in working days (IDLE_WORKING_DAYS), as the API's default. */
  idleWorkingDays: number;
  /** The clock (ms since the epoch); tests pass their own. */
  now?: () => number;
}

/** Builds the supervision activities over their dependencies. */
export function createSupervisionActivities({ supervision, calendar, idleWorkingDays, now = Date.now }: SupervisionActivityDeps): SupervisionActivities {
  return {
    async snapshotSupervisionDay(day) {
      const today = toShanghaiDate(now());
      if (today !== day) {
        throw ApplicationFailure.nonRetryable(`the snapshot of ${day} is taken on that day; it is ${today} in Asia/Shanghai now, and the counters stand for it`, 'SnapshotDayOver');
      }
      const idleBefore = new Date(startOfShanghaiDay(idleWindowStart(await calendar.current(), day as IsoDate, idleWorkingDays)));
      const result = await supervision.snapshotDay(day, idleBefore, idleWorkingDays);
      log.info('supervision snapshot', { day, outcome: result.outcome, rows: result.rows });
      return { day, ...result };
    },
  };
}
