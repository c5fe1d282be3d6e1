/** The engine seam of background work: the few queue statements PostgreSQL and SQLite must write differently (each engine's StorageEngine carries its own). */
import type { RawBuilder, Selectable } from 'kysely';
import type { Db, JobsTable } from './database.js';

/** A `jobs` row as stored. */
export type JobRow = Selectable<JobsTable>;

/** Who claims which jobs, at what time, until when. */
export interface JobClaim {
  owner: string;
  names: readonly string[];
  now: number;
  leaseExpiresAt: number;
}

/** The engine-specific parts of the job queue and the outbox reader. */
export interface WorkQueueSql {
  /**
   * Leases the oldest due job among `names` (queued and due, or running with an expired lease and attempts
   * left) to `owner`, incrementing its attempts, in one atomic statement; undefined when none is due.
   */
  claimJob(db: Db, claim: JobClaim): Promise<JobRow | undefined>;
  /** SQL for a transaction id below which every transaction has finished (outbox rows below it are final). */
  finishedTxidHorizon(): RawBuilder<number>;
}
