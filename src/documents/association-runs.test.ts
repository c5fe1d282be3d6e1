import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AccessService, AccessStore, SecretBox, type Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import { FleetService, FleetStore, InstanceCredentials, SsmTagStore } from '../fleet/index.js';
import type { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { buildDocumentServices } from '../../test/support/documents-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';

/** A page window that reads every row the tests create. */
const everything = { after: undefined, limit: 1000 };

const account = '111122223333';
const region = 'us-east-1';
const t0 = new Date('2026-06-01T00:00:00Z');
const minutes = (n: number): Date => new Date(t0.getTime() + n * 60_000);

async function rejects(call: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(call, (error: ApiError & { kind?: string }) => {
    assert.equal(error.exceptionName ?? `${error.kind ?? ''}Exception`, name, error.message);
    return true;
  });
}

describe('AssociationRuns and the agent-facing association operations', () => {
  let db: Db;
  let fleet: FleetService;
  const { associations, associationsStore, runs, compliance } = buildDocumentServices();
  const nodes: { instanceId: string; actor: Actor }[] = [];
  const admin = <T>(now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    inCtx(db, body, { accountId: account, region, now });
  const asNode = <T>(actor: Actor, now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    db.transaction().execute((tx) => body({ actor, accountId: account, region, requestId: 'test', now, tx }));
  const node = (index: number) => nodes[index] ?? assert.fail(`no node ${index}`);

  before(async () => {
    db = await openTestDatabase();
    const store = new AccessStore();
    const secrets = new SecretBox(randomBytes(32));
    const access = new AccessService(db, store, secrets);
    await store.insertAccount(db, account, t0);
    fleet = new FleetService(new FleetStore(), new SsmTagStore(), new InstanceCredentials(store, secrets), {
      pingTimeoutSeconds: 660,
    });
    for (let i = 0; i < 2; i += 1) {
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
      nodes.push({ instanceId: registered.instanceId, actor });
    }
  });
  after(async () => {
    await db.destroy();
  });

  const createShell = (now: Date, extra: Record<string, unknown> = {}) =>
    admin(now, (ctx) =>
      associations.create(ctx, {
        name: 'AWS-RunShellScript',
        targets: [{ key: 'InstanceIds', values: ['*'] }],
        parameters: { commands: ['echo hi'] },
        ...extra,
      }),
    );

  it('starts a due association once however many workers run the job, then follows its schedule', async () => {
    const view = await createShell(t0, { scheduleExpression: 'rate(30 minutes)' });
    const id = view.association.associationId;
    assert.deepEqual(view.association.nextRunAt, t0, 'due on create');
    const started = await Promise.all([runs.runDue(db, minutes(1)), runs.runDue(db, minutes(1))]);
    assert.equal(
      started.reduce((a, b) => a + b, 0),
      1,
      'one worker won the run',
    );
    const executions = await admin(minutes(1), (ctx) => associations.executions(ctx, id, everything));
    assert.equal(executions.length, 1);
    const execution = executions[0] ?? assert.fail('no execution');
    const targets = await admin(minutes(1), (ctx) =>
      associations.executionTargets(ctx, id, execution.executionId, everything),
    );
    assert.deepEqual(
      targets.map((t) => t.status),
      ['Pending', 'Pending'],
    );
    assert.equal(await runs.runDue(db, minutes(2)), 0, 'nothing due until the schedule says so');
    assert.equal(await runs.runDue(db, minutes(31)), 1, 'the scheduled run');
    await admin(t0, (ctx) => associations.delete(ctx, { associationId: id }));
  });

  it('the agent lists its runs, reports them, and execution, status, compliance and Overview follow', async () => {
    const view = await createShell(t0, { associationName: 'hello', complianceSeverity: 'HIGH' });
    const id = view.association.associationId;
    const { actor, instanceId } = node(0);
    // The job hasn't started the run yet: the node waits for it rather than running twice.
    const early = await asNode(actor, t0, (ctx) =>
      associations.instanceAssociations(ctx, instanceId, everything),
    );
    assert.equal(early.find((a) => a.association.associationId === id)?.executionId, undefined);
    await runs.runDue(db, minutes(1));
    const listed = await asNode(actor, minutes(1), (ctx) =>
      associations.instanceAssociations(ctx, instanceId, everything),
    );
    const item = listed.find((a) => a.association.associationId === id) ?? assert.fail('not listed');
    assert.ok(item.executionId, 'a run to do');
    assert.match(item.content, /aws:runShellScript/);
    assert.equal(item.documentVersion, '1');

    await rejects(
      asNode(actor, minutes(2), (ctx) =>
        associations.updateInstanceStatus(ctx, id, node(1).instanceId, {
          status: 'Success',
          executionDate: minutes(2),
        }),
      ),
      'AccessDeniedException',
    );
    await asNode(actor, minutes(2), (ctx) =>
      associations.updateInstanceStatus(ctx, id, instanceId, {
        status: 'InProgress',
        executionSummary: 'running',
        executionDate: minutes(2),
      }),
    );
    const report = {
      status: 'Success' as const,
      executionSummary: '1 out of 1 plugin processed, 1 success, 0 failed, 0 timedout, 0 skipped.',
      executionDate: minutes(3),
    };
    const status = await asNode(actor, minutes(3), (ctx) =>
      associations.updateInstanceStatus(ctx, id, instanceId, report),
    );
    assert.equal(status.status.status, 'Success');
    assert.equal(status.status.executionId, item.executionId, 'recorded against the run the hub started');
    assert.equal(status.status.documentVersion, '1');
    // The spool delivers a report twice: nothing changes.
    await asNode(actor, minutes(4), (ctx) => associations.updateInstanceStatus(ctx, id, instanceId, report));
    const executions = await admin(minutes(4), (ctx) => associations.executions(ctx, id, everything));
    assert.equal(executions.length, 1);
    assert.deepEqual(executions[0]?.counts, { Pending: 1, Success: 1 });
    const after = await asNode(actor, minutes(4), (ctx) =>
      associations.instanceAssociations(ctx, instanceId, everything),
    );
    assert.equal(after.find((a) => a.association.associationId === id)?.executionId, undefined, 'done');
    const items = await admin(minutes(4), (ctx) =>
      compliance.listComplianceItems(ctx, {
        resourceIds: [instanceId],
        resourceTypes: ['ManagedInstance'],
        filters: [],
      }),
    );
    assert.deepEqual(
      items.items.map((i) => [i.complianceType, i.id, i.status, i.severity]),
      [['Association', id, 'COMPLIANT', 'HIGH']],
    );

    await asNode(node(1).actor, minutes(5), (ctx) =>
      associations.updateInstanceStatus(ctx, id, node(1).instanceId, {
        status: 'Failed',
        errorCode: 'Failed',
        executionSummary: '1 out of 1 plugin processed, 0 success, 1 failed, 0 timedout, 0 skipped.',
        executionDate: minutes(5),
      }),
    );
    const described = await admin(minutes(5), (ctx) => associations.describe(ctx, { associationId: id }));
    assert.equal(described.overview.status, 'Failed');
    const statuses = await admin(minutes(5), (ctx) =>
      associations.instanceStatuses(ctx, node(1).instanceId, everything),
    );
    assert.deepEqual(
      statuses.map((s) => [s.status.status, s.status.errorCode, s.association.spec.associationName]),
      [['Failed', 'Failed', 'hello']],
    );
    await admin(t0, (ctx) => associations.delete(ctx, { associationId: id }));
  });

  it('ApplyOnlyAtCronInterval runs only on schedule or StartAssociationsOnce; a new node joins the latest run', async () => {
    const cron = await createShell(t0, {
      scheduleExpression: 'cron(0 2 ? * SUN *)',
      applyOnlyAtCronInterval: true,
    });
    const id = cron.association.associationId;
    assert.equal(await runs.runDue(db, minutes(10)), 0);
    const { actor, instanceId } = node(0);
    const listed = await asNode(actor, minutes(10), (ctx) =>
      associations.instanceAssociations(ctx, instanceId, everything),
    );
    assert.equal(listed.find((a) => a.association.associationId === id)?.executionId, undefined);
    await rejects(
      admin(minutes(10), (ctx) => associations.startOnce(ctx, ['not-an-id'])),
      'InvalidAssociation',
    );
    await rejects(
      admin(minutes(10), (ctx) => associations.startOnce(ctx, ['00000000-0000-4000-8000-000000000000'])),
      'AssociationDoesNotExist',
    );
    await admin(minutes(10), (ctx) => associations.startOnce(ctx, [id]));
    const started = await asNode(actor, minutes(11), (ctx) =>
      associations.instanceAssociations(ctx, instanceId, everything),
    );
    assert.ok(started.find((a) => a.association.associationId === id)?.executionId);
    assert.equal((await admin(minutes(11), (ctx) => associations.executions(ctx, id, everything))).length, 1);
    await admin(t0, (ctx) => associations.delete(ctx, { associationId: id }));

    // An association applied before a node's agent first asked: the node joins its latest run.
    const plain = await createShell(t0);
    assert.ok(await associationsStore.claimRun(db, plain.association.associationId, t0, undefined));
    await runs.start(db, plain.association, minutes(20), [node(1).instanceId]);
    const joined = await asNode(actor, minutes(21), (ctx) =>
      associations.instanceAssociations(ctx, instanceId, everything),
    );
    const executionId = joined.find(
      (a) => a.association.associationId === plain.association.associationId,
    )?.executionId;
    const executions = await admin(minutes(21), (ctx) =>
      associations.executions(ctx, plain.association.associationId, everything),
    );
    assert.equal(executions.length, 1);
    assert.equal(executionId, executions[0]?.executionId);
  });
});
