/** Persistence of inventory: the latest item per (instance, type), and the custom types seen per account. */
import { inScope } from '../kernel/index.js';
import type { Selectable } from 'kysely';
import type { DbExecutor, InventoryItemsTable } from '../storage/database.js';
import type { InventoryEntry, StoredInventoryItem } from './inventory-model.js';

/** An account in a Region. */
export interface InventoryScope {
  accountId: string;
  region: string;
}

/** A custom type as stored. */
export interface StoredCustomType {
  typeName: string;
  schemaVersion: string;
  attributes: string[];
}

function toItem(row: Selectable<InventoryItemsTable>): StoredInventoryItem {
  return {
    instanceId: row.instance_id,
    typeName: row.type_name,
    schemaVersion: row.schema_version,
    captureTime: row.capture_time,
    contentHash: row.content_hash,
    content: JSON.parse(row.content) as InventoryEntry[],
    context: row.context === null ? undefined : (JSON.parse(row.context) as Record<string, string>),
    contentUpdatedAt: new Date(Number(row.content_updated_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/** Reads and writes inventory; the read methods are what other capabilities (patching, controls) use. */
export class InventoryStore {
  /** The latest item of `typeName` on an instance. */
  async findItem(
    db: DbExecutor,
    scope: InventoryScope,
    instanceId: string,
    typeName: string,
  ): Promise<StoredInventoryItem | undefined> {
    const row = await db
      .selectFrom('inventory_items')
      .selectAll()
      .where(inScope(scope))
      .where('instance_id', '=', instanceId)
      .where('type_name', '=', typeName)
      .executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  /** The (hash, capture time) of the stored items of an instance, by type: what a put compares with. */
  async hashesOf(db: DbExecutor, scope: InventoryScope, instanceId: string): Promise<Map<string, string>> {
    const rows = await db
      .selectFrom('inventory_items')
      .select(['type_name', 'content_hash'])
      .where(inScope(scope))
      .where('instance_id', '=', instanceId)
      .execute();
    return new Map(rows.map((row) => [row.type_name, row.content_hash]));
  }

  /** The latest items of `typeName` across the account's instances (all, or those listed), by instance id. */
  async itemsOfType(
    db: DbExecutor,
    scope: InventoryScope,
    typeName: string,
    instanceIds?: readonly string[],
  ): Promise<StoredInventoryItem[]> {
    let query = db
      .selectFrom('inventory_items')
      .selectAll()
      .where(inScope(scope))
      .where('type_name', '=', typeName);
    if (instanceIds !== undefined) {
      if (instanceIds.length === 0) return [];
      query = query.where('instance_id', 'in', [...instanceIds]);
    }
    return (await query.orderBy('instance_id').execute()).map(toItem);
  }

  /** When each instance (all, or those listed) last uploaded inventory of any type; hash-only re-uploads count. */
  async lastReportedAt(
    db: DbExecutor,
    scope: InventoryScope,
    instanceIds?: readonly string[],
  ): Promise<Map<string, Date>> {
    let query = db
      .selectFrom('inventory_items')
      .select((eb) => ['instance_id', eb.fn.max('updated_at').as('last')])
      .where(inScope(scope));
    if (instanceIds !== undefined) {
      if (instanceIds.length === 0) return new Map();
      query = query.where('instance_id', 'in', [...instanceIds]);
    }
    const rows = await query.groupBy('instance_id').execute();
    return new Map(rows.map((row) => [row.instance_id, new Date(Number(row.last))]));
  }

  /** Writes an item's new content (insert or replace). */
  async saveItem(
    db: DbExecutor,
    scope: InventoryScope,
    item: Omit<StoredInventoryItem, 'contentUpdatedAt'>,
  ): Promise<void> {
    const content = JSON.stringify(item.content);
    const values = {
      schema_version: item.schemaVersion,
      capture_time: item.captureTime,
      content_hash: item.contentHash,
      content,
      context: item.context === undefined ? null : JSON.stringify(item.context),
      entry_count: item.content.length,
      content_bytes: Buffer.byteLength(content),
      content_updated_at: item.updatedAt.getTime(),
      updated_at: item.updatedAt.getTime(),
    };
    await db
      .insertInto('inventory_items')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        instance_id: item.instanceId,
        type_name: item.typeName,
        ...values,
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'instance_id', 'type_name']).doUpdateSet(values),
      )
      .execute();
  }

  /** A hash-only re-upload: the content stays, the capture time and freshness move. */
  async touchItem(
    db: DbExecutor,
    scope: InventoryScope,
    key: { instanceId: string; typeName: string; schemaVersion: string; captureTime: string; now: Date },
  ): Promise<void> {
    await db
      .updateTable('inventory_items')
      .set({
        capture_time: key.captureTime,
        schema_version: key.schemaVersion,
        updated_at: key.now.getTime(),
      })
      .where(inScope(scope))
      .where('instance_id', '=', key.instanceId)
      .where('type_name', '=', key.typeName)
      .execute();
  }

  /** The custom types of the account. */
  async customTypes(db: DbExecutor, scope: InventoryScope): Promise<StoredCustomType[]> {
    const rows = await db
      .selectFrom('inventory_custom_types')
      .select(['type_name', 'schema_version', 'attributes'])
      .where(inScope(scope))
      .orderBy('type_name')
      .execute();
    return rows.map((row) => ({
      typeName: row.type_name,
      schemaVersion: row.schema_version,
      attributes: JSON.parse(row.attributes) as string[],
    }));
  }

  /** Records a custom type's version and attribute names (insert or replace). */
  async saveCustomType(
    db: DbExecutor,
    scope: InventoryScope,
    type: StoredCustomType,
    now: Date,
  ): Promise<void> {
    const values = {
      schema_version: type.schemaVersion,
      attributes: JSON.stringify(type.attributes),
      updated_at: now.getTime(),
    };
    await db
      .insertInto('inventory_custom_types')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        type_name: type.typeName,
        created_at: now.getTime(),
        ...values,
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'type_name']).doUpdateSet(values))
      .execute();
  }

  /** Removes an instance's inventory (deregistration). */
  async purgeInstance(db: DbExecutor, scope: InventoryScope, instanceId: string): Promise<void> {
    await db
      .deleteFrom('inventory_items')
      .where(inScope(scope))
      .where('instance_id', '=', instanceId)
      .execute();
  }
}
