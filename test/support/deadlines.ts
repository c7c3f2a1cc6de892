import type { ClockDeadline } from '../../libs/domain/index.js';

/**
 * A planned step deadline ending on `dueOn` (24:00 Asia/Shanghai), as the workflow records it, for read-model
 * tests that write rows without running a workflow: with a statutory day (法定时限) when given (`null`: stopped,
 * unknown), and the alerts already fired.
 */
export function plannedDeadline(dueOn: string, statutoryDueOn?: string | null, fired: string[] = ['yellow', 'red']): ClockDeadline {
  const end = (d: string) => new Date(Date.parse(`${d}T00:00:00+08:00`) + 86_400_000).toISOString();
  return {
    inputKey: 'seed',
    dueOn,
    dueAt: end(dueOn),
    provisional: false,
    stopped: false,
    yellowAt: null,
    escalateAt: null,
    repeatAts: [],
    repeatsBefore: 0,
    fired,
    plannedAt: '2026-09-02T02:00:00.000Z',
    ...(statutoryDueOn === undefined ? {} : { statutoryDueOn, statutoryDueAt: statutoryDueOn === null ? null : end(statutoryDueOn) }),
  };
}
