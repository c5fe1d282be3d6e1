/** Maintenance windows on the SSM core and the controls: the API service and the scheduler's runner. */
import {
  MaintenanceStore,
  MaintenanceWindowsService,
  WindowRunner,
  type WindowCommands,
} from '../maintenance/index.js';
import type { ControlsCore } from './compose-controls.js';
import type { SsmCore } from './compose-ssm.js';
import { auditServiceWrite, serviceCtx } from './service-actor.js';

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
    windowCommands(ssm),
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

/** Run Command for maintenance-window tasks: each command sent or cancelled is audited in its transaction. */
export function windowCommands(ssm: Pick<SsmCore, 'commands'>): WindowCommands {
  return {
    async send(ctx, input) {
      const command = await ssm.commands.send(ctx, input);
      await auditServiceWrite(ctx, {
        eventSource: 'ssm.amazonaws.com',
        eventName: 'SendCommand',
        requestParameters: input,
        responseElements: { commandId: command.commandId, status: command.status },
      });
      return command;
    },
    status: (ctx, commandId) => ssm.commands.command(ctx, commandId),
    async cancel(ctx, commandId) {
      await ssm.commands.cancel(ctx, commandId, undefined);
      await auditServiceWrite(ctx, {
        eventSource: 'ssm.amazonaws.com',
        eventName: 'CancelCommand',
        requestParameters: { commandId },
      });
    },
  };
}
