import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { CalendarError, CalendarErrorCode, fromNotice, WorkingDayCalendar, type YearCalendar } from '../../libs/calendar/index.js';
import { CalendarRepository, loadCalendar } from '../../libs/persistence/index.js';
import { NOTICE_2027 } from '../support/calendar-notice.js';
import { createTestDatabase } from '../support/database.js';

const ADMIN = { id: 'admin-wang' };
const notice2027 = (): YearCalendar => fromNotice(2027, NOTICE_2027.holidays, NOTICE_2027.makeUpWorkdays, NOTICE_2027.source);

async function refusal(run: () => Promise<unknown>): Promise<CalendarError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CalendarError) return error;
    throw error;
  }
  throw new Error('expected a CalendarError');
}

describe(CalendarRepository.name, () => {
  let db: DataSource;
  let repo: CalendarRepository;
  const rowCount = async (): Promise<number> => Number(((await db.query(`SELECT count(*) AS n FROM calendar_years`)) as Array<{ n: string }>)[0]!.n);

  beforeAll(async () => {
    db = (await createTestDatabase('calendar_repo')).dataSource;
    repo = new CalendarRepository(db);
  }, 60_000);
  afterAll(async () => db?.destroy());

  it('starts empty, and loadCalendar is then the built-in calendar (2022–2026 official, others provisional)', async () => {
    expect(await repo.overrides()).toEqual([]);
    expect(await repo.find(2027)).toBeNull();
    const calendar = await loadCalendar(repo);
    expect(calendar.loadedYears()).toEqual([2022, 2023, 2024, 2025, 2026]);
    expect(calendar.summary(2025)).toEqual(WorkingDayCalendar.official().summary(2025));
    expect(calendar.summary(2025).workingDays).toBe(248);
    expect(calendar.isYearProvisional(2027)).toBe(true);
  });

  it('stores a notice with who loaded it and answers it with sorted dates', async () => {
    const before = Date.now();
    const shuffled = fromNotice(2027, [...NOTICE_2027.holidays].reverse(), [...NOTICE_2027.makeUpWorkdays].reverse(), NOTICE_2027.source);
    const stored = await repo.save(shuffled, ADMIN);
    expect(stored).toEqual({
      year: 2027,
      provisional: false,
      holidays: [...NOTICE_2027.holidays],
      makeUpWorkdays: [...NOTICE_2027.makeUpWorkdays],
      source: NOTICE_2027.source,
      loadedBy: 'admin-wang',
      loadedAt: expect.any(Date),
    });
    expect(stored.loadedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(await repo.overrides()).toEqual([stored]);
    expect(await repo.find(2027)).toEqual(stored);
  });

  it('makes loadCalendar treat the stored year as official', async () => {
    const calendar = await loadCalendar(repo);
    expect(calendar.loadedYears()).toEqual([2022, 2023, 2024, 2025, 2026, 2027]);
    const year = calendar.summary(2027);
    expect(year.provisional).toBe(false);
    expect(year.source).toBe(NOTICE_2027.source);
    expect(year.workingDays).toBe(NOTICE_2027.workingDays);
    expect(calendar.isWorkingDay('2027-01-31')).toBe(true); // make-up Sunday
    expect(calendar.isWorkingDay('2027-02-11')).toBe(false); // Thursday inside 春节
    expect(calendar.isWorkingDay('2027-02-15')).toBe(true);
    // Nothing loaded since: the same (immutable) calendar, its indexes already built; a load replaces it (next test).
    expect(await loadCalendar(repo)).toBe(calendar);
  });

  it('replaces a year on a second load (upsert), keeping one row', async () => {
    const corrected = fromNotice(2027, NOTICE_2027.holidays.filter((d) => d !== '2027-09-15'), NOTICE_2027.makeUpWorkdays, `${NOTICE_2027.source} (corrected)`);
    const stored = await repo.save(corrected, { id: 'admin-li' });
    expect(stored.loadedBy).toBe('admin-li');
    expect(stored.holidays).not.toContain('2027-09-15');
    expect(await rowCount()).toBe(1);
    expect((await loadCalendar(repo)).summary(2027).workingDays).toBe(NOTICE_2027.workingDays + 1);
    await repo.save(notice2027(), ADMIN);
  });

  it('lets a load override a built-in year', async () => {
    const official2026 = WorkingDayCalendar.official().year(2026);
    const amended = fromNotice(2026, [...official2026.holidays, '2026-12-31'], official2026.makeUpWorkdays, 'amended 2026 notice (test)');
    await repo.save(amended, ADMIN);
    const calendar = await loadCalendar(repo);
    expect(calendar.year(2026).source).toBe('amended 2026 notice (test)');
    expect(calendar.isWorkingDay('2026-12-31')).toBe(false);
    expect(calendar.summary(2026).workingDays).toBe(WorkingDayCalendar.official().summary(2026).workingDays - 1);
    await db.query(`DELETE FROM calendar_years WHERE year = 2026`);
  });

  it.each([
    ['a date outside the year', { holidays: ['2028-01-01', '2027-12-31'] }, 'holidays[1]', '2027-12-31'],
    ['a date both holiday and make-up day', { holidays: ['2028-01-01'], makeUpWorkdays: ['2028-01-01'] }, 'makeUpWorkdays[0]', '2028-01-01'],
    ['a make-up day on a weekday', { holidays: ['2028-01-01'], makeUpWorkdays: ['2028-01-05'] }, 'makeUpWorkdays[0]', '2028-01-05'],
    ['a malformed date', { holidays: ['2028-02-30'] }, 'holidays[0]', '2028-02-30'],
    ['an empty source', { holidays: ['2028-01-01'], source: ' ' }, 'source', 'source'],
  ])('refuses %s and stores nothing', async (_case, patch, field, named) => {
    const input = { year: 2028, provisional: false, makeUpWorkdays: [], source: 'test notice', ...patch } as YearCalendar;
    const before = await rowCount();
    const error = await refusal(() => repo.save(input, ADMIN));
    expect(error.code).toBe(CalendarErrorCode.InvalidNotice);
    expect(error.field).toBe(field);
    expect(error.message).toContain(named);
    expect(await rowCount()).toBe(before);
    expect(await repo.find(2028)).toBeNull();
  });

  it('refuses to store a provisional year', async () => {
    const provisional = WorkingDayCalendar.official().year(2028);
    expect(provisional.provisional).toBe(true);
    const error = await refusal(() => repo.save(provisional, ADMIN));
    expect(error.field).toBe('provisional');
    expect(await repo.find(2028)).toBeNull();
  });
});
