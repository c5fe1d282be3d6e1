/**
 * The reads other capabilities make of the fleet: managed nodes, their SSM tags, ping status and inventory
 * (controls, patching and State Manager consume them through ports of their own).
 */
import { inScope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { StoredInventoryItem } from './inventory-model.js';
import type { InventoryStore } from './inventory-store.js';
import { pingStatusOf, type ManagedInstance, type PingStatus } from './fleet-model.js';
import type { FleetStore } from './fleet-store.js';
import type { SsmTagStore } from './tag-store.js';

type Scope = { accountId: string; region: string };

/** Read-only queries over managed nodes and their inventory, for other capabilities. */
export interface FleetFacts {
  /** Every node of the scope; deregistered ones too when `includeDeregistered`. */
  listInstances(db: DbExecutor, scope: Scope, includeDeregistered: boolean): Promise<ManagedInstance[]>;
  /** The given nodes of the scope that exist, deregistered ones included. */
  findInstances(db: DbExecutor, scope: Scope, instanceIds: readonly string[]): Promise<ManagedInstance[]>;
  /** The node, or undefined when the scope has no such registered (not deregistered) node. */
  liveInstance(db: DbExecutor, scope: Scope, instanceId: string): Promise<ManagedInstance | undefined>;
  /** A live node's SSM tags as a map; undefined when the scope has no such live node. */
  liveInstanceTags(
    db: DbExecutor,
    scope: Scope,
    instanceId: string,
  ): Promise<Record<string, string> | undefined>;
  pingStatus(instance: ManagedInstance, now: Date): PingStatus;
  /** How many nodes of the scope are registered (not deregistered), and how many of those are Online at `now`. */
  countNodes(db: DbExecutor, scope: Scope, now: Date): Promise<{ registered: number; online: number }>;
  /** The latest inventory items of one type, of the given nodes (all when undefined). */
  inventoryItems(
    db: DbExecutor,
    scope: Scope,
    typeName: string,
    instanceIds?: readonly string[],
  ): Promise<StoredInventoryItem[]>;
  /**
   * A page of the non-empty latest inventory items of one type, by instance id: of the given nodes (all when
   * undefined), after `page.after`, at most `page.limit`; each with its content rows.
   */
  inventoryContentPage(
    db: DbExecutor,
    scope: Scope,
    typeName: string,
    page: {
      instanceIds?: readonly string[] | undefined;
      after?: string | undefined;
      limit?: number | undefined;
    },
  ): Promise<{ instanceId: string; content: readonly Readonly<Record<string, string>>[] }[]>;
  /** When each node last uploaded inventory of any type. */
  inventoryReportedAt(
    db: DbExecutor,
    scope: Scope,
    instanceIds?: readonly string[],
  ): Promise<Map<string, Date>>;
}

/** The fleet's queries over its stores. */
export function fleetFacts(
  stores: { fleet: FleetStore; tags: SsmTagStore; inventory: InventoryStore },
  options: { pingTimeoutSeconds: number },
): FleetFacts {
  const liveInstance = async (db: DbExecutor, scope: Scope, instanceId: string) => {
    const instance = await stores.fleet.findInstance(db, scope.accountId, scope.region, instanceId);
    return instance === undefined || instance.deregisteredAt !== undefined ? undefined : instance;
  };
  return {
    listInstances: (db, scope, includeDeregistered) =>
      stores.fleet.listInstances(db, scope.accountId, scope.region, includeDeregistered),
    findInstances: (db, scope, instanceIds) =>
      stores.fleet.findInstances(db, scope.accountId, scope.region, instanceIds),
    liveInstance,
    async liveInstanceTags(db, scope, instanceId) {
      if ((await liveInstance(db, scope, instanceId)) === undefined) return undefined;
      const tags = await stores.tags.list(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceType: 'ManagedInstance',
        resourceId: instanceId,
      });
      return Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
    },
    pingStatus: (instance, now) => pingStatusOf(instance, now, options.pingTimeoutSeconds),
    async countNodes(db, scope, now) {
      // Online exactly as pingStatusOf decides it: a heartbeat within the ping timeout.
      const onlineSince = now.getTime() - options.pingTimeoutSeconds * 1000;
      const row = await db
        .selectFrom('ssm_managed_instances')
        .select((eb) => [
          eb.fn.countAll<number | string>().as('registered'),
          eb.fn
            .sum<number | string | null>(
              eb.case().when('last_ping_at', '>=', onlineSince).then(1).else(0).end(),
            )
            .as('online'),
        ])
        .where(inScope(scope))
        .where('deregistered_at', 'is', null)
        .executeTakeFirst();
      return { registered: Number(row?.registered ?? 0), online: Number(row?.online ?? 0) };
    },
    inventoryItems: (db, scope, typeName, instanceIds) =>
      stores.inventory.itemsOfType(db, scope, typeName, instanceIds),
    async inventoryContentPage(db, scope, typeName, page) {
      if (page.instanceIds !== undefined && page.instanceIds.length === 0) return [];
      let query = db
        .selectFrom('inventory_items')
        .select(['instance_id', 'content'])
        .where(inScope(scope))
        .where('type_name', '=', typeName)
        .where('entry_count', '>', 0);
      if (page.instanceIds !== undefined) query = query.where('instance_id', 'in', [...page.instanceIds]);
      if (page.after !== undefined) query = query.where('instance_id', '>', page.after);
      if (page.limit !== undefined) query = query.limit(page.limit);
      const rows = await query.orderBy('instance_id').execute();
      return rows.map((row) => ({
        instanceId: row.instance_id,
        content: JSON.parse(row.content) as Record<string, string>[],
      }));
    },
    inventoryReportedAt: (db, scope, instanceIds) => stores.inventory.lastReportedAt(db, scope, instanceIds),
  };
}
