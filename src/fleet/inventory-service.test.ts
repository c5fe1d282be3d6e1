import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import { ComplianceService, ComplianceStore } from '../compliance/index.js';
import { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase, testActor } from '../../test/support/service-context.js';
import { inventoryLimits, type InventoryItemInput } from './inventory-model.js';
import type { InstanceDirectory } from './inventory-ports.js';
import { InventoryService } from './inventory-service.js';
import { InventoryStore } from './inventory-store.js';
import { fromWireEntityFilters, fromWireInventoryItems, putInventorySchema } from './inventory-wire.js';
import { inventoryRoutes } from './inventory-routes.js';

const account = '111122223333';
const other = '444455556666';
const mi1 = 'mi-0123456789abcdef0';
const mi2 = 'mi-0123456789abcdef1';
const theirs = 'mi-0123456789abcdef9';
const t0 = new Date('2026-06-01T00:00:00Z');

const directory: InstanceDirectory = {
  instanceInformation(_db, accountId, _region, ids) {
    const all = new Map<string, Record<string, string>>(
      accountId === account
        ? [
            [
              mi1,
              {
                InstanceId: mi1,
                PlatformType: 'Linux',
                PlatformName: 'Ubuntu',
                ResourceType: 'ManagedInstance',
              },
            ],
            [mi2, { InstanceId: mi2, PlatformType: 'Linux', PlatformName: 'Red Hat Enterprise Linux' }],
          ]
        : [[theirs, { InstanceId: theirs, PlatformType: 'Linux' }]],
    );
    return Promise.resolve(ids === undefined ? all : new Map([...all].filter(([id]) => ids.includes(id))));
  },
  async pageInstanceInformation(db, scope, after, limit) {
    const all = await this.instanceInformation(db, scope.accountId, scope.region);
    return [...all]
      .filter(([id]) => after === undefined || id > String(after[0]))
      .slice(0, limit)
      .map(([instanceId, attributes]) => ({ instanceId, attributes }));
  },
};

function instanceActor(instanceId: string): Actor {
  return {
    ...testActor(account),
    principalType: 'role',
    principalName: instanceId,
    principalArn: `arn:aws:iam::${account}:role/${instanceId}`,
  };
}
const callerInstanceId = (actor: Actor) =>
  actor.principalType === 'role' && actor.principalName.startsWith('mi-') ? actor.principalName : undefined;

const app = (name: string, version: string): Record<string, string> => ({
  Name: name,
  Version: version,
  Architecture: 'x86_64',
  ApplicationType: 'utils',
});

function item(
  overrides: Partial<InventoryItemInput> & Pick<InventoryItemInput, 'typeName'>,
): InventoryItemInput {
  return {
    schemaVersion: overrides.typeName === 'AWS:Application' ? '1.1' : '1.0',
    captureTime: '2026-06-01T00:00:00Z',
    contentHash: undefined,
    content: [],
    context: undefined,
    ...overrides,
  };
}

async function rejects(call: Promise<unknown>, exceptionName: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.exceptionName ?? `${error.kind}Exception`, exceptionName, error.message);
    return true;
  });
}

describe('InventoryService', () => {
  let db: Db;
  const complianceStore = new ComplianceStore();
  const compliance = new ComplianceService(complianceStore, directory, callerInstanceId);
  const service = new InventoryService(new InventoryStore(), directory, compliance, callerInstanceId);

  function run<T>(
    body: (ctx: Ctx) => Promise<T>,
    options: { accountId?: string; actor?: Actor; now?: Date } = {},
  ) {
    const actor = options.actor ?? testActor(options.accountId ?? account);
    return db.transaction().execute((tx) =>
      body({
        actor,
        accountId: actor.accountId,
        region: 'us-east-1',
        requestId: 'r',
        now: options.now ?? t0,
        tx,
      }),
    );
  }
  const entries = (
    instanceId: string,
    typeName: string,
    filters: {
      attribute: string;
      values: string[];
      type: 'Equal' | 'NotEqual' | 'BeginWith' | 'LessThan' | 'GreaterThan' | 'Exists';
    }[] = [],
    accountId = account,
  ) =>
    run((ctx) => service.listInventoryEntries(ctx, { instanceId, typeName, filters }), { accountId }).then(
      (listed) => ({ ...listed, items: listed.entries.map((row) => row.entry) }),
    );
  const inventoryEvents = async () =>
    (
      await db
        .selectFrom('outbox')
        .select('payload')
        .where('type', '=', 'InventoryChanged')
        .orderBy('seq')
        .execute()
    ).map((row) => JSON.parse(row.payload) as { instanceId: string; typeNames: string[] });

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('stores the latest item per type and lists it back exactly, raising InventoryChanged', async () => {
    const outcome = await run((ctx) =>
      service.putInventory(ctx, mi1, [
        item({
          typeName: 'AWS:Application',
          content: [app('bash', '5.1'), app('curl', '7.81'), app('zlib', '1.2')],
        }),
        item({ typeName: 'Custom:RackInfo', content: [{ RackLocation: 'Bay B', Rack: '12' }] }),
      ]),
    );
    assert.deepEqual(outcome, { written: ['AWS:Application', 'Custom:RackInfo'], unchanged: [] });
    const listed = await entries(mi1, 'AWS:Application');
    assert.equal(listed.schemaVersion, '1.1');
    assert.equal(listed.captureTime, '2026-06-01T00:00:00Z');
    assert.deepEqual(listed.items, [app('bash', '5.1'), app('curl', '7.81'), app('zlib', '1.2')]);
    assert.deepEqual((await entries(mi1, 'Custom:RackInfo')).items, [{ RackLocation: 'Bay B', Rack: '12' }]);
    const absent = await entries(mi1, 'AWS:Network');
    assert.deepEqual(
      [absent.items, absent.schemaVersion],
      [[], undefined],
      'an absent type answers empty Entries',
    );
    assert.deepEqual(await inventoryEvents(), [
      {
        type: 'InventoryChanged',
        accountId: account,
        region: 'us-east-1',
        instanceId: mi1,
        typeNames: ['AWS:Application', 'Custom:RackInfo'],
      },
    ]);
  });

  it('accepts a hash-only re-upload without rewriting, and asks for full content when the hash is unknown', async () => {
    const content = [app('openssl', '3.0')];
    await run((ctx) =>
      service.putInventory(ctx, mi2, [item({ typeName: 'AWS:Application', contentHash: 'md5-1', content })]),
    );
    const before = (await inventoryEvents()).length;
    const again = await run(
      (ctx) =>
        service.putInventory(ctx, mi2, [
          item({
            typeName: 'AWS:Application',
            contentHash: 'md5-1',
            content: undefined,
            captureTime: '2026-06-02T00:00:00Z',
          }),
        ]),
      { now: new Date('2026-06-02T00:00:05Z') },
    );
    assert.deepEqual(again, { written: [], unchanged: ['AWS:Application'] });
    const listed = await entries(mi2, 'AWS:Application');
    assert.deepEqual(listed.items, content, 'content kept');
    assert.equal(listed.captureTime, '2026-06-02T00:00:00Z', 'capture time moved');
    assert.equal((await inventoryEvents()).length, before, 'no event for an unchanged item');
    const stored = await new InventoryStore().findItem(
      db,
      { accountId: account, region: 'us-east-1' },
      mi2,
      'AWS:Application',
    );
    assert.equal(stored?.updatedAt.toISOString(), '2026-06-02T00:00:05.000Z', 'freshness moved');
    assert.equal(stored?.contentUpdatedAt.toISOString(), t0.toISOString());
    await rejects(
      run((ctx) =>
        service.putInventory(ctx, mi2, [
          item({ typeName: 'AWS:Application', contentHash: 'md5-2', content: undefined }),
        ]),
      ),
      'ItemContentMismatchException',
    );
    await rejects(
      run((ctx) =>
        service.putInventory(ctx, mi2, [
          item({ typeName: 'AWS:Network', contentHash: 'never-sent', content: undefined }),
        ]),
      ),
      'ItemContentMismatchException',
    );
    // New content replaces; an item without Content and hash stores empty content.
    await run((ctx) =>
      service.putInventory(ctx, mi2, [
        item({ typeName: 'AWS:Application', contentHash: 'md5-2', content: [app('openssl', '3.1')] }),
      ]),
    );
    assert.equal((await entries(mi2, 'AWS:Application')).items[0]?.['Version'], '3.1');
    await run((ctx) =>
      service.putInventory(ctx, mi2, [item({ typeName: 'AWS:Application', content: undefined })]),
    );
    assert.deepEqual((await entries(mi2, 'AWS:Application')).items, []);
  });

  it('checks type names, schema versions, attributes and Context against the built-in schemas', async () => {
    const put = (items: InventoryItemInput[]) => run((ctx) => service.putInventory(ctx, mi1, items));
    await rejects(
      put([item({ typeName: 'AWS:Application', content: [{ Name: 'x', Colour: 'red' }] })]),
      'InvalidItemContentException',
    );
    await rejects(
      put([item({ typeName: 'AWS:Application', schemaVersion: '1.0' })]),
      'UnsupportedInventorySchemaVersionException',
    );
    await rejects(put([item({ typeName: 'AWS:InstanceInformation' })]), 'InvalidTypeNameException');
    await rejects(put([item({ typeName: 'AWS:Bogus' })]), 'InvalidTypeNameException');
    await rejects(put([item({ typeName: 'Custom:' })]), 'InvalidTypeNameException');
    await rejects(
      put([item({ typeName: 'AWS:Network', context: { ComplianceType: 'Patch' } })]),
      'UnsupportedInventoryItemContextException',
    );
    await rejects(
      put([item({ typeName: 'AWS:ComplianceItem', context: { Colour: 'red' } })]),
      'InvalidInventoryItemContextException',
    );
    await rejects(
      put([item({ typeName: 'AWS:PatchSummary', content: [{ MissingCount: 'many' }] })]),
      'InvalidItemContentException',
    );
    await rejects(
      put([item({ typeName: 'Custom:A' }), item({ typeName: 'Custom:A' })]),
      'InvalidItemContentException',
    );
    assert.equal((await entries(mi1, 'AWS:Application')).items.length, 3, 'a refused call changes nothing');
  });

  it('enforces the size and custom type limits', async () => {
    const big = Array.from({ length: 1000 }, (_, n) => ({ Name: `p${n}`, Summary: 'x'.repeat(2200) }));
    await rejects(
      run((ctx) => service.putInventory(ctx, mi1, [item({ typeName: 'AWS:Application', content: big })])),
      'ItemSizeLimitExceededException',
    );
    const half = Array.from({ length: 600 }, (_, n) => ({ Name: `p${n}`, Summary: 'x'.repeat(3000) }));
    await rejects(
      run((ctx) =>
        service.putInventory(ctx, mi1, [
          item({ typeName: 'Custom:Big1', content: half }),
          item({ typeName: 'Custom:Big2', content: half }),
          item({ typeName: 'Custom:Big3', content: half }),
        ]),
      ),
      'TotalSizeLimitExceededException',
    );
    // Custom:RackInfo exists; 19 more fill the account's 20.
    const batch = Array.from({ length: inventoryLimits.customTypesPerAccount - 1 }, (_, n) =>
      item({ typeName: `Custom:Type${n}`, content: [{ A: '1' }] }),
    );
    await run((ctx) => service.putInventory(ctx, mi1, batch));
    await rejects(
      run((ctx) =>
        service.putInventory(ctx, mi1, [item({ typeName: 'Custom:OneTooMany', content: [{ A: '1' }] })]),
      ),
      'CustomSchemaCountLimitExceededException',
    );
    await run((ctx) =>
      service.putInventory(ctx, mi2, [item({ typeName: 'Custom:Type0', content: [{ B: '2' }] })]),
    );
    assert.equal(putInventorySchema.safeParse({ InstanceId: mi1, Items: [] }).success, false);
    assert.equal(
      putInventorySchema.safeParse({
        InstanceId: mi1,
        Items: Array.from({ length: 31 }, (_, n) => ({
          TypeName: `Custom:T${n}`,
          SchemaVersion: '1.0',
          CaptureTime: '2026-06-01T00:00:00Z',
        })),
      }).success,
      false,
    );
    assert.equal(
      putInventorySchema.safeParse({
        InstanceId: mi1,
        Items: [{ TypeName: 'Custom:T', SchemaVersion: '1.0', CaptureTime: '2026-06-01 00:00:00' }],
      }).success,
      false,
      'CaptureTime must be YYYY-MM-DDTHH:MM:SSZ',
    );
  });

  it('takes inventory only for registered instances of the caller, and from an instance key only for itself', async () => {
    const custom = [item({ typeName: 'Custom:RackInfo', content: [{ Rack: '1' }] })];
    await rejects(
      run((ctx) => service.putInventory(ctx, 'mi-00000000000000000', custom)),
      'InvalidInstanceId',
    );
    await rejects(
      run((ctx) => service.putInventory(ctx, theirs, custom)),
      'InvalidInstanceId',
    );
    await rejects(
      run((ctx) => service.putInventory(ctx, mi1, custom), { actor: instanceActor(mi2) }),
      'AccessDeniedException',
    );
    await run((ctx) => service.putInventory(ctx, mi2, custom), { actor: instanceActor(mi2) });
    assert.deepEqual((await entries(mi2, 'Custom:RackInfo')).items, [{ Rack: '1' }]);
    await rejects(entries(mi1, 'AWS:Application', [], other), 'InvalidInstanceId');
    await run(
      (ctx) =>
        service.putInventory(ctx, theirs, [item({ typeName: 'Custom:Theirs', content: [{ A: 'b' }] })]),
      { accountId: other },
    );
    const schemas = await run((ctx) => service.getInventorySchema(ctx, { typeName: 'Custom:' }));
    assert.ok(!schemas.some((schema) => schema.typeName === 'Custom:Theirs'), 'custom types are per account');
  });

  it('filters entries with every operator and pages them', async () => {
    const names = async (filters: Parameters<typeof entries>[2]) =>
      (await entries(mi1, 'AWS:Application', filters)).items.map((e) => e['Name']);
    assert.deepEqual(await names([{ attribute: 'Name', values: ['curl'], type: 'Equal' }]), ['curl']);
    assert.deepEqual(await names([{ attribute: 'Name', values: ['curl'], type: 'NotEqual' }]), [
      'bash',
      'zlib',
    ]);
    assert.deepEqual(await names([{ attribute: 'Name', values: ['ba', 'zl'], type: 'BeginWith' }]), [
      'bash',
      'zlib',
    ]);
    assert.deepEqual(await names([{ attribute: 'Version', values: ['5'], type: 'LessThan' }]), ['zlib']);
    assert.deepEqual(await names([{ attribute: 'Version', values: ['5'], type: 'GreaterThan' }]), [
      'bash',
      'curl',
    ]);
    assert.deepEqual(await names([{ attribute: 'Release', values: ['x'], type: 'Exists' }]), []);
    await rejects(
      entries(mi1, 'AWS:Application', [{ attribute: 'Colour', values: ['x'], type: 'Equal' }]),
      'InvalidFilter',
    );
    await rejects(entries(mi1, 'AWS:Nope'), 'InvalidTypeNameException');
    const page = (filters: NonNullable<Parameters<typeof entries>[2]>, after?: number) =>
      run((ctx) =>
        service.listInventoryEntries(ctx, {
          instanceId: mi1,
          typeName: 'AWS:Application',
          filters,
          after: after === undefined ? undefined : [after],
          limit: 1,
        }),
      ).then((listed) => listed.entries.map((row) => [row.position, row.entry['Name']]));
    const notCurl = [{ attribute: 'Name', values: ['curl'], type: 'NotEqual' as const }];
    assert.deepEqual(await page(notCurl), [[0, 'bash']]);
    assert.deepEqual(await page(notCurl, 0), [[2, 'zlib']], 'the next page skips the filtered-out entry');
    assert.deepEqual(await page(notCurl, 2), []);
    assert.deepEqual(await page([], 1), [[2, 'zlib']]);
    const info = await entries(mi1, 'AWS:InstanceInformation');
    assert.equal(
      info.items[0]?.['PlatformName'],
      'Ubuntu',
      'AWS:InstanceInformation is synthesized from the fleet',
    );
  });

  it('answers GetInventory with filters on any type and ResultAttributes, and GetInventorySchema', async () => {
    const ids = async (
      keys: { Key: string; Values: string[]; Type?: 'Equal' | 'BeginWith' }[],
      resultTypeName?: string,
    ) =>
      (
        await run((ctx) =>
          service.getInventory(ctx, { filters: fromWireEntityFilters(keys), resultTypeName }),
        )
      ).map((e) => e.instanceId);
    assert.deepEqual(await ids([]), [mi1, mi2]);
    assert.deepEqual(await ids([{ Key: 'AWS:InstanceInformation.PlatformName', Values: ['Ubuntu'] }]), [mi1]);
    assert.deepEqual(await ids([{ Key: 'AWS:Application.Name', Values: ['cu'], Type: 'BeginWith' }]), [mi1]);
    assert.deepEqual(await ids([{ Key: 'Custom:RackInfo.Rack', Values: ['1'] }]), [mi2]);
    assert.deepEqual(await ids([], 'Custom:RackInfo'), [mi1, mi2]);
    assert.deepEqual(await ids([], 'AWS:Application'), [mi1, mi2]);
    const idsPage = async (keys: { Key: string; Values: string[] }[], after?: string) =>
      (
        await run((ctx) =>
          service.getInventory(ctx, {
            filters: fromWireEntityFilters(keys),
            after: after === undefined ? undefined : [after],
            limit: 1,
          }),
        )
      ).map((e) => e.instanceId);
    assert.deepEqual(await idsPage([]), [mi1]);
    assert.deepEqual(await idsPage([], mi1), [mi2], 'the next page starts after the last instance');
    assert.deepEqual(await idsPage([], mi2), []);
    const rackOne = [{ Key: 'Custom:RackInfo.Rack', Values: ['1'] }];
    assert.deepEqual(await idsPage(rackOne), [mi2], 'a filtered page reads on past instances that fail');
    assert.deepEqual(await idsPage(rackOne, mi2), []);
    const data = await run((ctx) =>
      service.getInventory(ctx, { filters: [], resultTypeName: 'Custom:RackInfo' }),
    );
    assert.deepEqual(data[0]?.item.content, [{ RackLocation: 'Bay B', Rack: '12' }]);
    assert.throws(() => fromWireEntityFilters([{ Key: 'AWS:Application.Colour', Values: ['x'] }]), ApiError);
    assert.throws(() => fromWireEntityFilters([{ Key: 'NoDot', Values: ['x'] }]), ApiError);
    await rejects(
      run((ctx) => service.getInventory(ctx, { filters: [], resultTypeName: 'AWS:Nope' })),
      'InvalidResultAttributeException',
    );
    const schemas = await run((ctx) => service.getInventorySchema(ctx, {}));
    const names = schemas.map((schema) => schema.typeName);
    assert.ok(
      names.includes('AWS:Application') &&
        names.includes('AWS:PatchSummary') &&
        names.includes('Custom:RackInfo'),
    );
    const rack = await run((ctx) => service.getInventorySchema(ctx, { typeName: 'Custom:RackInfo' }));
    assert.deepEqual(rack, [
      {
        typeName: 'Custom:RackInfo',
        version: '1.0',
        attributes: [
          { name: 'Rack', dataType: 'string' },
          { name: 'RackLocation', dataType: 'string' },
        ],
      },
    ]);
    const patchSummary = (
      await run((ctx) => service.getInventorySchema(ctx, { typeName: 'AWS:PatchSummary' }))
    )[0];
    assert.equal(patchSummary?.attributes.find((a) => a.name === 'MissingCount')?.dataType, 'number');
  });

  it('pages GetInventory and ListInventoryEntries on the wire across page boundaries', async () => {
    const routes = inventoryRoutes(service);
    const call = (name: string, body: Record<string, unknown>) =>
      run(async (ctx) => {
        const route = routes.find((candidate) => candidate.operation.name === name);
        if (route === undefined) throw new Error(`No route ${name}`);
        const prepared = route.operation.prepare({ labels: {}, query: new URLSearchParams(), body });
        return (await prepared.run(ctx)) as Record<string, unknown>;
      });
    const all = async (name: string, resultKey: string, body: Record<string, unknown>) => {
      const pages: unknown[][] = [];
      let token: unknown;
      do {
        const response = await call(name, { ...body, MaxResults: 1, ...(token ? { NextToken: token } : {}) });
        pages.push(response[resultKey] as unknown[]);
        token = response['NextToken'];
      } while (token !== undefined);
      return pages;
    };
    const entities = await all('GetInventory', 'Entities', {});
    assert.deepEqual(
      entities.map((page) => page.map((entity) => (entity as { Id: string }).Id)),
      [[mi1], [mi2]],
    );
    const entryPages = await all('ListInventoryEntries', 'Entries', {
      InstanceId: mi1,
      TypeName: 'AWS:Application',
      Filters: [{ Key: 'Name', Values: ['curl'], Type: 'NotEqual' }],
    });
    assert.deepEqual(
      entryPages.map((page) => page.map((entry) => (entry as Record<string, string>)['Name'])),
      [['bash'], ['zlib']],
    );
    const first = await call('ListInventoryEntries', {
      InstanceId: mi1,
      TypeName: 'AWS:Application',
      MaxResults: 1,
    });
    assert.equal(first['SchemaVersion'], '1.1', 'every page carries the item header');
    await rejects(
      call('ListInventoryEntries', {
        InstanceId: mi1,
        TypeName: 'Custom:RackInfo',
        MaxResults: 1,
        NextToken: first['NextToken'],
      }),
      'InvalidNextToken',
    );
  });

  it('turns AWS:ComplianceItem inventory into the Context compliance set, and keeps it on a hash-only re-upload', async () => {
    const body = putInventorySchema.parse({
      InstanceId: mi2,
      Items: [
        {
          TypeName: 'AWS:PatchSummary',
          SchemaVersion: '1.0',
          CaptureTime: '2026-06-01T02:00:00Z',
          Content: [
            {
              BaselineId: 'pb-0123456789abcdef0',
              PatchGroup: '',
              MissingCount: '1',
              InstalledCount: '10',
              OperationType: 'Scan',
            },
          ],
        },
        {
          TypeName: 'AWS:ComplianceItem',
          SchemaVersion: '1.0',
          CaptureTime: '2026-06-01T02:00:00Z',
          ContentHash: 'sha-1',
          Context: {
            ComplianceType: 'Patch',
            ExecutionId: 'snap-1',
            ExecutionType: 'Command',
            ExecutionTime: '2026-06-01T01:59:00Z',
          },
          Content: [
            {
              Id: 'curl.x86_64',
              Title: 'curl.x86_64:7.81',
              Status: 'NON_COMPLIANT',
              Severity: 'CRITICAL',
              PatchState: 'Missing',
              Classification: 'Security',
              PatchSeverity: 'Important',
            },
            {
              Id: 'bash.x86_64',
              Title: 'bash.x86_64:5.1',
              Status: 'COMPLIANT',
              Severity: 'UNSPECIFIED',
              PatchState: 'Installed',
            },
          ],
        },
      ],
    });
    await run((ctx) => service.putInventory(ctx, body.InstanceId, fromWireInventoryItems(body)), {
      actor: instanceActor(mi2),
    });
    const patch = await complianceStore.findSet(db, {
      accountId: account,
      region: 'us-east-1',
      resourceType: 'ManagedInstance',
      resourceId: mi2,
      complianceType: 'Patch',
    });
    assert.equal(patch?.status, 'NON_COMPLIANT');
    assert.equal(patch?.overallSeverity, 'CRITICAL');
    assert.equal(patch?.execution.executionId, 'snap-1');
    const summary = await new InventoryStore().itemsOfType(
      db,
      { accountId: account, region: 'us-east-1' },
      'AWS:PatchSummary',
    );
    assert.equal(
      summary[0]?.content[0]?.['MissingCount'],
      '1',
      'the patch capability reads AWS:PatchSummary',
    );
    const rehash = await run(
      (ctx) =>
        service.putInventory(ctx, mi2, [
          {
            typeName: 'AWS:ComplianceItem',
            schemaVersion: '1.0',
            captureTime: '2026-06-02T02:00:00Z',
            contentHash: 'sha-1',
            content: undefined,
            context: undefined,
          },
        ]),
      { actor: instanceActor(mi2) },
    );
    assert.deepEqual(rehash.unchanged, ['AWS:ComplianceItem']);
    const still = await complianceStore.findSet(db, {
      accountId: account,
      region: 'us-east-1',
      resourceType: 'ManagedInstance',
      resourceId: mi2,
      complianceType: 'Patch',
    });
    assert.equal(still?.itemCount, 2);
  });
});
