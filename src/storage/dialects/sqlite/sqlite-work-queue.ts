/** SQLite queue statements: one writer, so a single UPDATE … RETURNING is the whole claim. */
import { sql } from 'kysely';
import type { WorkQueueSql } from '../../work-queue-sql.js';

export const sqliteWorkQueueSql: WorkQueueSql = {
  // A write statement takes SQLite's database write lock before it reads (as BEGIN IMMEDIATE would), and the
  // engine has a single writer, so choosing the row and leasing it is one indivisible step; no row locks exist.
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
      .limit(1);
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
  // Outbox rows carry txid 0 on SQLite: commits are serial, so seq order is already commit order.
  finishedTxidHorizon: () => sql<number>`1`,
};
