import { describe, expect, it } from '@jest/globals';
import { assertPlausibleNotice, fromNotice, OFFICIAL_YEARS } from '../../../libs/calendar/index.js';

describe('assertPlausibleNotice', () => {
  it.each(OFFICIAL_YEARS.map((y) => [y.year, y] as const))('accepts the State Council notice for %i', (_year, notice) => {
    expect(() => assertPlausibleNotice(notice)).not.toThrow();
  });

  it('refuses a notice that leaves out a statutory holiday on a weekday', () => {
    const notice = fromNotice(2025, ['2025-01-01'], [], 'truncated');
    expect(() => assertPlausibleNotice(notice)).toThrow(/2025-01-28 .* is a statutory holiday on a weekday but is not a rest day/);
  });

  it('refuses a notice that leaves an implausible number of working days', () => {
    const official = OFFICIAL_YEARS.find((y) => y.year === 2025)!;
    const extra = Array.from({ length: 40 }, (_, k) => new Date(Date.UTC(2025, 4, 10 + k)).toISOString().slice(0, 10)); // 10 May – 18 June
    const notice = fromNotice(2025, [...new Set([...official.holidays, ...extra])], official.makeUpWorkdays, 'too many');
    expect(() => assertPlausibleNotice(notice)).toThrow(/leaves \d+ working days in 2025; State Council notices leave 230–255/);
  });
});
