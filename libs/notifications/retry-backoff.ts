/** Exponential back-off between delivery attempts: `baseMs`, doubling, never more than `maxMs`. */
export interface BackoffPolicy {
  /** Delay after the first failed attempt, in milliseconds (≥ 1). */
  baseMs: number;
  /** Upper bound of any delay, in milliseconds. */
  maxMs: number;
}

/** One second, doubling, capped at one hour. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 3_600_000 };

/**
 * Delay before the next attempt after `failedAttempts` attempts have failed: base · 2^(n−1), capped.
 * @param failedAttempts attempts made so far, all failed (≥ 1)
 * @returns milliseconds
 * @throws RangeError when `failedAttempts` is not a whole number ≥ 1
 */
export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be a whole number ≥ 1, got ${failedAttempts}`);
  // 2^(n-1) overflows to Infinity only past n ≈ 1024; min() caps it either way.
  return Math.min(policy.baseMs * 2 ** (failedAttempts - 1), policy.maxMs);
}

/**
 * When a failed delivery is tried again, or null when it has used all its attempts (dead letter).
 * @param failedAttempts attempts made so far, the last one just failed (≥ 1)
 * @param maxAttempts attempts allowed in total (≥ 1)
 * @param now the instant of the failure
 */
export function nextAttemptAt(failedAttempts: number, maxAttempts: number, now: Date, policy: BackoffPolicy = DEFAULT_BACKOFF): Date | null {
  if (failedAttempts >= maxAttempts) return null;
  return new Date(now.getTime() + retryDelayMs(failedAttempts, policy));
}
