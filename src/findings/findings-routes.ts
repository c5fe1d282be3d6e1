/** The restJson1 routes of the hub and findings operations. */
import { queryString, securityHubOperation } from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { FindingsService } from './findings-service.js';
import type { HubService } from './hub-service.js';
import {
  batchImportFindingsSchema,
  batchUpdateFindingsSchema,
  enableSecurityHubSchema,
  getFindingHistorySchema,
  getFindingsSchema,
  updateSecurityHubConfigurationSchema,
} from './findings-wire.js';
import { z } from 'zod';

/** Routes for EnableSecurityHub … GetFindingHistory. */
export function findingsRoutes(hub: HubService, findings: FindingsService): RestRoute[] {
  return [...hubRoutes(hub), ...findingRoutes(hub, findings)];
}

/** EnableSecurityHub, DescribeHub, UpdateSecurityHubConfiguration and DisableSecurityHub: the hub lifecycle. */
function hubRoutes(hub: HubService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/accounts',
      operation: securityHubOperation(hub, {
        name: 'EnableSecurityHub',
        schema: enableSecurityHubSchema,
        requiresHub: false,
        handle: async (ctx, input) => {
          await hub.enable(ctx, input);
          return {};
        },
      }),
    },
    {
      method: 'GET',
      path: '/accounts',
      operation: securityHubOperation(hub, {
        name: 'DescribeHub',
        schema: z.object({ HubArn: z.string().optional() }),
        input: (request) => ({ HubArn: queryString(request.query, 'HubArn') }),
        handle: async (ctx, input) => {
          const found = await hub.describe(ctx, input.HubArn);
          return {
            HubArn: found.hubArn,
            SubscribedAt: found.subscribedAt,
            AutoEnableControls: found.autoEnableControls,
            ControlFindingGenerator: found.controlFindingGenerator,
          };
        },
      }),
    },
    {
      method: 'PATCH',
      path: '/accounts',
      operation: securityHubOperation(hub, {
        name: 'UpdateSecurityHubConfiguration',
        schema: updateSecurityHubConfigurationSchema,
        handle: async (ctx, input) => {
          await hub.update(ctx, input);
          return {};
        },
      }),
    },
    {
      method: 'DELETE',
      path: '/accounts',
      operation: securityHubOperation(hub, {
        name: 'DisableSecurityHub',
        schema: z.object({}),
        handle: async (ctx) => {
          await hub.disable(ctx);
          return {};
        },
      }),
    },
  ];
}

/** BatchImportFindings, GetFindings, BatchUpdateFindings and GetFindingHistory. */
function findingRoutes(hub: HubService, findings: FindingsService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/findings/import',
      operation: securityHubOperation(hub, {
        name: 'BatchImportFindings',
        schema: batchImportFindingsSchema,
        handle: (ctx, input) => findings.importFindings(ctx, input.Findings),
        // The count and ids, never the documents: one small audit row per call on the ingest path.
        auditParameters: (input) => ({
          findingCount: input.Findings.length,
          findingIds: input.Findings.map((finding) =>
            typeof finding === 'object' && finding !== null && 'Id' in finding ? finding.Id : null,
          ),
        }),
      }),
    },
    {
      method: 'POST',
      path: '/findings',
      operation: securityHubOperation(hub, {
        name: 'GetFindings',
        schema: getFindingsSchema,
        handle: async (ctx, input) => {
          const page = await findings.getFindings(ctx, {
            filters: input.Filters ?? {},
            sortCriteria: input.SortCriteria ?? [],
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          return page.nextToken === undefined
            ? { Findings: page.findings }
            : { Findings: page.findings, NextToken: page.nextToken };
        },
      }),
    },
    {
      method: 'PATCH',
      path: '/findings/batchupdate',
      operation: securityHubOperation(hub, {
        name: 'BatchUpdateFindings',
        schema: batchUpdateFindingsSchema,
        handle: (ctx, input) => {
          const { FindingIdentifiers, ...update } = input;
          return findings.updateFindings(ctx, FindingIdentifiers, update);
        },
      }),
    },
    {
      method: 'POST',
      path: '/findingHistory/get',
      operation: securityHubOperation(hub, {
        name: 'GetFindingHistory',
        schema: getFindingHistorySchema,
        handle: async (ctx, input) => {
          const result = await findings.findingHistory(ctx, {
            identifier: input.FindingIdentifier,
            startTime: input.StartTime,
            endTime: input.EndTime,
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          return result.nextToken === undefined
            ? { Records: result.records }
            : { Records: result.records, NextToken: result.nextToken };
        },
      }),
    },
  ];
}
