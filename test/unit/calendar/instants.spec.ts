import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkInstant, REAL_INSTANT_PATTERN } from '../../../libs/calendar/index.js';

describe(checkInstant.name, () => {
  it.each([
    ['2024-02-29T09:00:00+08:00', Date.UTC(2024, 1, 29, 1)],
    ['2000-02-29T00:00Z', Date.UTC(2000, 1, 29)],
    ['2026-12-31T23:59:59.999+08:00', Date.UTC(2026, 11, 31, 15, 59, 59, 999)],
    ['2026-03-01T00:00:00-12:00', Date.UTC(2026, 2, 1, 12)],
    ['2026-03-01T00:00:00+14:00', Date.UTC(2026, 1, 28, 10)],
  ])('takes %s as the instant it names', (text, epochMs) => {
    expect(checkInstant(text)).toEqual({ ok: true, epochMs });
  });

  it.each([
    ['2025-02-29T09:00:00+08:00', 'February 2025 has 28 days'],
    ['1900-02-29T09:00:00+08:00', 'February 1900 has 28 days'],
    ['2026-06-31T09:00:00+08:00', 'June 2026 has 30 days'],
    ['2026-06-00T09:00:00+08:00', 'June 2026 has 30 days'],
    ['2026-00-10T09:00:00+08:00', 'month 00 does not exist (01–12)'],
    ['2026-06-10T24:00+08:00', 'hours run 00–23, not 24'],
    ['2026-06-10T09:00:60+08:00', 'seconds run 00–59, not 60'],
    ['2026-06-10T09:00:00+08:60', 'offset +08:60 is not a time zone offset (at most ±14:00)'],
    ['2026-06-10T09:00:00-14:30', 'offset -14:30 is not a time zone offset (at most ±14:00)'],
  ])('refuses %s, well-formed, saying what does not exist', (text, why) => {
    expect(checkInstant(text)).toEqual({ ok: false, shaped: true, why });
  });

  it.each([['2026-06-10T09:00:00'], ['2026-06-10 09:00+08:00'], ['2026-6-10T09:00+08:00'], [''], [null], [20260610]])('refuses %p as no instant at all', (text) => {
    expect(checkInstant(text)).toMatchObject({ ok: false, shaped: false });
  });
});

describe('REAL_INSTANT_PATTERN', () => {
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const instant = fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 2400)).map((y) => String(y).padStart(4, '0')),
      two(13),
      two(32),
      two(25),
      two(61),
      fc.option(fc.tuple(two(61), fc.option(fc.integer({ min: 0, max: 999 }).map(String))), { nil: undefined }),
      fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), two(15), two(60)).map(([s, h, m]) => `${s}${h}:${m}`)),
    )
    .map(([y, mo, d, h, mi, sec, off]) => `${y}-${mo}-${d}T${h}:${mi}${sec ? `:${sec[0]}${sec[1] ? `.${sec[1]}` : ''}` : ''}${off}`);

  it('accepts exactly the instants checkInstant accepts, so the document states what a 400 refuses', () => {
    fc.assert(
      fc.property(instant, (text) => REAL_INSTANT_PATTERN.test(text) === checkInstant(text).ok),
      { numRuns: 20_000 },
    );
  });

  it.each(['2024-02-29T09:00+08:00', '2000-02-29T09:00Z', '2026-04-30T23:59:59.999-14:00'])('states %s as real', (text) => {
    expect(REAL_INSTANT_PATTERN.test(text)).toBe(true);
  });

  it.each(['1900-02-29T09:00+08:00', '2026-02-30T09:00:00+08:00', '2026-04-31T10:00:00+08:00', '2026-03-02T25:00+08:00'])('states %s as not real', (text) => {
    expect(REAL_INSTANT_PATTERN.test(text)).toBe(false);
  });
});
