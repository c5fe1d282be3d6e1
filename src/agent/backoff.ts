/** Exponential backoff with full jitter (AWS Architecture Blog): a uniform delay in [0, min(cap, base·2^n)). */

/** Backoff settings in milliseconds. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** The delay before retry number `attempt` (1 for the first retry). */
export function fullJitterDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
