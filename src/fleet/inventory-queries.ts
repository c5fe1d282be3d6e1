/**
 * The inventory reads: ListInventoryEntries (one item's entries by position), GetInventory (instances by id,
 * filtered on any type's entries) and GetInventorySchema (built-in and custom types by name), each one keyset page.
 */
import { keysetSlice, type Ctx, type Scope, type SortKey } from '../kernel/index.js';
import { loadFiltered, ssmError } from '../protocols/ssm/index.js';
import { entryMatches, type InventoryFilter } from './inventory-filters.js';
import { checkTypeName } from './inventory-item-rules.js';
import {
  instanceInformationTypeName,
  type InventorySchema,
  type StoredInventoryItem,
} from './inventory-model.js';
import type {
  InstanceDirectory,
  InstanceInformation,
  InventoryEntity,
  InventoryEntityFilter,
  InventoryEntries,
} from './inventory-ports.js';
import { builtInSchemaOf, builtInSchemas, customSchemaOf } from './inventory-schemas.js';
import type { InventoryStore } from './inventory-store.js';

/** A page request: rows strictly after `after`, at most `limit` of them. */
export interface PageRequest {
  after?: SortKey | undefined;
  limit?: number | undefined;
}

const everything = Number.MAX_SAFE_INTEGER;

/** Up to `limit` rows of a short sorted list in memory after `after`. */
function pageOf<T>(rows: readonly T[], page: PageRequest, keyOf: (row: T) => SortKey): T[] {
  const limit = page.limit ?? everything;
  return keysetSlice(rows, page.after, limit, keyOf).slice(0, limit);
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the CaptureTime format. */
const captureTimeOf = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** AWS:InstanceInformation of an instance, from the fleet's registration and heartbeat facts. */
export function synthesizedItem(
  instanceId: string,
  information: Readonly<Record<string, string>>,
  now: Date,
): StoredInventoryItem {
  return {
    instanceId,
    typeName: instanceInformationTypeName,
    schemaVersion: '1.0',
    captureTime: captureTimeOf(now),
    contentHash: '',
    content: [information],
    context: undefined,
    contentUpdatedAt: now,
    updatedAt: now,
  };
}

const scopeOf = (ctx: Ctx): Scope => ({ accountId: ctx.accountId, region: ctx.region });

/** Reads inventory for the SSM list operations; every method runs in the caller's transaction. */
export class InventoryQueries {
  constructor(
    private readonly store: InventoryStore,
    private readonly directory: InstanceDirectory,
  ) {}

  /**
   * ListInventoryEntries: the entries of one type on one instance that pass every filter, by their position in
   * the item. One item is one row bounded by inventoryLimits (entries and bytes), so its entries are filtered and
   * cut in memory after the single-row read.
   */
  async entries(
    ctx: Ctx,
    query: { instanceId: string; typeName: string; filters: readonly InventoryFilter[] } & PageRequest,
  ): Promise<InventoryEntries> {
    checkTypeName(query.typeName);
    const item = await this.itemOf(ctx, query.instanceId, query.typeName);
    const schema = builtInSchemaOf(query.typeName);
    for (const filter of query.filters) {
      if (
        schema !== undefined &&
        !schema.attributes.some((attribute) => attribute.name === filter.attribute)
      ) {
        throw ssmError('InvalidFilter', `${filter.attribute} is not an attribute of ${query.typeName}.`);
      }
    }
    const passing = (item?.content ?? [])
      .map((entry, position) => ({ position, entry }))
      .filter(({ entry }) => query.filters.every((filter) => entryMatches(entry, filter)));
    return {
      instanceId: query.instanceId,
      typeName: query.typeName,
      schemaVersion: item?.schemaVersion,
      captureTime: item?.captureTime,
      entries: pageOf(passing, query, (row) => [row.position]),
    };
  }

  /**
   * GetInventory: the account's managed instances by id that pass every filter (each filter: some entry of its
   * type matches), with their item of `resultTypeName` (default AWS:InstanceInformation); instances without one
   * are left out. Instances are read in id order in chunks and filtered before the page is cut: the filters
   * compare inside stored JSON content (and the synthesized AWS:InstanceInformation), which SQL does not see.
   */
  async entities(
    ctx: Ctx,
    query: { filters: readonly InventoryEntityFilter[]; resultTypeName?: string | undefined } & PageRequest,
  ): Promise<InventoryEntity[]> {
    const resultTypeName = query.resultTypeName ?? instanceInformationTypeName;
    try {
      checkTypeName(resultTypeName);
    } catch {
      throw ssmError(
        'InvalidResultAttributeException',
        `The result attribute ${resultTypeName} is not valid.`,
      );
    }
    const kept = await loadFiltered(
      { after: query.after, limit: query.limit ?? everything },
      (after, limit) => this.directory.pageInstanceInformation(ctx.tx, scopeOf(ctx), after, limit),
      (instance) => [instance.instanceId],
      (chunk) => this.passing(ctx, chunk, query.filters, resultTypeName),
    );
    return this.resultItems(ctx, kept, resultTypeName);
  }

  /**
   * GetInventorySchema: built-in types and the account's custom types (at most inventoryLimits.customTypesPerAccount),
   * optionally those starting with `typeName`, by type name; a short list, cut in memory.
   */
  async schemas(
    ctx: Ctx,
    query: { typeName?: string | undefined } & PageRequest,
  ): Promise<InventorySchema[]> {
    if (query.typeName !== undefined && !/^(AWS|Custom):/.test(query.typeName)) {
      throw ssmError('InvalidTypeNameException', `The type name ${query.typeName} is not valid.`);
    }
    const custom = (await this.store.customTypes(ctx.tx, scopeOf(ctx))).map((type) =>
      customSchemaOf(type.typeName, type.schemaVersion, type.attributes),
    );
    const schemas = [...builtInSchemas, ...custom]
      .filter((schema) => query.typeName === undefined || schema.typeName.startsWith(query.typeName))
      .sort((a, b) => (a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0));
    return pageOf(schemas, query, (schema) => [schema.typeName]);
  }

  /** The registered instance's item of `typeName` (synthesized for AWS:InstanceInformation); InvalidInstanceId if unregistered. */
  async itemOf(ctx: Ctx, instanceId: string, typeName: string): Promise<StoredInventoryItem | undefined> {
    const information = await this.requireInstance(ctx, instanceId);
    if (typeName === instanceInformationTypeName) return synthesizedItem(instanceId, information, ctx.now);
    return this.store.findItem(ctx.tx, scopeOf(ctx), instanceId, typeName);
  }

  /** The AWS:InstanceInformation of a registered instance of the account; InvalidInstanceId otherwise. */
  async requireInstance(ctx: Ctx, instanceId: string): Promise<Readonly<Record<string, string>>> {
    const found = (
      await this.directory.instanceInformation(ctx.tx, ctx.accountId, ctx.region, [instanceId])
    ).get(instanceId);
    if (found === undefined) {
      throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    }
    return found;
  }

  /** The instances of `chunk` that pass every filter and hold an item of `resultTypeName`. */
  private async passing(
    ctx: Ctx,
    chunk: InstanceInformation[],
    filters: readonly InventoryEntityFilter[],
    resultTypeName: string,
  ): Promise<InstanceInformation[]> {
    let candidates = chunk;
    const typeNames = [...filters.map((filter) => filter.typeName), resultTypeName];
    for (const typeName of typeNames) {
      if (candidates.length === 0) break;
      const items = await this.itemsOf(ctx, candidates, typeName);
      const wanted = filters.filter((filter) => filter.typeName === typeName).map((filter) => filter.filter);
      const passing = new Set(
        items
          .filter((item) =>
            wanted.every((filter) => item.content.some((entry) => entryMatches(entry, filter))),
          )
          .map((item) => item.instanceId),
      );
      candidates = candidates.filter((instance) => passing.has(instance.instanceId));
    }
    return candidates;
  }

  /** The items of `typeName` of the listed instances (AWS:InstanceInformation synthesized), by instance id. */
  private async itemsOf(
    ctx: Ctx,
    instances: readonly InstanceInformation[],
    typeName: string,
  ): Promise<StoredInventoryItem[]> {
    if (typeName === instanceInformationTypeName) {
      return instances.map((instance) => synthesizedItem(instance.instanceId, instance.attributes, ctx.now));
    }
    const ids = instances.map((instance) => instance.instanceId);
    return this.store.itemsOfType(ctx.tx, scopeOf(ctx), typeName, ids);
  }

  private async resultItems(
    ctx: Ctx,
    instances: readonly InstanceInformation[],
    resultTypeName: string,
  ): Promise<InventoryEntity[]> {
    const items = await this.itemsOf(ctx, instances, resultTypeName);
    return items.map((item) => ({
      instanceId: item.instanceId,
      item: {
        typeName: item.typeName,
        schemaVersion: item.schemaVersion,
        captureTime: item.captureTime,
        content: item.content,
        contentHash: item.contentHash === '' ? undefined : item.contentHash,
      },
    }));
  }
}
