/** SSM inventory: items, entries, stored items and limits, and the content hash of an item. */
import { createHash } from 'node:crypto';

/** One inventory entry: attribute name → string value (numbers too are strings on the wire). */
export type InventoryEntry = Readonly<Record<string, string>>;

/** An attribute of a type's schema. */
export interface InventoryAttribute {
  name: string;
  dataType: 'string' | 'number';
}

/** A built-in (AWS:) or seen custom (Custom:) inventory type. */
export interface InventorySchema {
  typeName: string;
  version: string;
  attributes: InventoryAttribute[];
  displayName?: string | undefined;
}

/** One item of a PutInventory call. */
export interface InventoryItemInput {
  typeName: string;
  schemaVersion: string;
  captureTime: string;
  contentHash: string | undefined;
  /** Undefined when the caller sent no Content (a hash-only re-upload, or an empty item). */
  content: InventoryEntry[] | undefined;
  context: Readonly<Record<string, string>> | undefined;
}

/** The latest stored item of one type on one instance. */
export interface StoredInventoryItem {
  instanceId: string;
  typeName: string;
  schemaVersion: string;
  captureTime: string;
  contentHash: string;
  content: InventoryEntry[];
  context: Record<string, string> | undefined;
  /** When the content last changed. */
  contentUpdatedAt: Date;
  /** When the item was last put (hash-only re-uploads included): the freshness controls read. */
  updatedAt: Date;
}

/** Limits: model constraints (spec §11) and Bulwark's own size limits (AWS publishes none; the agent caps 3 MB/10 MB). */
export const inventoryLimits = {
  itemsPerCall: 30,
  entriesPerItem: 10_000,
  attributesPerEntry: 50,
  customTypesPerAccount: 20,
  /** Serialized Content of one item. */
  itemBytes: 2 * 1024 * 1024,
  /** Serialized Content of all items of one call (under the server's 6 MiB request limit). */
  totalBytes: 5 * 1024 * 1024,
} as const;

/** The synthesized type: the fleet's registration and heartbeat facts, never put by clients. */
export const instanceInformationTypeName = 'AWS:InstanceInformation';

/** The hash Bulwark stores for content sent without one: hex SHA-256 of its JSON. */
export function contentHashOf(content: readonly InventoryEntry[]): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The attribute names used across `content`, sorted. */
export function attributeNamesOf(content: readonly InventoryEntry[]): string[] {
  const names = new Set<string>();
  for (const entry of content) for (const name of Object.keys(entry)) names.add(name);
  return [...names].sort();
}
