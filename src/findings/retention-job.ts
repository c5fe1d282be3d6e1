/** Finding retention: a recurring job deleting findings Bulwark has not written for the configured number of days. */
import type { JobDefinition } from '../worker/index.js';
import { deleteFindingsStoredBefore, refreshFindingsStatistics } from './retention-store.js';

/** The job's name (also its schedule's name). */
export const findingsRetentionJobName = 'findings-retention';

/** Findings deleted per transaction, so a large purge never holds the writer for long. */
export const retentionBatchSize = 1000;

const dayMs = 86_400_000;

/**
 * Hourly, deletes findings Bulwark last stored or changed more than `retentionDays` days ago (not their own
 * UpdatedAt, which an import may set years back), `batchSize` per transaction until none is left; the current
 * findings of enabled controls and missing patches are kept while their hub is enabled (see
 * deleteFindingsStoredBefore). `retentionDays` 0 keeps findings forever. Also the findings' hourly housekeeping: on
 * PostgreSQL it refreshes the planner statistics first (see refreshFindingsStatistics).
 */
export function findingsRetentionJob(retentionDays: number, batchSize = retentionBatchSize): JobDefinition {
  return {
    name: findingsRetentionJobName,
    every: 3_600_000,
    async handle(ctx) {
      await refreshFindingsStatistics(ctx.db);
      if (retentionDays <= 0) return;
      const cutoff = ctx.now().getTime() - retentionDays * dayMs;
      let deleted = 0;
      for (;;) {
        ctx.signal.throwIfAborted();
        const batch = await ctx.db
          .transaction()
          .execute((tx) => deleteFindingsStoredBefore(tx, cutoff, batchSize, ctx.now()));
        deleted += batch;
        if (batch < batchSize) break;
      }
      if (deleted > 0) ctx.logger.info({ deleted, retentionDays }, 'deleted findings past their retention');
    },
  };
}
