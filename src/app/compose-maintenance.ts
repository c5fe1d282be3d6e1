/** Maintenance windows on the SSM core and the controls: the API service and the scheduler's runner. */
import { MaintenanceStore, MaintenanceWindowsService, WindowRunner } from '../maintenance/index.js';
import type { ControlsCore } from './compose-controls.js';
import type { SsmCore } from './compose-ssm.js';
import { serviceCtx } from './service-actor.js';

export interface MaintenanceCore {
  windows: MaintenanceWindowsService;
  runner: WindowRunner;
}

export function composeMaintenance(
  ssm: SsmCore,
  controls: Pick<ControlsCore, 'evaluator' | 'patchFindings'>,
): MaintenanceCore {
  const store = new MaintenanceStore();
  const runner = new WindowRunner(
    store,
    {
      send: (ctx, input) => ssm.commands.send(ctx, input),
      status: (ctx, commandId) => ssm.commands.command(ctx, commandId),
      cancel: (ctx, commandId) => ssm.commands.cancel(ctx, commandId, undefined),
    },
    ssm.fleet,
    {
      // The built-in runbook: each node's missing-patch findings, then its controls (SSM.2 and the host checks).
      async exportPatchFindings(ctx, instanceIds) {
        let written = 0;
        for (const instanceId of instanceIds)
          written += await controls.patchFindings.refresh(ctx.tx, ctx, instanceId, ctx.now);
        if (instanceIds.length > 0)
          written += (await controls.evaluator.evaluate(ctx.tx, ctx, ctx.now, { kind: 'nodes', instanceIds }))
            .written;
        return written;
      },
    },
    serviceCtx,
  );
  const windows = new MaintenanceWindowsService(store, ssm.documents, runner, ssm.ssmTagStore);
  return { windows, runner };
}
