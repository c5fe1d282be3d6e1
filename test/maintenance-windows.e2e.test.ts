/**
 * Maintenance windows end to end through @aws-sdk/client-ssm against a fleet of real agent processes: a window
 * fires on its at() time (read in its ScheduleTimezone), runs its tasks in priority order (a level's tasks side
 * by side) on the nodes its window target names, fills in pseudo parameters, hands MaxConcurrency and MaxErrors
 * to the Run Command command it sends, and stops on CancelMaintenanceWindowExecution. The patching pipeline —
 * an AWS-RunPatchBaseline Scan, then the built-in runbook that exports patch compliance — ends in Security Hub
 * findings read through @aws-sdk/client-securityhub.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelMaintenanceWindowExecutionCommand,
  CreateMaintenanceWindowCommand,
  DeregisterTargetFromMaintenanceWindowCommand,
  DescribeInstancePatchStatesCommand,
  DescribeMaintenanceWindowExecutionTaskInvocationsCommand,
  DescribeMaintenanceWindowExecutionTasksCommand,
  DescribeMaintenanceWindowExecutionsCommand,
  DescribeMaintenanceWindowsCommand,
  DescribeMaintenanceWindowTargetsCommand,
  DescribeMaintenanceWindowTasksCommand,
  GetCommandInvocationCommand,
  GetMaintenanceWindowCommand,
  GetMaintenanceWindowExecutionCommand,
  GetMaintenanceWindowExecutionTaskCommand,
  GetMaintenanceWindowExecutionTaskInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  RegisterTargetWithMaintenanceWindowCommand,
  RegisterTaskWithMaintenanceWindowCommand,
  UpdateMaintenanceWindowCommand,
  UpdateMaintenanceWindowTargetCommand,
  type Command,
  type CommandInvocation,
  type MaintenanceWindowExecution,
  type MaintenanceWindowExecutionTaskIdentity,
  type MaintenanceWindowExecutionTaskInvocationIdentity,
  type RegisterTaskWithMaintenanceWindowCommandInput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import {
  fleetNodeVariable,
  peakOverlap,
  startAgentFleet,
  type AgentFleet,
  type FleetAgent,
} from './support/agent-fleet.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { eventually, ssmClient } from './support/ssm.js';

const fleetSize = 4;
/** How far ahead a window's at() is set once its targets and tasks are registered. */
const leadMs = 2_000;
/** How late a window may start: a scheduler tick (500 ms here) plus a loaded machine's slack. */
const startSlackMs = 4_000;
/** Where windows point until a test arms them: an at() that never comes during the run. */
const parked = 'at(2099-01-01T00:00:00)';
const finishedStatuses = new Set(['SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED_OVERLAPPING']);

/** The patch scan reads dpkg and apt, as agent-patch-scan.e2e does. */
const isDebian = existsSync('/var/lib/dpkg/status') && existsSync('/usr/bin/apt-get');

const ms = (date: Date | undefined): number => date?.getTime() ?? assert.fail('no time');

describe('maintenance windows with a fleet of agent processes (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;
  let ssm: SSMClient;
  let scratch: string;
  let fleet: AgentFleet | undefined;
  let agents: FleetAgent[] = [];
  const fleetTag = { Key: 'Fleet', Value: `windows-${process.pid}` };
  /** Every window execution the tests above saw (the last test checks another account sees none). */
  const seenExecutionIds = new Set<string>();

  const nodeArn = (instanceId: string): string =>
    `arn:aws:ssm:${account.region}:${account.accountId}:managed-instance/${instanceId}`;
  const diagnostics = (): string => `${fleet?.diagnostics() ?? ''}\n[server]\n${server.output()}`;

  /** A window parked far in the future (Duration 1, Cutoff 0) with one window target: the fleet's tag. */
  const windowForFleet = async (
    name: string,
    extra: { ScheduleTimezone?: string } = {},
  ): Promise<{ windowId: string; windowTargetId: string }> => {
    const created = await ssm.send(
      new CreateMaintenanceWindowCommand({
        Name: name,
        Schedule: parked,
        Duration: 1,
        Cutoff: 0,
        AllowUnassociatedTargets: false,
        ...extra,
      }),
    );
    const windowId = created.WindowId ?? assert.fail('no window id');
    const target = await ssm.send(
      new RegisterTargetWithMaintenanceWindowCommand({
        WindowId: windowId,
        ResourceType: 'INSTANCE',
        Targets: [{ Key: `tag:${fleetTag.Key}`, Values: [fleetTag.Value] }],
        OwnerInformation: `${name}-owner`,
      }),
    );
    return { windowId, windowTargetId: target.WindowTargetId ?? assert.fail('no window target id') };
  };

  type TaskInput = Omit<RegisterTaskWithMaintenanceWindowCommandInput, 'WindowId' | 'Targets'>;
  const registerTask = async (windowId: string, windowTargetId: string, input: TaskInput): Promise<string> =>
    (
      await ssm.send(
        new RegisterTaskWithMaintenanceWindowCommand({
          WindowId: windowId,
          Targets: [{ Key: 'WindowTargetIds', Values: [windowTargetId] }],
          ...input,
        }),
      )
    ).WindowTaskId ?? assert.fail('no window task id');
  const shellTask = (
    commands: string[],
    priority: number,
    rate: { MaxConcurrency: string; MaxErrors: string } = { MaxConcurrency: '100%', MaxErrors: '0' },
  ): TaskInput => ({
    TaskType: 'RUN_COMMAND',
    TaskArn: 'AWS-RunShellScript',
    Priority: priority,
    ...rate,
    TaskInvocationParameters: { RunCommand: { Parameters: { commands } } },
  });

  /**
   * Points the window at one run `leadMs` from now, as an at() in the wall time of the window's zone (given as
   * its UTC offset; the zones used keep no daylight saving), and checks the instant the window reports. Windows
   * are armed only once their targets and tasks are in place, so a slow setup can't make one fire half-built.
   */
  const armWindow = async (windowId: string, zone?: { offsetHours: number }): Promise<Date> => {
    const at = Math.ceil((Date.now() + leadMs) / 1000) * 1000;
    const wall = new Date(at + (zone?.offsetHours ?? 0) * 3_600_000).toISOString().slice(0, 19);
    await ssm.send(new UpdateMaintenanceWindowCommand({ WindowId: windowId, Schedule: `at(${wall})` }));
    const window = await ssm.send(new GetMaintenanceWindowCommand({ WindowId: windowId }));
    assert.equal(window.Schedule, `at(${wall})`);
    assert.equal(window.NextExecutionTime, new Date(at).toISOString(), 'the at() read in the window zone');
    return new Date(at);
  };

  const executionsOf = async (windowId: string): Promise<MaintenanceWindowExecution[]> =>
    (await ssm.send(new DescribeMaintenanceWindowExecutionsCommand({ WindowId: windowId })))
      .WindowExecutions ?? [];
  /** The window's one execution once `accept` holds (default: it finished). */
  const executionOf = async (
    windowId: string,
    accept: (execution: MaintenanceWindowExecution) => boolean = (e) => finishedStatuses.has(e.Status ?? ''),
    timeoutMs = 20_000,
  ): Promise<MaintenanceWindowExecution> => {
    const list = await eventually(
      () => executionsOf(windowId),
      (executions) => executions.length === 1 && accept(executions[0] as MaintenanceWindowExecution),
      `window ${windowId}'s execution`,
      timeoutMs,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${diagnostics()}`);
    });
    const execution = list[0] as MaintenanceWindowExecution;
    seenExecutionIds.add(execution.WindowExecutionId ?? '');
    return execution;
  };
  /** The execution's task executions, in the order they started. */
  const taskExecutionsOf = async (
    windowExecutionId: string,
  ): Promise<MaintenanceWindowExecutionTaskIdentity[]> =>
    (
      await ssm.send(
        new DescribeMaintenanceWindowExecutionTasksCommand({ WindowExecutionId: windowExecutionId }),
      )
    ).WindowExecutionTaskIdentities ?? [];
  const invocationsOfTask = async (
    task: MaintenanceWindowExecutionTaskIdentity,
  ): Promise<MaintenanceWindowExecutionTaskInvocationIdentity[]> =>
    (
      await ssm.send(
        new DescribeMaintenanceWindowExecutionTaskInvocationsCommand({
          WindowExecutionId: task.WindowExecutionId,
          TaskId: task.TaskExecutionId,
        }),
      )
    ).WindowExecutionTaskInvocationIdentities ?? [];
  /** The one invocation (window target) of a task execution and the Run Command command it sent. */
  const commandOfTask = async (
    task: MaintenanceWindowExecutionTaskIdentity,
  ): Promise<{ invocation: MaintenanceWindowExecutionTaskInvocationIdentity; command: Command }> => {
    const invocations = await invocationsOfTask(task);
    assert.equal(invocations.length, 1, 'one invocation per window target');
    const invocation = invocations[0] as MaintenanceWindowExecutionTaskInvocationIdentity;
    const listed = await ssm.send(new ListCommandsCommand({ CommandId: invocation.ExecutionId }));
    const command = listed.Commands?.[0] ?? assert.fail(`no command ${invocation.ExecutionId}`);
    return { invocation, command };
  };
  const commandInvocationsOf = async (commandId: string): Promise<CommandInvocation[]> =>
    (await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId }))).CommandInvocations ?? [];
  const outputOf = async (commandId: string, agent: FleetAgent): Promise<string> =>
    (await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: agent.instanceId })))
      .StandardOutputContent ?? '';
  const fleetIds = (): string[] => agents.map((a) => a.instanceId).sort();

  before(async () => {
    server = await startInProcessServer({
      env: { BULWARK_MAINTENANCE_TICK_MS: '500', BULWARK_WORKER_POLL_MS: '100' },
    });
    account = await enabledAccount(server);
    ssm = ssmClient(server, account.key);
    scratch = mkdtempSync(join(tmpdir(), 'bulwark-windows-e2e-'));
    fleet = await startAgentFleet(server, ssm, {
      size: fleetSize,
      dir: scratch,
      tag: fleetTag,
      namePrefix: 'mw',
    });
    agents = fleet.agents;
  });

  after(async () => {
    await fleet?.stop();
    ssm?.destroy();
    await server?.dispose();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it(
    'runs the patching pipeline: a Scan on every node, then the findings export, in priority order',
    { skip: isDebian ? false : 'not a Debian/Ubuntu host' },
    async () => {
      const { windowId, windowTargetId } = await windowForFleet('patch-pipeline');
      await registerTask(windowId, windowTargetId, {
        TaskType: 'RUN_COMMAND',
        TaskArn: 'AWS-RunPatchBaseline',
        Priority: 1,
        MaxConcurrency: '2',
        MaxErrors: '1',
        TaskInvocationParameters: { RunCommand: { Parameters: { Operation: ['Scan'] } } },
      });
      await registerTask(windowId, windowTargetId, {
        TaskType: 'AUTOMATION',
        TaskArn: 'Bulwark-ExportPatchComplianceToFindings',
        Priority: 10,
        MaxConcurrency: '1',
        MaxErrors: '0',
      });
      const at = await armWindow(windowId);

      const execution = await executionOf(windowId, undefined, 45_000);
      assert.equal(execution.Status, 'SUCCESS', `${execution.StatusDetails ?? ''}\n${diagnostics()}`);
      assert.ok(ms(execution.StartTime) >= at.getTime(), 'not before its at() time');
      assert.ok(ms(execution.StartTime) < at.getTime() + startSlackMs, 'on time');
      const windowExecutionId = execution.WindowExecutionId ?? '';

      const tasks = await taskExecutionsOf(windowExecutionId);
      assert.deepEqual(
        tasks.map((t) => [t.TaskArn, t.TaskType, t.Status]),
        [
          ['AWS-RunPatchBaseline', 'RUN_COMMAND', 'SUCCESS'],
          ['Bulwark-ExportPatchComplianceToFindings', 'AUTOMATION', 'SUCCESS'],
        ],
      );
      const [scanTask, exportTask] = tasks as [
        MaintenanceWindowExecutionTaskIdentity,
        MaintenanceWindowExecutionTaskIdentity,
      ];
      assert.ok(ms(exportTask.StartTime) >= ms(scanTask.EndTime), 'priority 10 starts once priority 1 ended');

      // The scan task sent one Run Command command to the window target's nodes, with the window's snapshot.
      const { invocation, command } = await commandOfTask(scanTask);
      assert.deepEqual(
        [invocation.Status, invocation.WindowTargetId, invocation.OwnerInformation],
        ['SUCCESS', windowTargetId, 'patch-pipeline-owner'],
      );
      assert.match(invocation.ExecutionId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(command.CommandId, invocation.ExecutionId);
      assert.deepEqual(
        [
          command.DocumentName,
          command.Status,
          command.MaxConcurrency,
          command.MaxErrors,
          command.TargetCount,
        ],
        ['AWS-RunPatchBaseline', 'Success', '2', '1', fleetSize],
      );
      assert.deepEqual(command.Parameters?.['SnapshotId'], [windowExecutionId]);
      assert.deepEqual(command.Parameters?.['Operation'], ['Scan']);
      assert.deepEqual(JSON.parse(invocation.Parameters ?? '{}'), {
        Operation: ['Scan'],
        SnapshotId: [windowExecutionId],
      });
      const commandInvocations = await commandInvocationsOf(command.CommandId ?? '');
      assert.deepEqual(commandInvocations.map((i) => i.InstanceId).sort(), fleetIds());
      for (const item of commandInvocations) assert.equal(item.Status, 'Success', item.InstanceId);

      // Every node scanned with the window's snapshot, at most two at once (the task's MaxConcurrency).
      const states =
        (await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: fleetIds() })))
          .InstancePatchStates ?? [];
      assert.equal(states.length, fleetSize);
      for (const state of states) {
        assert.deepEqual([state.Operation, state.SnapshotId], ['Scan', windowExecutionId], state.InstanceId);
      }
      assert.ok(
        peakOverlap(states.map((s) => [ms(s.OperationStartTime), ms(s.OperationEndTime)] as const)) <= 2,
        'MaxConcurrency 2',
      );

      // The export ran over the same nodes and left each one's patch findings in Security Hub.
      const exports = await invocationsOfTask(exportTask);
      assert.equal(exports.length, 1);
      assert.equal(exports[0]?.Status, 'SUCCESS');
      assert.match(exports[0]?.StatusDetails ?? '', new RegExp(`patch compliance of ${fleetSize} nodes`));
      for (const state of states) {
        const resource = [{ Value: nodeArn(state.InstanceId ?? ''), Comparison: 'EQUALS' as const }];
        const [summary, ...others] = await getAllFindings(account.client, {
          GeneratorId: [{ Value: 'bulwark-patch-compliance/patch-summary', Comparison: 'EQUALS' }],
          ResourceId: resource,
        });
        assert.equal(others.length, 0);
        assert.ok(summary !== undefined, `a patch summary finding for ${state.InstanceId ?? ''}`);
        assert.equal(summary.ProductName, 'Systems Manager Patch Manager');
        assert.equal(
          summary.ProductArn,
          `arn:aws:securityhub:${account.region}::product/aws/ssm-patch-manager`,
        );
        assert.equal(summary.PatchSummary?.Operation, 'Scan');
        assert.equal(summary.PatchSummary?.MissingCount, state.MissingCount);
        assert.equal(summary.Compliance?.Status, (state.MissingCount ?? 0) > 0 ? 'FAILED' : 'PASSED');
        assert.ok(Date.parse(summary.UpdatedAt ?? '') >= ms(exportTask.StartTime), 'written by the export');
        const missing = await getAllFindings(account.client, {
          GeneratorId: [{ Value: 'bulwark-patch-compliance/missing-patch', Comparison: 'EQUALS' }],
          ResourceId: resource,
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        });
        assert.equal(
          missing.length,
          state.MissingCount,
          `missing-patch findings of ${state.InstanceId ?? ''}`,
        );
        for (const finding of missing) {
          assert.equal(finding.ProductName, 'Systems Manager Patch Manager');
          assert.equal(finding.Compliance?.Status, 'FAILED');
        }
      }
    },
  );

  it('runs a priority level side by side, the next level after it, and fills in pseudo parameters', async () => {
    // The window's at() is Tokyo wall time (UTC+9, no daylight saving): read as UTC it would be 9 hours away.
    const { windowId, windowTargetId } = await windowForFleet('levels', { ScheduleTimezone: 'Asia/Tokyo' });
    const timed = ['echo "start $(date +%s%3N)"', 'sleep 1.5', 'echo "end $(date +%s%3N)"'];
    await registerTask(windowId, windowTargetId, { ...shellTask(timed, 1), Name: 'first-a' });
    await registerTask(windowId, windowTargetId, { ...shellTask(timed, 1), Name: 'first-b' });
    await registerTask(windowId, windowTargetId, {
      ...shellTask(
        [
          'echo "start $(date +%s%3N)"',
          'echo "window {{WINDOW_EXECUTION_ID}}"',
          'echo "target {{WINDOW_TARGET_ID}}"',
        ],
        2,
      ),
      Name: 'second',
    });
    const at = await armWindow(windowId, { offsetHours: 9 });
    assert.equal(
      (await ssm.send(new GetMaintenanceWindowCommand({ WindowId: windowId }))).ScheduleTimezone,
      'Asia/Tokyo',
    );

    const execution = await executionOf(windowId);
    assert.equal(execution.Status, 'SUCCESS', execution.StatusDetails);
    assert.ok(
      ms(execution.StartTime) >= at.getTime() && ms(execution.StartTime) < at.getTime() + startSlackMs,
    );
    const windowExecutionId = execution.WindowExecutionId ?? '';
    const tasks = await taskExecutionsOf(windowExecutionId);
    assert.equal(tasks.length, 3);
    assert.ok(tasks.every((t) => t.Status === 'SUCCESS'));
    const priorityOf = async (task: MaintenanceWindowExecutionTaskIdentity): Promise<number | undefined> =>
      (
        await ssm.send(
          new GetMaintenanceWindowExecutionTaskCommand({
            WindowExecutionId: windowExecutionId,
            TaskId: task.TaskExecutionId,
          }),
        )
      ).Priority;
    const priorities = await Promise.all(tasks.map(priorityOf));
    const [a, b] = tasks.filter((_, index) => priorities[index] === 1) as [
      MaintenanceWindowExecutionTaskIdentity,
      MaintenanceWindowExecutionTaskIdentity,
    ];
    const last = tasks.find((_, index) => priorities[index] === 2) ?? assert.fail('no priority-2 task');
    const firsts = await Promise.all([a, b].map(commandOfTask));
    const second = await commandOfTask(last);

    // The two priority-1 tasks ran at the same time; the priority-2 task started after both had ended.
    assert.ok(ms(a.StartTime) < ms(b.EndTime) && ms(b.StartTime) < ms(a.EndTime), 'level 1 side by side');
    assert.ok(ms(last.StartTime) >= Math.max(ms(a.EndTime), ms(b.EndTime)), 'level 2 after level 1');
    // The same, by the scripts' own clocks on every node.
    let firstLevelEnd = 0;
    for (const { command } of firsts) {
      for (const agent of agents) {
        const text = await outputOf(command.CommandId ?? '', agent);
        const end = Number(/^end (\d+)$/m.exec(text)?.[1]);
        assert.ok(end > 0, `agent ${agent.index} ran level 1: ${text}`);
        firstLevelEnd = Math.max(firstLevelEnd, end);
      }
    }
    for (const agent of agents) {
      const text = await outputOf(second.command.CommandId ?? '', agent);
      const start = Number(/^start (\d+)$/m.exec(text)?.[1]);
      assert.ok(start >= firstLevelEnd, `agent ${agent.index} started level 2 after level 1 ended`);
      // The pseudo parameters arrive filled in.
      assert.match(text, new RegExp(`^window ${windowExecutionId}$`, 'm'));
      assert.match(text, new RegExp(`^target ${windowTargetId}$`, 'm'));
    }
    assert.deepEqual(JSON.parse(second.invocation.Parameters ?? '{}'), {
      commands: [
        'echo "start $(date +%s%3N)"',
        `echo "window ${windowExecutionId}"`,
        `echo "target ${windowTargetId}"`,
      ],
    });
  });

  it('fails the task and the execution past MaxErrors: the later invocations end Terminated', async () => {
    const { windowId, windowTargetId } = await windowForFleet('error-limit');
    await registerTask(
      windowId,
      windowTargetId,
      shellTask(['echo failing', 'exit 3'], 1, { MaxConcurrency: '1', MaxErrors: '0' }),
    );
    await armWindow(windowId);
    const execution = await executionOf(windowId);
    assert.deepEqual([execution.Status, execution.StatusDetails], ['FAILED', '1 of 1 tasks failed.']);
    const tasks = await taskExecutionsOf(execution.WindowExecutionId ?? '');
    assert.deepEqual(
      tasks.map((t) => t.Status),
      ['FAILED'],
    );
    const { invocation, command } = await commandOfTask(tasks[0] ?? assert.fail('no task execution'));
    assert.equal(invocation.Status, 'FAILED');
    const one = await ssm.send(
      new GetMaintenanceWindowExecutionTaskInvocationCommand({
        WindowExecutionId: execution.WindowExecutionId,
        TaskId: tasks[0]?.TaskExecutionId,
        InvocationId: invocation.InvocationId,
      }),
    );
    assert.deepEqual([one.ExecutionId, one.Status], [command.CommandId, 'FAILED']);
    assert.deepEqual(
      [command.Status, command.StatusDetails, command.ErrorCount, command.CompletedCount],
      ['Failed', 'Failed', 1, fleetSize],
    );
    const results = await commandInvocationsOf(command.CommandId ?? '');
    const ran = results.filter((i) => i.StatusDetails === 'Failed');
    const terminated = results.filter((i) => i.StatusDetails === 'Terminated');
    assert.equal(ran.length, 1, 'MaxErrors 0: the first failure stops dispatching');
    assert.equal(terminated.length, fleetSize - 1);
    assert.ok(results.every((i) => i.Status === 'Failed'));
    const failed = agents.find((a) => a.instanceId === ran[0]?.InstanceId) ?? assert.fail('not a fleet node');
    assert.equal(await outputOf(command.CommandId ?? '', failed), 'failing\n');
  });

  it('cancels a running execution: the agents kill the scripts and no later task starts', async () => {
    const marks = join(scratch, 'cancel');
    mkdirSync(marks);
    const { windowId, windowTargetId } = await windowForFleet('cancelled');
    await registerTask(
      windowId,
      windowTargetId,
      shellTask([`echo $$ > ${marks}/$${fleetNodeVariable}.pid`, 'sleep 30'], 1),
    );
    await registerTask(
      windowId,
      windowTargetId,
      shellTask([`touch ${marks}/later-$${fleetNodeVariable}`], 2),
    );
    await armWindow(windowId);
    const running = await executionOf(windowId, (e) => e.Status === 'IN_PROGRESS');
    const pidFiles = agents.map((agent) => join(marks, `${agent.index}.pid`));
    await eventually(
      () => Promise.resolve(pidFiles.every((f) => existsSync(f) && readFileSync(f, 'utf8').endsWith('\n'))),
      (started) => started,
      'every node to start the script',
    );
    const pids = pidFiles.map((f) => Number(readFileSync(f, 'utf8')));

    const cancelledAt = Date.now();
    await ssm.send(
      new CancelMaintenanceWindowExecutionCommand({ WindowExecutionId: running.WindowExecutionId }),
    );
    const execution = await executionOf(windowId, undefined, 10_000);
    assert.equal(execution.Status, 'CANCELLED');
    assert.ok(Date.now() - cancelledAt < 5_000, 'cancelled within a few ticks, not after the sleep');
    for (const pid of pids)
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the agent killed it');

    const detail = await ssm.send(
      new GetMaintenanceWindowExecutionCommand({ WindowExecutionId: running.WindowExecutionId }),
    );
    assert.equal(detail.TaskIds?.length, 1, 'the priority-2 task never started');
    const tasks = await taskExecutionsOf(running.WindowExecutionId ?? '');
    assert.deepEqual(
      tasks.map((t) => t.Status),
      ['CANCELLED'],
    );
    const { invocation, command } = await commandOfTask(tasks[0] ?? assert.fail('no task execution'));
    assert.deepEqual([invocation.Status, command.Status], ['CANCELLED', 'Cancelled']);
    await sleep(1_000);
    assert.deepEqual(
      agents.filter((a) => existsSync(join(marks, `later-${a.index}`))),
      [],
      'nothing ran after the cancel',
    );
  });

  it('answers the AWS errors for unknown windows, bad tasks, targets in use and other accounts', async () => {
    const unknownWindow = 'mw-0123456789abcdef0';
    await expectAwsError(
      ssm.send(new GetMaintenanceWindowCommand({ WindowId: unknownWindow })),
      'DoesNotExistException',
      400,
    );
    await expectAwsError(
      ssm.send(
        new RegisterTargetWithMaintenanceWindowCommand({
          WindowId: unknownWindow,
          ResourceType: 'INSTANCE',
          Targets: [{ Key: `tag:${fleetTag.Key}`, Values: [fleetTag.Value] }],
        }),
      ),
      'DoesNotExistException',
      400,
    );

    const { windowId, windowTargetId } = await windowForFleet('refusals');
    const someNode = agents[0]?.instanceId ?? assert.fail('no agent');
    await expectAwsError(
      ssm.send(
        new RegisterTaskWithMaintenanceWindowCommand({
          WindowId: windowId,
          Targets: [{ Key: 'InstanceIds', Values: [someNode] }],
          ...shellTask(['true'], 1),
        }),
      ),
      'ValidationException',
      400,
      /unassociated targets/,
    );
    await expectAwsError(
      ssm.send(
        new RegisterTaskWithMaintenanceWindowCommand({
          WindowId: windowId,
          Targets: [{ Key: 'WindowTargetIds', Values: [windowTargetId] }],
          TaskType: 'LAMBDA',
          TaskArn: 'arn:aws:lambda:us-east-1:123456789012:function:patch',
          MaxConcurrency: '1',
          MaxErrors: '0',
        }),
      ),
      'ValidationException',
      400,
      /LAMBDA/,
    );

    await registerTask(windowId, windowTargetId, shellTask(['true'], 1));
    await expectAwsError(
      ssm.send(
        new DeregisterTargetFromMaintenanceWindowCommand({
          WindowId: windowId,
          WindowTargetId: windowTargetId,
          Safe: true,
        }),
      ),
      'TargetInUseException',
      400,
    );
    const targets = await ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: windowId }));
    assert.deepEqual(
      targets.Targets?.map((t) => t.WindowTargetId),
      [windowTargetId],
      'a refused deregistration keeps the target',
    );
    const updated = await ssm.send(
      new UpdateMaintenanceWindowTargetCommand({
        WindowId: windowId,
        WindowTargetId: windowTargetId,
        OwnerInformation: 'night shift',
      }),
    );
    assert.equal(updated.OwnerInformation, 'night shift');
    const create = (description: string) =>
      ssm.send(
        new CreateMaintenanceWindowCommand({
          Name: 'retried-create',
          Description: description,
          Schedule: 'rate(7 days)',
          Duration: 2,
          Cutoff: 1,
          AllowUnassociatedTargets: false,
          ClientToken: `token-${windowId}`,
        }),
      );
    const first = await create('weekly');
    assert.equal(
      (await create('weekly')).WindowId,
      first.WindowId,
      'a retried create returns the same window',
    );
    await expectAwsError(create('changed'), 'IdempotentParameterMismatch', 400);
    const filtered = await ssm.send(
      new DescribeMaintenanceWindowTasksCommand({
        WindowId: windowId,
        Filters: [{ Key: 'TaskType', Values: ['AUTOMATION'] }],
      }),
    );
    assert.deepEqual(filtered.Tasks, [], 'Describe filters apply');
    const byArn = await ssm.send(
      new DescribeMaintenanceWindowTasksCommand({
        WindowId: windowId,
        Filters: [{ Key: 'TaskArn', Values: ['AWS-RunShellScript'] }],
      }),
    );
    assert.equal(byArn.Tasks?.length, 1);
    await expectAwsError(
      ssm.send(
        new DescribeMaintenanceWindowTargetsCommand({
          WindowId: windowId,
          Filters: [{ Key: 'Color', Values: ['blue'] }],
        }),
      ),
      'ValidationException',
      400,
    );

    // Another account sees none of it.
    const other = await enabledAccount(server);
    const otherSsm = ssmClient(server, other.key);
    try {
      await expectAwsError(
        otherSsm.send(new GetMaintenanceWindowCommand({ WindowId: windowId })),
        'DoesNotExistException',
        400,
      );
      await expectAwsError(
        otherSsm.send(new DescribeMaintenanceWindowExecutionsCommand({ WindowId: windowId })),
        'DoesNotExistException',
        400,
      );
      await expectAwsError(
        otherSsm.send(
          new DeregisterTargetFromMaintenanceWindowCommand({
            WindowId: windowId,
            WindowTargetId: windowTargetId,
          }),
        ),
        'DoesNotExistException',
        400,
      );
      assert.deepEqual((await otherSsm.send(new DescribeMaintenanceWindowsCommand({}))).WindowIdentities, []);
      for (const windowExecutionId of seenExecutionIds) {
        await expectAwsError(
          otherSsm.send(new GetMaintenanceWindowExecutionCommand({ WindowExecutionId: windowExecutionId })),
          'DoesNotExistException',
          400,
        );
        await expectAwsError(
          otherSsm.send(
            new CancelMaintenanceWindowExecutionCommand({ WindowExecutionId: windowExecutionId }),
          ),
          'DoesNotExistException',
          400,
        );
      }
    } finally {
      otherSsm.destroy();
    }
  });
});
