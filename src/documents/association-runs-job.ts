/** State Manager's clock: due associations start their runs, once across all workers (the job queue leases it). */
import type { JobDefinition } from '../worker/index.js';
import type { AssociationRuns } from './association-runs.js';

export const associationRunsJobName = 'association-runs';

/** Every `everyMs` (BULWARK_ASSOCIATION_TICK_MS): start the runs of associations whose next run is due. */
export function associationRunsJob(runs: AssociationRuns, everyMs: number): JobDefinition {
  return {
    name: associationRunsJobName,
    every: everyMs,
    async handle(ctx) {
      const started = await runs.runDue(ctx.db, ctx.now());
      if (started > 0) ctx.logger.info({ started }, 'started association runs');
    },
  };
}
