/** The portable job claim both engines share; a dialect only says whether the chosen row must be row-locked. */
import type { Db } from './database.js';
import type { JobClaim, JobRow } from './work-queue-sql.js';

/**
 * Leases the oldest due job among `claim.names` to `claim.owner` in one UPDATE … RETURNING. With
 * `skipLocked`, the choice locks its row and passes over rows other claimers hold (PostgreSQL).
 */
export function claimDueJob(db: Db, claim: JobClaim, skipLocked: boolean): Promise<JobRow | undefined> {
  const { owner, names, now, leaseExpiresAt } = claim;
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where('name', 'in', [...names])
    .where((eb) =>
      eb.and([
        eb('attempts', '<', eb.ref('max_attempts')),
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('state', '=', 'running'), eb('lease_expires_at', '<=', now)]),
        ]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(1)
    .$if(skipLocked, (query) => query.forUpdate().skipLocked());
  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      lease_owner: owner,
      lease_expires_at: leaseExpiresAt,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', due)
    .returningAll()
    .executeTakeFirst();
}
