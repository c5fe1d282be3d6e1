import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AccessService, AccessStore, SecretBox, authorize, type Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { InstanceCredentials } from './instance-credentials.js';
import { managedInstanceArn } from './fleet-model.js';
import { FleetService, type RegisteredInstance } from './fleet-service.js';
import { FleetStore } from './fleet-store.js';
import { fleetRoutes } from './fleet-routes.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { SsmTagStore } from './tag-store.js';
import { SsmTagsService } from './tags-service.js';

const account = '111122223333';
const other = '444455556666';
const region = 'us-east-1';
const t0 = new Date('2026-06-01T00:00:00Z');
const minutes = (n: number): Date => new Date(t0.getTime() + n * 60_000);

/** Asserts that `call` rejects with an ApiError whose wire name is `name`. */
async function rejectsWith(call: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(call, (error: { exceptionName?: string; kind?: string; message: string }) => {
    const actual = error.exceptionName ?? `${error.kind ?? ''}Exception`;
    assert.equal(actual, name, error.message);
    return true;
  });
}

function inCtxAs<T>(db: Db, actor: Actor, now: Date, body: (ctx: Ctx) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .execute((tx) => body({ actor, accountId: actor.accountId, region, requestId: 'test', now, tx }));
}

type WireItem = Record<string, unknown>;

/** The wire response of a list operation of `routes`, as its items and NextToken. */
async function listVia(
  routes: readonly AwsJsonRoute[],
  name: string,
  resultKey: string,
  ctx: Ctx,
  body: Record<string, unknown>,
): Promise<{ items: WireItem[]; nextToken: string | undefined }> {
  const route = routes.find((candidate) => candidate.operation.name === name);
  if (route === undefined) throw new Error(`No route ${name}`);
  const call = route.operation.prepare({ labels: {}, query: new URLSearchParams(), body });
  const response = (await call.run(ctx)) as Record<string, unknown>;
  return { items: response[resultKey] as WireItem[], nextToken: response['NextToken'] as string | undefined };
}

const wireFilters = (filters: readonly { key: string; values: string[] }[]) =>
  filters.map((filter) => ({ Key: filter.key, Values: filter.values }));

async function outboxTypes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('outbox').select(['type', 'payload']).orderBy('seq').execute();
  return rows.map((row) => row.type);
}

describe('FleetService', () => {
  let db: Db;
  let access: AccessService;
  let fleet: FleetService;
  let tags: SsmTagsService;
  const as = (accountId: string, now = t0) => ({ accountId, region, now });
  const activations = (ctx: Ctx, body: Record<string, unknown>) =>
    listVia(fleetRoutes(fleet, tags), 'DescribeActivations', 'ActivationList', ctx, body);
  const instanceInformation = (ctx: Ctx, body: Record<string, unknown>) =>
    listVia(fleetRoutes(fleet, tags), 'DescribeInstanceInformation', 'InstanceInformationList', ctx, body);

  before(async () => {
    db = await openTestDatabase();
    const store = new AccessStore();
    const secrets = new SecretBox(randomBytes(32));
    access = new AccessService(db, store, secrets);
    for (const id of [account, other]) await store.insertAccount(db, id, t0);
    const tagStore = new SsmTagStore();
    fleet = new FleetService(
      new FleetStore(),
      tagStore,
      new InstanceCredentials(store, secrets, () => access.forgetIdentities()),
      { pingTimeoutSeconds: 660 },
    );
    tags = new SsmTagsService(tagStore).register('ManagedInstance', (tx, scope, id) =>
      fleet.instanceExists(tx, scope, id),
    );
  });

  const register = (activationId: string, activationCode: string, now = t0): Promise<RegisteredInstance> =>
    inCtx(
      db,
      async (ctx) => {
        const { actor } = await fleet.identifyActivation(ctx.tx, activationId);
        return fleet.register(
          { ...ctx, actor, accountId: actor.accountId },
          {
            activationId,
            activationCode,
            fingerprint: 'host-fp',
            facts: { platformType: 'Linux', platformName: 'Ubuntu', platformVersion: '22.04' },
          },
        );
      },
      as(account, now),
    );

  it('creates activations with the documented defaults and keeps only a hash of the code', async () => {
    const created = await inCtx(
      db,
      (ctx) => fleet.createActivation(ctx, { iamRole: 'SSMServiceRole' }),
      as(account),
    );
    assert.match(created.activationId, /^[0-9a-f-]{36}$/);
    assert.match(created.activationCode, /^[A-Za-z0-9]{20}$/);
    const row = await db
      .selectFrom('ssm_activations')
      .selectAll()
      .where('activation_id', '=', created.activationId)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.code_hash, created.activationCode);
    assert.equal(Number(row.registration_limit), 1);
    assert.equal(Number(row.expires_at) - t0.getTime(), 24 * 3600_000);
    await rejectsWith(
      inCtx(
        db,
        (ctx) => fleet.createActivation(ctx, { iamRole: 'r', expirationDate: minutes(31 * 24 * 60) }),
        as(account),
      ),
      'InvalidParameters',
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => fleet.createActivation(ctx, { iamRole: 'r', expirationDate: minutes(-1) }),
        as(account),
      ),
      'InvalidParameters',
    );
  });

  it('describes activations with filters, counts and paging; another account sees none', async () => {
    for (const name of ['web', 'db', 'web']) {
      await inCtx(
        db,
        (ctx) => fleet.createActivation(ctx, { iamRole: 'Role2', defaultInstanceName: name }),
        as(account, minutes(1)),
      );
    }
    const web = await inCtx(
      db,
      (ctx) =>
        activations(ctx, {
          Filters: [{ FilterKey: 'DefaultInstanceName', FilterValues: ['web'] }],
          MaxResults: 1,
        }),
      as(account),
    );
    assert.equal(web.items.length, 1);
    assert.ok(web.nextToken !== undefined);
    const rest = await inCtx(
      db,
      (ctx) =>
        activations(ctx, {
          Filters: [{ FilterKey: 'DefaultInstanceName', FilterValues: ['web'] }],
          MaxResults: 1,
          NextToken: web.nextToken,
        }),
      as(account),
    );
    assert.equal(rest.items.length, 1);
    assert.equal(rest.nextToken, undefined);
    assert.notEqual(rest.items[0]?.['ActivationId'], web.items[0]?.['ActivationId']);
    await rejectsWith(
      inCtx(db, (ctx) => activations(ctx, { MaxResults: 5, NextToken: 'bogus' }), as(account)),
      'InvalidNextToken',
    );
    const theirs = await inCtx(db, (ctx) => activations(ctx, {}), as(other));
    assert.equal(theirs.items.length, 0);
  });

  it('registers with the right code only, within the limit and before expiry, issuing a least-privilege key', async () => {
    const { activationId, activationCode } = await inCtx(
      db,
      (ctx) =>
        fleet.createActivation(ctx, {
          iamRole: 'SSMServiceRole',
          registrationLimit: 1,
          defaultInstanceName: 'edge',
          tags: [{ key: 'env', value: 'prod' }],
        }),
      as(account),
    );
    await rejectsWith(register(activationId, 'x'.repeat(20)), 'InvalidActivation');
    await rejectsWith(
      register('00000000-0000-0000-0000-000000000000', activationCode),
      'InvalidActivationId',
    );
    const registered = await register(activationId, activationCode);
    assert.match(registered.instanceId, /^mi-[0-9a-f]{17}$/);
    await rejectsWith(register(activationId, activationCode), 'InvalidActivation');

    const identity = await access.resolveKey(registered.accessKeyId, t0);
    assert.equal(identity.secretAccessKey, registered.secretAccessKey);
    const actor = identity.actor;
    assert.equal(actor.principalType, 'role');
    assert.equal(actor.principalName, registered.instanceId);
    const own = managedInstanceArn(region, account, registered.instanceId);
    authorize(actor, 'ssm:UpdateInstanceInformation', own);
    assert.throws(() =>
      authorize(
        actor,
        'ssm:UpdateInstanceInformation',
        managedInstanceArn(region, account, 'mi-00000000000000000'),
      ),
    );
    assert.throws(() => authorize(actor, 'ssm:CreateActivation', '*'));

    const listed = await inCtx(
      db,
      (ctx) => activations(ctx, { Filters: [{ FilterKey: 'ActivationIds', FilterValues: [activationId] }] }),
      as(account),
    );
    assert.equal(listed.items[0]?.['RegistrationsCount'], 1);
    assert.deepEqual(
      await inCtx(db, (ctx) => tags.listTags(ctx, 'ManagedInstance', registered.instanceId), as(account)),
      [{ key: 'env', value: 'prod' }],
    );
    assert.ok((await outboxTypes(db)).includes('InstanceRegistered'));

    const expiring = await inCtx(
      db,
      (ctx) =>
        fleet.createActivation(ctx, { iamRole: 'r', registrationLimit: 5, expirationDate: minutes(60) }),
      as(account),
    );
    await rejectsWith(
      register(expiring.activationId, expiring.activationCode, minutes(61)),
      'InvalidActivation',
    );
    await inCtx(db, (ctx) => fleet.deleteActivation(ctx, expiring.activationId), as(account));
    await rejectsWith(register(expiring.activationId, expiring.activationCode), 'InvalidActivationId');
    await rejectsWith(
      inCtx(db, (ctx) => fleet.deleteActivation(ctx, expiring.activationId), as(account)),
      'InvalidActivationId',
    );
  });

  it('takes heartbeats only from the instance itself, raises an event only on change, and derives PingStatus', async () => {
    const { activationId, activationCode } = await inCtx(
      db,
      (ctx) => fleet.createActivation(ctx, { iamRole: 'HeartbeatRole', registrationLimit: 3 }),
      as(account),
    );
    const first = await register(activationId, activationCode);
    const second = await register(activationId, activationCode);
    const actor = (await access.resolveKey(first.accessKeyId, t0)).actor;
    const heartbeat = (instanceId: string, now: Date, ip = '10.0.0.5', who = actor) =>
      inCtxAs(db, who, now, (ctx) =>
        fleet.updateInstanceInformation(ctx, instanceId, {
          agentVersion: '1.2.3',
          ipAddress: ip,
          platformType: 'Linux',
        }),
      );
    const updates = async () =>
      (await outboxTypes(db)).filter((type) => type === 'InstanceInformationUpdated').length;
    const before = await updates();
    await heartbeat(first.instanceId, minutes(1));
    assert.equal(await updates(), before + 1);
    await heartbeat(first.instanceId, minutes(2));
    assert.equal(await updates(), before + 1, 'an unchanged heartbeat raises nothing');
    await heartbeat(first.instanceId, minutes(3), '10.0.0.6');
    assert.equal(await updates(), before + 2);
    await rejectsWith(heartbeat(second.instanceId, minutes(3)), 'AccessDeniedException');
    await rejectsWith(
      inCtx(db, (ctx) => fleet.updateInstanceInformation(ctx, first.instanceId, {}), as(account)),
      'AccessDeniedException',
    );
    await rejectsWith(heartbeat('mi-0123456789abcdef0', minutes(3)), 'InvalidInstanceId');

    const describe = (now: Date, filters: { key: string; values: string[] }[]) =>
      inCtx(db, (ctx) => instanceInformation(ctx, { Filters: wireFilters(filters) }), as(account, now));
    const status = async (now: Date, id: string) =>
      (await describe(now, [{ key: 'InstanceIds', values: [id] }])).items[0]?.['PingStatus'];
    assert.equal(await status(minutes(3 + 11), first.instanceId), 'Online');
    assert.equal(await status(minutes(3 + 12), first.instanceId), 'ConnectionLost');
    const online = await describe(minutes(12), [
      { key: 'PingStatus', values: ['Online'] },
      { key: 'IamRole', values: ['HeartbeatRole'] },
    ]);
    assert.deepEqual(
      online.items.map((info) => info['InstanceId']),
      [first.instanceId],
    );
    const info = online.items[0];
    assert.equal(info?.['AgentVersion'], '1.2.3');
    assert.equal(info?.['IPAddress'], '10.0.0.6');
    assert.equal(info?.['PlatformName'], 'Ubuntu');
  });

  it('filters by tags, validates filters and pages by instance id', async () => {
    const { activationId, activationCode } = await inCtx(
      db,
      (ctx) => fleet.createActivation(ctx, { iamRole: 'TagRole', registrationLimit: 10 }),
      as(account),
    );
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await register(activationId, activationCode)).instanceId);
    const [a, b] = ids as [string, string];
    await inCtx(
      db,
      (ctx) => tags.addTags(ctx, 'ManagedInstance', a, [{ key: 'Patch Group', value: 'web' }]),
      as(account),
    );
    await inCtx(
      db,
      (ctx) => tags.addTags(ctx, 'ManagedInstance', b, [{ key: 'Patch Group', value: 'db' }]),
      as(account),
    );
    const describe = (filters: { key: string; values: string[] }[], maxResults = 50, nextToken?: string) =>
      inCtx(
        db,
        (ctx) =>
          instanceInformation(ctx, {
            Filters: wireFilters(filters),
            MaxResults: maxResults,
            NextToken: nextToken,
          }),
        as(account),
      );
    assert.deepEqual(
      (await describe([{ key: 'tag:Patch Group', values: ['web'] }])).items.map((i) => i['InstanceId']),
      [a],
    );
    assert.deepEqual(
      (await describe([{ key: 'tag-key', values: ['Patch Group'] }])).items
        .map((i) => i['InstanceId'])
        .sort(),
      [a, b].sort(),
    );
    await rejectsWith(describe([{ key: 'Bogus', values: ['x'] }]), 'InvalidFilterKey');
    await rejectsWith(
      describe([{ key: 'PingStatus', values: ['Sleeping'] }]),
      'InvalidInstanceInformationFilterValue',
    );
    await rejectsWith(
      describe([
        { key: 'tag-key', values: ['x'] },
        { key: 'PingStatus', values: ['Online'] },
      ]),
      'InvalidFilterKey',
    );
    await rejectsWith(
      describe([{ key: 'InstanceIds', values: ['mi-0123456789abcdef0'] }]),
      'InvalidInstanceId',
    );
    const filter = [{ key: 'ActivationIds', values: [activationId] }];
    const page1 = await describe(filter, 5);
    assert.equal(page1.items.length, 5);
    const page2 = await describe(filter, 5, page1.nextToken);
    assert.equal(page2.items.length, 1);
    assert.equal(page2.nextToken, undefined);
    assert.deepEqual(
      [...page1.items, ...page2.items].map((i) => i['InstanceId']),
      [...ids].sort(),
    );

    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await rejectsWith(
      inCtx(db, (ctx) => tags.addTags(ctx, 'ManagedInstance', a, many), as(account)),
      'TooManyTagsError',
    );
    await inCtx(db, (ctx) => tags.removeTags(ctx, 'ManagedInstance', a, ['Patch Group']), as(account));
    assert.deepEqual(await inCtx(db, (ctx) => tags.listTags(ctx, 'ManagedInstance', a), as(account)), []);
    await rejectsWith(
      inCtx(db, (ctx) => tags.listTags(ctx, 'ManagedInstance', a), as(other)),
      'InvalidResourceId',
    );
    await rejectsWith(
      inCtx(db, (ctx) => tags.listTags(ctx, 'ManagedInstance', 'pb-0123456789abcdef0'), as(account)),
      'InvalidResourceType',
    );
    await rejectsWith(
      inCtx(db, (ctx) => tags.listTags(ctx, 'OpsItem', 'oi-1'), as(account)),
      'InvalidResourceType',
    );
    const theirs = await inCtx(db, (ctx) => instanceInformation(ctx, {}), as(other));
    assert.equal(theirs.items.length, 0);
  });

  it('deregisters: the key stops working, the instance is hidden unless Inactive is asked for', async () => {
    const { activationId, activationCode } = await inCtx(
      db,
      (ctx) => fleet.createActivation(ctx, { iamRole: 'GoneRole' }),
      as(account),
    );
    const gone = await register(activationId, activationCode);
    await access.resolveKey(gone.accessKeyId, t0);
    await rejectsWith(
      inCtx(db, (ctx) => fleet.deregister(ctx, gone.instanceId), as(other)),
      'InvalidInstanceId',
    );
    await inCtx(db, (ctx) => fleet.deregister(ctx, gone.instanceId), as(account, minutes(1)));
    await rejectsWith(access.resolveKey(gone.accessKeyId, minutes(1)), 'UnrecognizedClientException');
    await rejectsWith(
      inCtx(db, (ctx) => fleet.deregister(ctx, gone.instanceId), as(account)),
      'InvalidInstanceId',
    );
    const describe = (filters: { key: string; values: string[] }[]) =>
      inCtx(db, (ctx) => instanceInformation(ctx, { Filters: wireFilters(filters) }), as(account));
    await rejectsWith(describe([{ key: 'InstanceIds', values: [gone.instanceId] }]), 'InvalidInstanceId');
    const inactive = await describe([
      { key: 'PingStatus', values: ['Inactive'] },
      { key: 'IamRole', values: ['GoneRole'] },
    ]);
    assert.deepEqual(
      inactive.items.map((info) => [info['InstanceId'], info['PingStatus']]),
      [[gone.instanceId, 'Inactive']],
    );
    assert.ok((await outboxTypes(db)).includes('InstanceDeregistered'));
    await rejectsWith(
      inCtx(db, (ctx) => tags.listTags(ctx, 'ManagedInstance', gone.instanceId), as(account)),
      'InvalidResourceId',
    );
  });
});
