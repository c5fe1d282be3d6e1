/**
 * The reads other capabilities make of the fleet: managed nodes, their SSM tags, ping status and inventory
 * (controls, patching and State Manager consume them through ports of their own).
 */
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
  /** The latest inventory items of one type, of the given nodes (all when undefined). */
  inventoryItems(
    db: DbExecutor,
    scope: Scope,
    typeName: string,
    instanceIds?: readonly string[],
  ): Promise<StoredInventoryItem[]>;
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
    inventoryItems: (db, scope, typeName, instanceIds) =>
      stores.inventory.itemsOfType(db, scope, typeName, instanceIds),
    inventoryReportedAt: (db, scope, instanceIds) => stores.inventory.lastReportedAt(db, scope, instanceIds),
  };
}
