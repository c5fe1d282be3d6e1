/** Adapters that feed the patching capability from fleet (nodes, tags), inventory and compliance. */
import type { ComplianceStore } from '../compliance/index.js';
import type { FleetStore, InventoryStore, SsmTagStore } from '../fleet/index.js';
import {
  nodePlatformOf,
  patchGroupOfTags,
  type PatchInstanceSource,
  type PatchStateSource,
  type PatchSummaryReport,
} from '../patching/index.js';

/** Managed nodes for snapshots: platform from the agent's facts, patch group from the node's tags. */
export function fleetPatchInstances(fleet: FleetStore, tags: SsmTagStore): PatchInstanceSource {
  return {
    async findInstance(db, scope, instanceId) {
      const instance = await fleet.findInstance(db, scope.accountId, scope.region, instanceId);
      if (instance === undefined || instance.deregisteredAt !== undefined) return undefined;
      const tagList = await tags.list(db, {
        ...scope,
        resourceType: 'ManagedInstance',
        resourceId: instanceId,
      });
      return {
        platform: nodePlatformOf(instance.platformName ?? '', instance.platformVersion ?? ''),
        patchGroup: patchGroupOfTags(Object.fromEntries(tagList.map((tag) => [tag.key, tag.value]))),
      };
    },
  };
}

/** Patch state: each node's latest AWS:PatchSummary from inventory, per-patch rows from its Patch compliance set. */
export function inventoryPatchState(
  inventory: InventoryStore,
  compliance: ComplianceStore,
  fleet: FleetStore,
): PatchStateSource {
  return {
    async patchSummaries(db, scope, instanceIds) {
      const items = await inventory.itemsOfType(db, scope, 'AWS:PatchSummary', instanceIds);
      const reports: PatchSummaryReport[] = [];
      for (const item of items) {
        const first = item.content[0];
        if (first !== undefined) reports.push({ instanceId: item.instanceId, attributes: first });
      }
      return reports;
    },
    async patchRows(db, scope, instanceId) {
      const instance = await fleet.findInstance(db, scope.accountId, scope.region, instanceId);
      if (instance === undefined || instance.deregisteredAt !== undefined) return undefined;
      const items = await compliance.listItems(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceIds: [instanceId],
        complianceTypes: ['Patch'],
      });
      return items.map((item) => ({
        ...item.details,
        ...(item.id === undefined ? {} : { Id: item.id }),
        Title: item.title,
        Status: item.status,
        Severity: item.severity,
      }));
    },
    async fleetPatchRows(db, scope) {
      const products = new Map<string, string>();
      for (const instance of await fleet.listInstances(db, scope.accountId, scope.region, false)) {
        const platform = nodePlatformOf(instance.platformName ?? '', instance.platformVersion ?? '');
        if (platform !== undefined) products.set(instance.instanceId, platform.product);
      }
      if (products.size === 0) return [];
      const items = await compliance.listItems(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceTypes: ['ManagedInstance'],
        complianceTypes: ['Patch'],
      });
      return items.flatMap((item) => {
        const product = products.get(item.resourceId);
        return product === undefined
          ? []
          : [
              {
                product,
                row: {
                  ...item.details,
                  ...(item.id === undefined ? {} : { Id: item.id }),
                  Title: item.title,
                },
              },
            ];
      });
    },
  };
}
