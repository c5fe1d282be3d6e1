/**
 * E2E support: a fleet of real agents. Each is a `bulwark agent run` process registered through one activation as
 * its own managed instance, with its own state dir, polling every half second and tagged so commands and
 * maintenance windows can target the fleet by tag.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AddTagsToResourceCommand, CreateActivationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { bulwarkBin, repoRoot, type TestServer } from './server-harness.js';

const execFileAsync = promisify(execFile);

/** The environment variable each agent process (and so each script it runs) gets its fleet index in. */
export const fleetNodeVariable = 'FLEET_E2E_NODE';

/** One agent process of a fleet. */
export interface FleetAgent {
  index: number;
  instanceId: string;
  stateDir: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output: () => string;
  exited: Promise<void>;
}

/** A running fleet and the tag every member carries. */
export interface AgentFleet {
  agents: FleetAgent[];
  tag: { Key: string; Value: string };
  /** Each agent's output, for assertion messages. */
  diagnostics(): string;
  /** Stops every agent (SIGTERM, then SIGKILL after two seconds). */
  stop(): Promise<void>;
}

/** The environment of the test process without BULWARK_* (the agent reads only what a test sets). */
function agentEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
  return { ...env, ...extra };
}

async function registerAgent(
  server: TestServer,
  activation: { id: string; code: string },
  stateDir: string,
  name: string,
): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      bulwarkBin,
      'agent',
      'register',
      '--hub',
      server.endpoint,
      '--activation-id',
      activation.id,
      '--activation-code',
      activation.code,
      '--state-dir',
      stateDir,
      '--name',
      name,
    ],
    { cwd: repoRoot, env: agentEnv({}) },
  );
  return /registered as (mi-[0-9a-f]{17})/.exec(stdout)?.[1] ?? assert.fail(`no instance id in ${stdout}`);
}

function startAgent(index: number, instanceId: string, stateDir: string): FleetAgent {
  const child = spawn(
    process.execPath,
    [bulwarkBin, 'agent', 'run', '--state-dir', stateDir, '--poll-seconds', '0.5'],
    {
      cwd: repoRoot,
      env: agentEnv({
        [fleetNodeVariable]: String(index),
        BULWARK_AGENT_BACKOFF_BASE_SECONDS: '0.1',
        BULWARK_AGENT_BACKOFF_CAP_SECONDS: '0.5',
        // AWS-RunPatchBaseline on this host reads its apt lists as they are: a test never updates them.
        BULWARK_AGENT_PATCH_REFRESH: '0',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { index, instanceId, stateDir, child, output: () => text, exited };
}

async function stopAgent(agent: FleetAgent): Promise<void> {
  if (agent.child.exitCode !== null || agent.child.signalCode !== null) return;
  agent.child.kill('SIGTERM');
  const timer = setTimeout(() => agent.child.kill('SIGKILL'), 2_000);
  await agent.exited;
  clearTimeout(timer);
}

/**
 * Registers `size` agents through one activation of `ssm`'s account (state dirs `dir/agent-<index>`), starts
 * them and tags each instance `tag`.
 */
export async function startAgentFleet(
  server: TestServer,
  ssm: SSMClient,
  options: { size: number; dir: string; tag: { Key: string; Value: string }; namePrefix?: string },
): Promise<AgentFleet> {
  const activation = await ssm.send(
    new CreateActivationCommand({ IamRole: 'SSMServiceRole', RegistrationLimit: options.size }),
  );
  const code = { id: activation.ActivationId ?? '', code: activation.ActivationCode ?? '' };
  const indexes = Array.from({ length: options.size }, (_, index) => index);
  const stateDirOf = (index: number): string => join(options.dir, `agent-${index}`);
  const instanceIds = await Promise.all(
    indexes.map((index) =>
      registerAgent(server, code, stateDirOf(index), `${options.namePrefix ?? 'fleet'}-${index}`),
    ),
  );
  assert.equal(new Set(instanceIds).size, options.size, 'every agent is its own instance');
  const agents = indexes.map((index) => startAgent(index, instanceIds[index] ?? '', stateDirOf(index)));
  const fleet: AgentFleet = {
    agents,
    tag: options.tag,
    diagnostics: () => agents.map((a) => `[agent ${a.index}]\n${a.output()}`).join('\n'),
    stop: async () => {
      await Promise.all(agents.map(stopAgent));
    },
  };
  try {
    for (const agent of agents) {
      await ssm.send(
        new AddTagsToResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: agent.instanceId,
          Tags: [options.tag],
        }),
      );
    }
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}

/** The highest number of [start, end] intervals that overlap at one moment (an end before a start at a tie). */
export function peakOverlap(intervals: readonly (readonly [number, number])[]): number {
  const events = intervals
    .flatMap(([start, end]) => [
      { at: start, delta: 1 },
      { at: end, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const event of events) {
    running += event.delta;
    peak = Math.max(peak, running);
  }
  return peak;
}
