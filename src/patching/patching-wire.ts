/** Patch Manager's AWS shapes: zod schemas of the requests and mappers to and from the domain. */
import { z } from 'zod';
import { keysetSlice, type SortKey } from '../kernel/index.js';
import { toEpochSeconds } from '../protocols/ssm/index.js';
import {
  complianceLevels,
  operatingSystems,
  patchFilterKeys,
  type BaselineDefinition,
  type BaselineRules,
  type OperatingSystem,
  type PatchBaseline,
  type PatchFilter,
  type PatchRule,
  type PatchSource,
} from './patching-model.js';
import type { AvailablePatch } from './available-patches.js';
import type { InstancePatchState, PatchComplianceData, PatchGroupState } from './patch-state.js';

/** `^[a-zA-Z0-9_\-:/]{20,128}$`: a `pb-…` id or a baseline ARN. */
export const baselineIdSchema = z.string().regex(/^[a-zA-Z0-9_\-:/]{20,128}$/);
export const baselineNameSchema = z.string().regex(/^[a-zA-Z0-9_\-.]{3,128}$/);
export const operatingSystemSchema = z.enum(operatingSystems);
export const complianceLevelSchema = z.enum(complianceLevels);
export const patchGroupSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u);
export const instanceIdSchema = z.string().regex(/^(i-(\w{8}|\w{17})|mi-\w{17})$/);

const patchFilterSchema = z.object({
  Key: z.enum(patchFilterKeys),
  Values: z.array(z.string().min(1).max(64)).min(1).max(20),
});
const patchFilterGroupSchema = z.object({ PatchFilters: z.array(patchFilterSchema).max(4) });
const patchRuleSchema = z.object({
  PatchFilterGroup: patchFilterGroupSchema,
  ComplianceLevel: complianceLevelSchema.optional(),
  ApproveAfterDays: z.number().int().min(0).max(360).optional(),
  ApproveUntilDate: z.string().min(1).max(10).optional(),
  EnableNonSecurity: z.boolean().optional(),
});
const patchRuleGroupSchema = z.object({ PatchRules: z.array(patchRuleSchema).max(10) });
const patchIdListSchema = z.array(z.string().min(1).max(100)).max(50);
const patchSourceSchema = z.object({
  Name: z.string().regex(/^[a-zA-Z0-9_\-.]{3,50}$/),
  Products: z.array(z.string().min(1).max(128)).min(1).max(20),
  Configuration: z.string().min(1).max(1024),
});
const tagSchema = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) });

/** The baseline members shared by Create, Update and BaselineOverride. */
const baselineRuleMembers = {
  GlobalFilters: patchFilterGroupSchema.optional(),
  ApprovalRules: patchRuleGroupSchema.optional(),
  ApprovedPatches: patchIdListSchema.optional(),
  ApprovedPatchesComplianceLevel: complianceLevelSchema.optional(),
  ApprovedPatchesEnableNonSecurity: z.boolean().optional(),
  RejectedPatches: patchIdListSchema.optional(),
  RejectedPatchesAction: z.enum(['ALLOW_AS_DEPENDENCY', 'BLOCK']).optional(),
  Sources: z.array(patchSourceSchema).max(20).optional(),
  AvailableSecurityUpdatesComplianceStatus: z.enum(['COMPLIANT', 'NON_COMPLIANT']).optional(),
};

export const createPatchBaselineSchema = z.object({
  OperatingSystem: operatingSystemSchema.optional(),
  Name: baselineNameSchema,
  Description: z.string().min(1).max(1024).optional(),
  ClientToken: z.string().min(1).max(64).optional(),
  Tags: z.array(tagSchema).max(1000).optional(),
  ...baselineRuleMembers,
});

export const updatePatchBaselineSchema = z.object({
  BaselineId: baselineIdSchema,
  Name: baselineNameSchema.optional(),
  Description: z.string().min(1).max(1024).optional(),
  Replace: z.boolean().optional(),
  ...baselineRuleMembers,
});

export const baselineOverrideSchema = z.object({
  OperatingSystem: operatingSystemSchema.optional(),
  ...baselineRuleMembers,
});

/** PatchOrchestratorFilter: `{Key, Values}` as DescribePatchBaselines / DescribePatchGroups take them. */
export const orchestratorFiltersSchema = z
  .array(z.object({ Key: z.string().min(1).max(128), Values: z.array(z.string().min(1).max(256)).max(20) }))
  .max(5);

type RuleMembers = z.infer<z.ZodObject<typeof baselineRuleMembers>>;

const fromWireFilters = (
  filters: { Key: PatchFilter['key']; Values: string[] }[] | undefined,
): PatchFilter[] => (filters ?? []).map((filter) => ({ key: filter.Key, values: filter.Values }));

function fromWireRule(rule: z.infer<typeof patchRuleSchema>): PatchRule {
  const result: PatchRule = {
    filters: fromWireFilters(rule.PatchFilterGroup.PatchFilters),
    complianceLevel: rule.ComplianceLevel ?? 'UNSPECIFIED',
    enableNonSecurity: rule.EnableNonSecurity ?? false,
  };
  if (rule.ApproveAfterDays !== undefined) result.approveAfterDays = rule.ApproveAfterDays;
  if (rule.ApproveUntilDate !== undefined) result.approveUntilDate = rule.ApproveUntilDate;
  return result;
}

const fromWireSources = (sources: z.infer<typeof patchSourceSchema>[] | undefined): PatchSource[] =>
  (sources ?? []).map((source) => ({
    name: source.Name,
    products: source.Products,
    configuration: source.Configuration,
  }));

/** The rules of a Create request or a BaselineOverride, with AWS's defaults filled in. */
export function fromWireRules(input: RuleMembers, os: OperatingSystem): BaselineRules {
  const rules: BaselineRules = {
    operatingSystem: os,
    globalFilters: fromWireFilters(input.GlobalFilters?.PatchFilters),
    approvalRules: (input.ApprovalRules?.PatchRules ?? []).map(fromWireRule),
    approvedPatches: input.ApprovedPatches ?? [],
    approvedPatchesComplianceLevel: input.ApprovedPatchesComplianceLevel ?? 'UNSPECIFIED',
    approvedPatchesEnableNonSecurity: input.ApprovedPatchesEnableNonSecurity ?? false,
    rejectedPatches: input.RejectedPatches ?? [],
    rejectedPatchesAction: input.RejectedPatchesAction ?? 'ALLOW_AS_DEPENDENCY',
    sources: fromWireSources(input.Sources),
  };
  if (input.AvailableSecurityUpdatesComplianceStatus !== undefined)
    rules.availableSecurityUpdatesComplianceStatus = input.AvailableSecurityUpdatesComplianceStatus;
  return rules;
}

/** A CreatePatchBaseline request as a definition (OperatingSystem defaults to WINDOWS, as in AWS). */
export function fromWireCreate(input: z.infer<typeof createPatchBaselineSchema>): BaselineDefinition {
  const definition: BaselineDefinition = {
    name: input.Name,
    ...fromWireRules(input, input.OperatingSystem ?? 'WINDOWS'),
  };
  if (input.Description !== undefined) definition.description = input.Description;
  return definition;
}

/** The fields an UpdatePatchBaseline request sets (absent members stay absent). */
export function fromWireUpdate(
  input: z.infer<typeof updatePatchBaselineSchema>,
): Partial<Omit<BaselineDefinition, 'operatingSystem'>> {
  const changes: Partial<Omit<BaselineDefinition, 'operatingSystem'>> = {};
  if (input.Name !== undefined) changes.name = input.Name;
  if (input.Description !== undefined) changes.description = input.Description;
  if (input.GlobalFilters !== undefined)
    changes.globalFilters = fromWireFilters(input.GlobalFilters.PatchFilters);
  if (input.ApprovalRules !== undefined)
    changes.approvalRules = input.ApprovalRules.PatchRules.map(fromWireRule);
  if (input.ApprovedPatches !== undefined) changes.approvedPatches = input.ApprovedPatches;
  if (input.ApprovedPatchesComplianceLevel !== undefined)
    changes.approvedPatchesComplianceLevel = input.ApprovedPatchesComplianceLevel;
  if (input.ApprovedPatchesEnableNonSecurity !== undefined)
    changes.approvedPatchesEnableNonSecurity = input.ApprovedPatchesEnableNonSecurity;
  if (input.RejectedPatches !== undefined) changes.rejectedPatches = input.RejectedPatches;
  if (input.RejectedPatchesAction !== undefined) changes.rejectedPatchesAction = input.RejectedPatchesAction;
  if (input.Sources !== undefined) changes.sources = fromWireSources(input.Sources);
  if (input.AvailableSecurityUpdatesComplianceStatus !== undefined)
    changes.availableSecurityUpdatesComplianceStatus = input.AvailableSecurityUpdatesComplianceStatus;
  return changes;
}

const toWireFilters = (filters: readonly PatchFilter[]): { Key: string; Values: string[] }[] =>
  filters.map((filter) => ({ Key: filter.key, Values: [...filter.values] }));

function toWireRule(rule: PatchRule): Record<string, unknown> {
  return {
    PatchFilterGroup: { PatchFilters: toWireFilters(rule.filters) },
    ComplianceLevel: rule.complianceLevel,
    ...(rule.approveAfterDays === undefined ? {} : { ApproveAfterDays: rule.approveAfterDays }),
    ...(rule.approveUntilDate === undefined ? {} : { ApproveUntilDate: rule.approveUntilDate }),
    EnableNonSecurity: rule.enableNonSecurity,
  };
}

/** A baseline as GetPatchBaseline / UpdatePatchBaseline return it. */
export function toWireBaseline(baseline: PatchBaseline): Record<string, unknown> {
  return {
    BaselineId: baseline.baselineId,
    Name: baseline.name,
    OperatingSystem: baseline.operatingSystem,
    GlobalFilters: { PatchFilters: toWireFilters(baseline.globalFilters) },
    ApprovalRules: { PatchRules: baseline.approvalRules.map(toWireRule) },
    ApprovedPatches: [...baseline.approvedPatches],
    ApprovedPatchesComplianceLevel: baseline.approvedPatchesComplianceLevel,
    ApprovedPatchesEnableNonSecurity: baseline.approvedPatchesEnableNonSecurity,
    RejectedPatches: [...baseline.rejectedPatches],
    RejectedPatchesAction: baseline.rejectedPatchesAction,
    CreatedDate: toEpochSeconds(baseline.createdAt),
    ModifiedDate: toEpochSeconds(baseline.modifiedAt),
    ...(baseline.description === undefined ? {} : { Description: baseline.description }),
    Sources: baseline.sources.map((source) => ({
      Name: source.name,
      Products: [...source.products],
      Configuration: source.configuration,
    })),
    ...(baseline.availableSecurityUpdatesComplianceStatus === undefined
      ? {}
      : { AvailableSecurityUpdatesComplianceStatus: baseline.availableSecurityUpdatesComplianceStatus }),
  };
}

/** PatchBaselineIdentity. */
export function toWireBaselineIdentity(baseline: PatchBaseline, isDefault: boolean): Record<string, unknown> {
  return {
    BaselineId: baseline.baselineId,
    BaselineName: baseline.name,
    OperatingSystem: baseline.operatingSystem,
    ...(baseline.description === undefined ? {} : { BaselineDescription: baseline.description }),
    DefaultBaseline: isDefault,
  };
}

/** InstancePatchState. */
export function toWireInstancePatchState(state: InstancePatchState): Record<string, unknown> {
  return {
    InstanceId: state.instanceId,
    PatchGroup: state.patchGroup,
    BaselineId: state.baselineId,
    ...(state.snapshotId === undefined ? {} : { SnapshotId: state.snapshotId }),
    ...(state.installOverrideList === undefined ? {} : { InstallOverrideList: state.installOverrideList }),
    ...(state.ownerInformation === undefined ? {} : { OwnerInformation: state.ownerInformation }),
    ...state.counts,
    ...state.nonCompliant,
    OperationStartTime: toEpochSeconds(state.operationStartTime),
    OperationEndTime: toEpochSeconds(state.operationEndTime),
    Operation: state.operation,
    ...(state.lastNoRebootInstallOperationTime === undefined
      ? {}
      : { LastNoRebootInstallOperationTime: toEpochSeconds(state.lastNoRebootInstallOperationTime) }),
    ...(state.rebootOption === undefined ? {} : { RebootOption: state.rebootOption }),
  };
}

/** PatchComplianceData. */
export function toWirePatchComplianceData(patch: PatchComplianceData): Record<string, unknown> {
  return {
    Title: patch.title,
    KBId: patch.kbId,
    Classification: patch.classification,
    Severity: patch.severity,
    State: patch.state,
    InstalledTime: toEpochSeconds(patch.installedTime),
    ...(patch.cveIds === undefined ? {} : { CVEIds: patch.cveIds }),
  };
}

/** DescribePatchGroupState's output. */
export function toWirePatchGroupState(state: PatchGroupState): Record<string, number> {
  return {
    Instances: state.instances,
    InstancesWithInstalledPatches: state.withInstalled,
    InstancesWithInstalledOtherPatches: state.withInstalledOther,
    InstancesWithInstalledPendingRebootPatches: state.withInstalledPendingReboot,
    InstancesWithInstalledRejectedPatches: state.withInstalledRejected,
    InstancesWithMissingPatches: state.withMissing,
    InstancesWithFailedPatches: state.withFailed,
    InstancesWithNotApplicablePatches: state.withNotApplicable,
    InstancesWithUnreportedNotApplicablePatches: state.withUnreportedNotApplicable,
    InstancesWithCriticalNonCompliantPatches: state.withCriticalNonCompliant,
    InstancesWithSecurityNonCompliantPatches: state.withSecurityNonCompliant,
    InstancesWithOtherNonCompliantPatches: state.withOtherNonCompliant,
    InstancesWithAvailableSecurityUpdates: 0,
  };
}

/** A row of a short in-memory listing with its position as sort key. */
export interface Positioned<T> {
  key: SortKey;
  item: T;
}

/** Keyset paging of a short in-memory listing in its own order (baselines, patch groups): the key is the position. */
export function positionedSlice<T>(
  items: readonly T[],
  after: SortKey | undefined,
  limit: number,
): Positioned<T>[] {
  return keysetSlice(
    items.map((item, at) => ({ key: [at], item })),
    after,
    limit,
    (row) => row.key,
  );
}

/** A Patch of DescribeAvailablePatches (Linux fields; empty ones are left out). */
export function toWireAvailablePatch(patch: AvailablePatch): Record<string, unknown> {
  return {
    Id: patch.id,
    Title: patch.title,
    Name: patch.name,
    ...(patch.arch === '' ? {} : { Arch: patch.arch }),
    Epoch: patch.epoch,
    Version: patch.version,
    ...(patch.release === '' ? {} : { Release: patch.release }),
    Product: patch.product,
    ProductFamily: patch.productFamily,
    Classification: patch.classification,
    Severity: patch.severity,
    ...(patch.cveIds.length === 0 ? {} : { CVEIds: patch.cveIds }),
  };
}
