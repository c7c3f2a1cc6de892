import { plausibleNotice } from '../../support/calendar-notice.js';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { CalendarService } from '../../../apps/api/src/calendar/calendar.service.js';
import { ApiProblem } from '../../../apps/api/src/common/problem.js';
import { CalendarError, type YearCalendar } from '../../../libs/calendar/index.js';
import type { CalendarRepository, ProjectReadModelRepository, StoredYearCalendar } from '../../../libs/persistence/index.js';

const ADMIN = { id: 'admin-wang', department: null };
const NOTICE = plausibleNotice(2028);

/** A CalendarService over in-memory fakes; `signal` decides what each workflow's signal does. */
function serviceWith(running: string[], signal: (workflowId: string) => Promise<void>) {
  const stored = new Map<number, StoredYearCalendar>();
  const signalled: string[] = [];
  const calendars = {
    overrides: async () => [...stored.values()],
    find: async (year: number) => stored.get(year) ?? null,
    save: async (year: YearCalendar, actor: { id: string }) => {
      const row = { ...year, provisional: false as const, loadedBy: actor.id, loadedAt: new Date('2026-11-05T02:00:00Z') };
      stored.set(year.year, row);
      return row;
    },
  } as unknown as CalendarRepository;
  const readModel = { runningProjectCodes: async () => running } as unknown as ProjectReadModelRepository;
  const temporal = {
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: async (def: { name: string }, arg: unknown) => {
          await signal(workflowId);
          signalled.push(`${workflowId} ${def.name} ${JSON.stringify(arg)}`);
        },
      }),
    },
  } as unknown as Client;
  return { service: new CalendarService(temporal, calendars, readModel), stored, signalled };
}

describe(CalendarService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('signals each running project and skips a workflow that no longer runs', async () => {
    const { service, signalled } = serviceWith(['A', 'B', 'C'], async (id) => {
      if (id === 'project:B') throw new WorkflowNotFoundError('workflow execution already completed', id, undefined);
    });
    const result = await service.load(2028, NOTICE, ADMIN);
    expect(result).toEqual(expect.objectContaining({ year: 2028, provisional: false, origin: 'loaded', loadedBy: 'admin-wang', signalled: 2 }));
    expect(result.loadedAt).toBe('2026-11-05T10:00:00.000+08:00');
    expect(signalled).toEqual(['project:A calendarChanged {"years":[2028]}', 'project:C calendarChanged {"years":[2028]}']);
  });

  it('answers 503 (retry) when a signal fails for another reason, after storing the year', async () => {
    const { service, stored } = serviceWith(['A', 'B'], async (id) => {
      if (id === 'project:B') throw new Error('14 UNAVAILABLE: Connection dropped');
    });
    const error = await service.load(2028, NOTICE, ADMIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).code).toBe('SERVICE.UNAVAILABLE');
    expect((error as ApiProblem).message).toContain('calendar 2028 is stored, but only 1 of 2 running projects');
    expect(stored.has(2028)).toBe(true);
  });

  it('stores nothing and signals nobody when the notice is invalid', async () => {
    const { service, stored, signalled } = serviceWith(['A'], async () => undefined);
    const error = await service.load(2028, { ...NOTICE, makeUpWorkdays: ['2028-01-01'] }, ADMIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).field).toBe('makeUpWorkdays[0]');
    expect(stored.size).toBe(0);
    expect(signalled).toEqual([]);
  });
});
