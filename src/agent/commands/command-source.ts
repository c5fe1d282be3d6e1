/** The agent's command source: the runner with the documents this agent executes, reporting through the spool. */
import type { AgentIdentity, HubClient } from '../hub-client.js';
import { runPatchBaseline, systemRebooter } from '../patch/index.js';
import { AssociationRunner, associationTargets } from './association-runner.js';
import { CommandRunner, commandTargets } from './command-runner.js';
import { DocumentRunner, documentExecutor } from './document-executor.js';
import type { CommandExecutor } from './executor.js';
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

/** What the agent loop polls: Run Command invocations and State Manager associations, each with its runner. */
export interface CommandSource {
  commands: CommandRunner;
  associations: AssociationRunner;
  /** One poll of both; a failure of one doesn't keep the other from running, the first error is thrown. */
  pollAndRun(signal: AbortSignal): Promise<void>;
}

/**
 * The runners for this host (`root` is `/` outside tests): AWS-RunShellScript and AWS-RunPatchBaseline by their
 * own executors, every other Command document step by step from its content (documents it names are read with
 * GetDocument).
 */
export function createCommandSource(context: CommandSourceContext, root = '/'): CommandSource {
  const executors: Record<string, CommandExecutor> = {
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
  };
  const documents = documentExecutor(new DocumentRunner({ fetchDocument: hubDocuments(context.client) }));
  const commands = new CommandRunner({
    hub: context.client,
    instanceId: context.identity.instanceId,
    reports: {
      report: (body) =>
        context.report('command-result', commandTargets.reportCommandResult, body, body.ReportId),
    },
    executors,
    documents,
  });
  const associations = new AssociationRunner({
    hub: context.client,
    instanceId: context.identity.instanceId,
    report: (body) =>
      context.report('association-status', associationTargets.updateInstanceAssociationStatus, body),
    executors,
    documents,
  });
  return {
    commands,
    associations,
    async pollAndRun(signal) {
      const outcomes = await Promise.allSettled([
        commands.pollAndRun(signal),
        associations.pollAndRun(signal),
      ]);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    },
  };
}

/** Reads a document's content from the hub (GetDocument, on the instance's documents statement). */
export function hubDocuments(
  client: Pick<HubClient, 'call'>,
): (name: string, version: string | undefined) => Promise<string> {
  return async (name, version) => {
    const response = await client.call<{ Content?: string }>('AmazonSSM.GetDocument', {
      Name: name,
      ...(version === undefined ? {} : { DocumentVersion: version }),
    });
    return response.Content ?? '';
  };
}
