/** Patch baselines, defaults, patch groups and deployable snapshots: the rules of Patch Manager's configuration. */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import {
  type BaselineDefinition,
  type OperatingSystem,
  type PatchBaseline,
  type PatchGroupRegistration,
} from './patching-model.js';
import { findPredefinedBaseline, predefinedBaseline, predefinedBaselines } from './predefined-baselines.js';
import { resolveBaselineForInstance, type BaselineRegistrations } from './resolve-baseline.js';
import { deployableSnapshotFor, type SnapshotRequest } from './deployable-snapshot.js';
import { fingerprintOf, newBaselineId, validateBaselineRules } from './baseline-rules.js';
import type { PatchingStore, PatchScope } from './patching-store.js';

export {
  maxCustomBaselines,
  maxPatchGroupsPerBaseline,
  snapshotRetentionMs,
  type BaselineListing,
  type BaselineOwner,
  type BaselineTagStore,
  type BaselineUpdate,
  type DeployableSnapshot,
  type PatchInstance,
  type PatchInstanceSource,
} from './baseline-contracts.js';
import {
  maxCustomBaselines,
  maxPatchGroupsPerBaseline,
  type BaselineListing,
  type BaselineOwner,
  type BaselineTagStore,
  type BaselineUpdate,
  type DeployableSnapshot,
  type PatchInstanceSource,
} from './baseline-contracts.js';

const scopeOf = (ctx: Ctx): PatchScope => ({ accountId: ctx.accountId, region: ctx.region });

const doesNotExist = (baselineId: string): Error =>
  ssmError('DoesNotExistException', `Patch Baseline ${baselineId} does not exist.`);

/** Splits a baseline id: a bare `pb-…`, an ARN of the caller's own custom baseline, or a predefined ARN. */
function customIdOf(ctx: Ctx, baselineId: string): string | undefined {
  if (!baselineId.startsWith('arn:')) return baselineId;
  const match = /^arn:aws:ssm:([^:]+):(\d{12}):patchbaseline\/(pb-[0-9a-f]+)$/.exec(baselineId);
  if (match?.[1] === ctx.region && match[2] === ctx.accountId) return match[3];
  return undefined;
}

/** The rules of patch baselines, defaults and patch groups. */
export class PatchBaselineService {
  constructor(
    private readonly store: PatchingStore,
    private readonly instances: PatchInstanceSource,
    private readonly tags?: BaselineTagStore,
  ) {}

  /** A custom or predefined baseline by id; DoesNotExistException otherwise. */
  async findBaseline(ctx: Ctx, baselineId: string): Promise<PatchBaseline> {
    const customId = customIdOf(ctx, baselineId);
    if (customId !== undefined) {
      const stored = await this.store.findBaseline(ctx.tx, scopeOf(ctx), customId);
      if (stored !== undefined) return stored.baseline;
    }
    const predefined = findPredefinedBaseline(ctx.region, baselineId);
    if (predefined !== undefined) return predefined;
    throw doesNotExist(baselineId);
  }

  private async findCustomBaseline(ctx: Ctx, baselineId: string, verb: string): Promise<PatchBaseline> {
    const baseline = await this.findBaseline(ctx, baselineId);
    if (baseline.awsOwned) {
      throw ssmError(
        'InvalidResourceId',
        `Cannot ${verb} ${baselineId}: AWS-owned patch baselines are read-only.`,
      );
    }
    return baseline;
  }

  /** CreatePatchBaseline: a new custom baseline, or the one an earlier request with the same ClientToken made. */
  async create(
    ctx: Ctx,
    definition: BaselineDefinition,
    options: { clientToken?: string; tags?: readonly { key: string; value: string }[] } = {},
  ): Promise<string> {
    validateBaselineRules(definition);
    const scope = scopeOf(ctx);
    const fingerprint = fingerprintOf(definition, options.tags ?? []);
    if (options.clientToken !== undefined) {
      const earlier = await this.store.findBaselineByClientToken(ctx.tx, scope, options.clientToken);
      if (earlier !== undefined) {
        if (earlier.requestFingerprint !== fingerprint) {
          throw ssmError(
            'IdempotentParameterMismatch',
            'Error in CreatePatchBaseline: ClientToken was already used with different parameters.',
          );
        }
        return earlier.baseline.baselineId;
      }
    }
    if ((await this.store.countBaselines(ctx.tx, scope)) >= maxCustomBaselines) {
      throw ssmError(
        'ResourceLimitExceededException',
        `Patch baseline limit of ${maxCustomBaselines} reached for this account in ${ctx.region}.`,
      );
    }
    const baseline: PatchBaseline = {
      ...definition,
      baselineId: newBaselineId(),
      ownerAccountId: ctx.accountId,
      awsOwned: false,
      createdAt: ctx.now,
      modifiedAt: ctx.now,
    };
    await this.store.insertBaseline(
      ctx.tx,
      scope,
      baseline,
      options.clientToken === undefined
        ? undefined
        : { clientToken: options.clientToken, requestFingerprint: fingerprint },
    );
    if (options.tags !== undefined && options.tags.length > 0) {
      await this.tags?.put(
        ctx.tx,
        { ...scope, resourceType: 'PatchBaseline', resourceId: baseline.baselineId },
        options.tags,
      );
    }
    return baseline.baselineId;
  }

  /** GetPatchBaseline: the baseline and the patch groups registered to it. */
  async get(ctx: Ctx, baselineId: string): Promise<{ baseline: PatchBaseline; patchGroups: string[] }> {
    const baseline = await this.findBaseline(ctx, baselineId);
    const groups = await this.store.listPatchGroups(ctx.tx, scopeOf(ctx));
    return {
      baseline,
      patchGroups: groups
        .filter((group) => group.baselineId === baseline.baselineId)
        .map((group) => group.patchGroup),
    };
  }

  /** UpdatePatchBaseline: given fields change; with `replace`, omitted optional fields go back to their defaults. */
  async update(
    ctx: Ctx,
    baselineId: string,
    changes: BaselineUpdate,
    replace: boolean,
  ): Promise<PatchBaseline> {
    const current = await this.findCustomBaseline(ctx, baselineId, 'update');
    const base: PatchBaseline = replace
      ? {
          baselineId: current.baselineId,
          ownerAccountId: current.ownerAccountId,
          awsOwned: false,
          name: current.name,
          operatingSystem: current.operatingSystem,
          globalFilters: [],
          approvalRules: [],
          approvedPatches: [],
          approvedPatchesComplianceLevel: 'UNSPECIFIED',
          approvedPatchesEnableNonSecurity: false,
          rejectedPatches: [],
          rejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
          sources: [],
          createdAt: current.createdAt,
          modifiedAt: current.modifiedAt,
        }
      : current;
    const next: PatchBaseline = { ...base, modifiedAt: ctx.now };
    for (const [key, value] of Object.entries(changes) as [keyof BaselineUpdate, unknown][]) {
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    }
    validateBaselineRules(next);
    await this.store.updateBaseline(ctx.tx, scopeOf(ctx), next);
    return next;
  }

  /** DeletePatchBaseline: refused while the baseline is a default or serves a patch group. */
  async delete(ctx: Ctx, baselineId: string): Promise<string> {
    const baseline = await this.findCustomBaseline(ctx, baselineId, 'delete');
    const scope = scopeOf(ctx);
    const defaults = await this.store.listDefaults(ctx.tx, scope);
    if (defaults.some((entry) => entry.baselineId === baseline.baselineId)) {
      throw ssmError(
        'ResourceInUseException',
        `Patch baseline ${baseline.baselineId} is the default patch baseline and cannot be deleted.`,
      );
    }
    const groups = await this.store.listPatchGroups(ctx.tx, scope);
    const used = groups.filter((group) => group.baselineId === baseline.baselineId);
    if (used.length > 0) {
      throw ssmError(
        'ResourceInUseException',
        `Patch baseline ${baseline.baselineId} is registered with patch groups: ${used.map((g) => g.patchGroup).join(', ')}.`,
      );
    }
    await this.store.deleteBaseline(ctx.tx, scope, baseline.baselineId);
    await this.tags?.removeAll(ctx.tx, {
      ...scope,
      resourceType: 'PatchBaseline',
      resourceId: baseline.baselineId,
    });
    return baseline.baselineId;
  }

  /** The account's registrations (patch groups and custom defaults) in the caller's Region. */
  async registrations(ctx: Ctx): Promise<BaselineRegistrations> {
    const scope = scopeOf(ctx);
    return {
      patchGroups: await this.store.listPatchGroups(ctx.tx, scope),
      defaults: await this.store.listDefaults(ctx.tx, scope),
    };
  }

  /** The current default baseline id of every OS. */
  private async defaultIds(ctx: Ctx): Promise<Map<OperatingSystem, string>> {
    const ids = new Map<OperatingSystem, string>();
    for (const baseline of predefinedBaselines(ctx.region))
      ids.set(baseline.operatingSystem, baseline.baselineId);
    for (const entry of await this.store.listDefaults(ctx.tx, scopeOf(ctx)))
      ids.set(entry.operatingSystem, entry.baselineId);
    return ids;
  }

  /** DescribePatchBaselines: custom and/or predefined baselines, with the default flag. */
  async describe(
    ctx: Ctx,
    filters: { namePrefix?: string; owner?: BaselineOwner; operatingSystems?: readonly string[] },
  ): Promise<BaselineListing[]> {
    const owner = filters.owner ?? 'All';
    const defaults = await this.defaultIds(ctx);
    const custom = owner === 'AWS' ? [] : await this.store.listBaselines(ctx.tx, scopeOf(ctx));
    const aws = owner === 'Self' ? [] : predefinedBaselines(ctx.region);
    return [...aws, ...custom]
      .filter((baseline) => filters.namePrefix === undefined || baseline.name.startsWith(filters.namePrefix))
      .filter(
        (baseline) =>
          filters.operatingSystems === undefined ||
          filters.operatingSystems.includes(baseline.operatingSystem),
      )
      .map((baseline) => ({
        baseline,
        isDefault: defaults.get(baseline.operatingSystem) === baseline.baselineId,
      }));
  }

  /** GetDefaultPatchBaseline. */
  async getDefault(ctx: Ctx, os: OperatingSystem): Promise<string> {
    return (await this.defaultIds(ctx)).get(os) ?? predefinedBaseline(ctx.region, os).baselineId;
  }

  /** RegisterDefaultPatchBaseline: the baseline becomes its OS's default (a predefined one reverts to AWS's). */
  async registerDefault(ctx: Ctx, baselineId: string): Promise<string> {
    if (!/^[a-zA-Z0-9_\-:/]{20,128}$/.test(baselineId)) {
      throw ssmError('InvalidResourceId', `Invalid patch baseline id: ${baselineId}`);
    }
    const baseline = await this.findBaseline(ctx, baselineId);
    const scope = scopeOf(ctx);
    if (baseline.awsOwned) await this.store.deleteDefault(ctx.tx, scope, baseline.operatingSystem);
    else
      await this.store.putDefault(
        ctx.tx,
        scope,
        { operatingSystem: baseline.operatingSystem, baselineId: baseline.baselineId },
        ctx.now,
      );
    return baseline.baselineId;
  }

  /** RegisterPatchBaselineForPatchGroup: one baseline per group per OS. */
  async registerPatchGroup(
    ctx: Ctx,
    baselineId: string,
    patchGroup: string,
  ): Promise<PatchGroupRegistration> {
    const baseline = await this.findBaseline(ctx, baselineId);
    const scope = scopeOf(ctx);
    const groups = await this.store.listPatchGroups(ctx.tx, scope);
    const taken = groups.find(
      (group) => group.patchGroup === patchGroup && group.operatingSystem === baseline.operatingSystem,
    );
    if (taken !== undefined) {
      throw ssmError(
        'AlreadyExistsException',
        `Patch Group ${patchGroup} is already registered with baseline ${taken.baselineId} for ${baseline.operatingSystem}.`,
      );
    }
    if (
      groups.filter((group) => group.baselineId === baseline.baselineId).length >= maxPatchGroupsPerBaseline
    ) {
      throw ssmError(
        'ResourceLimitExceededException',
        `Patch baseline ${baseline.baselineId} already serves ${maxPatchGroupsPerBaseline} patch groups.`,
      );
    }
    const registration = {
      patchGroup,
      operatingSystem: baseline.operatingSystem,
      baselineId: baseline.baselineId,
    };
    await this.store.insertPatchGroup(ctx.tx, scope, registration, ctx.now);
    return registration;
  }

  /** DeregisterPatchBaselineForPatchGroup. */
  async deregisterPatchGroup(
    ctx: Ctx,
    baselineId: string,
    patchGroup: string,
  ): Promise<PatchGroupRegistration> {
    const scope = scopeOf(ctx);
    const customId = customIdOf(ctx, baselineId);
    const groups = await this.store.listPatchGroups(ctx.tx, scope);
    const registered = groups.find(
      (group) =>
        group.patchGroup === patchGroup && (group.baselineId === baselineId || group.baselineId === customId),
    );
    if (registered === undefined) {
      throw ssmError(
        'InvalidResourceId',
        `Patch Group ${patchGroup} is not registered with baseline ${baselineId}.`,
      );
    }
    await this.store.deletePatchGroup(ctx.tx, scope, registered);
    return registered;
  }

  /** GetPatchBaselineForPatchGroup: the group's baseline for the OS, else the OS default. */
  async getForPatchGroup(ctx: Ctx, patchGroup: string, os: OperatingSystem): Promise<string> {
    return resolveBaselineForInstance({
      accountId: ctx.accountId,
      region: ctx.region,
      operatingSystem: os,
      patchGroup,
      registrations: await this.registrations(ctx),
    }).baselineId;
  }

  /** DescribePatchGroups: every registration with its baseline's identity. */
  async describePatchGroups(
    ctx: Ctx,
    filters: { namePrefix?: string; operatingSystems?: readonly string[] },
  ): Promise<{ patchGroup: string; baseline: PatchBaseline; isDefault: boolean }[]> {
    const groups = await this.store.listPatchGroups(ctx.tx, scopeOf(ctx));
    const defaults = await this.defaultIds(ctx);
    const result: { patchGroup: string; baseline: PatchBaseline; isDefault: boolean }[] = [];
    for (const group of groups) {
      if (filters.namePrefix !== undefined && !group.patchGroup.startsWith(filters.namePrefix)) continue;
      if (filters.operatingSystems !== undefined && !filters.operatingSystems.includes(group.operatingSystem))
        continue;
      const baseline = await this.findBaseline(ctx, group.baselineId).catch(() => undefined);
      if (baseline === undefined) continue;
      result.push({
        patchGroup: group.patchGroup,
        baseline,
        isDefault: defaults.get(baseline.operatingSystem) === baseline.baselineId,
      });
    }
    return result;
  }

  /**
   * GetDeployablePatchSnapshotForInstance: resolves the node's baseline (or uses the override) and freezes it for
   * the SnapshotId, so every node running the same snapshot with the same baseline gets the same content.
   */
  async deployableSnapshot(ctx: Ctx, request: SnapshotRequest): Promise<DeployableSnapshot> {
    return deployableSnapshotFor(
      {
        store: this.store,
        instances: this.instances,
        registrations: (of) => this.registrations(of),
        findBaseline: (of, baselineId) => this.findBaseline(of, baselineId),
      },
      ctx,
      request,
    );
  }
}
