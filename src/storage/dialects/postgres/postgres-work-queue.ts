/** PostgreSQL queue statements: SKIP LOCKED claims and the snapshot horizon of the outbox. */
import { sql } from 'kysely';
import type { WorkQueueSql } from '../../work-queue-sql.js';

export const postgresWorkQueueSql: WorkQueueSql = {
  // update jobs set … where id = (select id … order by run_at, id limit 1 for update skip locked) returning *:
  // concurrent claimers each lock a different due row instead of queueing behind the same one.
  async claimJob(db, { owner, names, now, leaseExpiresAt }) {
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
      .forUpdate()
      .skipLocked();
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
  },
  // Every transaction with an id below the snapshot's xmin has committed or rolled back.
  finishedTxidHorizon: () => sql<number>`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`,
};
