import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase, testActor } from '../../test/support/service-context.js';
import { parseComplianceFilters, type WireComplianceFilter } from './compliance-filters.js';
import { complianceLimits, type ComplianceItemInput, type PutComplianceRequest } from './compliance-model.js';
import { ComplianceService, type InstanceAttributes } from './compliance-service.js';
import { ComplianceStore } from './compliance-store.js';
import { complianceRoutes } from './compliance-routes.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import {
  fromWirePutComplianceItems,
  putComplianceItemsSchema,
  toWireResourceSummary,
} from './compliance-wire.js';

const account = '111122223333';
const other = '444455556666';
const mi1 = 'mi-0123456789abcdef0';
const mi2 = 'mi-0123456789abcdef1';
const mi3 = 'mi-0123456789abcdef2';
const t0 = new Date('2026-06-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const instances: InstanceAttributes = {
  instanceInformation(_db, accountId, _region, ids) {
    const all = new Map<string, Record<string, string>>(
      accountId === account
        ? [
            [mi1, { InstanceId: mi1, PlatformType: 'Linux', PlatformName: 'Ubuntu' }],
            [mi2, { InstanceId: mi2, PlatformType: 'Windows' }],
          ]
        : [],
    );
    return Promise.resolve(ids === undefined ? all : new Map([...all].filter(([id]) => ids.includes(id))));
  },
};

/** An instance key's actor: a role named after the instance (the fleet's convention). */
function instanceActor(instanceId: string, accountId = account): Actor {
  return {
    ...testActor(accountId),
    principalType: 'role',
    principalName: instanceId,
    principalArn: `arn:aws:iam::${accountId}:role/${instanceId}`,
  };
}
const callerInstanceId = (actor: Actor) =>
  actor.principalType === 'role' && actor.principalName.startsWith('mi-') ? actor.principalName : undefined;

const item = (
  id: string,
  status: 'COMPLIANT' | 'NON_COMPLIANT',
  severity: ComplianceItemInput['severity'] = 'UNSPECIFIED',
  details: Record<string, string> = {},
): ComplianceItemInput => ({ id, title: `title ${id}`, status, severity, details });

function put(
  overrides: Partial<PutComplianceRequest> & Pick<PutComplianceRequest, 'items'>,
): PutComplianceRequest {
  return {
    resourceType: 'ManagedInstance',
    resourceId: mi1,
    complianceType: 'Custom:Test',
    executionSummary: { executionTime: t0, executionId: undefined, executionType: undefined },
    ...overrides,
  };
}

const filters = (...wire: WireComplianceFilter[]) => parseComplianceFilters(wire);

async function rejects(call: Promise<unknown>, exceptionName: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.exceptionName ?? `${error.kind}Exception`, exceptionName, error.message);
    return true;
  });
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

describe('ComplianceService', () => {
  let db: Db;
  const store = new ComplianceStore();
  const service = new ComplianceService(store, instances, callerInstanceId);

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
  const listItems = (resourceId: string, wireFilters: WireComplianceFilter[] = [], accountId = account) =>
    run(
      (ctx) =>
        service.listComplianceItems(ctx, { resourceIds: [resourceId], filters: filters(...wireFilters) }),
      {
        accountId,
      },
    );

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('COMPLETE replaces the set and maintains status, overall severity and item counts', async () => {
    await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          complianceType: 'Patch',
          executionSummary: { executionTime: at(1), executionId: 'snap-1', executionType: 'Command' },
          items: [
            item('a', 'COMPLIANT', 'LOW'),
            item('b', 'NON_COMPLIANT', 'MEDIUM'),
            item('c', 'NON_COMPLIANT', 'CRITICAL', { PatchState: 'Missing', Classification: 'Security' }),
          ],
        }),
      ),
    );
    let sets = await run((ctx) => service.listResourceComplianceSummaries(ctx, { filters: [] }));
    const patch = sets.items.find((set) => set.complianceType === 'Patch');
    assert.ok(patch);
    assert.equal(patch.status, 'NON_COMPLIANT');
    assert.equal(patch.overallSeverity, 'CRITICAL');
    assert.deepEqual(toWireResourceSummary(patch), {
      ComplianceType: 'Patch',
      ResourceType: 'ManagedInstance',
      ResourceId: mi1,
      Status: 'NON_COMPLIANT',
      OverallSeverity: 'CRITICAL',
      ExecutionSummary: {
        ExecutionTime: at(1).getTime() / 1000,
        ExecutionId: 'snap-1',
        ExecutionType: 'Command',
      },
      CompliantSummary: {
        CompliantCount: 1,
        SeveritySummary: {
          CriticalCount: 0,
          HighCount: 0,
          MediumCount: 0,
          LowCount: 1,
          InformationalCount: 0,
          UnspecifiedCount: 0,
        },
      },
      NonCompliantSummary: {
        NonCompliantCount: 2,
        SeveritySummary: {
          CriticalCount: 1,
          HighCount: 0,
          MediumCount: 1,
          LowCount: 0,
          InformationalCount: 0,
          UnspecifiedCount: 0,
        },
      },
    });

    await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          complianceType: 'Patch',
          executionSummary: { executionTime: at(2), executionId: 'snap-2', executionType: 'Command' },
          items: [item('a', 'COMPLIANT', 'LOW'), item('d', 'COMPLIANT', 'HIGH')],
        }),
      ),
    );
    const items = await listItems(mi1, [{ Key: 'ComplianceType', Values: ['Patch'] }]);
    assert.deepEqual(
      items.items.map((i) => i.id),
      ['a', 'd'],
    );
    sets = await run((ctx) => service.listResourceComplianceSummaries(ctx, { filters: [] }));
    const replaced = sets.items.find((set) => set.complianceType === 'Patch');
    assert.equal(replaced?.status, 'COMPLIANT');
    assert.equal(replaced?.overallSeverity, 'HIGH', 'a compliant set reports its highest item severity');
    assert.equal(replaced?.execution.executionId, 'snap-2');
  });

  it('PARTIAL upserts the given Association items and keeps the others; PARTIAL is refused for other types', async () => {
    const association = (items: ComplianceItemInput[], minutes: number, uploadType: 'COMPLETE' | 'PARTIAL') =>
      run((ctx) =>
        service.putComplianceItems(
          ctx,
          put({
            resourceId: mi2,
            complianceType: 'Association',
            executionSummary: {
              executionTime: at(minutes),
              executionId: undefined,
              executionType: undefined,
            },
            items,
            uploadType,
          }),
        ),
      );
    await association([item('assoc-1', 'COMPLIANT'), item('assoc-2', 'COMPLIANT')], 1, 'COMPLETE');
    await association([item('assoc-2', 'NON_COMPLIANT', 'HIGH'), item('assoc-3', 'COMPLIANT')], 2, 'PARTIAL');
    const listed = await listItems(mi2);
    assert.deepEqual(
      listed.items.map((i) => [i.id, i.status]),
      [
        ['assoc-1', 'COMPLIANT'],
        ['assoc-2', 'NON_COMPLIANT'],
        ['assoc-3', 'COMPLIANT'],
      ],
    );
    assert.equal(
      listed.items[0]?.execution.executionTime.getTime(),
      at(1).getTime(),
      'untouched items keep their execution',
    );
    assert.equal(listed.items[1]?.execution.executionTime.getTime(), at(2).getTime());
    // An older PARTIAL item does not overwrite a newer one.
    await association([item('assoc-2', 'COMPLIANT')], 0, 'PARTIAL');
    assert.equal((await listItems(mi2)).items[1]?.status, 'NON_COMPLIANT');
    // COMPLETE replaces everything again.
    await association([item('assoc-9', 'COMPLIANT')], 3, 'COMPLETE');
    assert.deepEqual(
      (await listItems(mi2)).items.map((i) => i.id),
      ['assoc-9'],
    );
    await rejects(
      run((ctx) =>
        service.putComplianceItems(ctx, put({ complianceType: 'Patch', items: [], uploadType: 'PARTIAL' })),
      ),
      'ValidationException',
    );
  });

  it('ignores a put whose ItemContentHash equals the stored one, and a COMPLETE put older than the stored execution', async () => {
    const first = await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          resourceId: mi3,
          executionSummary: { executionTime: at(5), executionId: undefined, executionType: undefined },
          items: [item('x', 'NON_COMPLIANT')],
          itemContentHash: 'h1',
        }),
      ),
    );
    assert.equal(first.result, 'written');
    const same = await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          resourceId: mi3,
          executionSummary: { executionTime: at(6), executionId: undefined, executionType: undefined },
          items: [],
          itemContentHash: 'h1',
        }),
      ),
    );
    assert.equal(same.result, 'unchanged');
    assert.equal((await listItems(mi3)).items.length, 1, 'Items [] with the stored hash keeps the items');
    const stale = await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          resourceId: mi3,
          executionSummary: { executionTime: at(4), executionId: undefined, executionType: undefined },
          items: [],
          itemContentHash: 'h0',
        }),
      ),
    );
    assert.equal(stale.result, 'stale');
    assert.equal((await listItems(mi3)).items.length, 1);
    const cleared = await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          resourceId: mi3,
          executionSummary: { executionTime: at(7), executionId: undefined, executionType: undefined },
          items: [],
          itemContentHash: 'h2',
        }),
      ),
    );
    assert.equal(cleared.result, 'written');
    assert.equal(cleared.set, undefined);
    assert.equal((await listItems(mi3)).items.length, 0);
    const sets = await run((ctx) => service.listResourceComplianceSummaries(ctx, { filters: [] }));
    assert.ok(!sets.items.some((set) => set.resourceId === mi3), 'an empty set is not listed');
    const events = await db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', '=', 'ComplianceChanged')
      .orderBy('seq')
      .execute();
    const forMi3 = events
      .map((e) => JSON.parse(e.payload) as { resourceId: string; status: string })
      .filter((e) => e.resourceId === mi3);
    assert.deepEqual(
      forMi3.map((e) => e.status),
      ['NON_COMPLIANT', 'NOT_APPLICABLE'],
      'one event per accepted write, none for ignored ones',
    );
  });

  it('filters items by every key spelling and operator', async () => {
    await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          complianceType: 'Custom:Filters',
          executionSummary: { executionTime: at(10), executionId: 'e-10', executionType: 'Command' },
          items: [
            item('pkg-a', 'COMPLIANT', 'LOW', {
              PatchState: 'Installed',
              DocumentName: 'AWS-RunPatchBaseline',
            }),
            item('pkg-b', 'NON_COMPLIANT', 'HIGH', { PatchState: 'Missing' }),
            item('other', 'NON_COMPLIANT', 'CRITICAL', { PatchState: 'Failed' }),
          ],
        }),
      ),
    );
    const ids = async (...wire: WireComplianceFilter[]) =>
      (await listItems(mi1, [{ Key: 'ComplianceType', Values: ['Custom:Filters'] }, ...wire])).items.map(
        (i) => i.id,
      );
    assert.deepEqual(await ids({ Key: 'Status', Values: ['NON_COMPLIANT'] }), ['other', 'pkg-b']);
    assert.deepEqual(
      await ids({ Key: 'AWS:ComplianceItem.Severity', Values: ['HIGH', 'CRITICAL'], Type: 'EQUAL' }),
      ['other', 'pkg-b'],
    );
    assert.deepEqual(await ids({ Key: 'Severity', Values: ['LOW'], Type: 'NotEqual' }), ['other', 'pkg-b']);
    assert.deepEqual(await ids({ Key: 'Id', Values: ['pkg-'], Type: 'BEGIN_WITH' }), ['pkg-a', 'pkg-b']);
    assert.deepEqual(await ids({ Key: 'AWS:ComplianceItem.Id', Values: ['pkg-b'] }), ['pkg-b']);
    assert.deepEqual(await ids({ Key: 'Title', Values: ['title other'] }), ['other']);
    assert.deepEqual(await ids({ Key: 'PatchState', Values: ['Missing', 'Failed'] }), ['other', 'pkg-b']);
    assert.deepEqual(await ids({ Key: 'Details.DocumentName', Values: ['AWS-RunPatchBaseline'] }), ['pkg-a']);
    assert.deepEqual(await ids({ Key: 'ExecutionType', Values: ['Command'] }), ['other', 'pkg-a', 'pkg-b']);
    assert.deepEqual(await ids({ Key: 'ExecutionId', Values: ['e-9'] }), []);
    assert.deepEqual(
      await ids({ Key: 'ExecutionTime', Values: [at(9).toISOString()], Type: 'GREATER_THAN' }),
      ['other', 'pkg-a', 'pkg-b'],
    );
    assert.deepEqual(
      await ids({ Key: 'ExecutionTime', Values: [String(at(9).getTime() / 1000)], Type: 'LESS_THAN' }),
      [],
    );
    assert.deepEqual(await ids({ Key: 'AWS:InstanceInformation.PlatformType', Values: ['Linux'] }), [
      'other',
      'pkg-a',
      'pkg-b',
    ]);
    assert.deepEqual(await ids({ Key: 'AWS:InstanceInformation.PlatformType', Values: ['Windows'] }), []);
    assert.deepEqual(await ids({ Key: 'InstanceId', Values: [mi2] }), []);
    for (const bad of [
      { Key: 'Bogus', Values: ['x'] },
      { Key: 'AWS:InstanceInformation.Nope', Values: ['x'] },
    ]) {
      assert.throws(
        () => filters(bad),
        (error: unknown) => error instanceof ApiError && error.exceptionName === 'InvalidFilter',
      );
    }
    assert.throws(
      () => filters({ Key: 'Status', Values: ['x'], Type: 'CONTAINS' }),
      (error: unknown) => error instanceof ApiError && error.exceptionName === 'InvalidFilter',
    );
    await rejects(
      run((ctx) => service.listComplianceItems(ctx, { resourceIds: [], filters: [] })),
      'InvalidResourceId',
    );
    await rejects(
      run((ctx) =>
        service.listComplianceItems(ctx, { resourceIds: [mi1], resourceTypes: ['Document'], filters: [] }),
      ),
      'InvalidResourceType',
    );
  });

  it('pages with MaxResults and NextToken, refusing tokens of another request', async () => {
    const items = (body: Record<string, unknown>) =>
      run((ctx) => listVia(complianceRoutes(service), 'ListComplianceItems', 'ComplianceItems', ctx, body));
    const all = await items({ ResourceIds: [mi1] });
    const page1 = await items({ ResourceIds: [mi1], MaxResults: 2 });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.nextToken);
    const page2 = await items({ ResourceIds: [mi1], MaxResults: 2, NextToken: page1.nextToken });
    assert.notDeepEqual(page2.items[0], page1.items[0]);
    const pages = [...page1.items, ...page2.items];
    for (let token = page2.nextToken; token !== undefined;) {
      const next = await items({ ResourceIds: [mi1], MaxResults: 2, NextToken: token });
      pages.push(...next.items);
      token = next.nextToken;
    }
    assert.deepEqual(pages, all.items, 'pages of 2 (ties in ResourceId) add up to the whole list');
    await rejects(
      items({ ResourceIds: [mi2], MaxResults: 2, NextToken: page1.nextToken }),
      'InvalidNextToken',
    );

    const summaries = (body: Record<string, unknown>) =>
      run((ctx) =>
        listVia(
          complianceRoutes(service),
          'ListResourceComplianceSummaries',
          'ResourceComplianceSummaryItems',
          ctx,
          body,
        ),
      );
    const everySet = await summaries({});
    const paged = [];
    let token: string | undefined;
    do {
      const page = await summaries({ MaxResults: 1, ...(token === undefined ? {} : { NextToken: token }) });
      paged.push(...page.items);
      token = page.nextToken;
    } while (token !== undefined);
    assert.deepEqual(paged, everySet.items);
  });

  it('summarizes resources per compliance type, bucketed by overall severity, with filters', async () => {
    const page = await run((ctx) => service.listComplianceSummaries(ctx, { filters: [] }));
    const byType = new Map(page.items.map((summary) => [summary.complianceType, summary]));
    // Patch: mi1 compliant (HIGH). Association: mi2 compliant (UNSPECIFIED). Custom:Filters: mi1 non-compliant CRITICAL.
    assert.equal(byType.get('Patch')?.compliant.HIGH, 1);
    assert.equal(byType.get('Association')?.compliant.UNSPECIFIED, 1);
    assert.equal(byType.get('Custom:Filters')?.nonCompliant.CRITICAL, 1);
    assert.ok(!byType.has('Custom:Test') || byType.get('Custom:Test') !== undefined);
    const nonCompliant = await run((ctx) =>
      service.listComplianceSummaries(ctx, {
        filters: filters({ Key: 'Status', Values: ['NON_COMPLIANT'] }),
      }),
    );
    assert.deepEqual(
      nonCompliant.items.map((s) => s.complianceType),
      ['Custom:Filters'],
    );
    const linux = await run((ctx) =>
      service.listResourceComplianceSummaries(ctx, {
        filters: filters({ Key: 'AWS:InstanceInformation.PlatformType', Values: ['Windows'] }),
      }),
    );
    assert.deepEqual(
      linux.items.map((s) => [s.resourceId, s.complianceType]),
      [[mi2, 'Association']],
    );
    const bySeverity = await run((ctx) =>
      service.listResourceComplianceSummaries(ctx, {
        filters: filters(
          { Key: 'OverallSeverity', Values: ['CRITICAL'] },
          { Key: 'ComplianceType', Values: ['Custom:'], Type: 'BEGIN_WITH' },
        ),
      }),
    );
    assert.deepEqual(
      bySeverity.items.map((s) => s.complianceType),
      ['Custom:Filters'],
    );
    const byDetail = await run((ctx) =>
      service.listResourceComplianceSummaries(ctx, {
        filters: filters({ Key: 'PatchState', Values: ['Failed'] }),
      }),
    );
    assert.deepEqual(
      byDetail.items.map((s) => s.complianceType),
      ['Custom:Filters'],
    );
  });

  it('keeps other accounts’ compliance invisible', async () => {
    await run(
      (ctx) =>
        service.putComplianceItems(
          ctx,
          put({ complianceType: 'Custom:Theirs', items: [item('t', 'NON_COMPLIANT', 'HIGH')] }),
        ),
      { accountId: other },
    );
    assert.deepEqual(
      (await listItems(mi1, [{ Key: 'ComplianceType', Values: ['Custom:Theirs'] }])).items,
      [],
    );
    const mine = await run((ctx) => service.listComplianceSummaries(ctx, { filters: [] }));
    assert.ok(!mine.items.some((s) => s.complianceType === 'Custom:Theirs'));
    const theirs = await run((ctx) => service.listResourceComplianceSummaries(ctx, { filters: [] }), {
      accountId: other,
    });
    assert.deepEqual(
      theirs.items.map((s) => s.complianceType),
      ['Custom:Theirs'],
    );
  });

  it('lets an instance key put compliance only for its own instance', async () => {
    const self = instanceActor(mi2);
    await run(
      (ctx) =>
        service.putComplianceItems(
          ctx,
          put({ resourceId: mi2, complianceType: 'Custom:Self', items: [item('s', 'COMPLIANT')] }),
        ),
      {
        actor: self,
      },
    );
    await rejects(
      run(
        (ctx) =>
          service.putComplianceItems(
            ctx,
            put({ resourceId: mi1, complianceType: 'Custom:Self', items: [item('s', 'COMPLIANT')] }),
          ),
        {
          actor: self,
        },
      ),
      'AccessDeniedException',
    );
    assert.equal(
      (await listItems(mi1, [{ Key: 'ComplianceType', Values: ['Custom:Self'] }])).items.length,
      0,
    );
  });

  it('enforces the resource type, the custom type count and the size limits', async () => {
    await rejects(
      run((ctx) => service.putComplianceItems(ctx, put({ resourceType: 'Document', items: [] }))),
      'InvalidResourceType',
    );
    const resourceId = 'mi-0000000000000000a';
    for (let n = 0; n < complianceLimits.customTypesPerResource; n++) {
      await run((ctx) =>
        service.putComplianceItems(
          ctx,
          put({ resourceId, complianceType: `Custom:T${n}`, items: [item('i', 'COMPLIANT')] }),
        ),
      );
    }
    await rejects(
      run((ctx) =>
        service.putComplianceItems(
          ctx,
          put({ resourceId, complianceType: 'Custom:TooMany', items: [item('i', 'COMPLIANT')] }),
        ),
      ),
      'ComplianceTypeCountLimitExceededException',
    );
    // Rewriting an existing custom type and non-custom types stay possible.
    await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({
          resourceId,
          complianceType: 'Custom:T0',
          executionSummary: { executionTime: at(1), executionId: undefined, executionType: undefined },
          items: [item('j', 'COMPLIANT')],
        }),
      ),
    );
    await run((ctx) =>
      service.putComplianceItems(
        ctx,
        put({ resourceId, complianceType: 'Patch', items: [item('p', 'COMPLIANT')] }),
      ),
    );
    await rejects(
      run((ctx) =>
        service.putComplianceItems(
          ctx,
          put({
            items: [
              item('big', 'COMPLIANT', 'LOW', { DetailedText: 'x'.repeat(complianceLimits.itemBytes) }),
            ],
          }),
        ),
      ),
      'ItemSizeLimitExceededException',
    );
    const many = Array.from({ length: 2000 }, (_, n) =>
      item(`m${n}`, 'COMPLIANT', 'LOW', { a: 'y'.repeat(3000) }),
    );
    await rejects(
      run((ctx) => service.putComplianceItems(ctx, put({ items: many }))),
      'TotalSizeLimitExceededException',
    );
    const parsed = putComplianceItemsSchema.safeParse({
      ResourceId: mi1,
      ResourceType: 'ManagedInstance',
      ComplianceType: 'Custom:X',
      ExecutionSummary: { ExecutionTime: 1780000000 },
      Items: Array.from({ length: complianceLimits.itemsPerCall + 1 }, () => ({
        Severity: 'LOW',
        Status: 'COMPLIANT',
      })),
    });
    assert.equal(parsed.success, false, 'more than 10,000 items is a validation error');
  });

  it('keeps per-execution history: summaries of the last executions, items of the most recent ones', async () => {
    const key = {
      accountId: account,
      region: 'us-east-1',
      resourceType: 'ManagedInstance',
      resourceId: mi1,
      complianceType: 'Custom:History',
    };
    for (let n = 0; n < complianceLimits.executionsWithItemsKept + 2; n++) {
      await run((ctx) =>
        service.putComplianceItems(
          ctx,
          put({
            complianceType: 'Custom:History',
            executionSummary: {
              executionTime: at(100 + n),
              executionId: `run-${n}`,
              executionType: 'Command',
            },
            items: [item('i', n % 2 === 0 ? 'COMPLIANT' : 'NON_COMPLIANT', 'HIGH')],
          }),
        ),
      );
    }
    const executions = await store.listExecutions(db, key);
    assert.equal(executions.length, complianceLimits.executionsWithItemsKept + 2);
    assert.equal(executions[0]?.execution.executionId, `run-${complianceLimits.executionsWithItemsKept + 1}`);
    assert.equal(
      executions.filter((e) => e.items !== undefined).length,
      complianceLimits.executionsWithItemsKept,
    );
    assert.equal(executions[0]?.items?.[0]?.status, 'COMPLIANT');
    assert.equal(executions[1]?.summary.status, 'NON_COMPLIANT');
  });

  it('maps AWS:ComplianceItem inventory rows onto a COMPLETE put of the Context compliance type', async () => {
    await run((ctx) =>
      service.putInventoryComplianceItems(ctx, {
        resourceId: mi2,
        context: {
          ComplianceType: 'Patch',
          ExecutionId: 'snap',
          ExecutionType: 'Command',
          ExecutionTime: '2026-06-01T01:00:00Z',
        },
        rows: [
          {
            Id: 'bash.x86_64',
            Title: 'bash.x86_64:5.1',
            Status: 'NON_COMPLIANT',
            Severity: 'CRITICAL',
            PatchState: 'Missing',
            Classification: 'Security',
          },
        ],
      }),
    );
    const listed = await listItems(mi2, [{ Key: 'ComplianceType', Values: ['Patch'] }]);
    assert.deepEqual(listed.items[0]?.details, { PatchState: 'Missing', Classification: 'Security' });
    assert.equal(listed.items[0]?.execution.executionId, 'snap');
    assert.equal(listed.items[0]?.execution.executionTime.toISOString(), '2026-06-01T01:00:00.000Z');
    await rejects(
      run((ctx) => service.putInventoryComplianceItems(ctx, { resourceId: mi2, context: {}, rows: [] })),
      'InvalidInventoryItemContextException',
    );
    await rejects(
      run((ctx) =>
        service.putInventoryComplianceItems(ctx, {
          resourceId: mi2,
          context: { ComplianceType: 'Patch' },
          rows: [{ Status: 'BAD', Severity: 'LOW' }],
        }),
      ),
      'InvalidItemContentException',
    );
  });

  it('reads the wire request: epoch-second ExecutionTime, empty ExecutionId/Type dropped', () => {
    const parsed = putComplianceItemsSchema.parse({
      ResourceId: mi1,
      ResourceType: 'ManagedInstance',
      ComplianceType: 'Association',
      ExecutionSummary: { ExecutionTime: 1780000000.5, ExecutionId: '', ExecutionType: '' },
      Items: [
        {
          Id: 'a',
          Severity: 'UNSPECIFIED',
          Status: 'COMPLIANT',
          Details: { DocumentName: 'AWS-UpdateSSMAgent' },
        },
      ],
    });
    const request = fromWirePutComplianceItems(parsed);
    assert.equal(request.executionSummary.executionTime.getTime(), 1780000000500);
    assert.equal(request.executionSummary.executionId, undefined);
    assert.equal(request.executionSummary.executionType, undefined);
    assert.equal(
      putComplianceItemsSchema.safeParse({
        ...parsed,
        ComplianceType: 'Bad Type',
        ExecutionSummary: { ExecutionTime: 1 },
      }).success,
      false,
    );
  });
});
