import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BACKOFF, nextAttemptAt, retryDelayMs } from '../../../libs/notifications/index.js';

describe(retryDelayMs.name, () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [7, 64_000],
    [12, 2_048_000],
    [13, 3_600_000], // 4 096 000 capped at one hour
    [40, 3_600_000],
    [5000, 3_600_000], // 2^4999 is Infinity; still the cap
  ])('waits after %i failed attempt(s) %i ms by default (1 s doubling, capped at 1 h)', (failed, ms) => {
    expect(retryDelayMs(failed)).toBe(ms);
  });

  it('follows a custom base and cap', () => {
    const policy = { baseMs: 20, maxMs: 100 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([20, 40, 80, 100, 100]);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses %p failed attempts', (n) => {
    expect(() => retryDelayMs(n)).toThrow(RangeError);
  });
});

describe(nextAttemptAt.name, () => {
  const now = new Date('2025-10-13T08:00:00.000Z');

  it('schedules the next attempt by the back-off while attempts remain', () => {
    expect(nextAttemptAt(1, 8, now)).toEqual(new Date('2025-10-13T08:00:01.000Z'));
    expect(nextAttemptAt(7, 8, now, DEFAULT_BACKOFF)).toEqual(new Date('2025-10-13T08:01:04.000Z'));
  });

  it('gives up (dead letter) once the attempts are used up', () => {
    expect(nextAttemptAt(8, 8, now)).toBeNull();
    expect(nextAttemptAt(9, 8, now)).toBeNull();
    expect(nextAttemptAt(1, 1, now)).toBeNull();
  });

  it('with the defaults, the 8 attempts span 127 s of waiting', () => {
    const waits = Array.from({ length: 7 }, (_, i) => retryDelayMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(waits).toBe(127_000);
  });
});
