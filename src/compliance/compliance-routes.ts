/** The SSM Compliance operations over awsJson1_1 (`AmazonSSM.*`, IAM `ssm:*`). */
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { ssmService, withNextToken } from '../protocols/ssm/index.js';
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
    awsJsonRoute(ssmService, {
      name: 'ListComplianceItems',
      schema: listComplianceItemsSchema,
      handle: async (ctx, input) => {
        const page = await compliance.listComplianceItems(ctx, {
          resourceIds: input.ResourceIds ?? [],
          resourceTypes: input.ResourceTypes,
          filters: parseComplianceFilters(input.Filters),
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return withNextToken({ ComplianceItems: page.items.map(toWireComplianceItem) }, page.nextToken);
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListComplianceSummaries',
      schema: listComplianceSummariesSchema,
      handle: async (ctx, input) => {
        const page = await compliance.listComplianceSummaries(ctx, {
          filters: parseComplianceFilters(input.Filters),
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return withNextToken(
          { ComplianceSummaryItems: page.items.map(toWireComplianceSummary) },
          page.nextToken,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListResourceComplianceSummaries',
      schema: listComplianceSummariesSchema,
      handle: async (ctx, input) => {
        const page = await compliance.listResourceComplianceSummaries(ctx, {
          filters: parseComplianceFilters(input.Filters),
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return withNextToken(
          { ResourceComplianceSummaryItems: page.items.map(toWireResourceSummary) },
          page.nextToken,
        );
      },
    }),
  ];
}
