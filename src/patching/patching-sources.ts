/**
 * The ports patching reads other capabilities through (managed nodes and their inventory from the fleet, Patch
 * compliance rows), and the patch instance and patch state sources built on them. The composition root plugs
 * each capability's facade in.
 */
import type { ComplianceFacts } from '../compliance/index.js';
import type { ManagedInstance } from '../fleet/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { PatchInstanceSource } from './baseline-service.js';
import { nodePlatformOf, patchGroupOfTags } from './patching-model.js';
import type { PatchStateSource, PatchSummaryReport } from './patch-state.js';
import type { PatchScope } from './patching-store.js';

/** Managed nodes, their SSM tags and inventory. */
export interface PatchingFleetPort {
  liveInstance(db: DbExecutor, scope: PatchScope, instanceId: string): Promise<ManagedInstance | undefined>;
  findInstances(
    db: DbExecutor,
    scope: PatchScope,
    instanceIds: readonly string[],
  ): Promise<ManagedInstance[]>;
  liveInstanceTags(
    db: DbExecutor,
    scope: PatchScope,
    instanceId: string,
  ): Promise<Record<string, string> | undefined>;
  inventoryContentPage(
    db: DbExecutor,
    scope: PatchScope,
    typeName: string,
    page: {
      instanceIds?: readonly string[] | undefined;
      after?: string | undefined;
      limit?: number | undefined;
    },
  ): Promise<{ instanceId: string; content: readonly Readonly<Record<string, string>>[] }[]>;
}

/** Managed nodes' Patch compliance items, read a page or a few titles at a time (compliance's facade fits it). */
export type PatchingCompliancePort = Pick<
  ComplianceFacts,
  'nodeItemTitles' | 'nodeItemsTitled' | 'resourceItemPage'
>;

/** Managed nodes for snapshots: platform from the agent's facts, patch group from the node's tags. */
export function patchInstancesFrom(fleet: PatchingFleetPort): PatchInstanceSource {
  return {
    async findInstance(db, scope, instanceId) {
      const instance = await fleet.liveInstance(db, scope, instanceId);
      if (instance === undefined) return undefined;
      const tags = (await fleet.liveInstanceTags(db, scope, instanceId)) ?? {};
      return {
        platform: nodePlatformOf(instance.platformName ?? '', instance.platformVersion ?? ''),
        patchGroup: patchGroupOfTags(tags),
      };
    },
  };
}

/** Patch state: each node's latest AWS:PatchSummary from inventory, per-patch rows from its Patch compliance set. */
export function patchStateFrom(ports: {
  fleet: PatchingFleetPort;
  compliance: PatchingCompliancePort;
}): PatchStateSource {
  const { fleet, compliance } = ports;
  return {
    async patchSummaries(db, scope, query) {
      const after = query.after?.[0];
      const items = await fleet.inventoryContentPage(db, scope, 'AWS:PatchSummary', {
        instanceIds: query.instanceIds,
        after: after === undefined ? undefined : String(after),
        limit: query.limit,
      });
      const reports: PatchSummaryReport[] = [];
      for (const item of items) {
        const first = item.content[0];
        if (first !== undefined) reports.push({ instanceId: item.instanceId, attributes: first });
      }
      return reports;
    },
    async patchRows(db, scope, instanceId, page) {
      if ((await fleet.liveInstance(db, scope, instanceId)) === undefined) return undefined;
      const items = await compliance.resourceItemPage(db, scope, instanceId, ['Patch'], page);
      return items.map(({ key, item }) => ({
        key,
        row: {
          ...item.details,
          ...(item.id === undefined ? {} : { Id: item.id }),
          Title: item.title,
          Status: item.status,
          Severity: item.severity,
        },
      }));
    },
    reportedPatchTitles: (db, scope, query) =>
      compliance.nodeItemTitles(db, scope, { complianceTypes: ['Patch'], ...query }),
    async fleetPatchRows(db, scope, titles) {
      const items = await compliance.nodeItemsTitled(db, scope, { complianceTypes: ['Patch'], titles });
      const products = new Map<string, string>();
      const nodeIds = [...new Set(items.map((item) => item.resourceId))];
      for (const instance of nodeIds.length === 0 ? [] : await fleet.findInstances(db, scope, nodeIds)) {
        const platform = nodePlatformOf(instance.platformName ?? '', instance.platformVersion ?? '');
        if (instance.deregisteredAt === undefined && platform !== undefined)
          products.set(instance.instanceId, platform.product);
      }
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
