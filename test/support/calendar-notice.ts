import { provisionalYear } from '../../libs/calendar/index.js';
/**
 * A plausible, made-up 2027 holiday notice standing in for the one the State Council General Office will
 * publish in late 2026 (research/statutory-limits.md §2.4: not yet found). Its dates follow the 2024 rules
 * (元旦, 除夕 + 春节, 清明, 劳动节 2 days, 端午, 中秋, 国庆 3 days) with 2025/2026-style 调休; weekdays were checked.
 *
 * Hand count: 2027 has 261 weekdays (starts on a Friday, 365 days); 18 of them are holidays (1-01; 2-05,
 * 2-08…2-12; 4-05; 5-03…5-05; 6-09; 9-15; 10-01, 10-04…10-07); 6 make-up Saturdays/Sundays are added:
 * 261 − 18 + 6 = 249 working days.
 */
export const NOTICE_2027 = {
  holidays: [
    '2027-01-01', '2027-01-02', '2027-01-03',
    '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12',
    '2027-04-03', '2027-04-04', '2027-04-05',
    '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  // Sun 1-31, Sat 2-20, Sun 4-25, Sat 5-08, Sat 9-25, Sat 10-09
  makeUpWorkdays: ['2027-01-31', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-25', '2027-10-09'],
  source: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕x号）— test stand-in',
  workingDays: 249,
} as const;

/**
 * A plausible notice for `year` (passes the plausibility rule): the statutory holidays and days in lieu the
 * national rules give, no make-up working days.
 */
export function plausibleNotice(year: number, source = `国务院办公厅关于${year}年部分节假日安排的通知（test）`) {
  return { holidays: [...provisionalYear(year).holidays], makeUpWorkdays: [] as string[], source };
}
