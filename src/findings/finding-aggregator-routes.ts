/** The restJson1 routes of CreateFindingAggregator … DeleteFindingAggregator. */
import {
  bodyWithLabels,
  queryInteger,
  queryString,
  securityHubOperation,
  securityHubPageOf,
} from '../protocols/securityhub/index.js';
import { z } from 'zod';
import type { RestRoute } from '../protocols/index.js';
import type { FindingAggregator } from './finding-aggregator-store.js';
import type { FindingAggregatorService } from './finding-aggregator-service.js';
import type { HubService } from './hub-service.js';
import { nextTokenSchema } from './findings-wire.js';

const linkingMode = z.enum([
  'ALL_REGIONS',
  'ALL_REGIONS_EXCEPT_SPECIFIED',
  'SPECIFIED_REGIONS',
  'NO_REGIONS',
]);
const regions = z
  .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a Region name such as us-east-1'))
  .max(50);
const arn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:finding-aggregator\/[\w-]+$/,
    'must be a finding aggregator ARN',
  );

function toWire(aggregator: FindingAggregator): Record<string, unknown> {
  return {
    FindingAggregatorArn: aggregator.arn,
    FindingAggregationRegion: aggregator.homeRegion,
    RegionLinkingMode: aggregator.linkingMode,
    ...(aggregator.regions.length === 0 ? {} : { Regions: aggregator.regions }),
  };
}

/** Routes for the finding aggregator operations. */
export function findingAggregatorRoutes(hub: HubService, aggregators: FindingAggregatorService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/findingAggregator/create',
      operation: securityHubOperation(hub, {
        name: 'CreateFindingAggregator',
        schema: z.object({ RegionLinkingMode: linkingMode, Regions: regions.optional() }),
        handle: async (ctx, input) =>
          toWire(await aggregators.create(ctx, input.RegionLinkingMode, input.Regions)),
      }),
    },
    {
      method: 'GET',
      path: '/findingAggregator/get/{FindingAggregatorArn+}',
      operation: securityHubOperation(hub, {
        name: 'GetFindingAggregator',
        schema: z.object({ FindingAggregatorArn: arn }),
        input: (request) => request.labels,
        resource: (_scope, input) => input.FindingAggregatorArn,
        handle: async (ctx, input) => toWire(await aggregators.get(ctx, input.FindingAggregatorArn)),
      }),
    },
    {
      method: 'PATCH',
      path: '/findingAggregator/update',
      operation: securityHubOperation(hub, {
        name: 'UpdateFindingAggregator',
        schema: z.object({
          FindingAggregatorArn: arn,
          RegionLinkingMode: linkingMode,
          Regions: regions.optional(),
        }),
        resource: (_scope, input) => input.FindingAggregatorArn,
        handle: async (ctx, input) =>
          toWire(
            await aggregators.update(ctx, input.FindingAggregatorArn, input.RegionLinkingMode, input.Regions),
          ),
      }),
    },
    {
      method: 'GET',
      path: '/findingAggregator/list',
      operation: securityHubOperation(hub, {
        name: 'ListFindingAggregators',
        schema: z.object({
          MaxResults: z.number().int().min(1).max(100).optional(),
          NextToken: nextTokenSchema,
        }),
        input: (request) => ({
          MaxResults: queryInteger(request.query, 'MaxResults'),
          NextToken: queryString(request.query, 'NextToken'),
        }),
        handle: async (ctx, input) => {
          const page = securityHubPageOf(await aggregators.list(ctx), {
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          const body = { FindingAggregators: page.items.map((a) => ({ FindingAggregatorArn: a.arn })) };
          return page.nextToken === undefined ? body : { ...body, NextToken: page.nextToken };
        },
      }),
    },
    {
      method: 'DELETE',
      path: '/findingAggregator/delete/{FindingAggregatorArn+}',
      operation: securityHubOperation(hub, {
        name: 'DeleteFindingAggregator',
        schema: z.object({ FindingAggregatorArn: arn }),
        input: bodyWithLabels,
        resource: (_scope, input) => input.FindingAggregatorArn,
        handle: async (ctx, input) => {
          await aggregators.delete(ctx, input.FindingAggregatorArn);
          return {};
        },
      }),
    },
  ];
}
