import { CalendarError, CalendarErrorCode } from './calendar.errors.js';
import { formatDayNumber, isWeekendDay, parseIsoDate, type DayNumber, type IsoDate } from './iso-date.js';
import { lunarToSolar, newYearsEveDate, springFestivalDate } from './lunar.js';
import { qingmingDate } from './solar-terms.js';
import type { YearCalendar } from './year-calendar.js';

/** A statutory holiday of all citizens, or the working day given off in lieu of one (补假). */
export interface StatutoryHoliday {
  readonly date: IsoDate;
  /** 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节 or 国庆节. */
  readonly name: string;
  readonly kind: 'holiday' | 'in_lieu';
  /** For `in_lieu`: the holiday date (a Saturday/Sunday, or a day shared with another holiday) it makes up for. */
  readonly inLieuOf?: IsoDate;
}

interface RuleSet {
  readonly from: number;
  readonly to: number;
  readonly source: string;
  readonly festivals: (year: number) => Array<{ name: string; date: IsoDate }>;
}

const PROVISIONAL = 'provisional, no State Council notice loaded';

const days = (first: IsoDate, count: number): IsoDate[] =>
  Array.from({ length: count }, (_, i) => formatDayNumber(parseIsoDate(first) + i));

const commonFestivals = (year: number): Array<{ name: string; date: IsoDate }> => [
  { name: '元旦', date: `${year}-01-01` },
  { name: '清明节', date: qingmingDate(year) },
  { name: '端午节', date: lunarToSolar(year, 5, 5) },
  { name: '中秋节', date: lunarToSolar(year, 8, 15) },
  ...days(`${year}-10-01`, 3).map((date) => ({ name: '国庆节', date })),
];

/**
 * The national holiday rules (全国年节及纪念日放假办法) by the year they apply to, newest first. Art. 2 lists
 * the holidays of all citizens; Art. 6 gives a working day off in lieu when one falls on a Saturday/Sunday.
 */
const RULE_SETS: readonly RuleSet[] = [
  {
    // 2024 revision (国务院令第795号, in force 2025-01-01): 春节 4 days from 除夕, 劳动节 2 days; 13 days a year.
    from: 2025,
    to: 2099,
    source: `全国年节及纪念日放假办法（2024年修订，国务院令第795号）Art. 2, 6 — ${PROVISIONAL}`,
    festivals: (year) => [
      ...commonFestivals(year),
      ...[newYearsEveDate(year), ...days(springFestivalDate(year), 3)].map((date) => ({ name: '春节', date })),
      ...days(`${year}-05-01`, 2).map((date) => ({ name: '劳动节', date })),
    ],
  },
  {
    // 2013 revision (国务院令第644号, in force 2014-01-01): 春节 正月初一–初三, 劳动节 1 day; 11 days a year.
    from: 2014,
    to: 2024,
    source: `全国年节及纪念日放假办法（2013年修订，国务院令第644号）Art. 2, 6 — ${PROVISIONAL}`,
    festivals: (year) => [
      ...commonFestivals(year),
      ...days(springFestivalDate(year), 3).map((date) => ({ name: '春节', date })),
      { name: '劳动节', date: `${year}-05-01` },
    ],
  },
  {
    // 2007 revision (国务院令第513号, in force 2008-01-01): 春节 除夕–正月初二, 劳动节 1 day; 11 days a year.
    from: 2008,
    to: 2013,
    source: `全国年节及纪念日放假办法（2007年修订，国务院令第513号）Art. 2, 6 — ${PROVISIONAL}`,
    festivals: (year) => [
      ...commonFestivals(year),
      ...[newYearsEveDate(year), ...days(springFestivalDate(year), 2)].map((date) => ({ name: '春节', date })),
      { name: '劳动节', date: `${year}-05-01` },
    ],
  },
];

/** First and last years a provisional calendar can be computed for. */
export const MIN_PROVISIONAL_YEAR = 2008;
export const MAX_PROVISIONAL_YEAR = 2099;

function ruleSetFor(year: number): RuleSet {
  const rules = RULE_SETS.find((set) => Number.isInteger(year) && year >= set.from && year <= set.to);
  if (!rules) {
    throw new CalendarError(
      CalendarErrorCode.YearNotSupported,
      'year',
      `year: no holiday notice is loaded for ${year} and provisional calendars are computed for ` +
        `${MIN_PROVISIONAL_YEAR}–${MAX_PROVISIONAL_YEAR} only; load the year's notice`,
    );
  }
  return rules;
}

/**
 * The holidays of all citizens in `year` by the national holiday rules in force that year, with the days off
 * in lieu, sorted by date.
 *
 * Rules (全国年节及纪念日放假办法): Art. 2 — 元旦 1 Jan; 春节 (from 2025: 除夕 + 正月初一–初三; 2014–2024:
 * 初一–初三; 2008–2013: 除夕–初二); 清明节 on its solar-term date; 劳动节 (from 2025: 1–2 May; before: 1 May);
 * 端午节 5th of lunar month 5; 中秋节 15th of lunar month 8; 国庆节 1–3 Oct. Art. 6 — a holiday that falls on a
 * Saturday or Sunday is made up (补假) on the next day that is neither a weekend day nor a holiday nor already
 * given in lieu, taking holidays in date order. A holiday that shares its date with another (中秋 on 1–3 Oct,
 * as in 2020 and 2028) is made up the same way: Art. 6 does not say so, but the 2020 notice gave the extra day
 * (8-day 国庆+中秋 break). No make-up working days (调休上班) are invented: only a notice sets those.
 *
 * @param year 2008–2099.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 2008–2099.
 */
export function statutoryHolidays(year: number): readonly StatutoryHoliday[] {
  const festivals = ruleSetFor(year)
    .festivals(year)
    .map((festival) => ({ ...festival, day: parseIsoDate(festival.date) }))
    .sort((a, b) => a.day - b.day);
  const festivalDays = new Set(festivals.map((festival) => festival.day));
  const seen = new Set<DayNumber>();
  const inLieu = new Set<DayNumber>();
  const result: Array<StatutoryHoliday & { day: DayNumber }> = [];
  for (const festival of festivals) {
    result.push({ day: festival.day, date: festival.date, name: festival.name, kind: 'holiday' });
    if (isWeekendDay(festival.day) || seen.has(festival.day)) {
      let day = festival.day + 1;
      while (isWeekendDay(day) || festivalDays.has(day) || inLieu.has(day)) day++;
      inLieu.add(day);
      result.push({ day, date: formatDayNumber(day), name: festival.name, kind: 'in_lieu', inLieuOf: festival.date });
    }
    seen.add(festival.day);
  }
  return Object.freeze(
    result.sort((a, b) => a.day - b.day).map(({ day: _day, ...holiday }) => Object.freeze(holiday)),
  );
}

/**
 * A provisional year for which no State Council notice is loaded: weekends plus the statutory holidays and
 * days in lieu of {@link statutoryHolidays}, no make-up working days, `provisional: true`, and `source`
 * naming the rules (e.g. `全国年节及纪念日放假办法（2024年修订，国务院令第795号）Art. 2, 6 — provisional, no
 * State Council notice loaded`). Its `holidays` list every statutory date (also those on a weekend) and every
 * day in lieu.
 * @throws CalendarError `CALENDAR.YEAR_NOT_SUPPORTED` outside 2008–2099.
 */
export function provisionalYear(year: number): YearCalendar {
  const holidays = [...new Set(statutoryHolidays(year).map((holiday) => holiday.date))];
  return Object.freeze({
    year,
    provisional: true,
    holidays: Object.freeze(holidays),
    makeUpWorkdays: Object.freeze([] as IsoDate[]),
    source: ruleSetFor(year).source,
  });
}
