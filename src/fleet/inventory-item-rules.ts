/** The rules a PutInventory item must pass (spec §3.1): type names, schema versions, Context and built-in attributes. */
import { ssmError } from '../protocols/ssm/index.js';
import { instanceInformationTypeName, type InventoryItemInput } from './inventory-model.js';
import { builtInSchemaOf } from './inventory-schemas.js';
import { isNumberValue } from './inventory-filters.js';

/** `Custom:` + a name of letters, digits and `_ - . :` (what the User Guide's examples use). */
export const customTypeNamePattern = /^Custom:[A-Za-z0-9_\-.:]{1,93}$/;

export const isCustomTypeName = (typeName: string): boolean => typeName.startsWith('Custom:');

/** Whether `typeName` names a type Bulwark knows: a built-in one or a well-formed custom one. */
export function checkTypeName(typeName: string): void {
  if (builtInSchemaOf(typeName) !== undefined) return;
  if (isCustomTypeName(typeName) && customTypeNamePattern.test(typeName)) return;
  throw ssmError('InvalidTypeNameException', `The type name ${typeName} is not valid.`);
}

/** The context keys AWS:ComplianceItem accepts. */
export const complianceItemContextKeys = ['ComplianceType', 'ExecutionId', 'ExecutionType', 'ExecutionTime'];

/**
 * Checks one PutInventory item against the type rules (spec §3.1): type name, schema version, Context, and for
 * built-in types the attribute names and number attributes.
 */
export function checkInventoryItem(item: InventoryItemInput): void {
  checkTypeName(item.typeName);
  if (item.typeName === instanceInformationTypeName) {
    throw ssmError(
      'InvalidTypeNameException',
      `${instanceInformationTypeName} is collected by the service from the instance's registration and heartbeats.`,
    );
  }
  const schema = builtInSchemaOf(item.typeName);
  if (schema !== undefined && schema.version !== item.schemaVersion) {
    throw ssmError(
      'UnsupportedInventorySchemaVersionException',
      `Schema version ${item.schemaVersion} of ${item.typeName} is not supported; use ${schema.version}.`,
    );
  }
  if (item.context !== undefined && Object.keys(item.context).length > 0) {
    if (item.typeName !== 'AWS:ComplianceItem') {
      throw ssmError(
        'UnsupportedInventoryItemContextException',
        `Context is supported only for AWS:ComplianceItem, not ${item.typeName}.`,
      );
    }
    const unknown = Object.keys(item.context).find((key) => !complianceItemContextKeys.includes(key));
    if (unknown !== undefined) {
      throw ssmError('InvalidInventoryItemContextException', `Context key ${unknown} is not supported.`);
    }
  }
  if (schema === undefined || item.content === undefined) return;
  const attributes = new Map(schema.attributes.map((attribute) => [attribute.name, attribute]));
  item.content.forEach((entry, index) => {
    for (const [name, value] of Object.entries(entry)) {
      const attribute = attributes.get(name);
      if (attribute === undefined) {
        throw ssmError(
          'InvalidItemContentException',
          `${item.typeName} entry ${index + 1}: attribute ${name} is not in the ${item.typeName} schema.`,
        );
      }
      if (attribute.dataType === 'number' && value !== '' && !isNumberValue(value)) {
        throw ssmError(
          'InvalidItemContentException',
          `${item.typeName} entry ${index + 1}: attribute ${name} must be a number, got '${value}'.`,
        );
      }
    }
  });
}
