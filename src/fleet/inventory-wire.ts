/** The SSM inventory wire: zod schemas of PutInventory, ListInventoryEntries, GetInventory, GetInventorySchema and mappers. */
import { z } from 'zod';
import { inventoryFilterTypes } from './inventory-filters.js';
import { checkTypeName } from './inventory-item-rules.js';
import { inventoryLimits, type InventoryItemInput, type InventorySchema } from './inventory-model.js';
import type { InventoryEntity, InventoryEntityFilter } from './inventory-ports.js';
import { builtInSchemaOf } from './inventory-schemas.js';
import { ssmError } from '../protocols/ssm/index.js';

const instanceId = z.string().regex(/(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)/);
const attributeMap = z
  .record(z.string().min(1).max(64), z.string().max(4096))
  .refine((entry) => Object.keys(entry).length <= inventoryLimits.attributesPerEntry, {
    message: `An entry has at most ${inventoryLimits.attributesPerEntry} attributes`,
  });

const inventoryItemSchema = z.object({
  TypeName: z
    .string()
    .min(1)
    .max(100)
    .regex(/^(AWS|Custom):.*$/),
  SchemaVersion: z.string().regex(/^([0-9]{1,6})(\.[0-9]{1,6})$/),
  CaptureTime: z
    .string()
    .regex(/^(20)\d\d-(0[1-9]|1[012])-([12]\d|3[01]|0[1-9])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/),
  ContentHash: z.string().max(256).optional(),
  Content: z.array(attributeMap).max(inventoryLimits.entriesPerItem).optional(),
  Context: z.record(z.string(), z.string()).optional(),
});

export const putInventorySchema = z.object({
  InstanceId: instanceId,
  Items: z.array(inventoryItemSchema).min(1).max(inventoryLimits.itemsPerCall),
});

const inventoryFilterSchema = z.object({
  Key: z.string().min(1).max(200),
  Values: z.array(z.string()).min(1).max(40),
  Type: z.enum(inventoryFilterTypes).optional(),
});

export const listInventoryEntriesSchema = z.object({
  InstanceId: instanceId,
  TypeName: z.string().min(1).max(100),
  Filters: z.array(inventoryFilterSchema).min(1).max(5).optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
});

export const getInventorySchema = z.object({
  Filters: z.array(inventoryFilterSchema).min(1).max(5).optional(),
  Aggregators: z.array(z.unknown()).optional(),
  ResultAttributes: z
    .array(z.object({ TypeName: z.string().min(1).max(100) }))
    .min(1)
    .max(1)
    .optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
});

export const getInventorySchemaSchema = z.object({
  TypeName: z.string().max(100).optional(),
  Aggregator: z.boolean().optional(),
  SubType: z.boolean().optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(50).max(200).optional(),
});

/** The domain items of a validated PutInventory body. */
export function fromWireInventoryItems(input: z.output<typeof putInventorySchema>): InventoryItemInput[] {
  return input.Items.map((item) => ({
    typeName: item.TypeName,
    schemaVersion: item.SchemaVersion,
    captureTime: item.CaptureTime,
    contentHash: item.ContentHash === '' ? undefined : item.ContentHash,
    content: item.Content,
    context: item.Context,
  }));
}

/** A ListInventoryEntries filter on one attribute of the type (Type defaults to Equal). */
export function fromWireEntryFilters(filters: z.output<typeof inventoryFilterSchema>[] | undefined) {
  return (filters ?? []).map((filter) => ({
    attribute: filter.Key,
    values: filter.Values,
    type: filter.Type ?? 'Equal',
  }));
}

/** GetInventory filters: `<TypeName>.<Attribute>` (the type name may itself contain dots, so split at the last one). */
export function fromWireEntityFilters(
  filters: z.output<typeof inventoryFilterSchema>[] | undefined,
): InventoryEntityFilter[] {
  return (filters ?? []).map((filter) => {
    const dot = filter.Key.lastIndexOf('.');
    const typeName = dot <= 0 ? '' : filter.Key.slice(0, dot);
    const attribute = filter.Key.slice(dot + 1);
    try {
      checkTypeName(typeName);
    } catch {
      throw ssmError(
        'InvalidFilter',
        `The filter key ${filter.Key} is not <TypeName>.<Attribute> of a known type.`,
      );
    }
    const schema = builtInSchemaOf(typeName);
    if (attribute === '' || (schema !== undefined && !schema.attributes.some((a) => a.name === attribute))) {
      throw ssmError('InvalidFilter', `${attribute} is not an attribute of ${typeName}.`);
    }
    return { typeName, filter: { attribute, values: filter.Values, type: filter.Type ?? 'Equal' } };
  });
}

/** An `InventoryResultEntity`. */
export function toWireEntity(entity: InventoryEntity): Record<string, unknown> {
  const { item } = entity;
  return {
    Id: entity.instanceId,
    Data: {
      [item.typeName]: {
        TypeName: item.typeName,
        SchemaVersion: item.schemaVersion,
        CaptureTime: item.captureTime,
        ...(item.contentHash === undefined ? {} : { ContentHash: item.contentHash }),
        Content: item.content,
      },
    },
  };
}

/** An `InventoryItemSchema`. */
export function toWireSchema(schema: InventorySchema): Record<string, unknown> {
  return {
    TypeName: schema.typeName,
    Version: schema.version,
    Attributes: schema.attributes.map((attribute) => ({
      Name: attribute.name,
      DataType: attribute.dataType,
    })),
    ...(schema.displayName === undefined ? {} : { DisplayName: schema.displayName }),
  };
}
