/** The SSM inventory operations over awsJson1_1 (`AmazonSSM.*`, IAM `ssm:*`), each list one keyset page. */
import { decodeKeysetToken, encodeKeysetToken, keysetPageOf } from '../kernel/index.js';
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmError, ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { InventoryService } from './inventory-service.js';
import {
  fromWireEntityFilters,
  fromWireEntryFilters,
  fromWireInventoryItems,
  getInventorySchema,
  getInventorySchemaSchema,
  listInventoryEntriesSchema,
  putInventorySchema,
  toWireEntity,
  toWireSchema,
} from './inventory-wire.js';

const invalidToken = () => ssmError('InvalidNextToken', 'The specified token is not valid.');

/** PutInventory, ListInventoryEntries, GetInventory, GetInventorySchema. */
export function inventoryRoutes(inventory: InventoryService): AwsJsonRoute[] {
  return [
    putInventoryRoute(inventory),
    listInventoryEntriesRoute(inventory),
    ...inventoryListRoutes(inventory),
  ];
}

function putInventoryRoute(inventory: InventoryService): AwsJsonRoute {
  return awsJsonRoute(ssmService, {
    name: 'PutInventory',
    schema: putInventorySchema,
    // The instance's own ARN, so an instance key's policy (its own managed-instance ARN) decides.
    resource: ({ accountId, region }, input) =>
      `arn:aws:ssm:${region}:${accountId}:managed-instance/${input.InstanceId}`,
    auditParameters: (input) => ({
      InstanceId: input.InstanceId,
      Items: input.Items.map((item) => ({
        TypeName: item.TypeName,
        SchemaVersion: item.SchemaVersion,
        CaptureTime: item.CaptureTime,
        Entries: item.Content?.length,
      })),
    }),
    handle: async (ctx, input) => {
      const outcome = await inventory.putInventory(ctx, input.InstanceId, fromWireInventoryItems(input));
      return {
        Message: `${outcome.written.length} item(s) updated, ${outcome.unchanged.length} unchanged.`,
      };
    },
  });
}

/**
 * ListInventoryEntries pages by entry position; its response also carries the item's SchemaVersion and
 * CaptureTime, so it cuts its keyset page itself rather than through ssmListOperation.
 */
function listInventoryEntriesRoute(inventory: InventoryService): AwsJsonRoute {
  return awsJsonRoute(ssmService, {
    name: 'ListInventoryEntries',
    schema: listInventoryEntriesSchema,
    handle: async (ctx, input) => {
      const { MaxResults, NextToken, ...requestKey } = input;
      const after = decodeKeysetToken(NextToken, { requestKey, invalidToken });
      const pageSize = MaxResults ?? 50;
      const item = await inventory.listInventoryEntries(ctx, {
        instanceId: input.InstanceId,
        typeName: input.TypeName,
        filters: fromWireEntryFilters(input.Filters),
        after,
        limit: pageSize + 1,
      });
      const page = keysetPageOf(item.entries, pageSize, (row) => [row.position]);
      return {
        TypeName: item.typeName,
        InstanceId: item.instanceId,
        ...(item.schemaVersion === undefined ? {} : { SchemaVersion: item.schemaVersion }),
        ...(item.captureTime === undefined ? {} : { CaptureTime: item.captureTime }),
        Entries: page.items.map((row) => row.entry),
        ...(page.lastKey === undefined ? {} : { NextToken: encodeKeysetToken(page.lastKey, requestKey) }),
      };
    },
  });
}

/** GetInventory (by instance id) and GetInventorySchema (by type name). */
function inventoryListRoutes(inventory: InventoryService): AwsJsonRoute[] {
  return [
    ssmListOperation({
      name: 'GetInventory',
      schema: getInventorySchema,
      resultKey: 'Entities',
      defaultMaxResults: 50,
      // Aggregators summarize the whole fleet rather than page it; Bulwark refuses them.
      filters: (input) => {
        if (input.Aggregators !== undefined && input.Aggregators.length > 0) {
          throw ssmError('InvalidAggregatorException', 'Aggregators are not supported by this server.');
        }
        return fromWireEntityFilters(input.Filters);
      },
      load: (ctx, { input, filters, after, limit }) =>
        inventory.getInventory(ctx, {
          filters,
          resultTypeName: input.ResultAttributes?.[0]?.TypeName,
          after,
          limit,
        }),
      keyOf: (entity) => [entity.instanceId],
      toWire: toWireEntity,
    }),
    ssmListOperation({
      name: 'GetInventorySchema',
      schema: getInventorySchemaSchema,
      resultKey: 'Schemas',
      defaultMaxResults: 200,
      load: (ctx, { input, after, limit }) =>
        inventory.getInventorySchema(ctx, { typeName: input.TypeName, after, limit }),
      keyOf: (schema) => [schema.typeName],
      toWire: toWireSchema,
    }),
  ];
}
