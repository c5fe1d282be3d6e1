/** `bulwark agent scan --once`: one AWS-RunPatchBaseline run (Scan or Install) on this node, reported to the hub. */
import path from 'node:path';
import type { Command } from 'commander';
import {
  AgentLoop,
  AgentStopped,
  agentStoppedExitCode,
  defaultAgentLoopSettings,
  stderrLogger,
} from '../agent/agent-loop.js';
import { HubClient } from '../agent/hub-client.js';
import { DEFAULT_STATE_DIR, loadIdentity } from '../agent/identity-store.js';
import { loggingRebooter, patchExitCodes, runPatchBaseline, systemRebooter } from '../agent/patch/index.js';
import { agentSpool } from './agent-command.js';

interface ScanOptions {
  once?: boolean;
  stateDir: string;
  root: string;
  operation: string;
  rebootOption: string;
  snapshotId?: string;
  installOverrideList?: string;
  baselineOverride?: string;
  refresh: boolean;
  allowReboot?: boolean;
  json?: boolean;
}

/** The `agent` command group, shared with the agent's other subcommands (whoever registers first creates it). */
function agentGroup(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === 'agent') ??
    program.command('agent').description('the host agent: register with a hub, run, scan and patch')
  );
}

/** Adds `bulwark agent scan`. */
export function registerAgentScanCommand(program: Command): void {
  agentGroup(program)
    .command('scan')
    .description('scan (or install) patches with AWS-RunPatchBaseline semantics and report them to the hub')
    .option('--once', 'run one operation and exit (the only mode)')
    .option('--state-dir <dir>', 'agent state directory (identity.json)', DEFAULT_STATE_DIR)
    .option('--root <dir>', 'root of the system to scan (a chroot in tests)', '/')
    .option('--operation <op>', 'Scan or Install', 'Scan')
    .option('--reboot-option <option>', 'RebootIfNeeded or NoReboot', 'NoReboot')
    .option('--snapshot-id <uuid>', 'baseline snapshot id (fresh when omitted)')
    .option('--install-override-list <url>', 'YAML list of patches to install instead of the baseline’s')
    .option('--baseline-override <url>', 'JSON list of baselines overriding the hub’s')
    .option(
      '--no-refresh',
      'scan the package metadata as it is, without apt-get update / dnf makecache first (it must exist)',
    )
    .option('--allow-reboot', 'really reboot when RebootIfNeeded asks for it (otherwise only logged)')
    .option('--json', 'print the summary as JSON')
    .action(async (options: ScanOptions) => {
      const operation = options.operation.toLowerCase() === 'install' ? 'Install' : 'Scan';
      if (!['scan', 'install'].includes(options.operation.toLowerCase()))
        throw new Error(`--operation must be Scan or Install, not '${options.operation}'`);
      const rebootOption = options.rebootOption === 'RebootIfNeeded' ? 'RebootIfNeeded' : 'NoReboot';
      const stateDir = path.resolve(options.stateDir);
      const identity = await loadIdentity(stateDir);
      const log = (message: string): void => {
        process.stderr.write(`${message}\n`);
      };
      const logger = stderrLogger();
      const client = new HubClient(identity);
      // The report goes through the agent's spool: a hub outage keeps it for `bulwark agent run` to deliver.
      const spool = agentSpool(stateDir, logger);
      await spool.open();
      const loop = new AgentLoop({ client, spool, stateDir, logger, settings: defaultAgentLoopSettings });
      const result = await runPatchBaseline(
        {
          Operation: operation,
          RebootOption: rebootOption,
          ...(options.snapshotId === undefined ? {} : { SnapshotId: options.snapshotId }),
          ...(options.installOverrideList === undefined
            ? {}
            : { InstallOverrideList: options.installOverrideList }),
          ...(options.baselineOverride === undefined ? {} : { BaselineOverride: options.baselineOverride }),
        },
        {
          hub: client,
          root: options.root,
          now: () => new Date(),
          rebooter: options.allowReboot === true ? systemRebooter() : loggingRebooter(log),
          stateDir,
          report: async (request) => {
            await spool.enqueue({ kind: 'patch-report', target: 'AmazonSSM.PutInventory', body: request });
          },
          refreshMetadata: options.refresh,
          log,
        },
      );
      if (result.summary !== undefined) {
        try {
          await loop.deliverSpool();
        } catch (error) {
          if (error instanceof AgentStopped) {
            logger.error(error.message);
            process.exitCode = agentStoppedExitCode;
            return;
          }
          log(
            `the report is spooled in ${spool.directory} and goes to the hub with the agent's next delivery: ` +
              `${error instanceof Error ? error.message : String(error)}`,
          );
          if (result.exitCode === patchExitCodes.success) result.exitCode = patchExitCodes.putInventoryError;
        }
      }
      if (options.json === true)
        process.stdout.write(
          `${JSON.stringify({ exitCode: result.exitCode, summary: result.summary }, null, 2)}\n`,
        );
      else process.stdout.write(`${result.output}\n`);
      process.exitCode = result.exitCode;
    });
}
