/**
 * Run Command rate control end to end against a fleet of real agents: four `bulwark agent run` processes, each
 * its own managed instance with its own state dir, take commands sent through @aws-sdk/client-ssm by tag.
 * MaxConcurrency bounds how many scripts run at once (as counted by the scripts' own clocks), MaxErrors stops
 * dispatching and terminates the rest, one failure under the limit makes the command Incomplete, and
 * CancelCommand stops a running script and the held invocations.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type Command,
  type CommandInvocation,
  type GetCommandInvocationCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import {
  fleetNodeVariable as nodeVariable,
  peakOverlap,
  startAgentFleet,
  type AgentFleet,
  type FleetAgent,
} from './support/agent-fleet.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { eventually, ssmClient } from './support/ssm.js';

/** How many agents the fleet has. */
const fleetSize = 4;

const finished = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

describe('Run Command across a fleet of agent processes (e2e)', () => {
  let server: InProcessServer;
  let ssm: SSMClient;
  let scratch: string;
  let fleet: AgentFleet | undefined;
  let agents: FleetAgent[] = [];
  const fleetTag = `fleet-${process.pid}`;

  const shellToFleet = async (
    commands: string[],
    rate: { MaxConcurrency?: string; MaxErrors?: string },
  ): Promise<string> => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:Fleet', Values: [fleetTag] }],
        Parameters: { commands },
        ...rate,
      }),
    );
    assert.equal(sent.Command?.TargetCount, fleetSize);
    return sent.Command?.CommandId ?? assert.fail('no command id');
  };
  const commandOf = async (commandId: string): Promise<Command> =>
    (await ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands?.[0] ??
    assert.fail(`command ${commandId} not listed`);
  const finishedCommand = (commandId: string, timeoutMs = 15_000): Promise<Command> =>
    eventually(
      () => commandOf(commandId),
      (command) => finished.has(command.Status ?? ''),
      `command ${commandId} to finish`,
      timeoutMs,
    );
  const invocationOf = (commandId: string, agent: FleetAgent): Promise<GetCommandInvocationCommandOutput> =>
    ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: agent.instanceId }));
  const invocationsOf = async (commandId: string, status?: string): Promise<CommandInvocation[]> =>
    (
      await ssm.send(
        new ListCommandInvocationsCommand({
          CommandId: commandId,
          ...(status === undefined ? {} : { Filters: [{ key: 'Status', value: status }] }),
        }),
      )
    ).CommandInvocations ?? [];
  const diagnostics = (): string => fleet?.diagnostics() ?? '';

  before(async () => {
    server = await startInProcessServer();
    ssm = ssmClient(server, server.credentials);
    scratch = mkdtempSync(join(tmpdir(), 'bulwark-fleet-e2e-'));
    fleet = await startAgentFleet(server, ssm, {
      size: fleetSize,
      dir: scratch,
      tag: { Key: 'Fleet', Value: fleetTag },
    });
    agents = fleet.agents;
  });

  after(async () => {
    await fleet?.stop();
    ssm?.destroy();
    await server?.dispose();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('runs at most MaxConcurrency scripts at once, as a count and as a percentage, on every node', async () => {
    const script = ['echo "start $(date +%s%3N)"', 'sleep 1', 'echo "end $(date +%s%3N)"'];
    // Two commands at once: each keeps its own window of two (the agents run both side by side).
    const [byCount, byPercent] = await Promise.all([
      shellToFleet(script, { MaxConcurrency: '2' }),
      shellToFleet(script, { MaxConcurrency: '50%' }),
    ]);
    for (const commandId of [byCount, byPercent]) {
      const command = await finishedCommand(commandId, 20_000);
      assert.deepEqual(
        [command.Status, command.CompletedCount, command.ErrorCount],
        ['Success', fleetSize, 0],
        diagnostics(),
      );
      const windows: [number, number][] = [];
      for (const agent of agents) {
        const out = await invocationOf(commandId, agent);
        assert.equal(out.Status, 'Success');
        const text = out.StandardOutputContent ?? '';
        const start = Number(/^start (\d+)$/m.exec(text)?.[1]);
        const end = Number(/^end (\d+)$/m.exec(text)?.[1]);
        assert.ok(start > 0 && end >= start + 1000, `agent ${agent.index} ran the script: ${text}`);
        windows.push([start, end]);
      }
      // Never more than two at once, and two did run together (rate control is a window, not a queue).
      assert.equal(peakOverlap(windows), 2, `overlap of ${JSON.stringify(windows)}`);
    }
  });

  it('stops dispatching past MaxErrors: the rest end Terminated without running', async () => {
    const marks = join(scratch, 'error-limit');
    mkdirSync(marks);
    const commandId = await shellToFleet([`touch ${marks}/$${nodeVariable}`, 'echo ran', 'exit 1'], {
      MaxConcurrency: '1',
      MaxErrors: '1',
    });
    const command = await finishedCommand(commandId);
    assert.deepEqual(
      [command.Status, command.StatusDetails, command.ErrorCount, command.CompletedCount],
      ['Failed', 'Failed', 2, fleetSize],
      diagnostics(),
    );
    const ran: FleetAgent[] = [];
    const terminated: FleetAgent[] = [];
    for (const agent of agents) {
      const out = await invocationOf(commandId, agent);
      if (out.StatusDetails === 'Terminated') {
        assert.deepEqual(
          [out.Status, out.ResponseCode, out.StandardOutputContent, out.ExecutionStartDateTime ?? ''],
          ['Failed', -1, '', ''],
        );
        assert.equal(existsSync(join(marks, String(agent.index))), false, 'a terminated script never ran');
        terminated.push(agent);
      } else {
        assert.deepEqual(
          [out.Status, out.StatusDetails, out.ResponseCode, out.StandardOutputContent],
          ['Failed', 'Failed', 1, 'ran\n'],
        );
        assert.equal(existsSync(join(marks, String(agent.index))), true);
        ran.push(agent);
      }
    }
    assert.equal(ran.length, 2, 'the first error is within MaxErrors 1, the second stops dispatching');
    assert.equal(terminated.length, 2);
    const listed = await invocationsOf(commandId, 'Terminated');
    assert.deepEqual(listed.map((i) => i.InstanceId).sort(), terminated.map((a) => a.instanceId).sort());
    assert.ok(listed.every((i) => i.Status === 'Failed' && i.StatusDetails === 'Terminated'));
  });

  it('ends Incomplete when one node fails but errors stay under MaxErrors', async () => {
    const failing = agents[1] ?? assert.fail('no agent 1');
    const commandId = await shellToFleet(
      [`if [ "$${nodeVariable}" = "${failing.index}" ]; then echo failing; exit 1; fi`, 'echo fine'],
      { MaxErrors: '2' },
    );
    const command = await finishedCommand(commandId);
    assert.deepEqual(
      [command.Status, command.StatusDetails, command.ErrorCount, command.CompletedCount],
      ['Failed', 'Incomplete', 1, fleetSize],
      diagnostics(),
    );
    for (const agent of agents) {
      const out = await invocationOf(commandId, agent);
      assert.deepEqual(
        [out.Status, out.ResponseCode, out.StandardOutputContent],
        agent === failing ? ['Failed', 1, 'failing\n'] : ['Success', 0, 'fine\n'],
        `agent ${agent.index}`,
      );
    }
    const incomplete = await ssm.send(
      new ListCommandsCommand({ Filters: [{ key: 'Status', value: 'Incomplete' }] }),
    );
    assert.deepEqual(
      incomplete.Commands?.map((c) => c.CommandId),
      [commandId],
    );
  });

  it('cancels a stuck run: the agent kills the running script, the held invocations never start', async () => {
    const pids = join(scratch, 'cancel');
    mkdirSync(pids);
    const commandId = await shellToFleet([`echo $$ > ${pids}/$${nodeVariable}.pid`, 'sleep 30'], {
      MaxConcurrency: '1',
    });
    const running = await eventually(
      () => invocationsOf(commandId, 'InProgress'),
      (list) => list.length === 1,
      'the first invocation to start',
    );
    const runner =
      agents.find((a) => a.instanceId === running[0]?.InstanceId) ?? assert.fail('not a fleet instance');
    const pidFile = join(pids, `${runner.index}.pid`);
    await eventually(
      () => Promise.resolve(existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n')),
      (started) => started,
      'the script to start',
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const cancelledAt = Date.now();
    await ssm.send(new CancelCommandCommand({ CommandId: commandId }));
    const command = await finishedCommand(commandId, 10_000);
    assert.deepEqual(
      [command.Status, command.StatusDetails, command.CompletedCount],
      ['Cancelled', 'Canceled', fleetSize],
    );
    assert.ok(Date.now() - cancelledAt < 5_000, 'cancelled within a few polls, not after the sleep');
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the agent killed the script');
    for (const agent of agents) {
      const out = await invocationOf(commandId, agent);
      assert.deepEqual([out.Status, out.StatusDetails], ['Cancelled', 'Canceled'], `agent ${agent.index}`);
      if (agent === runner) {
        assert.notEqual(out.ExecutionStartDateTime ?? '', '');
      } else {
        assert.equal(out.ResponseCode, -1);
        assert.equal(existsSync(join(pids, `${agent.index}.pid`)), false, 'a held script never ran');
      }
    }
    // Nothing the cancel held back starts later.
    await sleep(1_000);
    assert.deepEqual(
      (await invocationsOf(commandId)).map((i) => i.Status),
      Array.from({ length: fleetSize }, () => 'Cancelled'),
    );
  });
});
