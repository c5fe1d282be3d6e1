/** SQLite queue statements: one writer, so a single UPDATE … RETURNING is the whole claim. */
import { sql } from 'kysely';
import { claimDueJob } from '../../claim-due-job.js';
import type { WorkQueueSql } from '../../work-queue-sql.js';

export const sqliteWorkQueueSql: WorkQueueSql = {
  // A write statement takes SQLite's database write lock before it reads (as BEGIN IMMEDIATE would), and the
  // engine has a single writer, so choosing the row and leasing it is one indivisible step; no row locks exist.
  claimJob: (db, claim) => claimDueJob(db, claim, false),
  // Outbox rows carry txid 0 on SQLite: commits are serial, so seq order is already commit order.
  finishedTxidHorizon: () => sql<number>`1`,
};
