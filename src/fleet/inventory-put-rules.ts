/** The whole-call rules of PutInventory: one item per type, each item valid, and the size and custom-type limits. */
import { ssmError } from '../protocols/ssm/index.js';
import { checkInventoryItem, isCustomTypeName } from './inventory-item-rules.js';
import { inventoryLimits, type InventoryItemInput } from './inventory-model.js';

/** Checks every item and the call's sizes (spec §3.1, §11); throws the first problem. */
export function checkPutItems(items: readonly InventoryItemInput[]): void {
  const seen = new Set<string>();
  let total = 0;
  for (const item of items) {
    if (seen.has(item.typeName)) {
      throw ssmError('InvalidItemContentException', `The type ${item.typeName} appears more than once.`);
    }
    seen.add(item.typeName);
    checkInventoryItem(item);
    const size = item.content === undefined ? 0 : Buffer.byteLength(JSON.stringify(item.content));
    if (size > inventoryLimits.itemBytes) {
      throw ssmError(
        'ItemSizeLimitExceededException',
        `The content of ${item.typeName} is ${size} bytes; the limit is ${inventoryLimits.itemBytes}.`,
      );
    }
    total += size;
  }
  if (total > inventoryLimits.totalBytes) {
    throw ssmError(
      'TotalSizeLimitExceededException',
      `The items are ${total} bytes in total; the limit is ${inventoryLimits.totalBytes}.`,
    );
  }
}

/** Refuses a call that would take the account past its custom types limit. */
export function checkCustomTypeCount(
  items: readonly InventoryItemInput[],
  knownCustomTypes: ReadonlySet<string>,
): void {
  const newCustom = items.filter(
    (item) => isCustomTypeName(item.typeName) && !knownCustomTypes.has(item.typeName),
  );
  if (knownCustomTypes.size + newCustom.length > inventoryLimits.customTypesPerAccount) {
    throw ssmError(
      'CustomSchemaCountLimitExceededException',
      `An account can have at most ${inventoryLimits.customTypesPerAccount} custom inventory types.`,
    );
  }
}
