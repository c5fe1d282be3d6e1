/** The restJson1 routes of the insight operations. */
import {
  bodyWithLabels,
  hubArnOf,
  securityHubOperation,
  withNextToken,
} from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { HubService } from './hub-service.js';
import type { InsightsService } from './insights-service.js';
import {
  createInsightSchema,
  getInsightsSchema,
  insightArnSchema,
  toWireInsight,
  toWireInsightResults,
  updateInsightSchema,
} from './insights-wire.js';
import { isManagedInsightArn, managedInsightResource } from './managed-insights.js';

// The IAM resource of an insight call: the insight itself, managed ones placed in the caller's account.
const insightResource = (
  scope: { accountId: string; region: string },
  input: { InsightArn: string },
): string =>
  isManagedInsightArn(input.InsightArn) ? managedInsightResource(input.InsightArn, scope) : input.InsightArn;

/** Routes for CreateInsight, GetInsights, GetInsightResults, UpdateInsight and DeleteInsight. */
export function insightsRoutes(hub: HubService, insights: InsightsService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/insights',
      operation: securityHubOperation(hub, {
        name: 'CreateInsight',
        schema: createInsightSchema,
        resource: (scope) => hubArnOf(scope.region, scope.accountId),
        handle: async (ctx, input) => ({
          InsightArn: await insights.create(ctx, {
            name: input.Name,
            filters: input.Filters,
            groupByAttribute: input.GroupByAttribute,
          }),
        }),
      }),
    },
    {
      method: 'POST',
      path: '/insights/get',
      operation: securityHubOperation(hub, {
        name: 'GetInsights',
        schema: getInsightsSchema,
        handle: async (ctx, input) => {
          const page = await insights.get(ctx, {
            insightArns: input.InsightArns,
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          return withNextToken({ Insights: page.items.map(toWireInsight) }, page.nextToken);
        },
      }),
    },
    {
      method: 'GET',
      path: '/insights/results/{InsightArn+}',
      operation: securityHubOperation(hub, {
        name: 'GetInsightResults',
        schema: insightArnSchema,
        input: (request) => request.labels,
        resource: insightResource,
        handle: async (ctx, input) => ({
          InsightResults: toWireInsightResults(await insights.results(ctx, input.InsightArn)),
        }),
      }),
    },
    {
      method: 'PATCH',
      path: '/insights/{InsightArn+}',
      operation: securityHubOperation(hub, {
        name: 'UpdateInsight',
        schema: updateInsightSchema,
        input: bodyWithLabels,
        resource: insightResource,
        handle: async (ctx, input) => {
          await insights.update(ctx, input.InsightArn, {
            name: input.Name,
            filters: input.Filters,
            groupByAttribute: input.GroupByAttribute,
          });
          return {};
        },
      }),
    },
    {
      method: 'DELETE',
      path: '/insights/{InsightArn+}',
      operation: securityHubOperation(hub, {
        name: 'DeleteInsight',
        schema: insightArnSchema,
        input: (request) => request.labels,
        resource: insightResource,
        handle: async (ctx, input) => ({ InsightArn: await insights.delete(ctx, input.InsightArn) }),
      }),
    },
  ];
}
