import { afterEach, describe, expect, it } from '@jest/globals';
import chineseDays from 'chinese-days';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  CalendarError,
  CalendarErrorCode,
  WorkingDayCalendar,
  lunarLeapMonth,
  lunarMonthDays,
  lunarToSolar,
  newYearsEveDate,
  provisionalYear,
  qingmingDate,
  springFestivalDate,
  statutoryHolidays,
} from '../../../libs/calendar/index.js';

// 2027 derived by hand (no notice yet): 2024 rules (国务院令第795号) Art. 2 + Art. 6 补假.
// 元旦 Fri 01-01. 春节: 除夕 Fri 02-05 (腊月廿九; 正月初一 Sat 02-06), 初一–初三 02-06…08; Sat 02-06 and
// Sun 02-07 made up on Tue 02-09 and Wed 02-10. 清明 Mon 04-05. 劳动节 Sat 05-01, Sun 05-02 → Mon 05-03, Tue 05-04.
// 端午 (五月初五) Wed 06-09. 中秋 (八月十五) Wed 09-15. 国庆 Fri 10-01, Sat 10-02, Sun 10-03 → Mon 10-04, Tue 10-05.
const HOLIDAYS_2027: Array<[date: string, name: string, kind: 'holiday' | 'in_lieu', inLieuOf?: string]> = [
  ['2027-01-01', '元旦', 'holiday'],
  ['2027-02-05', '春节', 'holiday'],
  ['2027-02-06', '春节', 'holiday'],
  ['2027-02-07', '春节', 'holiday'],
  ['2027-02-08', '春节', 'holiday'],
  ['2027-02-09', '春节', 'in_lieu', '2027-02-06'],
  ['2027-02-10', '春节', 'in_lieu', '2027-02-07'],
  ['2027-04-05', '清明节', 'holiday'],
  ['2027-05-01', '劳动节', 'holiday'],
  ['2027-05-02', '劳动节', 'holiday'],
  ['2027-05-03', '劳动节', 'in_lieu', '2027-05-01'],
  ['2027-05-04', '劳动节', 'in_lieu', '2027-05-02'],
  ['2027-06-09', '端午节', 'holiday'],
  ['2027-09-15', '中秋节', 'holiday'],
  ['2027-10-01', '国庆节', 'holiday'],
  ['2027-10-02', '国庆节', 'holiday'],
  ['2027-10-03', '国庆节', 'holiday'],
  ['2027-10-04', '国庆节', 'in_lieu', '2027-10-02'],
  ['2027-10-05', '国庆节', 'in_lieu', '2027-10-03'],
];

// Known dates: 春节 (正月初一), 端午, 中秋 and 清明 from published almanacs.
const LUNAR_DATES: Array<[year: number, springFestival: string, dragonBoat: string, midAutumn: string]> = [
  [2022, '2022-02-01', '2022-06-03', '2022-09-10'],
  [2023, '2023-01-22', '2023-06-22', '2023-09-29'],
  [2024, '2024-02-10', '2024-06-10', '2024-09-17'],
  [2025, '2025-01-29', '2025-05-31', '2025-10-06'],
  [2026, '2026-02-17', '2026-06-19', '2026-09-25'],
  [2027, '2027-02-06', '2027-06-09', '2027-09-15'],
  [2028, '2028-01-26', '2028-05-28', '2028-10-03'],
  [2029, '2029-02-13', '2029-06-16', '2029-09-22'],
  [2030, '2030-02-03', '2030-06-05', '2030-09-12'],
];

const QINGMING: Array<[number, string]> = [
  [2008, '2008-04-04'], [2009, '2009-04-04'], [2010, '2010-04-05'], [2011, '2011-04-05'], [2012, '2012-04-04'],
  [2013, '2013-04-04'], [2014, '2014-04-05'], [2015, '2015-04-05'], [2016, '2016-04-04'], [2017, '2017-04-04'],
  [2018, '2018-04-05'], [2019, '2019-04-05'], [2020, '2020-04-04'], [2021, '2021-04-04'], [2022, '2022-04-05'],
  [2023, '2023-04-05'], [2024, '2024-04-04'], [2025, '2025-04-04'], [2026, '2026-04-05'], [2027, '2027-04-05'],
  [2028, '2028-04-04'], [2029, '2029-04-04'], [2030, '2030-04-05'],
];

/** Rest days per chinese-days' notice data 2004–2026: listed holidays, and weekends not worked. */
function officialRestDay(): (date: string) => boolean {
  const file = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { holidays: Record<string, string>; workdays: Record<string, string> };
  // Its 2011/2012/2015 端午 entries skip the Saturday inside the break (`.r(6,22).r(6,24)`), so weekends count too.
  const weekend = (date: string): boolean => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  return (date) => date in data.holidays || (weekend(date) && !(date in data.workdays));
}

function refusal(run: () => unknown): CalendarError {
  try {
    run();
  } catch (error) {
    if (error instanceof CalendarError) return error;
    throw error;
  }
  throw new Error('expected a CalendarError');
}

describe(provisionalYear.name, () => {
  it('computes 2027 from the 2024 rules: statutory days and days in lieu, no make-up working days', () => {
    expect(statutoryHolidays(2027)).toEqual(
      HOLIDAYS_2027.map(([date, name, kind, inLieuOf]) => (inLieuOf ? { date, name, kind, inLieuOf } : { date, name, kind })),
    );
    const year = provisionalYear(2027);
    expect(year).toEqual({
      year: 2027,
      provisional: true,
      holidays: HOLIDAYS_2027.map(([date]) => date),
      makeUpWorkdays: [],
      source: '全国年节及纪念日放假办法（2024年修订，国务院令第795号）Art. 2, 6 — provisional, no State Council notice loaded',
    });
  });

  it.each(HOLIDAYS_2027)('2027: %s is a rest day (%s, %s)', (date) => {
    expect(WorkingDayCalendar.official().isWorkingDay(date)).toBe(false);
  });

  it('gives 2027 248 working days: 261 weekdays − 13 statutory days, all landing on weekdays after 补假', () => {
    const calendar = WorkingDayCalendar.official();
    expect(calendar.summary(2027)).toMatchObject({
      provisional: true,
      workingDays: 248,
      workingDaysByMonth: [20, 16, 23, 21, 19, 21, 22, 22, 21, 18, 22, 23],
    });
    expect(calendar.isProvisional('2027-03-01')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-11')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-13')).toBe(false); // an ordinary Saturday: no 调休 is invented
  });

  it('makes up a holiday shared with another (中秋 on 国庆 2028-10-03) like one on a weekend', () => {
    const october = statutoryHolidays(2028).filter((holiday) => holiday.date.startsWith('2028-10'));
    expect(october).toEqual([
      { date: '2028-10-01', name: '国庆节', kind: 'holiday' },
      { date: '2028-10-02', name: '国庆节', kind: 'holiday' },
      { date: '2028-10-03', name: '中秋节', kind: 'holiday' },
      { date: '2028-10-03', name: '国庆节', kind: 'holiday' },
      { date: '2028-10-04', name: '国庆节', kind: 'in_lieu', inLieuOf: '2028-10-01' },
      { date: '2028-10-05', name: '国庆节', kind: 'in_lieu', inLieuOf: '2028-10-03' },
    ]);
    expect(provisionalYear(2028).holidays).toEqual([
      '2028-01-01', '2028-01-03', '2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28', '2028-04-04', '2028-05-01',
      '2028-05-02', '2028-05-28', '2028-05-29', '2028-10-01', '2028-10-02', '2028-10-03', '2028-10-04', '2028-10-05',
    ]);
  });

  it.each([
    [2024, '2013年修订，国务院令第644号', ['2024-02-10', '2024-02-11', '2024-02-12'], ['2024-05-01']],
    [2020, '2013年修订，国务院令第644号', ['2020-01-25', '2020-01-26', '2020-01-27'], ['2020-05-01']],
    [2012, '2007年修订，国务院令第513号', ['2012-01-22', '2012-01-23', '2012-01-24'], ['2012-05-01']],
    [2025, '2024年修订，国务院令第795号', ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'], ['2025-05-01', '2025-05-02']],
  ])('applies the rules in force in %i (%s)', (year, rules, springFestival, labourDay) => {
    const holidays = statutoryHolidays(year).filter((holiday) => holiday.kind === 'holiday');
    expect(holidays.filter((holiday) => holiday.name === '春节').map((holiday) => holiday.date)).toEqual(springFestival);
    expect(holidays.filter((holiday) => holiday.name === '劳动节').map((holiday) => holiday.date)).toEqual(labourDay);
    expect(provisionalYear(year).source).toContain(rules);
    expect(holidays).toHaveLength(year >= 2025 ? 13 : 11);
  });

  it('puts every statutory holiday of 2008–2026 on a rest day of that year’s State Council notice', () => {
    const isRest = officialRestDay();
    for (let year = 2008; year <= 2026; year++) {
      const missing = statutoryHolidays(year).filter((holiday) => holiday.kind === 'holiday' && !isRest(holiday.date));
      expect({ year, missing }).toEqual({ year, missing: [] });
    }
  });

  it.each([2007, 2100, 1999, 2026.5])('refuses a provisional year outside 2008–2099: %p', (year) => {
    const error = refusal(() => provisionalYear(year));
    expect(error.code).toBe(CalendarErrorCode.YearNotSupported);
    expect(error.message).toContain(String(year));
  });

  it('refuses to count into a year it cannot provide', () => {
    expect(refusal(() => WorkingDayCalendar.official().isWorkingDay('2100-01-04')).code).toBe(CalendarErrorCode.YearNotSupported);
  });
});

describe('lunar and solar-term dates', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it.each(LUNAR_DATES)('%i: 春节 %s, 端午 %s, 中秋 %s', (year, springFestival, dragonBoat, midAutumn) => {
    expect(springFestivalDate(year)).toBe(springFestival);
    expect(lunarToSolar(year, 1, 1)).toBe(springFestival);
    expect(lunarToSolar(year, 5, 5)).toBe(dragonBoat);
    expect(lunarToSolar(year, 8, 15)).toBe(midAutumn);
  });

  it.each([
    [2024, '2024-02-09', 30],
    [2025, '2025-01-28', 29],
    [2026, '2026-02-16', 29],
    [2027, '2027-02-05', 29],
    [2028, '2028-01-25', 29],
    [2030, '2030-02-02', 30],
  ])('除夕 %i is %s, the last day (%i) of lunar month 12', (year, eve, lastDay) => {
    expect(newYearsEveDate(year)).toBe(eve);
    expect(lunarMonthDays(year - 1, 12)).toBe(lastDay);
    expect(lunarToSolar(year - 1, 12, lastDay)).toBe(eve);
  });

  it.each(QINGMING)('清明 %i is %s', (year, date) => {
    expect(qingmingDate(year)).toBe(date);
  });

  it('always puts 清明 on 4 or 5 April and the lunar festivals in their seasons, 2008–2099', () => {
    for (let year = 2008; year <= 2099; year++) {
      expect(qingmingDate(year)).toMatch(new RegExp(`^${year}-04-0[45]$`));
      const springFestival = springFestivalDate(year);
      expect(springFestival >= `${year}-01-21` && springFestival <= `${year}-02-20`).toBe(true);
      const midAutumn = lunarToSolar(year, 8, 15);
      expect(midAutumn >= `${year}-09-07` && midAutumn <= `${year}-10-08`).toBe(true);
    }
  });

  it('embeds the same lunar table as chinese-days, 1900–2100', () => {
    for (let year = 1900; year <= 2100; year++) {
      const leap = chineseDays.getYearLeapMonth(year);
      expect(lunarLeapMonth(year)).toEqual({ month: leap.leapMonth ?? 0, days: leap.days });
      for (let month = 1; month <= 12; month++) expect(lunarMonthDays(year, month)).toBe(chineseDays.monthDays(year, month));
    }
  });

  it('agrees with chinese-days’ own lunar conversion for 1901–2099 (run in Asia/Shanghai, where it is correct)', () => {
    process.env.TZ = 'Asia/Shanghai';
    for (let year = 1901; year <= 2099; year++) {
      expect(springFestivalDate(year)).toBe(chineseDays.getSolarDateFromLunar(`${year}-01-01`).date);
      expect(lunarToSolar(year, 5, 5)).toBe(chineseDays.getSolarDateFromLunar(`${year}-05-05`).date);
      expect(lunarToSolar(year, 8, 15)).toBe(chineseDays.getSolarDateFromLunar(`${year}-08-15`).date);
    }
  });

  it('does not depend on the process time zone', () => {
    const expected = statutoryHolidays(2027);
    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = tz;
      expect(statutoryHolidays(2027)).toEqual(expected);
      expect(springFestivalDate(2031)).toBe('2031-01-23');
    }
  });

  it.each([
    [2026, 13, 1, CalendarErrorCode.InvalidDate],
    [2026, 12, 30, CalendarErrorCode.InvalidDate], // 腊月 of lunar 2026 has 29 days
    [2026, 1, 0, CalendarErrorCode.InvalidDate],
    [1899, 1, 1, CalendarErrorCode.YearNotSupported],
    [2101, 1, 1, CalendarErrorCode.YearNotSupported],
  ])('refuses lunar %i-%i-%i', (year, month, day, code) => {
    expect(refusal(() => lunarToSolar(year, month, day)).code).toBe(code);
  });

  it.each([1999, 2100])('refuses 清明 outside 2000–2099: %i', (year) => {
    expect(refusal(() => qingmingDate(year)).code).toBe(CalendarErrorCode.YearNotSupported);
  });
});
