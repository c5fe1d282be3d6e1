/** The SSM inventory operations over awsJson1_1 (`AmazonSSM.*`, IAM `ssm:*`). */
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { withNextToken } from '../protocols/ssm/index.js';
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
import { ssmError, ssmService } from '../protocols/ssm/index.js';

/** PutInventory, ListInventoryEntries, GetInventory, GetInventorySchema. */
export function inventoryRoutes(inventory: InventoryService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
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
    }),
    awsJsonRoute(ssmService, {
      name: 'ListInventoryEntries',
      schema: listInventoryEntriesSchema,
      handle: async (ctx, input) => {
        const page = await inventory.listInventoryEntries(ctx, {
          instanceId: input.InstanceId,
          typeName: input.TypeName,
          filters: fromWireEntryFilters(input.Filters),
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return withNextToken(
          {
            TypeName: page.typeName,
            InstanceId: page.instanceId,
            ...(page.schemaVersion === undefined ? {} : { SchemaVersion: page.schemaVersion }),
            ...(page.captureTime === undefined ? {} : { CaptureTime: page.captureTime }),
            Entries: page.items,
          },
          page.nextToken,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetInventory',
      schema: getInventorySchema,
      handle: async (ctx, input) => {
        if (input.Aggregators !== undefined && input.Aggregators.length > 0) {
          throw ssmError('InvalidAggregatorException', 'Aggregators are not supported by this server.');
        }
        const page = await inventory.getInventory(ctx, {
          filters: fromWireEntityFilters(input.Filters),
          resultTypeName: input.ResultAttributes?.[0]?.TypeName,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return withNextToken({ Entities: page.items.map(toWireEntity) }, page.nextToken);
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetInventorySchema',
      schema: getInventorySchemaSchema,
      handle: async (ctx, input) => {
        const page = await inventory.getInventorySchema(ctx, {
          typeName: input.TypeName,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return withNextToken({ Schemas: page.items.map(toWireSchema) }, page.nextToken);
      },
    }),
  ];
}
