/** Maintenance windows at the service level with a movable clock: priorities, Cutoff, overlap, cancel (real SQL and Run Command, agents simulated). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AccessService, AccessStore, SecretBox, type Actor } from '../src/access/index.js';
import { windowCommands } from '../src/app/compose-maintenance.js';
import { composeSsmCore, type SsmCore } from '../src/app/compose-ssm.js';
import type { Ctx } from '../src/kernel/index.js';
import { serviceCtx } from '../src/app/service-actor.js';
import type { Db } from '../src/storage/database.js';
import { inCtx, openTestDatabase } from './support/service-context.js';
import {
  exportPatchFindingsRunbook,
  MaintenanceStore,
  MaintenanceWindowsService,
  WindowRunner,
  type TaskInput,
  type WindowInput,
} from '../src/maintenance/index.js';

const account = '111122223333';
const region = 'us-east-1';
const t0 = new Date('2026-06-01T00:00:00Z');
const at = (hhmmss: string): Date => new Date(`2026-06-01T${hhmmss}Z`);

async function rejectsWith(call: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(call, (error: { exceptionName?: string; message: string }) => {
    assert.equal(error.exceptionName, name, error.message);
    return true;
  });
}

describe('maintenance windows: API and scheduler', () => {
  let db: Db;
  let ssm: SsmCore;
  let windows: MaintenanceWindowsService;
  let runner: WindowRunner;
  const exported: string[][] = [];
  const agents: { instanceId: string; actor: Actor }[] = [];

  const admin = <T>(now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    inCtx(db, body, { accountId: account, region, now });
  const asAgent = <T>(actor: Actor, now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    db
      .transaction()
      .execute((tx) => body({ actor, accountId: account, region, requestId: 'agent', now, tx }));

  /** Every agent takes what was delivered to it and reports `status` for it; returns the command ids run. */
  const agentsRun = async (
    now: Date,
    status: 'Success' | 'Failed' | 'none' = 'Success',
  ): Promise<string[]> => {
    const ran: string[] = [];
    for (const agent of agents) {
      const work = await asAgent(agent.actor, now, (ctx) => ssm.commands.poll(ctx, agent.instanceId, [], 10));
      for (const { command } of work.deliveries) {
        ran.push(command.commandId);
        if (status === 'none') continue;
        await asAgent(agent.actor, now, (ctx) =>
          ssm.commands.report(ctx, {
            instanceId: agent.instanceId,
            commandId: command.commandId,
            reportId: `${command.commandId}-${now.getTime()}`,
            status,
            responseCode: status === 'Success' ? 0 : 1,
          }),
        );
      }
    }
    return ran;
  };
  /** Reports `status` for the command an agent already holds. */
  const agentsFinish = async (commandId: string, now: Date, status: 'Success' | 'Cancelled') => {
    for (const agent of agents) {
      await asAgent(agent.actor, now, (ctx) =>
        ssm.commands.report(ctx, {
          instanceId: agent.instanceId,
          commandId,
          reportId: `${commandId}-${status}-${now.getTime()}`,
          status,
        }),
      );
    }
  };

  const window = (schedule: string, extra: Partial<WindowInput> = {}) =>
    admin(t0, (ctx) =>
      windows.create(ctx, {
        name: 'nightly-patch',
        schedule,
        durationHours: 2,
        cutoffHours: 1,
        allowUnassociatedTargets: false,
        ...extra,
      }),
    );
  const target = (windowId: string) =>
    admin(t0, (ctx) =>
      windows.registerTarget(ctx, {
        windowId,
        resourceType: 'INSTANCE',
        targets: [{ key: 'tag:Env', values: ['prod'] }],
        ownerInformation: 'platform team',
      }),
    );
  const shellTask = (
    windowId: string,
    windowTargetId: string,
    priority: number,
    extra: Partial<TaskInput> = {},
  ) =>
    admin(t0, (ctx) =>
      windows.registerTask(ctx, {
        windowId,
        taskArn: 'AWS-RunShellScript',
        taskType: 'RUN_COMMAND',
        targets: [{ key: 'WindowTargetIds', values: [windowTargetId] }],
        priority,
        maxConcurrency: '2',
        maxErrors: '0',
        invocation: { parameters: { commands: ['echo {{WINDOW_EXECUTION_ID}} {{WINDOW_TARGET_ID}}'] } },
        ...extra,
      }),
    );
  const tick = (now: Date) => runner.tick(db, now);
  const executionsOf = (windowId: string, now: Date) =>
    admin(now, (ctx) => windows.executions(ctx, windowId, []));
  const tasksOf = (executionId: string, now: Date) =>
    admin(now, (ctx) => windows.executionTasks(ctx, executionId));

  before(async () => {
    db = await openTestDatabase();
    const accessStore = new AccessStore();
    const secrets = new SecretBox(randomBytes(32));
    const access = new AccessService(db, accessStore, secrets);
    await accessStore.insertAccount(db, account, t0);
    ssm = composeSsmCore({ pingTimeoutSeconds: 660 }, secrets);
    const store = new MaintenanceStore();
    runner = new WindowRunner(
      store,
      windowCommands(ssm),
      ssm.fleet,
      {
        exportPatchFindings(_ctx, instanceIds) {
          exported.push([...instanceIds].sort());
          return Promise.resolve(instanceIds.length);
        },
      },
      serviceCtx,
    );
    windows = new MaintenanceWindowsService(store, ssm.documents, runner, ssm.ssmTagStore);
    for (let i = 0; i < 2; i += 1) {
      const activation = await admin(t0, (ctx) =>
        ssm.fleet.createActivation(ctx, { iamRole: 'SSMServiceRole', registrationLimit: 1 }),
      );
      const registered = await admin(t0, async (ctx) => {
        const { actor } = await ssm.fleet.identifyActivation(ctx.tx, activation.activationId);
        return ssm.fleet.register(
          { ...ctx, actor },
          { activationId: activation.activationId, activationCode: activation.activationCode, facts: {} },
        );
      });
      const { actor } = await access.resolveKey(registered.accessKeyId, t0);
      agents.push({ instanceId: registered.instanceId, actor });
      await ssm.ssmTagStore.put(
        db,
        { accountId: account, region, resourceType: 'ManagedInstance', resourceId: registered.instanceId },
        [{ key: 'Env', value: 'prod' }],
      );
    }
  });
  after(async () => {
    await db.destroy();
  });

  it('validates windows, targets and tasks', async () => {
    const bad = (input: Partial<WindowInput>) =>
      rejectsWith(
        admin(t0, (ctx) =>
          windows.create(ctx, {
            name: 'w1',
            schedule: 'rate(1 day)',
            durationHours: 2,
            cutoffHours: 1,
            allowUnassociatedTargets: false,
            ...input,
          }),
        ),
        'ValidationException',
      );
    await bad({ cutoffHours: 2 });
    await bad({ schedule: 'cron(0 2 * * * *)' });
    await bad({ schedule: 'rate(1 minute)' });
    await bad({ scheduleTimezone: 'Nowhere/Town' });
    await bad({ scheduleOffset: 2 });
    await bad({ name: 'x' });
    await bad({ endDate: '2026-05-01T00:00:00Z' });
    await bad({ startDate: 'yesterday' });
    const w = await window('cron(0 2 ? * SUN *)', { scheduleTimezone: 'America/Los_Angeles' });
    assert.equal(w.nextExecutionAt?.toISOString(), '2026-06-07T09:00:00.000Z');
    const t = await target(w.windowId);
    const refused = (input: Partial<TaskInput>, name = 'ValidationException') =>
      rejectsWith(shellTask(w.windowId, t.windowTargetId, 1, input), name);
    await refused({ taskType: 'LAMBDA', taskArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' });
    await refused({ taskType: 'AUTOMATION', taskArn: 'AWS-RestartEC2Instance' });
    await refused({ targets: [{ key: 'InstanceIds', values: [agents[0]?.instanceId ?? ''] }] });
    await refused({
      targets: [{ key: 'WindowTargetIds', values: ['00000000-0000-0000-0000-000000000000'] }],
    });
    await refused({ maxErrors: undefined });
    await refused({ taskArn: 'No-Such-Document' }, 'InvalidDocument');
    await refused({ invocation: { parameters: { nope: ['1'] } } }, 'InvalidParameters');
    // ClientToken: a retried registration returns what the first made; the token with other parameters is refused.
    const retried = (commands: string[]) =>
      admin(t0, (ctx) =>
        windows.registerTask(
          ctx,
          {
            windowId: w.windowId,
            taskArn: 'AWS-RunShellScript',
            taskType: 'RUN_COMMAND',
            targets: [{ key: 'WindowTargetIds', values: [t.windowTargetId] }],
            maxConcurrency: '1',
            maxErrors: '0',
            invocation: { parameters: { commands } },
          },
          'retry-token',
        ),
      );
    const once = await retried(['uptime']);
    assert.equal((await retried(['uptime'])).windowTaskId, once.windowTaskId);
    await rejectsWith(retried(['reboot']), 'IdempotentParameterMismatch');
    await admin(t0, (ctx) => windows.deregisterTask(ctx, w.windowId, once.windowTaskId));
    // UpdateMaintenanceWindowTask: given fields replace the registered ones, the rest stay; checked as at registration.
    const registered = await shellTask(w.windowId, t.windowTargetId, 3);
    const moved = await admin(t0, (ctx) =>
      windows.updateTask(ctx, registered.windowTaskId, { windowId: w.windowId, priority: 7 }),
    );
    assert.deepEqual(
      [moved.priority, moved.taskArn, moved.taskType, moved.maxConcurrency],
      [7, 'AWS-RunShellScript', 'RUN_COMMAND', '2'],
    );
    await rejectsWith(
      admin(t0, (ctx) =>
        windows.updateTask(ctx, moved.windowTaskId, { windowId: w.windowId, taskArn: 'No-Such-Document' }),
      ),
      'InvalidDocument',
    );
    await admin(t0, (ctx) => windows.deregisterTask(ctx, w.windowId, moved.windowTaskId));
    const task = await shellTask(w.windowId, t.windowTargetId, 1);
    await rejectsWith(
      admin(t0, (ctx) => windows.deregisterTarget(ctx, w.windowId, t.windowTargetId, true)),
      'TargetInUseException',
    );
    // Another account sees nothing.
    await rejectsWith(
      inCtx(db, (ctx) => windows.get(ctx, w.windowId), { accountId: '444455556666', region, now: t0 }),
      'DoesNotExistException',
    );
    // Unsafe deregistration removes the target from the task too.
    await admin(t0, (ctx) => windows.deregisterTarget(ctx, w.windowId, t.windowTargetId, false));
    const after = await admin(t0, (ctx) => windows.getTask(ctx, w.windowId, task.windowTaskId));
    assert.deepEqual(after.targets, []);
    const disabled = await admin(t0, (ctx) => windows.update(ctx, w.windowId, { enabled: false }, false));
    assert.equal(disabled.nextExecutionAt, undefined);
    await admin(t0, (ctx) => windows.delete(ctx, w.windowId));
    await rejectsWith(
      admin(t0, (ctx) => windows.get(ctx, w.windowId)),
      'DoesNotExistException',
    );
  });

  it('runs tasks by priority: one level side by side, the next after it, then the export runbook', async () => {
    const w = await window('at(2026-06-01T01:00:00)');
    const t = await target(w.windowId);
    const first = await shellTask(w.windowId, t.windowTargetId, 1);
    const second = await shellTask(w.windowId, t.windowTargetId, 1, {
      invocation: { parameters: { commands: ['true'] } },
    });
    const exportTask = await admin(t0, (ctx) =>
      windows.registerTask(ctx, {
        windowId: w.windowId,
        taskArn: exportPatchFindingsRunbook,
        taskType: 'AUTOMATION',
        targets: [{ key: 'WindowTargetIds', values: [t.windowTargetId] }],
        priority: 10,
        maxConcurrency: '1',
        maxErrors: '0',
      }),
    );
    assert.deepEqual(await tick(at('00:59:59')), { started: 0, advanced: 0 });
    // Two scheduler nodes at once: the window still starts once.
    const [one, two] = await Promise.all([tick(at('01:00:00')), tick(at('01:00:00'))]);
    assert.equal(one.started + two.started, 1);
    const [execution] = await executionsOf(w.windowId, at('01:00:01'));
    assert.equal(execution?.status, 'IN_PROGRESS');
    const running = await tasksOf(execution?.windowExecutionId ?? '', at('01:00:01'));
    assert.deepEqual(
      running.map((r) => r.task.windowTaskId).sort(),
      [first.windowTaskId, second.windowTaskId].sort(),
    );
    assert.equal(exported.length, 0, 'the export waits for priority 1');
    const ran = await agentsRun(at('01:00:05'));
    assert.equal(ran.length, 4, 'two commands, each on both nodes');
    await tick(at('01:00:10'));
    await tick(at('01:00:15'));
    const [done] = await executionsOf(w.windowId, at('01:00:20'));
    assert.equal(done?.status, 'SUCCESS', done?.statusDetails);
    const tasks = await tasksOf(done?.windowExecutionId ?? '', at('01:00:20'));
    assert.deepEqual(
      tasks.map((r) => r.status),
      ['SUCCESS', 'SUCCESS', 'SUCCESS'],
    );
    const exportRun = tasks.find((r) => r.task.windowTaskId === exportTask.windowTaskId);
    assert.ok((exportRun?.startTime?.getTime() ?? 0) >= at('01:00:10').getTime());
    assert.deepEqual(exported, [agents.map((a) => a.instanceId).sort()]);
    // The first task's invocation: its command, the pseudo parameters filled in.
    const firstRun = tasks.find((r) => r.task.windowTaskId === first.windowTaskId);
    const [invocation] = await admin(at('01:00:20'), (ctx) =>
      windows.executionTaskInvocations(ctx, done?.windowExecutionId ?? '', firstRun?.taskExecutionId ?? ''),
    );
    assert.equal(invocation?.windowTargetId, t.windowTargetId);
    assert.equal(invocation?.ownerInformation, 'platform team');
    assert.deepEqual(JSON.parse(invocation?.parameters ?? '{}'), {
      commands: [`echo ${done?.windowExecutionId ?? ''} ${t.windowTargetId}`],
    });
    const command = await admin(at('01:00:20'), (ctx) =>
      ssm.commands.command(ctx, invocation?.executionId ?? ''),
    );
    assert.deepEqual([command?.status, command?.maxConcurrency, command?.targetCount], ['Success', '2', 2]);
    const finished = await admin(at('01:00:20'), (ctx) => windows.get(ctx, w.windowId));
    assert.equal(finished.nextExecutionAt, undefined, 'an at() window runs once');
    // The scheduler sent both commands under the service identity, each with its audit record.
    const audited = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('action', '=', 'SendCommand')
      .where('account_id', '=', account)
      .execute();
    const commandIds = tasks
      .filter((r) => r.task.windowTaskId !== exportTask.windowTaskId)
      .map((r) => r.taskExecutionId);
    assert.equal(audited.length, commandIds.length, 'one SendCommand record per command task');
    for (const row of audited) {
      assert.equal(row.identity_type, 'AWSService');
      assert.equal(row.event_source, 'ssm.amazonaws.com');
      assert.match(row.principal_arn ?? '', /AWSServiceRoleForSecurityHub$/);
      assert.match(row.response_elements ?? '', /"commandId":"[0-9a-f-]{36}"/);
      assert.match(row.request_parameters ?? '', /AWS-RunShellScript/);
    }
  });

  it('stops starting tasks at end − Cutoff; CANCEL_TASK tasks are stopped and time out', async () => {
    const w = await window('at(2026-06-01T02:00:00)');
    const t = await target(w.windowId);
    const slow = await shellTask(w.windowId, t.windowTargetId, 1, { cutoffBehavior: 'CONTINUE_TASK' });
    await shellTask(w.windowId, t.windowTargetId, 2);
    await tick(at('02:00:00'));
    const [commandId] = [...new Set(await agentsRun(at('02:00:05'), 'none'))];
    await tick(at('03:00:01')); // past the cutoff (02:00 + 2 h − 1 h): the running task continues
    const [stillRunning] = await executionsOf(w.windowId, at('03:00:02'));
    assert.equal(stillRunning?.status, 'IN_PROGRESS');
    await agentsFinish(commandId ?? '', at('03:10:00'), 'Success');
    await tick(at('03:10:01'));
    const [timedOut] = await executionsOf(w.windowId, at('03:10:02'));
    assert.equal(timedOut?.status, 'TIMED_OUT');
    const tasks = await tasksOf(timedOut?.windowExecutionId ?? '', at('03:10:02'));
    assert.deepEqual(
      tasks.map((r) => [r.task.windowTaskId, r.status]),
      [[slow.windowTaskId, 'SUCCESS']],
      'the priority-2 task never started',
    );

    const c = await window('at(2026-06-01T04:00:00)');
    const ct = await target(c.windowId);
    await shellTask(c.windowId, ct.windowTargetId, 1, { cutoffBehavior: 'CANCEL_TASK' });
    await tick(at('04:00:00'));
    const [held] = [...new Set(await agentsRun(at('04:00:05'), 'none'))];
    for (const agent of agents)
      // a live agent renews its lease on every poll
      await asAgent(agent.actor, at('04:59:59'), (ctx) =>
        ssm.commands.poll(ctx, agent.instanceId, [held ?? ''], 0),
      );
    await tick(at('05:00:01'));
    const work = await asAgent(agents[0]?.actor as Actor, at('05:00:02'), (ctx) =>
      ssm.commands.poll(ctx, agents[0]?.instanceId ?? '', [held ?? ''], 0),
    );
    assert.deepEqual(work.cancellations, [held], 'the agent is told to stop');
    await agentsFinish(held ?? '', at('05:00:03'), 'Cancelled');
    await tick(at('05:00:04'));
    const [stopped] = await executionsOf(c.windowId, at('05:00:05'));
    assert.equal(stopped?.status, 'TIMED_OUT');
    const [stoppedTask] = await tasksOf(stopped?.windowExecutionId ?? '', at('05:00:05'));
    assert.equal(stoppedTask?.status, 'TIMED_OUT');
  });

  it('skips a run while the previous one runs, and cancels a stuck run', async () => {
    const w = await window('rate(1 hour)', {
      startDate: '2026-06-01T06:00:00Z',
      durationHours: 3,
      cutoffHours: 0,
    });
    const t = await target(w.windowId);
    await shellTask(w.windowId, t.windowTargetId, 1, { maxConcurrency: '1' });
    await tick(at('06:00:00'));
    await agentsRun(at('06:00:01'), 'none'); // the first node takes it and hangs
    await tick(at('07:00:00'));
    const [skipped, stuck] = await executionsOf(w.windowId, at('07:00:01'));
    assert.equal(skipped?.status, 'SKIPPED_OVERLAPPING');
    assert.equal(stuck?.status, 'IN_PROGRESS');
    const cancelling = await admin(at('07:00:02'), (ctx) =>
      windows.cancelExecution(ctx, stuck?.windowExecutionId ?? ''),
    );
    assert.equal(cancelling.status, 'CANCELLING');
    const [invocation] = await admin(at('07:00:02'), async (ctx) => {
      const [task] = await windows.executionTasks(ctx, stuck?.windowExecutionId ?? '');
      return windows.executionTaskInvocations(
        ctx,
        stuck?.windowExecutionId ?? '',
        task?.taskExecutionId ?? '',
      );
    });
    await agentsFinish(invocation?.executionId ?? '', at('07:00:03'), 'Cancelled');
    await tick(at('07:00:04'));
    const [, cancelled] = await executionsOf(w.windowId, at('07:00:05'));
    assert.equal(cancelled?.status, 'CANCELLED');
    const command = await admin(at('07:00:05'), (ctx) =>
      ssm.commands.command(ctx, invocation?.executionId ?? ''),
    );
    assert.equal(command?.status, 'Cancelled', 'the node that had not started never ran it');
    await admin(t0, (ctx) => windows.update(ctx, w.windowId, { enabled: false }, false));
  });

  it('does not start a run found after its cutoff (the scheduler was down)', async () => {
    const w = await window('at(2026-06-01T08:00:00)');
    const t = await target(w.windowId);
    await shellTask(w.windowId, t.windowTargetId, 1);
    assert.equal((await tick(at('09:30:00'))).started, 0);
    assert.deepEqual(await executionsOf(w.windowId, at('09:30:01')), []);
    assert.equal(
      (await admin(at('09:30:01'), (ctx) => windows.get(ctx, w.windowId))).nextExecutionAt,
      undefined,
    );
  });
});
