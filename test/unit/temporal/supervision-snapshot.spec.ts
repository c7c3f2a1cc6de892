import { describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSupervisionActivities } from '../../../activities/supervision.activities.js';
import { builtInCalendarSource } from '../../../libs/calendar/index.js';

/*
 * The daily supervision snapshot's activity: it snapshots the day it is asked for only while that day lasts in
 * Asia/Shanghai, with that day's idle instant on the official calendar (the API's default window).
 */

function activities(nowIso: string) {
  const calls: Array<{ day: string; idleBefore: string; idleWorkingDays: number }> = [];
  const acts = createSupervisionActivities({
    supervision: {
      snapshotDay: async (day, idleBefore, idleWorkingDays) => {
        calls.push({ day, idleBefore: idleBefore.toISOString(), idleWorkingDays });
        return { outcome: 'taken', rows: 7 };
      },
    },
    calendar: builtInCalendarSource(),
    idleWorkingDays: 10,
    now: () => Date.parse(nowIso),
  });
  return { acts, calls };
}

describe('the supervision snapshot activity', () => {
  it("snapshots the day at 23:50 Asia/Shanghai with that day's idle instant: the start of the 10th working day back", async () => {
    const { acts, calls } = activities('2026-11-20T23:50:00+08:00'); // a Friday; 10 working days back is Monday 9 November
    const result = await new MockActivityEnvironment().run(acts.snapshotSupervisionDay, '2026-11-20');
    expect(result).toEqual({ day: '2026-11-20', outcome: 'taken', rows: 7 });
    expect(calls).toEqual([{ day: '2026-11-20', idleBefore: '2026-11-08T16:00:00.000Z', idleWorkingDays: 10 }]);
  });

  it('refuses, without retries, a day that is over in Asia/Shanghai (though not yet in UTC), and snapshots nothing', async () => {
    const { acts, calls } = activities('2026-11-21T00:05:00+08:00'); // 16:05 UTC on the 20th
    const failure = await new MockActivityEnvironment().run(acts.snapshotSupervisionDay, '2026-11-20').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'SnapshotDayOver', nonRetryable: true });
    expect((failure as Error).message).toContain('it is 2026-11-21 in Asia/Shanghai now');
    expect(calls).toEqual([]);
  });
});
