/** PostgreSQL queue statements: SKIP LOCKED claims and the snapshot horizon of the outbox. */
import { sql } from 'kysely';
import { claimDueJob } from '../../claim-due-job.js';
import type { WorkQueueSql } from '../../work-queue-sql.js';

export const postgresWorkQueueSql: WorkQueueSql = {
  // The choice of the due row locks it and skips rows other claimers hold: concurrent claimers each take a
  // different due row instead of queueing behind the same one.
  claimJob: (db, claim) => claimDueJob(db, claim, true),
  // Every transaction with an id below the snapshot's xmin has committed or rolled back.
  finishedTxidHorizon: () => sql<number>`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`,
};
