/** Patch state lists page in SQL across page boundaries: every row once, in key order, with filters applied. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { ComplianceStore, complianceFacts } from '../compliance/index.js';
import { FleetStore, InventoryStore, SsmTagStore, fleetFacts, type ManagedInstance } from '../fleet/index.js';
import { keysetPageOf, type SortKey } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { PatchStateService, availablePatchKey } from './patch-state-service.js';
import { patchStateFrom } from './patching-sources.js';

const scope = { accountId: '111122223333', region: 'us-east-1' };
const nodeId = (at: number) => `mi-${String(at).padStart(17, '0')}`;

/** Follows pages of `size` the way ssmListOperation does, collecting every page. */
async function allPages<T>(
  size: number,
  load: (after: SortKey | undefined, limit: number) => Promise<T[]>,
  keyOf: (row: T) => SortKey,
): Promise<T[][]> {
  const pages: T[][] = [];
  let after: SortKey | undefined;
  for (;;) {
    const page = keysetPageOf(await load(after, size + 1), size, keyOf);
    pages.push(page.items);
    if (page.lastKey === undefined) return pages;
    after = page.lastKey;
  }
}

describe('patch state paging (SQL keyset)', () => {
  let db: Db;
  let states: PatchStateService;

  before(async () => {
    db = await openTestDatabase();
    const inventory = new InventoryStore();
    const compliance = new ComplianceStore();
    const facts = fleetFacts(
      { fleet: new FleetStore(), tags: new SsmTagStore(), inventory },
      { pingTimeoutSeconds: 300 },
    );
    states = new PatchStateService(
      patchStateFrom({
        fleet: {
          ...facts,
          liveInstance: () => Promise.resolve({} as ManagedInstance),
          findInstances: (_db, _scope, ids) =>
            Promise.resolve(
              ids.map(
                (instanceId) =>
                  ({
                    instanceId,
                    platformName: instanceId === nodeId(1) ? 'Debian GNU/Linux' : 'Ubuntu',
                    platformVersion: instanceId === nodeId(1) ? '12' : '22.04',
                  }) as ManagedInstance,
              ),
            ),
        },
        compliance: complianceFacts(compliance),
      }),
    );
    await db.transaction().execute(async (tx) => {
      for (let at = 0; at < 25; at += 1) {
        await inventory.saveItem(tx, scope, {
          instanceId: nodeId(at),
          typeName: 'AWS:PatchSummary',
          schemaVersion: '1.0',
          captureTime: '2026-06-01T10:00:00Z',
          contentHash: `h${at}`,
          content: [{ PatchGroup: at % 2 === 0 ? 'even' : 'odd', MissingCount: String(at % 3) }],
          context: undefined,
          updatedAt: new Date(),
        });
      }
      const execution = { executionTime: new Date(), executionId: undefined, executionType: undefined };
      const key = {
        ...scope,
        resourceType: 'ManagedInstance',
        resourceId: nodeId(0),
        complianceType: 'Patch',
      };
      await compliance.insertItems(
        tx,
        key,
        Array.from({ length: 23 }, (_, at) => ({
          key: `pkg${String(at).padStart(2, '0')}.amd64`,
          item: {
            resourceType: 'ManagedInstance',
            resourceId: nodeId(0),
            complianceType: 'Patch',
            id: `pkg${String(at).padStart(2, '0')}.amd64`,
            title: `pkg${at}.amd64:1.0-1`,
            severity: 'UNSPECIFIED' as const,
            status: 'COMPLIANT' as const,
            details: { PatchState: at % 2 === 0 ? 'Missing' : 'Installed', InstalledTime: '' },
            execution,
          },
        })),
      );
      for (const node of [nodeId(2), nodeId(1)]) {
        const title = (at: number) => `lib${String(at).padStart(3, '0')}.amd64:1.0-1`;
        await compliance.insertItems(
          tx,
          { ...scope, resourceType: 'ManagedInstance', resourceId: node, complianceType: 'Patch' },
          Array.from({ length: 150 }, (_, at) => ({
            key: `lib${String(at).padStart(3, '0')}.amd64`,
            item: {
              resourceType: 'ManagedInstance',
              resourceId: node,
              complianceType: 'Patch',
              id: `lib${String(at).padStart(3, '0')}.amd64`,
              title: title(at),
              severity: 'UNSPECIFIED' as const,
              status: 'COMPLIANT' as const,
              details: { Classification: at % 50 === 49 ? 'Rare' : 'Bugfix', PatchSeverity: 'low' },
              execution,
            },
          })),
        );
      }
    });
  });
  after(async () => {
    await db?.destroy();
  });

  it('DescribeInstancePatchStates: listed nodes, 10 a page', async () => {
    const ids = Array.from({ length: 25 }, (_, at) => nodeId(24 - at));
    const pages = await inCtx(db, (ctx) =>
      allPages(
        10,
        (after, limit) => states.instancePatchStates(ctx, ids, { after, limit }),
        (s) => [s.instanceId],
      ),
    );
    assert.deepEqual(
      pages.map((page) => page.length),
      [10, 10, 5],
    );
    assert.deepEqual(
      pages.flat().map((s) => s.instanceId),
      Array.from({ length: 25 }, (_, at) => nodeId(at)),
    );
  });

  it('DescribeInstancePatchStatesForPatchGroup: group and counter filters decide what is on each page', async () => {
    const pages = await inCtx(db, (ctx) =>
      allPages(
        3,
        (after, limit) =>
          states.instancePatchStatesForPatchGroup(
            ctx,
            'even',
            [{ key: 'MissingCount', value: 0, type: 'GreaterThan' }],
            { after, limit },
          ),
        (s) => [s.instanceId],
      ),
    );
    const expected = [2, 4, 8, 10, 14, 16, 20, 22].map(nodeId);
    assert.deepEqual(
      pages.map((page) => page.length),
      [3, 3, 2],
    );
    assert.deepEqual(
      pages.flat().map((s) => s.instanceId),
      expected,
    );
  });

  it('DescribeInstancePatches: a node rows in item order, State filter across pages', async () => {
    const all = await inCtx(db, (ctx) =>
      allPages(
        10,
        (after, limit) => states.instancePatches(ctx, nodeId(0), [], { after, limit }),
        (r) => r.key,
      ),
    );
    assert.deepEqual(
      all.map((page) => page.length),
      [10, 10, 3],
    );
    const missing = await inCtx(db, (ctx) =>
      allPages(
        5,
        (after, limit) =>
          states.instancePatches(ctx, nodeId(0), [{ key: 'State', values: ['MISSING'] }], { after, limit }),
        (r) => r.key,
      ),
    );
    assert.deepEqual(
      missing.flat().map((r) => r.item.kbId),
      Array.from({ length: 12 }, (_, at) => `pkg${String(at * 2).padStart(2, '0')}.amd64`),
    );
    assert.deepEqual(
      missing.map((page) => page.length),
      [5, 5, 2],
    );
  });

  it('DescribeAvailablePatches: Id then product across title chunks, filters before the cut', async () => {
    const pages = await inCtx(db, (ctx) =>
      allPages(7, (after, limit) => states.availablePatches(ctx, [], { after, limit }), availablePatchKey),
    );
    const keys = pages.flat().map((patch) => `${patch.id}|${patch.product}`);
    // 23 pkg titles of the Ubuntu node 0, 150 lib titles on both an Ubuntu and a Debian node.
    assert.equal(keys.length, 23 + 300);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(keys.slice(6, 9), [
      'lib003.amd64:1.0-1|Debian12',
      'lib003.amd64:1.0-1|Ubuntu22.04',
      'lib004.amd64:1.0-1|Debian12',
    ]);
    assert.ok(pages.slice(0, -1).every((page) => page.length === 7));
    assert.ok(
      keys.includes('lib000.amd64:1.0-1|Debian12') && keys.includes('lib000.amd64:1.0-1|Ubuntu22.04'),
    );
    const rare = await inCtx(db, (ctx) =>
      allPages(
        1,
        (after, limit) =>
          states.availablePatches(
            ctx,
            [
              { key: 'CLASSIFICATION', values: ['rare'] },
              { key: 'PRODUCT', values: ['Debian12'] },
            ],
            { after, limit },
          ),
        availablePatchKey,
      ),
    );
    assert.deepEqual(
      rare.flat().map((patch) => patch.name),
      ['lib049', 'lib099', 'lib149'],
    );
  });
});
