/** The agent's command source: the runner with the documents this agent executes, reporting through the spool. */
import type { AgentIdentity, HubClient } from '../hub-client.js';
import { runPatchBaseline, systemRebooter } from '../patch/index.js';
import { CommandRunner, commandTargets } from './command-runner.js';
import { patchBaselineExecutor } from './patch-baseline-executor.js';
import { shellScriptExecutor } from './shell-executor.js';

/** What the agent loop hands the command source. */
export interface CommandSourceContext {
  client: HubClient;
  identity: AgentIdentity;
  stateDir: string;
  /** Spools a report and delivers it when the hub is reachable (the hub ignores a repeated `reportId`). */
  report(kind: string, target: string, body: Record<string, unknown>, reportId?: string): Promise<void>;
  /** AWS-RunPatchBaseline refreshes the package metadata first (default); false reads it as it is. */
  refreshPatchMetadata?: boolean;
}

/** A runner for AWS-RunShellScript and AWS-RunPatchBaseline on this host (`root` is `/` outside tests). */
export function createCommandSource(context: CommandSourceContext, root = '/'): CommandRunner {
  return new CommandRunner({
    hub: context.client,
    instanceId: context.identity.instanceId,
    reports: {
      report: (body) =>
        context.report('command-result', commandTargets.reportCommandResult, body, body.ReportId),
    },
    executors: {
      'AWS-RunShellScript': shellScriptExecutor(),
      'AWS-RunPatchBaseline': patchBaselineExecutor(async (parameters, { signal }) => {
        const result = await runPatchBaseline(
          {
            Operation: parameters.operation,
            RebootOption: parameters.rebootOption,
            ...(parameters.installOverrideList === ''
              ? {}
              : { InstallOverrideList: parameters.installOverrideList }),
            ...(parameters.baselineOverride === '' ? {} : { BaselineOverride: parameters.baselineOverride }),
            ...(parameters.snapshotId === '' ? {} : { SnapshotId: parameters.snapshotId }),
          },
          {
            hub: context.client,
            root,
            now: () => new Date(),
            rebooter: systemRebooter(),
            stateDir: context.stateDir,
            refreshMetadata: context.refreshPatchMetadata ?? true,
            // Through the spool, ahead of the command's own result: kept until the hub acknowledged it.
            report: (request) => context.report('patch-report', 'AmazonSSM.PutInventory', request),
            signal,
          },
        );
        return { exitCode: result.exitCode, output: result.output };
      }),
    },
  });
}
