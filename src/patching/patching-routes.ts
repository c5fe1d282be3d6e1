/** Patch Manager's awsJson1_1 operations (AmazonSSM.*): baselines, defaults, patch groups, snapshots, patch state. */
import { z } from 'zod';
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import { ssmError, ssmService } from '../protocols/ssm/index.js';
import type { BaselineOwner, PatchBaselineService } from './baseline-service.js';
import { baselineArnOf } from './resolve-baseline.js';
import { availablePatchFilterKeys } from './available-patches.js';
import { patchProperties, patchPropertyValues } from './patch-properties.js';
import { patchStateCounterKeys, type PatchStateFilter } from './patch-state.js';
import type { PatchStateService } from './patch-state-service.js';
import { snapshotDownloadUrlOf } from './snapshot-document.js';
import {
  baselineIdSchema,
  baselineOverrideSchema,
  createPatchBaselineSchema,
  fromWireCreate,
  fromWireRules,
  fromWireUpdate,
  instanceIdSchema,
  operatingSystemSchema,
  orchestratorFiltersSchema,
  paginate,
  patchGroupSchema,
  toWireAvailablePatch,
  toWireBaseline,
  toWireBaselineIdentity,
  toWireInstancePatchState,
  toWirePatchComplianceData,
  toWirePatchGroupState,
  updatePatchBaselineSchema,
} from './patching-wire.js';

const baselineResource = (
  scope: { accountId: string; region: string },
  input: { BaselineId: string },
): string => baselineArnOf(scope.accountId, scope.region, input.BaselineId);

/** Operations about one node name the node, so an instance key (scoped to its own ARN) may call them. */
const instanceResource = (
  scope: { accountId: string; region: string },
  input: { InstanceId: string },
): string => managedInstanceArn(scope.region, scope.accountId, input.InstanceId);

const maxResults = (min: number, max: number) => z.number().int().min(min).max(max).optional();

/** Reads NAME_PREFIX / OWNER / OPERATING_SYSTEM orchestrator filters. */
function orchestratorFilters(
  filters: z.infer<typeof orchestratorFiltersSchema> | undefined,
  allowed: readonly string[],
): { namePrefix?: string; owner?: BaselineOwner; operatingSystems?: string[] } {
  const result: { namePrefix?: string; owner?: BaselineOwner; operatingSystems?: string[] } = {};
  for (const filter of filters ?? []) {
    if (!allowed.includes(filter.Key)) {
      throw ssmError(
        'ValidationException',
        `Invalid filter key ${filter.Key}; valid keys: ${allowed.join(', ')}.`,
      );
    }
    const first = filter.Values[0];
    if (filter.Key === 'NAME_PREFIX' && first !== undefined) result.namePrefix = first;
    if (filter.Key === 'OPERATING_SYSTEM') result.operatingSystems = filter.Values;
    if (filter.Key === 'OWNER' && first !== undefined) {
      const owner = ['Self', 'AWS', 'All'].find((value) => value.toLowerCase() === first.toLowerCase());
      if (owner === undefined)
        throw ssmError('ValidationException', `Invalid OWNER filter value ${first}; use Self, AWS or All.`);
      result.owner = owner as BaselineOwner;
    }
  }
  return result;
}

/** The baseline, default and patch group operations. */
export function patchBaselineRoutes(baselines: PatchBaselineService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'CreatePatchBaseline',
      schema: createPatchBaselineSchema,
      handle: async (ctx, input) => ({
        BaselineId: await baselines.create(ctx, fromWireCreate(input), {
          ...(input.ClientToken === undefined ? {} : { clientToken: input.ClientToken }),
          tags: (input.Tags ?? []).map((tag) => ({ key: tag.Key, value: tag.Value })),
        }),
      }),
    }),
    awsJsonRoute(ssmService, {
      name: 'GetPatchBaseline',
      schema: z.object({ BaselineId: baselineIdSchema }),
      resource: baselineResource,
      handle: async (ctx, input) => {
        const { baseline, patchGroups } = await baselines.get(ctx, input.BaselineId);
        return { ...toWireBaseline(baseline), PatchGroups: patchGroups };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdatePatchBaseline',
      schema: updatePatchBaselineSchema,
      resource: baselineResource,
      handle: async (ctx, input) =>
        toWireBaseline(
          await baselines.update(ctx, input.BaselineId, fromWireUpdate(input), input.Replace ?? false),
        ),
    }),
    awsJsonRoute(ssmService, {
      name: 'DeletePatchBaseline',
      schema: z.object({ BaselineId: baselineIdSchema }),
      resource: baselineResource,
      handle: async (ctx, input) => ({ BaselineId: await baselines.delete(ctx, input.BaselineId) }),
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribePatchBaselines',
      schema: z.object({
        Filters: orchestratorFiltersSchema.optional(),
        MaxResults: maxResults(1, 100),
        NextToken: z.string().optional(),
      }),
      handle: async (ctx, input) => {
        const filters = orchestratorFilters(input.Filters, ['NAME_PREFIX', 'OWNER', 'OPERATING_SYSTEM']);
        const listing = await baselines.describe(ctx, filters);
        const { page, nextToken } = paginate(listing, {
          maxResults: input.MaxResults ?? 100,
          nextToken: input.NextToken,
          parameters: input.Filters ?? [],
        });
        return {
          BaselineIdentities: page.map((entry) => toWireBaselineIdentity(entry.baseline, entry.isDefault)),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetDefaultPatchBaseline',
      schema: z.object({ OperatingSystem: operatingSystemSchema.optional() }),
      handle: async (ctx, input) => {
        const os = input.OperatingSystem ?? 'WINDOWS';
        return { BaselineId: await baselines.getDefault(ctx, os), OperatingSystem: os };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'RegisterDefaultPatchBaseline',
      schema: z.object({ BaselineId: z.string().min(1).max(128) }),
      resource: baselineResource,
      handle: async (ctx, input) => ({ BaselineId: await baselines.registerDefault(ctx, input.BaselineId) }),
    }),
    awsJsonRoute(ssmService, {
      name: 'RegisterPatchBaselineForPatchGroup',
      schema: z.object({ BaselineId: baselineIdSchema, PatchGroup: patchGroupSchema }),
      resource: baselineResource,
      handle: async (ctx, input) => {
        const registration = await baselines.registerPatchGroup(ctx, input.BaselineId, input.PatchGroup);
        return { BaselineId: registration.baselineId, PatchGroup: registration.patchGroup };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeregisterPatchBaselineForPatchGroup',
      schema: z.object({ BaselineId: baselineIdSchema, PatchGroup: patchGroupSchema }),
      resource: baselineResource,
      handle: async (ctx, input) => {
        const registration = await baselines.deregisterPatchGroup(ctx, input.BaselineId, input.PatchGroup);
        return { BaselineId: registration.baselineId, PatchGroup: registration.patchGroup };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetPatchBaselineForPatchGroup',
      schema: z.object({ PatchGroup: patchGroupSchema, OperatingSystem: operatingSystemSchema.optional() }),
      handle: async (ctx, input) => {
        const os = input.OperatingSystem ?? 'WINDOWS';
        return {
          BaselineId: await baselines.getForPatchGroup(ctx, input.PatchGroup, os),
          PatchGroup: input.PatchGroup,
          OperatingSystem: os,
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribePatchGroups',
      schema: z.object({
        Filters: orchestratorFiltersSchema.optional(),
        MaxResults: maxResults(1, 100),
        NextToken: z.string().optional(),
      }),
      handle: async (ctx, input) => {
        const filters = orchestratorFilters(input.Filters, ['NAME_PREFIX', 'OPERATING_SYSTEM']);
        const mappings = await baselines.describePatchGroups(ctx, filters);
        const { page, nextToken } = paginate(mappings, {
          maxResults: input.MaxResults ?? 100,
          nextToken: input.NextToken,
          parameters: input.Filters ?? [],
        });
        return {
          Mappings: page.map((entry) => ({
            PatchGroup: entry.patchGroup,
            BaselineIdentity: toWireBaselineIdentity(entry.baseline, entry.isDefault),
          })),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetDeployablePatchSnapshotForInstance',
      resource: instanceResource,
      schema: z.object({
        InstanceId: instanceIdSchema,
        SnapshotId: z
          .string()
          .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
        BaselineOverride: baselineOverrideSchema.optional(),
        UseS3DualStackEndpoint: z.boolean().optional(),
      }),
      handle: async (ctx, input) => {
        const override = input.BaselineOverride;
        const snapshot = await baselines.deployableSnapshot(ctx, {
          instanceId: input.InstanceId,
          snapshotId: input.SnapshotId,
          ...(override === undefined
            ? {}
            : { override: fromWireRules(override, override.OperatingSystem ?? 'WINDOWS') }),
        });
        return {
          InstanceId: snapshot.instanceId,
          SnapshotId: snapshot.snapshotId,
          SnapshotDownloadUrl: snapshotDownloadUrlOf(snapshot.document),
          Product: snapshot.product,
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribePatchProperties',
      schema: z.object({
        OperatingSystem: operatingSystemSchema,
        Property: z.enum(patchProperties),
        PatchSet: z.enum(['OS', 'APPLICATION']).optional(),
        MaxResults: maxResults(1, 50),
        NextToken: z.string().optional(),
      }),
      handle: (_ctx, input) => {
        const values =
          input.PatchSet === 'APPLICATION' ? [] : patchPropertyValues(input.OperatingSystem, input.Property);
        const { page, nextToken } = paginate(values, {
          maxResults: input.MaxResults ?? 50,
          nextToken: input.NextToken,
          parameters: [input.OperatingSystem, input.Property, input.PatchSet],
        });
        return Promise.resolve({
          Properties: page.map((value) => ({ Name: value })),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        });
      },
    }),
  ];
}

const stateFilterSchema = z.object({
  Key: z.enum(patchStateCounterKeys),
  Values: z.array(z.string().regex(/^\d+$/)).min(1).max(1),
  Type: z.enum(['Equal', 'NotEqual', 'LessThan', 'GreaterThan']),
});

/** The patch state read operations. */
export function patchStateRoutes(states: PatchStateService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
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
      handle: async (ctx, input) => {
        const found = await states.instancePatchStates(ctx, input.InstanceIds);
        const { page, nextToken } = paginate(found, {
          maxResults: input.MaxResults ?? 50,
          nextToken: input.NextToken,
          parameters: input.InstanceIds,
        });
        return {
          InstancePatchStates: page.map(toWireInstancePatchState),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeInstancePatchStatesForPatchGroup',
      schema: z.object({
        PatchGroup: patchGroupSchema,
        Filters: z.array(stateFilterSchema).max(4).optional(),
        MaxResults: maxResults(10, 100),
        NextToken: z.string().optional(),
      }),
      handle: async (ctx, input) => {
        const filters: PatchStateFilter[] = (input.Filters ?? []).map((filter) => ({
          key: filter.Key,
          value: Number(filter.Values[0]),
          type: filter.Type,
        }));
        const found = await states.instancePatchStatesForPatchGroup(ctx, input.PatchGroup, filters);
        const { page, nextToken } = paginate(found, {
          maxResults: input.MaxResults ?? 100,
          nextToken: input.NextToken,
          parameters: [input.PatchGroup, input.Filters ?? []],
        });
        return {
          InstancePatchStates: page.map(toWireInstancePatchState),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
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
      handle: async (ctx, input) => {
        const patches = await states.instancePatches(
          ctx,
          input.InstanceId,
          (input.Filters ?? []).map((filter) => ({ key: filter.Key, values: filter.Values })),
        );
        const { page, nextToken } = paginate(patches, {
          maxResults: input.MaxResults ?? 100,
          nextToken: input.NextToken,
          parameters: [input.InstanceId, input.Filters ?? []],
        });
        return {
          Patches: page.map(toWirePatchComplianceData),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
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
      handle: async (ctx, input) => {
        const filters = (input.Filters ?? []).map((filter) => {
          const key = availablePatchFilterKeys.find((known) => known === filter.Key);
          if (key === undefined) {
            throw ssmError(
              'ValidationException',
              `Invalid filter key ${filter.Key}; valid keys: ${availablePatchFilterKeys.join(', ')}.`,
            );
          }
          return { key, values: filter.Values };
        });
        const patches = await states.availablePatches(ctx, filters);
        const { page, nextToken } = paginate(patches, {
          maxResults: input.MaxResults ?? 100,
          nextToken: input.NextToken,
          parameters: [input.Filters ?? []],
        });
        return {
          Patches: page.map(toWireAvailablePatch),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribePatchGroupState',
      schema: z.object({ PatchGroup: patchGroupSchema }),
      handle: async (ctx, input) =>
        toWirePatchGroupState(await states.patchGroupState(ctx, input.PatchGroup)),
    }),
  ];
}
