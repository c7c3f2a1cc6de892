import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OFFICIAL_YEARS, WorkingDayCalendar } from '../../../libs/calendar/index.js';

// Typed by hand from the State Council General Office notices (国务院办公厅关于YYYY年部分节假日安排的通知),
// not derived from chinese-days, so these tests check the data. `rest` = the notice's 放假 ranges (inclusive),
// `work` = its 调休上班 days.
type Notice = { doc: string; rest: Array<[name: string, from: string, to: string]>; work: string[] };
const NOTICES: Record<number, Notice> = {
  2022: {
    doc: '国办发明电〔2021〕11号',
    rest: [
      ['元旦', '2022-01-01', '2022-01-03'],
      ['春节', '2022-01-31', '2022-02-06'],
      ['清明节', '2022-04-03', '2022-04-05'],
      ['劳动节', '2022-04-30', '2022-05-04'],
      ['端午节', '2022-06-03', '2022-06-05'],
      ['中秋节', '2022-09-10', '2022-09-12'],
      ['国庆节', '2022-10-01', '2022-10-07'],
      // 2023 notice: 元旦 2022年12月31日至2023年1月2日.
      ['元旦 (2023 notice)', '2022-12-31', '2022-12-31'],
    ],
    work: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
  },
  2023: {
    doc: '国办发明电〔2022〕16号',
    rest: [
      ['元旦', '2023-01-01', '2023-01-02'],
      ['春节', '2023-01-21', '2023-01-27'],
      ['清明节', '2023-04-05', '2023-04-05'],
      ['劳动节', '2023-04-29', '2023-05-03'],
      ['端午节', '2023-06-22', '2023-06-24'],
      ['中秋节、国庆节', '2023-09-29', '2023-10-06'],
    ],
    work: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  2024: {
    doc: '国办发明电〔2023〕7号',
    rest: [
      ['元旦', '2024-01-01', '2024-01-01'],
      ['春节', '2024-02-10', '2024-02-17'],
      ['清明节', '2024-04-04', '2024-04-06'],
      ['劳动节', '2024-05-01', '2024-05-05'],
      ['端午节', '2024-06-10', '2024-06-10'],
      ['中秋节', '2024-09-15', '2024-09-17'],
      ['国庆节', '2024-10-01', '2024-10-07'],
    ],
    work: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  2025: {
    doc: '国办发明电〔2024〕12号',
    rest: [
      ['元旦', '2025-01-01', '2025-01-01'],
      ['春节', '2025-01-28', '2025-02-04'],
      ['清明节', '2025-04-04', '2025-04-06'],
      ['劳动节', '2025-05-01', '2025-05-05'],
      ['端午节', '2025-05-31', '2025-06-02'],
      ['国庆节、中秋节', '2025-10-01', '2025-10-08'],
    ],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    doc: '国办发明电〔2025〕7号',
    rest: [
      ['元旦', '2026-01-01', '2026-01-03'],
      ['春节', '2026-02-15', '2026-02-23'],
      ['清明节', '2026-04-04', '2026-04-06'],
      ['劳动节', '2026-05-01', '2026-05-05'],
      ['端午节', '2026-06-19', '2026-06-21'],
      ['中秋节', '2026-09-25', '2026-09-27'],
      ['国庆节', '2026-10-01', '2026-10-07'],
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

// Working days per month, counted by hand from the tables above (weekdays − weekday rest days + 调休上班).
const WORKING_DAYS_BY_MONTH: Array<[year: number, months: number[], total: number]> = [
  [2022, [21, 16, 23, 21, 20, 21, 21, 23, 21, 18, 22, 22], 249],
  [2023, [18, 20, 23, 20, 21, 21, 21, 23, 20, 19, 22, 21], 249],
  [2024, [22, 18, 21, 22, 21, 19, 23, 22, 21, 19, 21, 22], 251],
  [2025, [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23], 248],
  [2026, [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23], 248],
];

/** Dates from `from` to `to` inclusive, with the test's own UTC arithmetic. */
function range(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

const YEARS = Object.keys(NOTICES).map(Number);
const restRows = YEARS.flatMap((year) =>
  NOTICES[year].rest.flatMap(([name, from, to]) => range(from, to).map((date) => [date, name] as [string, string])),
);
const workRows = YEARS.flatMap((year) => NOTICES[year].work.map((date) => [date] as [string]));

describe('OFFICIAL_YEARS (State Council notices 2022–2026)', () => {
  const calendar = WorkingDayCalendar.official();

  it('holds exactly the years 2022–2026, none provisional', () => {
    expect(OFFICIAL_YEARS.map((year) => year.year)).toEqual([2022, 2023, 2024, 2025, 2026]);
    expect(OFFICIAL_YEARS.every((year) => !year.provisional)).toBe(true);
    expect(calendar.loadedYears()).toEqual([2022, 2023, 2024, 2025, 2026]);
  });

  it.each(YEARS)('%i names its notice and document number', (year) => {
    expect(calendar.year(year).source).toContain(`国务院办公厅关于${year}年部分节假日安排的通知`);
    expect(calendar.year(year).source).toContain(NOTICES[year].doc);
  });

  it.each(YEARS)('%i lists exactly the rest days and make-up working days of its notice', (year) => {
    const rest = NOTICES[year].rest.flatMap(([, from, to]) => range(from, to)).sort();
    expect(calendar.year(year).holidays).toEqual(rest);
    expect(calendar.year(year).makeUpWorkdays).toEqual([...NOTICES[year].work].sort());
  });

  it.each(restRows)('%s is a rest day (%s)', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it.each(workRows)('%s is a make-up working day (调休上班) on a weekend', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(true);
    expect([0, 6]).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
  });

  it.each(WORKING_DAYS_BY_MONTH)('%i has the working days per month of its notice', (year, months, total) => {
    const summary = calendar.summary(year);
    expect(summary.workingDaysByMonth).toEqual(months);
    expect(summary.workingDays).toBe(total);
  });

  it.each([
    ['2025-10-09', true, 'first day after the 2025 国庆+中秋 break'],
    ['2025-10-12', false, 'an ordinary Sunday'],
    ['2025-09-29', true, 'an ordinary Monday'],
    ['2026-02-24', true, 'first day after the 2026 春节 break'],
    ['2024-06-08', false, 'Saturday beside 端午 2024-06-10 (与周末连休)'],
    ['2023-12-30', false, 'Saturday beside 元旦 2024 (与周末连休)'],
  ])('%s working: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('equals chinese-days@1.5.7 data for 2022–2026 (drift check)', () => {
    const file = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { holidays: Record<string, string>; workdays: Record<string, string> };
    for (const year of YEARS) {
      const inYear = (dates: Record<string, string>): string[] => Object.keys(dates).filter((date) => date.startsWith(`${year}-`)).sort();
      expect(calendar.year(year).holidays).toEqual(inYear(data.holidays));
      expect(calendar.year(year).makeUpWorkdays).toEqual(inYear(data.workdays));
    }
  });
});
