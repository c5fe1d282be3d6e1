/** Patch Manager's baseline operations (awsJson1_1, AmazonSSM.*): baselines, defaults, patch groups, snapshots. */
import { z } from 'zod';
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import { ssmError, ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { BaselineOwner, PatchBaselineService } from './baseline-service.js';
import { baselineArnOf } from './resolve-baseline.js';
import { patchProperties, patchPropertyValues } from './patch-properties.js';
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
  positionedSlice,
  patchGroupSchema,
  toWireBaseline,
  toWireBaselineIdentity,
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
    ...baselineCrudRoutes(baselines),
    ...defaultAndGroupRoutes(baselines),
    ...snapshotRoutes(baselines),
  ];
}

/** CreatePatchBaseline, GetPatchBaseline, UpdatePatchBaseline, DeletePatchBaseline, DescribePatchBaselines. */
function baselineCrudRoutes(baselines: PatchBaselineService): AwsJsonRoute[] {
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
    ssmListOperation({
      name: 'DescribePatchBaselines',
      schema: z.object({
        Filters: orchestratorFiltersSchema.optional(),
        MaxResults: maxResults(1, 100),
        NextToken: z.string().optional(),
      }),
      resultKey: 'BaselineIdentities',
      defaultMaxResults: 100,
      firstPageTokens: [],
      filters: (input) => orchestratorFilters(input.Filters, ['NAME_PREFIX', 'OWNER', 'OPERATING_SYSTEM']),
      load: async (ctx, { filters, after, limit }) =>
        positionedSlice(await baselines.describe(ctx, filters), after, limit),
      keyOf: (row) => row.key,
      toWire: (row) => toWireBaselineIdentity(row.item.baseline, row.item.isDefault),
    }),
  ];
}

/** The default baseline per operating system and the patch group registrations. */
function defaultAndGroupRoutes(baselines: PatchBaselineService): AwsJsonRoute[] {
  return [
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
    ssmListOperation({
      name: 'DescribePatchGroups',
      schema: z.object({
        Filters: orchestratorFiltersSchema.optional(),
        MaxResults: maxResults(1, 100),
        NextToken: z.string().optional(),
      }),
      resultKey: 'Mappings',
      defaultMaxResults: 100,
      firstPageTokens: [],
      filters: (input) => orchestratorFilters(input.Filters, ['NAME_PREFIX', 'OPERATING_SYSTEM']),
      load: async (ctx, { filters, after, limit }) =>
        positionedSlice(await baselines.describePatchGroups(ctx, filters), after, limit),
      keyOf: (row) => row.key,
      toWire: (row) => ({
        PatchGroup: row.item.patchGroup,
        BaselineIdentity: toWireBaselineIdentity(row.item.baseline, row.item.isDefault),
      }),
    }),
  ];
}

/** GetDeployablePatchSnapshotForInstance and DescribePatchProperties. */
function snapshotRoutes(baselines: PatchBaselineService): AwsJsonRoute[] {
  return [
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
    ssmListOperation({
      name: 'DescribePatchProperties',
      schema: z.object({
        OperatingSystem: operatingSystemSchema,
        Property: z.enum(patchProperties),
        PatchSet: z.enum(['OS', 'APPLICATION']).optional(),
        MaxResults: maxResults(1, 50),
        NextToken: z.string().optional(),
      }),
      resultKey: 'Properties',
      defaultMaxResults: 50,
      firstPageTokens: [],
      load: (_ctx, { input, after, limit }) =>
        Promise.resolve(
          positionedSlice(
            input.PatchSet === 'APPLICATION'
              ? []
              : patchPropertyValues(input.OperatingSystem, input.Property),
            after,
            limit,
          ),
        ),
      keyOf: (row) => row.key,
      toWire: (row) => ({ Name: row.item }),
    }),
  ];
}
