/** Deletes what console sign-in no longer needs: expired sessions, and rate-limit rows that neither lock nor count. */
import type { Db } from '../storage/database.js';
import type { JobDefinition } from '../worker/index.js';
import { LimitStore } from './limit-store.js';
import { SessionStore } from './session-store.js';
import { defaultSignInLimits, type SignInLimits } from './sign-in-service.js';

/** What one purge deleted. */
export interface ConsolePurgeResult {
  sessions: number;
  limits: number;
}

/**
 * Deletes sessions expired at `now` and limit rows whose lock and window are over (for a periodic worker job;
 * an expired session is refused whether or not it has been purged).
 */
export async function purgeExpiredConsoleState(
  db: Db,
  now: Date,
  limits: SignInLimits = defaultSignInLimits,
): Promise<ConsolePurgeResult> {
  const longestWindow = Math.max(limits.user.windowMs, limits.address.windowMs);
  return {
    sessions: await new SessionStore().purge(db, now),
    limits: await new LimitStore().purge(db, now, new Date(now.getTime() - longestWindow)),
  };
}

/** The purge job's name (also its schedule's name). */
export const consolePurgeJobName = 'console-purge';

/** Every 10 minutes, deletes expired console sessions and spent sign-in limit rows. */
export function consolePurgeJob(limits: SignInLimits = defaultSignInLimits): JobDefinition {
  return {
    name: consolePurgeJobName,
    every: 600_000,
    async handle(ctx) {
      const purged = await purgeExpiredConsoleState(ctx.db, ctx.now(), limits);
      if (purged.sessions + purged.limits > 0) ctx.logger.debug(purged, 'purged expired console state');
    },
  };
}
