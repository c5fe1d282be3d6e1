/** What the inventory capability needs from others (the fleet's instances, compliance) and the shapes it answers with. */
import type { Ctx, Scope, SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { InventoryFilter } from './inventory-filters.js';
import type { InventoryEntry, StoredInventoryItem } from './inventory-model.js';

/** A registered managed instance and its AWS:InstanceInformation attributes. */
export interface InstanceInformation {
  instanceId: string;
  attributes: Readonly<Record<string, string>>;
}

/**
 * The account's registered (live) managed instances and their AWS:InstanceInformation attributes: all of them,
 * or those of `instanceIds` that are registered; or one page of them by instance id. Implemented over the fleet's
 * instances; wired by compose.
 */
export interface InstanceDirectory {
  instanceInformation(
    db: DbExecutor,
    accountId: string,
    region: string,
    instanceIds?: readonly string[],
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>;
  /** Up to `limit` live instances of the scope by instance id, after `after` (`[instanceId]`). */
  pageInstanceInformation(
    db: DbExecutor,
    scope: Scope,
    after: SortKey | undefined,
    limit: number,
  ): Promise<InstanceInformation[]>;
}

/** Where AWS:ComplianceItem inventory goes: the compliance capability (wired by compose). */
export interface InventoryComplianceSink {
  putInventoryComplianceItems(
    ctx: Ctx,
    upload: {
      resourceId: string;
      context: Readonly<Record<string, string>>;
      rows: readonly InventoryEntry[];
    },
  ): Promise<unknown>;
}

/** What a PutInventory did, per type. */
export interface PutInventoryOutcome {
  /** Types whose content was written. */
  written: string[];
  /** Types re-uploaded with an unchanged hash: capture time updated, content kept. */
  unchanged: string[];
}

/** An entry of an item with its position in the item's content: the order ListInventoryEntries pages by. */
export interface PositionedEntry {
  position: number;
  entry: InventoryEntry;
}

/** One instance's item of one type, as ListInventoryEntries answers: its header and a page of its entries. */
export interface InventoryEntries {
  instanceId: string;
  typeName: string;
  schemaVersion: string | undefined;
  captureTime: string | undefined;
  entries: PositionedEntry[];
}

/** A GetInventory filter: `<TypeName>.<Attribute>`. */
export interface InventoryEntityFilter {
  typeName: string;
  filter: InventoryFilter;
}

/** One GetInventory entity: an instance and its item of the requested type. */
export interface InventoryEntity {
  instanceId: string;
  item: Pick<StoredInventoryItem, 'typeName' | 'schemaVersion' | 'captureTime' | 'content'> & {
    contentHash: string | undefined;
  };
}
