/** The maintenance window scheduler as a recurring job: one node runs each tick (the job queue leases it). */
import type { JobDefinition } from '../worker/index.js';
import type { WindowRunner } from './window-runner.js';

export const maintenanceWindowsJobName = 'maintenance-windows';

/** Every `everyMs` (BULWARK_MAINTENANCE_TICK_MS): start due windows and advance running executions. */
export function maintenanceWindowsJob(runner: WindowRunner, everyMs: number): JobDefinition {
  return {
    name: maintenanceWindowsJobName,
    every: everyMs,
    async handle(ctx) {
      const { started, advanced } = await runner.tick(ctx.db, ctx.now());
      if (started > 0) ctx.logger.info({ started, advanced }, 'started maintenance window executions');
    },
  };
}
