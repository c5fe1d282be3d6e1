import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, after, describe, it } from 'node:test';
import { AccessService, AccessStore, SecretBox, type Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import { FleetService, FleetStore, InstanceCredentials, SsmTagStore } from '../fleet/index.js';
import type { Db } from '../storage/database.js';
import { WriteConflictError } from '../storage/index.js';
import { buildDocumentServices } from '../../test/support/documents-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { CommandsService } from './command-service.js';
import { CommandsStore } from './command-store.js';
import { InvocationTransitions } from './invocation-transitions.js';

const account = '111122223333';
const region = 'us-east-1';
const t0 = new Date('2026-06-01T00:00:00Z');
const seconds = (n: number): Date => new Date(t0.getTime() + n * 1000);

async function rejectsWith(call: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(call, (error: { exceptionName?: string; kind?: string; message: string }) => {
    assert.equal(error.exceptionName ?? `${error.kind ?? ''}Exception`, name, error.message);
    return true;
  });
}

describe('CommandsService', () => {
  let db: Db;
  let access: AccessService;
  let fleet: FleetService;
  let commands: CommandsService;
  let transitions: InvocationTransitions;
  const agents: { instanceId: string; actor: Actor }[] = [];

  const as = <T>(actor: Actor, now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    db.transaction().execute((tx) => body({ actor, accountId: account, region, requestId: 'test', now, tx }));
  const admin = <T>(now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    inCtx(db, body, { accountId: account, region, now });

  before(async () => {
    db = await openTestDatabase();
    const store = new AccessStore();
    const secrets = new SecretBox(randomBytes(32));
    access = new AccessService(db, store, secrets);
    await store.insertAccount(db, account, t0);
    fleet = new FleetService(new FleetStore(), new SsmTagStore(), new InstanceCredentials(store, secrets), {
      pingTimeoutSeconds: 660,
    });
    const { documents } = buildDocumentServices();
    const commandsStore = new CommandsStore();
    transitions = new InvocationTransitions(commandsStore);
    commands = new CommandsService(commandsStore, transitions, documents, fleet, { leaseSeconds: 60 });
    for (let i = 0; i < 5; i += 1) {
      const activation = await admin(t0, (ctx) =>
        fleet.createActivation(ctx, { iamRole: 'SSMServiceRole', registrationLimit: 1 }),
      );
      const registered = await admin(t0, async (ctx) => {
        const { actor } = await fleet.identifyActivation(ctx.tx, activation.activationId);
        return fleet.register(
          { ...ctx, actor },
          { activationId: activation.activationId, activationCode: activation.activationCode, facts: {} },
        );
      });
      const { actor } = await access.resolveKey(registered.accessKeyId, t0);
      agents.push({ instanceId: registered.instanceId, actor });
    }
  });
  after(async () => {
    await db.destroy();
  });

  const first = () => agents[0] ?? assert.fail('no agent');
  const byInstanceId = () => [...agents].sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  const second = () => agents[1] ?? assert.fail('no agent');
  const shell = (lines: string[], extra: Record<string, string[]> = {}) => ({ commands: lines, ...extra });
  const events = async (commandId: string): Promise<string[]> => {
    const rows = await db
      .selectFrom('outbox')
      .select(['payload'])
      .where('type', '=', 'CommandInvocationStatusChanged')
      .orderBy('seq')
      .execute();
    return rows
      .map((row) => JSON.parse(row.payload) as { commandId: string; status: string })
      .filter((event) => event.commandId === commandId)
      .map((event) => event.status);
  };

  it('queues a command, delivers it once to its own instance and records an idempotent result', async () => {
    const agent = first();
    const command = await admin(t0, (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunShellScript',
        instanceIds: [agent.instanceId],
        parameters: shell(['echo hello', 'exit 3']),
        comment: 'hi',
      }),
    );
    assert.equal(command.status, 'Pending');
    assert.equal(command.targetCount, 1);
    assert.equal(command.executionTimeoutSeconds, 3600);
    assert.equal(command.expiresAt.getTime() - t0.getTime(), (3600 + 3600) * 1000);

    const work = await as(agent.actor, seconds(1), (ctx) => commands.poll(ctx, agent.instanceId, [], 5));
    assert.deepEqual(
      work.deliveries.map((d) => [d.command.commandId, d.invocation.status, d.invocation.deliveryCount]),
      [[command.commandId, 'InProgress', 1]],
    );
    const again = await as(agent.actor, seconds(2), (ctx) =>
      commands.poll(ctx, agent.instanceId, [command.commandId], 5),
    );
    assert.equal(again.deliveries.length, 0, 'a held invocation is not delivered twice');

    const report = {
      instanceId: agent.instanceId,
      commandId: command.commandId,
      reportId: 'r-1',
      status: 'Failed' as const,
      responseCode: 3,
      standardOutput: `hello\n${'x'.repeat(30_000)}`,
      standardError: 'e'.repeat(9000),
    };
    const done = await as(agent.actor, seconds(3), (ctx) => commands.report(ctx, report));
    assert.equal(done.status, 'Failed');
    assert.equal(done.responseCode, 3);
    assert.equal(done.standardOutput.length, 24_000);
    assert.equal(done.standardError.length, 8000);
    // The same report again, and a later conflicting one, change nothing.
    await as(agent.actor, seconds(4), (ctx) => commands.report(ctx, report));
    const late = await as(agent.actor, seconds(5), (ctx) =>
      commands.report(ctx, { ...report, reportId: 'r-2', status: 'Success', responseCode: 0 }),
    );
    assert.equal(late.status, 'Failed');
    const got = await admin(seconds(6), (ctx) =>
      commands.getInvocation(ctx, command.commandId, agent.instanceId),
    );
    assert.equal(got.invocation.status, 'Failed');
    assert.equal(got.command.status, 'Failed');
    assert.equal(got.command.errorCount, 1);
    assert.equal(got.command.completedCount, 1);
    assert.deepEqual(await events(command.commandId), ['Pending', 'InProgress', 'Failed']);

    const listed = await admin(seconds(6), (ctx) =>
      commands.listCommands(ctx, { filters: [{ key: 'Status', value: 'Failed' }] }),
    );
    assert.ok(listed.some((c) => c.commandId === command.commandId));
    const invocations = await admin(seconds(6), (ctx) =>
      commands.listInvocations(ctx, { commandId: command.commandId, filters: [] }),
    );
    assert.equal(invocations.length, 1);
  });

  it('sends to Targets: tags and ids must all match; nothing matched ends the command at once', async () => {
    const [one, two] = [first(), second()];
    await new SsmTagStore().put(
      db,
      { accountId: account, region, resourceType: 'ManagedInstance', resourceId: two.instanceId },
      [
        { key: 'Env', value: 'prod' },
        { key: 'Role', value: 'web' },
      ],
    );
    const send = (targets: { key: string; values: string[] }[]) =>
      admin(t0, (ctx) =>
        commands.send(ctx, { documentName: 'AWS-RunShellScript', targets, parameters: shell(['true']) }),
      );
    const byTag = await send([{ key: 'tag:Env', values: ['staging', 'prod'] }]);
    assert.deepEqual(byTag.instanceIds, [two.instanceId]);
    assert.deepEqual(byTag.targets, [{ key: 'tag:Env', values: ['staging', 'prod'] }]);
    assert.equal(byTag.targetCount, 1);
    const invocations = await admin(t0, (ctx) =>
      commands.listInvocations(ctx, { commandId: byTag.commandId, filters: [] }),
    );
    assert.deepEqual(
      invocations.map((i) => i.invocation.instanceId),
      [two.instanceId],
    );

    const both = await send([
      { key: 'InstanceIds', values: [one.instanceId, two.instanceId] },
      { key: 'tag-key', values: ['Role'] },
    ]);
    assert.deepEqual(both.instanceIds, [two.instanceId], 'every target must match');

    const none = await send([{ key: 'tag:Env', values: ['nowhere'] }]);
    assert.deepEqual(
      [none.status, none.statusDetails, none.targetCount],
      ['Failed', 'No Instances In Tag', 0],
    );

    const refused = (input: Partial<Parameters<CommandsService['send']>[1]>, name: string) =>
      rejectsWith(
        admin(t0, (ctx) =>
          commands.send(ctx, { documentName: 'AWS-RunShellScript', parameters: shell(['true']), ...input }),
        ),
        name,
      );
    await refused(
      { instanceIds: [one.instanceId], targets: [{ key: 'tag:Env', values: ['prod'] }] },
      'ValidationException',
    );
    await refused({}, 'ValidationException');
    await refused({ targets: [{ key: 'resource-groups:Name', values: ['web'] }] }, 'InvalidTarget');
    await refused({ targets: [{ key: 'tag:Env', values: [] }] }, 'InvalidTarget');
    await refused({ targets: [{ key: 'color', values: ['blue'] }] }, 'InvalidTarget');
    // Leave no Pending work behind for the other tests' agents.
    for (const command of [byTag, both])
      await admin(t0, (ctx) => commands.cancel(ctx, command.commandId, undefined));
  });

  it('rate control: at most MaxConcurrency at once; past MaxErrors the rest is Terminated', async () => {
    const fleet5 = byInstanceId();
    const at = (n: number) => seconds(5000 + n);
    const send = (maxConcurrency: string, maxErrors: string) =>
      admin(at(0), (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunShellScript',
          instanceIds: fleet5.map((a) => a.instanceId),
          parameters: shell(['true']),
          maxConcurrency,
          maxErrors,
        }),
      );
    const pollAll = async (n: number) => {
      const delivered: string[] = [];
      for (const agent of fleet5) {
        const work = await as(agent.actor, at(n), (ctx) => commands.poll(ctx, agent.instanceId, [], 5));
        if (work.deliveries.length > 0) delivered.push(agent.instanceId);
      }
      return delivered;
    };
    const finish = (
      agent: { instanceId: string; actor: Actor },
      commandId: string,
      status: 'Success' | 'Failed',
      n: number,
    ) =>
      as(agent.actor, at(n), (ctx) =>
        commands.report(ctx, {
          instanceId: agent.instanceId,
          commandId,
          reportId: `r-${n}`,
          status,
          responseCode: status === 'Success' ? 0 : 1,
        }),
      );
    const states = async (commandId: string) => {
      const page = await admin(at(99), (ctx) => commands.listInvocations(ctx, { commandId, filters: [] }));
      return new Map(
        page.map((i) => [i.invocation.instanceId, `${i.invocation.status}/${i.invocation.statusDetails}`]),
      );
    };
    const [a, b, c, d, e] = fleet5 as [
      (typeof fleet5)[0],
      (typeof fleet5)[0],
      (typeof fleet5)[0],
      (typeof fleet5)[0],
      (typeof fleet5)[0],
    ];

    // 40% of 5 = 2 at once; 20% of 5 = 1 error tolerated.
    const command = await send('40%', '20%');
    assert.deepEqual([command.status, command.maxConcurrency, command.maxErrors], ['Pending', '40%', '20%']);
    assert.deepEqual(await pollAll(1), [a.instanceId, b.instanceId], 'only two go out');
    await finish(a, command.commandId, 'Failed', 2); // one error: still within MaxErrors
    assert.deepEqual(await pollAll(3), [c.instanceId], 'a freed slot goes to the next node');
    await finish(b, command.commandId, 'Failed', 4); // the second error passes MaxErrors
    const stopped = await states(command.commandId);
    assert.equal(stopped.get(d.instanceId), 'Failed/Terminated');
    assert.equal(stopped.get(e.instanceId), 'Failed/Terminated');
    assert.equal(stopped.get(c.instanceId), 'InProgress/In Progress', 'what runs keeps running');
    assert.deepEqual(await pollAll(5), [], 'terminated invocations are never delivered');
    await finish(c, command.commandId, 'Success', 6);
    const done = await admin(at(7), (ctx) => commands.getInvocation(ctx, command.commandId, c.instanceId));
    assert.deepEqual(
      [done.command.status, done.command.statusDetails, done.command.errorCount, done.command.completedCount],
      ['Failed', 'Failed', 2, 5],
    );
    const terminated = await admin(at(7), (ctx) =>
      commands.listInvocations(ctx, {
        commandId: command.commandId,
        filters: [{ key: 'Status', value: 'Terminated' }],
      }),
    );
    assert.equal(terminated.length, 2);

    // One at a time; one error under MaxErrors 2 leaves the command Incomplete.
    const serial = await send('1', '2');
    for (const [i, agent] of fleet5.entries()) {
      assert.deepEqual(await pollAll(10 + i * 2), [agent.instanceId]);
      await finish(agent, serial.commandId, i === 0 ? 'Failed' : 'Success', 11 + i * 2);
    }
    const incomplete = await admin(at(30), (ctx) =>
      commands.getInvocation(ctx, serial.commandId, a.instanceId),
    );
    assert.deepEqual(
      [incomplete.command.status, incomplete.command.statusDetails, incomplete.command.errorCount],
      ['Failed', 'Incomplete', 1],
    );

    // A held invocation's clock starts at dispatch: it is not timed out while it waits its turn.
    const slow = await send('1', '0');
    assert.deepEqual(await pollAll(31), [a.instanceId]);
    await db.transaction().execute((tx) => transitions.expireOverdue(tx, at(31 + 3600 + 30), 100));
    const waiting = await states(slow.commandId);
    assert.equal(waiting.get(b.instanceId), 'Pending/Pending');
    await admin(at(40), (ctx) => commands.cancel(ctx, slow.commandId, undefined));
    await finish(a, slow.commandId, 'Success', 41);
    assert.deepEqual(await pollAll(42), [], 'nothing is dispatched after a cancel');
  });

  it('validates documents, parameters and instances', async () => {
    const agent = first();
    await rejectsWith(
      admin(t0, (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunShellScript',
          instanceIds: [agent.instanceId],
          parameters: {},
        }),
      ),
      'InvalidParameters',
    );
    await rejectsWith(
      admin(t0, (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunShellScript',
          instanceIds: [agent.instanceId],
          parameters: shell(['true'], { nope: ['1'] }),
        }),
      ),
      'InvalidParameters',
    );
    await rejectsWith(
      admin(t0, (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunPatchBaseline',
          instanceIds: [agent.instanceId],
          parameters: { Operation: ['Reboot'] },
        }),
      ),
      'InvalidParameters',
    );
    await rejectsWith(
      admin(t0, (ctx) => commands.send(ctx, { documentName: 'Nope-Doc', instanceIds: [agent.instanceId] })),
      'InvalidDocument',
    );
    await rejectsWith(
      admin(t0, (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunShellScript',
          instanceIds: ['mi-00000000000000000'],
          parameters: shell(['true']),
        }),
      ),
      'InvalidInstanceId',
    );
    await rejectsWith(
      admin(t0, (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunShellScript',
          instanceIds: [agent.instanceId, agent.instanceId],
          parameters: shell(['true']),
        }),
      ),
      'DuplicateInstanceId',
    );
    const patch = await admin(t0, (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunPatchBaseline',
        instanceIds: [agent.instanceId],
        parameters: { Operation: ['Scan'] },
      }),
    );
    assert.equal(patch.executionTimeoutSeconds, 7200);
    const timed = await admin(t0, (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunShellScript',
        instanceIds: [agent.instanceId],
        parameters: shell(['true'], { executionTimeout: ['2'] }),
        timeoutSeconds: 30,
      }),
    );
    assert.equal(timed.executionTimeoutSeconds, 2);
    // Leave no work behind for the next tests' polls.
    await admin(t0, (ctx) => commands.cancel(ctx, patch.commandId, undefined));
    await admin(t0, (ctx) => commands.cancel(ctx, timed.commandId, undefined));
  });

  it('lets an instance fetch and report only its own invocations', async () => {
    const owner = first();
    const stranger = second();
    const command = await admin(t0, (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunShellScript',
        instanceIds: [owner.instanceId],
        parameters: shell(['true']),
      }),
    );
    await rejectsWith(
      as(stranger.actor, seconds(1), (ctx) => commands.poll(ctx, owner.instanceId, [], 5)),
      'AccessDeniedException',
    );
    const strangerWork = await as(stranger.actor, seconds(1), (ctx) =>
      commands.poll(ctx, stranger.instanceId, [], 5),
    );
    assert.equal(strangerWork.deliveries.length, 0);
    await rejectsWith(
      as(stranger.actor, seconds(1), (ctx) =>
        commands.report(ctx, {
          instanceId: owner.instanceId,
          commandId: command.commandId,
          reportId: 'x',
          status: 'Success',
        }),
      ),
      'AccessDeniedException',
    );
    await rejectsWith(
      as(stranger.actor, seconds(1), (ctx) =>
        commands.report(ctx, {
          instanceId: stranger.instanceId,
          commandId: command.commandId,
          reportId: 'x',
          status: 'Success',
        }),
      ),
      'InvocationDoesNotExist',
    );
    await rejectsWith(
      admin(seconds(1), (ctx) => commands.poll(ctx, owner.instanceId, [], 5)),
      'AccessDeniedException',
    );
    await admin(t0, (ctx) => commands.cancel(ctx, command.commandId, undefined));
  });

  it('cancels: Pending at once, delivered ones through the agent', async () => {
    const agent = first();
    const command = await admin(t0, (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunShellScript',
        instanceIds: [agent.instanceId, second().instanceId],
        parameters: shell(['sleep 30']),
      }),
    );
    await as(agent.actor, seconds(1), (ctx) => commands.poll(ctx, agent.instanceId, [], 5));
    await admin(seconds(2), (ctx) => commands.cancel(ctx, command.commandId, undefined));
    const pendingOne = await admin(seconds(2), (ctx) =>
      commands.getInvocation(ctx, command.commandId, second().instanceId),
    );
    assert.equal(pendingOne.invocation.status, 'Cancelled');
    assert.equal(pendingOne.command.status, 'Cancelling');
    const work = await as(agent.actor, seconds(3), (ctx) =>
      commands.poll(ctx, agent.instanceId, [command.commandId], 5),
    );
    assert.deepEqual(work.cancellations, [command.commandId]);
    await as(agent.actor, seconds(4), (ctx) =>
      commands.report(ctx, {
        instanceId: agent.instanceId,
        commandId: command.commandId,
        reportId: 'c-1',
        status: 'Cancelled',
        responseCode: 137,
      }),
    );
    const after = await admin(seconds(5), (ctx) =>
      commands.getInvocation(ctx, command.commandId, agent.instanceId),
    );
    assert.equal(after.invocation.status, 'Cancelled');
    assert.equal(after.invocation.statusDetails, 'Canceled');
    assert.equal(after.command.status, 'Cancelled');
    await rejectsWith(
      admin(seconds(5), (ctx) => commands.cancel(ctx, '00000000-0000-0000-0000-000000000000', undefined)),
      'InvalidCommandId',
    );
  });

  it('times out undelivered and silent invocations, and redelivers a lapsed lease', async () => {
    const agent = first();
    const base = seconds(1000);
    const send = () =>
      admin(base, (ctx) =>
        commands.send(ctx, {
          documentName: 'AWS-RunShellScript',
          instanceIds: [agent.instanceId],
          parameters: shell(['sleep 30'], { executionTimeout: ['40'] }),
          timeoutSeconds: 30,
        }),
      );
    const undelivered = await send();
    const after = (n: number) => new Date(base.getTime() + n * 1000);
    // Nothing is overdue yet.
    assert.equal(await db.transaction().execute((tx) => transitions.expireOverdue(tx, after(10), 100)), 0);
    await db.transaction().execute((tx) => transitions.expireOverdue(tx, after(31), 100));
    const timedOut = await admin(after(31), (ctx) =>
      commands.getInvocation(ctx, undelivered.commandId, agent.instanceId),
    );
    assert.equal(timedOut.invocation.status, 'TimedOut');
    assert.equal(timedOut.invocation.statusDetails, 'Delivery Timed Out');
    assert.equal(timedOut.command.status, 'TimedOut');
    assert.equal(timedOut.command.deliveryTimedOutCount, 1);

    const silent = await send();
    const delivered = await as(agent.actor, after(1), (ctx) => commands.poll(ctx, agent.instanceId, [], 5));
    assert.equal(delivered.deliveries.length, 1);
    // The agent "crashed": after the 60 s lease the invocation is delivered again.
    const redelivered = await as(agent.actor, after(62), (ctx) =>
      commands.poll(ctx, agent.instanceId, [], 5),
    );
    assert.deepEqual(
      redelivered.deliveries.map((d) => d.invocation.deliveryCount),
      [2],
    );
    // Silent past ExpiresAfter (30 + 40 s) + grace: Execution Timed Out.
    await db.transaction().execute((tx) => transitions.expireOverdue(tx, after(30 + 40 + 61), 100));
    const expired = await admin(after(200), (ctx) =>
      commands.getInvocation(ctx, silent.commandId, agent.instanceId),
    );
    assert.equal(expired.invocation.status, 'TimedOut');
    assert.equal(expired.invocation.statusDetails, 'Execution Timed Out');
    assert.equal(expired.command.status, 'Failed');
  });

  it('a write over a stale read is a write conflict (the request runs again), not a failed call', async () => {
    const agent = first();
    const base = seconds(5000);
    const at = (n: number) => new Date(base.getTime() + n * 1000);
    const command = await admin(base, (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunShellScript',
        instanceIds: [agent.instanceId],
        parameters: shell(['true']),
      }),
    );
    const delivered = await as(agent.actor, at(1), (ctx) => commands.poll(ctx, agent.instanceId, [], 10));
    assert.ok(delivered.deliveries.some((d) => d.command.commandId === command.commandId));
    // A report read the invocation; the same agent's next poll renews the lease before the report writes.
    const read = await admin(at(2), (ctx) =>
      commands.getInvocation(ctx, command.commandId, agent.instanceId),
    );
    await as(agent.actor, at(2), (ctx) => commands.poll(ctx, agent.instanceId, [command.commandId], 0));
    await assert.rejects(
      db
        .transaction()
        .execute((tx) =>
          transitions.apply(
            tx,
            read,
            { ...read.invocation, status: 'Success', statusDetails: 'Success' },
            at(3),
          ),
        ),
      WriteConflictError,
    );
    // Run again from a fresh read, the report lands.
    await as(agent.actor, at(3), (ctx) =>
      commands.report(ctx, {
        instanceId: agent.instanceId,
        commandId: command.commandId,
        reportId: 'stale-1',
        status: 'Success',
        responseCode: 0,
      }),
    );
    const done = await admin(at(4), (ctx) =>
      commands.getInvocation(ctx, command.commandId, agent.instanceId),
    );
    assert.deepEqual([done.invocation.status, done.command.status], ['Success', 'Success']);
  });

  it('delivers the document content and keeps each reported step for CommandPlugins and PluginName', async () => {
    const agent = byInstanceId()[4] ?? assert.fail('no agent');
    const base = seconds(20_000);
    const at = (n: number) => new Date(base.getTime() + n * 1000);
    const command = await admin(at(0), (ctx) =>
      commands.send(ctx, {
        documentName: 'AWS-RunShellScript',
        instanceIds: [agent.instanceId],
        parameters: shell(['echo one']),
      }),
    );
    const work = await as(agent.actor, at(1), (ctx) => commands.poll(ctx, agent.instanceId, [], 10));
    const delivery = work.deliveries.find((d) => d.command.commandId === command.commandId);
    assert.match(delivery?.content ?? '', /aws:runShellScript/);
    const step = (name: string, status: 'Success' | 'Failed' | 'Skipped', out: string) => ({
      name,
      status,
      responseCode: status === 'Failed' ? 2 : 0,
      standardOutput: out,
      standardError: status === 'Failed' ? 'boom\n' : '',
      startedAt: at(2),
      endedAt: at(3),
    });
    await as(agent.actor, at(3), (ctx) =>
      commands.report(ctx, {
        instanceId: agent.instanceId,
        commandId: command.commandId,
        reportId: 'plugins-1',
        status: 'Failed',
        responseCode: 2,
        standardOutput: 'one\n',
        standardError: 'boom\n',
        plugins: [
          step('first', 'Success', 'one\n'),
          step('second', 'Failed', ''),
          step('third', 'Skipped', ''),
        ],
      }),
    );
    const second = await admin(at(4), (ctx) =>
      commands.getInvocation(ctx, command.commandId, agent.instanceId, 'second'),
    );
    assert.deepEqual(
      second.invocation.plugins?.map((p) => [p.name, p.status, p.responseCode, p.standardError]),
      [
        ['first', 'Success', 0, ''],
        ['second', 'Failed', 2, 'boom\n'],
        ['third', 'Skipped', 0, ''],
      ],
    );
    assert.deepEqual(second.invocation.plugins?.[1]?.endedAt, at(3));
    await rejectsWith(
      admin(at(4), (ctx) =>
        commands.getInvocation(ctx, command.commandId, agent.instanceId, 'aws:runShellScript'),
      ),
      'InvalidPluginName',
    );
  });
});
