/**
 * `bulwark agent register|run|status`: the host agent. Imports only src/agent/ (and the dependency-free
 * kernel/loopback.ts; no server modules), so the agent process stays small; main.ts loads this file alone when
 * the first argument is `agent`.
 */
import path from 'node:path';
import type { Command } from 'commander';
import {
  AgentLoop,
  AgentStopped,
  agentStoppedExitCode,
  defaultAgentLoopSettings,
  stderrLogger,
  type AgentLoopSettings,
} from '../agent/agent-loop.js';
import { collectHostFacts, heartbeatFacts } from '../agent/host-facts.js';
import {
  HubClient,
  normalizeFingerprint,
  registerWithHub,
  trustOf,
  type AgentIdentity,
} from '../agent/hub-client.js';
import { isLoopbackHost } from '../kernel/index.js';
import { DEFAULT_STATE_DIR, identityPath, loadIdentity, saveIdentity } from '../agent/identity-store.js';
import { ReportSpool } from '../agent/report-spool.js';
import { createCommandSource } from '../agent/commands/index.js';

interface RegisterFlags {
  hub: string;
  activationId: string;
  activationCode: string;
  region?: string;
  stateDir: string;
  name?: string;
  force?: boolean;
  caFile?: string;
  hubFingerprint?: string;
  insecureHttp?: boolean;
}

interface RunFlags {
  stateDir: string;
  once?: boolean;
  heartbeatSeconds?: string;
  inventorySeconds?: string;
  pollSeconds?: string;
  patchRefresh: boolean;
}

/** A positive number of seconds from a flag, else the environment variable, else undefined. */
function seconds(flag: string | undefined, env: string): number | undefined {
  const text = flag ?? process.env[env];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${env}: expected a positive number, got '${text}'`);
  return value * 1000;
}

/** The loop's intervals: flags, then BULWARK_AGENT_* variables, then the defaults. */
function loopSettings(flags: RunFlags): AgentLoopSettings {
  const base = defaultAgentLoopSettings;
  return {
    heartbeatMs: seconds(flags.heartbeatSeconds, 'BULWARK_AGENT_HEARTBEAT_SECONDS') ?? base.heartbeatMs,
    inventoryMs: seconds(flags.inventorySeconds, 'BULWARK_AGENT_INVENTORY_SECONDS') ?? base.inventoryMs,
    commandPollMs: seconds(flags.pollSeconds, 'BULWARK_AGENT_POLL_SECONDS') ?? base.commandPollMs,
    backoff: {
      baseMs: seconds(undefined, 'BULWARK_AGENT_BACKOFF_BASE_SECONDS') ?? base.backoff.baseMs,
      capMs: seconds(undefined, 'BULWARK_AGENT_BACKOFF_CAP_SECONDS') ?? base.backoff.capMs,
    },
    credentialGraceMs: seconds(undefined, 'BULWARK_AGENT_CREDENTIAL_GRACE_SECONDS') ?? base.credentialGraceMs,
  };
}

/** A warning on stderr whenever the agent talks plain HTTP beyond this machine. */
function warnIfPlainHttp(hub: string): void {
  const url = new URL(hub);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    process.stderr.write(
      `warning: talking plain HTTP to ${url.host} (--insecure-http): the activation code, the instance's ` +
        'secret key and every report cross the network unencrypted\n',
    );
  }
}

/** The agent's spool in its state directory, rejected reports beside it in `rejected/`. */
export function agentSpool(stateDir: string, logger?: { warn(message: string): void }): ReportSpool {
  return new ReportSpool(path.join(stateDir, 'spool'), {
    rejectedDirectory: path.join(stateDir, 'rejected'),
    ...(logger === undefined ? {} : { logger }),
  });
}

async function register(flags: RegisterFlags): Promise<void> {
  const stateDir = path.resolve(flags.stateDir);
  if (flags.caFile !== undefined && flags.hubFingerprint !== undefined) {
    throw new Error('--ca-file and --hub-fingerprint exclude each other: pin the certificate or trust a CA');
  }
  const trusted: Pick<AgentIdentity, 'hubFingerprint' | 'caFile' | 'insecureHttp'> = {
    ...(flags.hubFingerprint === undefined
      ? {}
      : { hubFingerprint: normalizeFingerprint(flags.hubFingerprint) }),
    ...(flags.caFile === undefined ? {} : { caFile: path.resolve(flags.caFile) }),
    ...(flags.insecureHttp === true ? { insecureHttp: true } : {}),
  };
  const trust = trustOf({
    hub: flags.hub,
    region: '',
    instanceId: '',
    accessKeyId: '',
    secretAccessKey: '',
    ...trusted,
  });
  if (flags.force !== true) {
    const existing = await loadIdentity(stateDir).catch(() => undefined);
    if (existing !== undefined) {
      throw new Error(
        `${identityPath(stateDir)} already holds instance ${existing.instanceId}; pass --force to register again`,
      );
    }
  }
  const facts = heartbeatFacts(collectHostFacts());
  if (flags.insecureHttp === true) warnIfPlainHttp(flags.hub);
  const registered = await registerWithHub(
    flags.hub,
    {
      ActivationId: flags.activationId,
      ActivationCode: flags.activationCode,
      ...(flags.name === undefined ? {} : { InstanceName: flags.name }),
      ...facts,
    },
    trust,
  );
  const identity: AgentIdentity = {
    hub: flags.hub,
    region: flags.region ?? registered.Region ?? 'us-east-1',
    instanceId: registered.InstanceId,
    accessKeyId: registered.AccessKeyId,
    secretAccessKey: registered.SecretAccessKey,
    ...(registered.AccountId === undefined ? {} : { accountId: registered.AccountId }),
    ...trusted,
  };
  const file = await saveIdentity(stateDir, identity);
  process.stdout.write(`registered as ${identity.instanceId}; identity stored in ${file}\n`);
}

async function run(flags: RunFlags): Promise<void> {
  const stateDir = path.resolve(flags.stateDir);
  const identity = await loadIdentity(stateDir);
  const logger = stderrLogger();
  if (identity.insecureHttp === true) warnIfPlainHttp(identity.hub);
  const client = new HubClient(identity);
  const spool = agentSpool(stateDir, logger);
  await spool.open();
  const running: { loop?: AgentLoop } = {};
  const commands = createCommandSource({
    client,
    identity,
    stateDir,
    refreshPatchMetadata: flags.patchRefresh && process.env['BULWARK_AGENT_PATCH_REFRESH'] !== '0',
    report: async (kind, target, body, reportId) => {
      if (running.loop === undefined) throw new Error('the agent loop is not running');
      await running.loop.report(kind, target, body, reportId);
    },
  });
  const loop = new AgentLoop({ client, spool, stateDir, logger, settings: loopSettings(flags), commands });
  running.loop = loop;
  if (flags.once === true) {
    try {
      await loop.runOnce();
    } catch (error) {
      if (!(error instanceof AgentStopped)) throw error;
      logger.error(error.message);
      process.exitCode = agentStoppedExitCode;
      return;
    }
    logger.info(`one pass done; ${spool.size} report(s) still spooled`);
    return;
  }
  await loop.start();
  logger.info(`agent ${identity.instanceId} running against ${identity.hub}`);
  const shutdown = (signal: string) => {
    logger.info(`${signal}: stopping`);
    void loop.stop();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // Settles on SIGTERM/SIGINT, or when the agent stops by itself (the hub no longer accepts the instance).
  const stopped = await loop.finished;
  if (stopped !== undefined) {
    await loop.stop(); // waits (bounded) for work still running, e.g. a command being stopped
    process.exit(agentStoppedExitCode);
  }
}

async function status(flags: { stateDir: string }): Promise<void> {
  const stateDir = path.resolve(flags.stateDir);
  const identity = await loadIdentity(stateDir);
  const spool = agentSpool(stateDir);
  await spool.open();
  let hub = 'reachable';
  try {
    await new HubClient(identity, { timeoutMs: 10_000 }).call('AmazonSSM.UpdateInstanceInformation', {
      InstanceId: identity.instanceId,
      ...heartbeatFacts(collectHostFacts()),
    });
  } catch (error) {
    hub = `unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
  process.stdout.write(
    `${JSON.stringify(
      {
        instanceId: identity.instanceId,
        hub: identity.hub,
        region: identity.region,
        hubStatus: hub,
        spooledReports: spool.size,
        spooledBytes: spool.bytes,
        rejectedReports: (await spool.listRejected()).length,
      },
      null,
      2,
    )}\n`,
  );
}

/** Adds `bulwark agent …` and returns the `agent` command (other agent subcommands attach to it). */
export function registerAgentCommands(program: Command): Command {
  const agent =
    program.commands.find((command) => command.name() === 'agent') ??
    program.command('agent').description('the host agent: register with a hub and report to it');
  agent
    .command('register')
    .description('register this host with a hub using an activation, storing the identity (mode 0600)')
    .requiredOption('--hub <url>', 'hub base URL, e.g. https://hub.example.com:8443')
    .requiredOption('--activation-id <id>', 'activation id from CreateActivation')
    .requiredOption('--activation-code <code>', 'activation code from CreateActivation')
    .option('--region <region>', 'region of the hub (default: what the hub answers)')
    .option('--state-dir <dir>', 'where identity and spool live', DEFAULT_STATE_DIR)
    .option('--name <name>', 'instance name shown by the hub')
    .option('--force', 'replace an existing identity')
    .option('--ca-file <file>', "PEM CA that signs the hub's certificate (instead of the built-in CA list)")
    .option(
      '--hub-fingerprint <sha256>',
      'trust exactly the hub certificate with this SHA-256 fingerprint (what `bulwark server` prints)',
    )
    .option('--insecure-http', 'allow a plain http:// hub that is not on loopback (prints a warning)')
    .action((flags: RegisterFlags) => register(flags));
  agent
    .command('run')
    .description('run the agent: heartbeat, inventory, commands, spooled reports')
    .option('--state-dir <dir>', 'where identity and spool live', DEFAULT_STATE_DIR)
    .option('--once', 'one heartbeat, inventory, spool delivery and command poll, then exit')
    .option('--heartbeat-seconds <n>', 'heartbeat interval (BULWARK_AGENT_HEARTBEAT_SECONDS, default 300)')
    .option('--inventory-seconds <n>', 'inventory interval (BULWARK_AGENT_INVENTORY_SECONDS, default 86400)')
    .option('--poll-seconds <n>', 'command poll interval (BULWARK_AGENT_POLL_SECONDS, default 30)')
    .option(
      '--no-patch-refresh',
      'AWS-RunPatchBaseline reads the package metadata as it is, without apt-get update / dnf makecache ' +
        '(BULWARK_AGENT_PATCH_REFRESH=0), for hosts whose own timer keeps it fresh',
    )
    .action((flags: RunFlags) => run(flags));
  agent
    .command('status')
    .description('show the identity, whether the hub answers and how many reports are spooled')
    .option('--state-dir <dir>', 'where identity and spool live', DEFAULT_STATE_DIR)
    .action((flags: { stateDir: string }) => status(flags));
  return agent;
}
