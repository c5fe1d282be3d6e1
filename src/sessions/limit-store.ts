/**
 * Persistence of sign-in rate limits: per subject (`user:ACCOUNT:NAME` or `address:IP`) the failures of its
 * current window and until when it is locked. Every API node reads and writes the same rows, so a limit holds
 * however the attempts are spread over nodes.
 */
import { sql } from 'kysely';
import type { DbExecutor } from '../storage/database.js';
import { consoleDb } from './console-tables.js';

/** How many failures within `windowMs` lock a subject, and for how long. */
export interface FailureLimit {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Reads and writes `console_sign_in_limits`. */
export class LimitStore {
  /** The latest time any of `subjects` is locked until, if one is locked at `now`. */
  async lockedUntil(db: DbExecutor, subjects: readonly string[], now: Date): Promise<Date | undefined> {
    const rows = await consoleDb(db)
      .selectFrom('console_sign_in_limits')
      .select('locked_until')
      .where('subject', 'in', subjects)
      .where('locked_until', '>', now.getTime())
      .execute();
    const until = Math.max(0, ...rows.map((row) => Number(row.locked_until)));
    return until === 0 ? undefined : new Date(until);
  }

  /**
   * Counts one failure of `subject` (a new window starts when the last one is over); when that makes
   * `limit.maxFailures`, the subject is locked for `limit.lockMs` and its count starts again. Returns the lock's
   * end when this failure locked it.
   */
  async recordFailure(
    db: DbExecutor,
    subject: string,
    now: Date,
    limit: FailureLimit,
  ): Promise<Date | undefined> {
    const at = now.getTime();
    const windowOver = sql<boolean>`console_sign_in_limits.window_started_at <= cast(${at - limit.windowMs} as bigint)`;
    const counted = await consoleDb(db)
      .insertInto('console_sign_in_limits')
      .values({ subject, window_started_at: at, failures: 1, locked_until: null })
      .onConflict((oc) =>
        oc.column('subject').doUpdateSet({
          window_started_at: sql<number>`case when ${windowOver} then cast(${at} as bigint) else console_sign_in_limits.window_started_at end`,
          failures: sql<number>`case when ${windowOver} then 1 else console_sign_in_limits.failures + 1 end`,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (Number(counted.failures) < limit.maxFailures) return undefined;
    const until = at + limit.lockMs;
    await consoleDb(db)
      .updateTable('console_sign_in_limits')
      .set({ locked_until: until, failures: 0, window_started_at: at })
      .where('subject', '=', subject)
      .execute();
    return new Date(until);
  }

  /** Forgets the failures of `subject` (after it signed in). */
  async clear(db: DbExecutor, subject: string): Promise<void> {
    await consoleDb(db).deleteFrom('console_sign_in_limits').where('subject', '=', subject).execute();
  }

  /** Deletes rows that neither lock nor count any more: unlocked, and their window ended before `before`. */
  async purge(db: DbExecutor, now: Date, before: Date): Promise<number> {
    const result = await consoleDb(db)
      .deleteFrom('console_sign_in_limits')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.getTime())]))
      .where('window_started_at', '<=', before.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
