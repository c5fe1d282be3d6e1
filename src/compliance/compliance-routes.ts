/** The SSM Compliance operations over awsJson1_1 (`AmazonSSM.*`, IAM `ssm:*`). */
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import { parseComplianceFilters } from './compliance-filters.js';
import type { ComplianceService } from './compliance-service.js';
import {
  fromWirePutComplianceItems,
  listComplianceItemsSchema,
  listComplianceSummariesSchema,
  putComplianceItemsSchema,
  toWireComplianceItem,
  toWireComplianceSummary,
  toWireResourceSummary,
} from './compliance-wire.js';

/** PutComplianceItems, ListComplianceItems, ListComplianceSummaries, ListResourceComplianceSummaries. */
export function complianceRoutes(compliance: ComplianceService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'PutComplianceItems',
      schema: putComplianceItemsSchema,
      // The instance's own ARN, so an instance key's policy (its own managed-instance ARN) decides.
      resource: ({ accountId, region }, input) =>
        `arn:aws:ssm:${region}:${accountId}:managed-instance/${input.ResourceId}`,
      auditParameters: (input) => ({
        ResourceId: input.ResourceId,
        ResourceType: input.ResourceType,
        ComplianceType: input.ComplianceType,
        UploadType: input.UploadType,
        ItemCount: input.Items.length,
      }),
      handle: async (ctx, input) => {
        await compliance.putCallerComplianceItems(ctx, fromWirePutComplianceItems(input));
        return {};
      },
    }),
    ssmListOperation({
      name: 'ListComplianceItems',
      schema: listComplianceItemsSchema,
      resultKey: 'ComplianceItems',
      defaultMaxResults: 50,
      filters: (input) => parseComplianceFilters(input.Filters),
      load: (ctx, { input, filters, after, limit }) =>
        compliance.pageComplianceItems(ctx, {
          resourceIds: input.ResourceIds ?? [],
          resourceTypes: input.ResourceTypes,
          filters,
          after,
          limit,
        }),
      keyOf: (keyed) => keyed.key,
      toWire: (keyed) => toWireComplianceItem(keyed.item),
    }),
    ssmListOperation({
      name: 'ListComplianceSummaries',
      schema: listComplianceSummariesSchema,
      resultKey: 'ComplianceSummaryItems',
      defaultMaxResults: 50,
      filters: (input) => parseComplianceFilters(input.Filters),
      load: async (ctx, { filters, after, limit }) =>
        (await compliance.listComplianceSummaries(ctx, { filters, after, limit })).items,
      keyOf: (summary) => [summary.complianceType],
      toWire: toWireComplianceSummary,
    }),
    ssmListOperation({
      name: 'ListResourceComplianceSummaries',
      schema: listComplianceSummariesSchema,
      resultKey: 'ResourceComplianceSummaryItems',
      defaultMaxResults: 50,
      filters: (input) => parseComplianceFilters(input.Filters),
      load: async (ctx, { filters, after, limit }) =>
        (await compliance.listResourceComplianceSummaries(ctx, { filters, after, limit })).items,
      keyOf: (set) => [set.resourceId, set.resourceType, set.complianceType],
      toWire: toWireResourceSummary,
    }),
  ];
}
