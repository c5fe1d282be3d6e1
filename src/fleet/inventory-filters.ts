/** Inventory filters (ListInventoryEntries, GetInventory): how one entry is compared with one filter. */
import type { InventoryEntry } from './inventory-model.js';

/** A number as inventory content writes one: numbers compare as numbers. */
export const isNumberValue = (value: string): boolean => /^-?\d+(\.\d+)?$/.test(value);

export const inventoryFilterTypes = [
  'Equal',
  'NotEqual',
  'BeginWith',
  'LessThan',
  'GreaterThan',
  'Exists',
] as const;
/** How an inventory filter compares. */
export type InventoryFilterType = (typeof inventoryFilterTypes)[number];

/** An inventory filter on one attribute. */
export interface InventoryFilter {
  attribute: string;
  values: string[];
  type: InventoryFilterType;
}

function compareValues(actual: string, wanted: string): number {
  if (isNumberValue(actual) && isNumberValue(wanted)) return Number(actual) - Number(wanted);
  return actual < wanted ? -1 : actual > wanted ? 1 : 0;
}

/** Whether an entry passes a filter: numbers compare as numbers, everything else as strings. */
export function entryMatches(entry: InventoryEntry, filter: InventoryFilter): boolean {
  const actual = entry[filter.attribute];
  switch (filter.type) {
    case 'Exists':
      return actual !== undefined;
    case 'Equal':
      return actual !== undefined && filter.values.includes(actual);
    case 'NotEqual':
      return actual === undefined || !filter.values.includes(actual);
    case 'BeginWith':
      return actual !== undefined && filter.values.some((value) => actual.startsWith(value));
    case 'LessThan':
      return actual !== undefined && filter.values.some((value) => compareValues(actual, value) < 0);
    case 'GreaterThan':
      return actual !== undefined && filter.values.some((value) => compareValues(actual, value) > 0);
  }
}
