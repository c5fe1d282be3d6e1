/**
 * A per-address token bucket in front of console sign-in: it bounds the password hashing (and the audit records)
 * one address can cause, before the database's per-user and per-address lockouts are even consulted. Each API
 * node keeps its own buckets; the lockouts in the database are what hold across nodes.
 */

/** How many attempts an address may make at once, and how fast its allowance refills. */
export interface SignInThrottleLimits {
  burst: number;
  perMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Addresses tracked at once; past it the longest-idle buckets (full by now, or soon) are forgotten. */
const maxTrackedAddresses = 10_000;

/** Admits or refuses sign-in requests per remote address. */
export class SignInThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: SignInThrottleLimits) {}

  /** Takes one attempt for `address`: undefined when admitted, else the seconds until the next is. */
  take(address: string, now: Date): number | undefined {
    const at = now.getTime();
    const refillPerMs = this.limits.perMinute / 60_000;
    const known = this.buckets.get(address);
    const tokens =
      known === undefined
        ? this.limits.burst
        : Math.min(this.limits.burst, known.tokens + (at - known.at) * refillPerMs);
    // Re-inserted so the map stays in least-recently-used order.
    this.buckets.delete(address);
    if (tokens < 1) {
      this.buckets.set(address, { tokens, at });
      return Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000));
    }
    this.buckets.set(address, { tokens: tokens - 1, at });
    if (this.buckets.size > maxTrackedAddresses) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return undefined;
  }
}
