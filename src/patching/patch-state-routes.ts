/** Patch Manager's patch state operations (awsJson1_1, AmazonSSM.*): what agents reported, per node, group and fleet. */
import { z } from 'zod';
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import { ssmError, ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import { availablePatchFilterKeys } from './available-patches.js';
import { patchStateCounterKeys, type PatchStateFilter } from './patch-state.js';
import { availablePatchKey, type PatchStateService } from './patch-state-service.js';
import {
  instanceIdSchema,
  patchGroupSchema,
  toWireAvailablePatch,
  toWireInstancePatchState,
  toWirePatchComplianceData,
  toWirePatchGroupState,
} from './patching-wire.js';

/** Operations about one node name the node, so an instance key (scoped to its own ARN) may call them. */
const instanceResource = (
  scope: { accountId: string; region: string },
  input: { InstanceId: string },
): string => managedInstanceArn(scope.region, scope.accountId, input.InstanceId);

const maxResults = (min: number, max: number) => z.number().int().min(min).max(max).optional();

const stateFilterSchema = z.object({
  Key: z.enum(patchStateCounterKeys),
  Values: z.array(z.string().regex(/^\d+$/)).min(1).max(1),
  Type: z.enum(['Equal', 'NotEqual', 'LessThan', 'GreaterThan']),
});

/**
 * The patch state read operations. Their rows come from what agents report through the PatchStateSource, and
 * each list pages in SQL by its natural key (instance id; compliance item; patch Id then product).
 */
export function patchStateRoutes(states: PatchStateService): AwsJsonRoute[] {
  return [...nodeStateRoutes(states), ...patchListRoutes(states)];
}

/** DescribeInstancePatchStates, DescribeInstancePatchStatesForPatchGroup and DescribePatchGroupState. */
function nodeStateRoutes(states: PatchStateService): AwsJsonRoute[] {
  return [
    ssmListOperation({
      name: 'DescribeInstancePatchStates',
      resource: (scope, input) => {
        const only = input.InstanceIds.length === 1 ? input.InstanceIds[0] : undefined;
        return only === undefined ? '*' : managedInstanceArn(scope.region, scope.accountId, only);
      },
      schema: z.object({
        InstanceIds: z.array(instanceIdSchema).max(50),
        MaxResults: maxResults(10, 100),
        NextToken: z.string().optional(),
      }),
      resultKey: 'InstancePatchStates',
      defaultMaxResults: 50,
      firstPageTokens: [],
      load: (ctx, { input, after, limit }) =>
        states.instancePatchStates(ctx, input.InstanceIds, { after, limit }),
      keyOf: (state) => [state.instanceId],
      toWire: toWireInstancePatchState,
    }),
    ssmListOperation({
      name: 'DescribeInstancePatchStatesForPatchGroup',
      schema: z.object({
        PatchGroup: patchGroupSchema,
        Filters: z.array(stateFilterSchema).max(4).optional(),
        MaxResults: maxResults(10, 100),
        NextToken: z.string().optional(),
      }),
      resultKey: 'InstancePatchStates',
      defaultMaxResults: 100,
      firstPageTokens: [],
      filters: (input): PatchStateFilter[] =>
        (input.Filters ?? []).map((filter) => ({
          key: filter.Key,
          value: Number(filter.Values[0]),
          type: filter.Type,
        })),
      load: (ctx, { input, filters, after, limit }) =>
        states.instancePatchStatesForPatchGroup(ctx, input.PatchGroup, filters, { after, limit }),
      keyOf: (state) => [state.instanceId],
      toWire: toWireInstancePatchState,
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribePatchGroupState',
      schema: z.object({ PatchGroup: patchGroupSchema }),
      handle: async (ctx, input) =>
        toWirePatchGroupState(await states.patchGroupState(ctx, input.PatchGroup)),
    }),
  ];
}

/** DescribeInstancePatches and DescribeAvailablePatches. */
function patchListRoutes(states: PatchStateService): AwsJsonRoute[] {
  return [
    ssmListOperation({
      name: 'DescribeInstancePatches',
      resource: instanceResource,
      schema: z.object({
        InstanceId: instanceIdSchema,
        Filters: z
          .array(
            z.object({
              Key: z.enum(['Classification', 'KBId', 'Severity', 'State']),
              Values: z.array(z.string().min(1).max(256)).min(1).max(20),
            }),
          )
          .max(5)
          .optional(),
        MaxResults: maxResults(10, 100),
        NextToken: z.string().optional(),
      }),
      resultKey: 'Patches',
      defaultMaxResults: 100,
      firstPageTokens: [],
      load: (ctx, { input, after, limit }) =>
        states.instancePatches(
          ctx,
          input.InstanceId,
          (input.Filters ?? []).map((filter) => ({ key: filter.Key, values: filter.Values })),
          { after, limit },
        ),
      keyOf: (row) => row.key,
      toWire: (row) => toWirePatchComplianceData(row.item),
    }),
    ssmListOperation({
      name: 'DescribeAvailablePatches',
      schema: z.object({
        Filters: z
          .array(
            z.object({
              Key: z.string().min(1).max(128),
              Values: z.array(z.string().min(1).max(256)).min(1).max(20),
            }),
          )
          .max(5)
          .optional(),
        MaxResults: maxResults(1, 100),
        NextToken: z.string().optional(),
      }),
      resultKey: 'Patches',
      defaultMaxResults: 100,
      firstPageTokens: [],
      filters: (input) =>
        (input.Filters ?? []).map((filter) => {
          const key = availablePatchFilterKeys.find((known) => known === filter.Key);
          if (key === undefined) {
            throw ssmError(
              'ValidationException',
              `Invalid filter key ${filter.Key}; valid keys: ${availablePatchFilterKeys.join(', ')}.`,
            );
          }
          return { key, values: filter.Values };
        }),
      load: (ctx, { filters, after, limit }) => states.availablePatches(ctx, filters, { after, limit }),
      keyOf: availablePatchKey,
      toWire: toWireAvailablePatch,
    }),
  ];
}
