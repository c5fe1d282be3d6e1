/** Patch baselines, defaults, patch groups and deployable snapshots: the rules of Patch Manager's configuration. */
import { createHash, randomBytes } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';
import {
  baselineFilterKeys,
  isAptFamily,
  type BaselineDefinition,
  type BaselineRules,
  type NodePlatform,
  type OperatingSystem,
  type PatchBaseline,
  type PatchGroupRegistration,
} from './patching-model.js';
import { findPredefinedBaseline, predefinedBaseline, predefinedBaselines } from './predefined-baselines.js';
import { resolveBaselineForInstance, type BaselineRegistrations } from './resolve-baseline.js';
import { snapshotDocumentOf } from './snapshot-document.js';
import type { PatchingStore, PatchScope } from './patching-store.js';

/** Custom baselines per account and Region (§11 [U]; the brief's number). */
export const maxCustomBaselines = 50;
/** Patch groups one baseline may serve (AWS's published quota). */
export const maxPatchGroupsPerBaseline = 25;
/** How long a SnapshotId keeps its frozen baseline (§5.7: at least 3 days). */
export const snapshotRetentionMs = 3 * 86_400_000;

/** What UpdatePatchBaseline may change (the OS is immutable). */
export type BaselineUpdate = Partial<Omit<BaselineDefinition, 'operatingSystem'>>;

/** Who owns the baselines DescribePatchBaselines lists. */
export type BaselineOwner = 'Self' | 'AWS' | 'All';

/** One baseline in a listing, with whether it is its OS's current default. */
export interface BaselineListing {
  baseline: PatchBaseline;
  isDefault: boolean;
}

/** What the snapshot needs to know of a managed node. */
export interface PatchInstance {
  /** Undefined when the node has not reported a platform Patch Manager supports. */
  platform: NodePlatform | undefined;
  /** The node's `Patch Group` / `PatchGroup` tag. */
  patchGroup: string | undefined;
}

/** Looks up managed nodes for patching (the fleet capability supplies the real one). */
export interface PatchInstanceSource {
  /** The node, or undefined when the account has no such managed node. */
  findInstance(db: DbExecutor, scope: PatchScope, instanceId: string): Promise<PatchInstance | undefined>;
}

/** The SSM tag store as far as baselines need it (CreatePatchBaseline Tags; tags go when the baseline goes). */
export interface BaselineTagStore {
  put(
    db: DbExecutor,
    resource: PatchScope & { resourceType: 'PatchBaseline'; resourceId: string },
    tags: readonly { key: string; value: string }[],
  ): Promise<void>;
  removeAll(
    db: DbExecutor,
    resource: PatchScope & { resourceType: 'PatchBaseline'; resourceId: string },
  ): Promise<void>;
}

/** A deployable snapshot (§5.7). */
export interface DeployableSnapshot {
  instanceId: string;
  snapshotId: string;
  product: string;
  /** The JSON document the agent runs with. */
  document: string;
}

const scopeOf = (ctx: Ctx): PatchScope => ({ accountId: ctx.accountId, region: ctx.region });

const doesNotExist = (baselineId: string): Error =>
  ssmError('DoesNotExistException', `Patch Baseline ${baselineId} does not exist.`);

const validation = (message: string): Error => ssmError('ValidationException', message);

function newBaselineId(): string {
  return `pb-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Checks what the model's constraints cannot express: filter keys per OS, one key per group, rule dates. */
export function validateBaselineRules(rules: BaselineRules): void {
  const allowed = baselineFilterKeys(rules.operatingSystem);
  const groups = [
    { at: 'GlobalFilters', filters: rules.globalFilters },
    ...rules.approvalRules.map((rule, index) => ({
      at: `ApprovalRules.PatchRules.${index + 1}`,
      filters: rule.filters,
    })),
  ];
  for (const group of groups) {
    const seen = new Set<string>();
    for (const filter of group.filters) {
      if (!allowed.includes(filter.key)) {
        throw validation(
          `${group.at}: filter key ${filter.key} is not supported for ${rules.operatingSystem}; valid keys: ${allowed.join(', ')}.`,
        );
      }
      if (seen.has(filter.key))
        throw validation(`${group.at}: filter key ${filter.key} appears more than once.`);
      seen.add(filter.key);
    }
  }
  rules.approvalRules.forEach((rule, index) => {
    const at = `ApprovalRules.PatchRules.${index + 1}`;
    const hasDays = rule.approveAfterDays !== undefined;
    const hasDate = rule.approveUntilDate !== undefined;
    if (hasDays && hasDate)
      throw validation(`${at}: specify either ApproveAfterDays or ApproveUntilDate, not both.`);
    if (!hasDays && !hasDate && !isAptFamily(rules.operatingSystem)) {
      throw validation(`${at}: the rule must include either ApproveAfterDays or ApproveUntilDate.`);
    }
    if (rule.approveUntilDate !== undefined) {
      const date = rule.approveUntilDate;
      const parsed = Date.parse(`${date}T00:00:00Z`);
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
        Number.isNaN(parsed) ||
        new Date(parsed).toISOString().slice(0, 10) !== date
      ) {
        throw validation(`${at}: ApproveUntilDate ${date} is not a date in the format YYYY-MM-DD.`);
      }
    }
  });
}

/** A stable hash of a CreatePatchBaseline request, for ClientToken idempotency. */
function fingerprintOf(
  definition: BaselineDefinition,
  tags: readonly { key: string; value: string }[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([definition, tags]))
    .digest('hex');
}

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
  async deployableSnapshot(
    ctx: Ctx,
    request: { instanceId: string; snapshotId: string; override?: BaselineRules },
  ): Promise<DeployableSnapshot> {
    const scope = scopeOf(ctx);
    const instance = await this.instances.findInstance(ctx.tx, scope, request.instanceId);
    if (instance === undefined)
      throw ssmError('InvalidInstanceId', `Instance ${request.instanceId} is not a managed node.`);
    const platform = instance.platform;
    if (platform === undefined) {
      throw ssmError(
        'UnsupportedOperatingSystem',
        `Instance ${request.instanceId} has not reported an operating system Patch Manager supports.`,
      );
    }
    const patchGroup = instance.patchGroup ?? '';
    if (request.override !== undefined) {
      if (request.override.operatingSystem !== platform.operatingSystem) {
        throw ssmError(
          'UnsupportedOperatingSystem',
          `BaselineOverride is for ${request.override.operatingSystem}, but ${request.instanceId} runs ${platform.operatingSystem}.`,
        );
      }
      validateBaselineRules(request.override);
      const document = snapshotDocumentOf({
        accountId: ctx.accountId,
        baselineId: 'BaselineOverride',
        name: 'BaselineOverride',
        rules: request.override,
        createdAt: ctx.now,
        modifiedAt: ctx.now,
        patchGroup,
        product: platform.product,
      });
      return {
        instanceId: request.instanceId,
        snapshotId: request.snapshotId,
        product: platform.product,
        document,
      };
    }
    const resolved = resolveBaselineForInstance({
      accountId: ctx.accountId,
      region: ctx.region,
      operatingSystem: platform.operatingSystem,
      patchGroup,
      registrations: await this.registrations(ctx),
    });
    const frozen = await this.store.findSnapshot(ctx.tx, scope, request.snapshotId, resolved.baselineId);
    if (frozen !== undefined && ctx.now.getTime() - frozen.createdAt.getTime() < snapshotRetentionMs) {
      return {
        instanceId: request.instanceId,
        snapshotId: request.snapshotId,
        product: platform.product,
        document: withNodeFacts(frozen.document, patchGroup, platform.product),
      };
    }
    const baseline = await this.findBaseline(ctx, resolved.baselineId);
    const document = snapshotDocumentOf({
      accountId: baseline.ownerAccountId,
      baselineId: baseline.baselineId,
      name: baseline.name,
      ...(baseline.description === undefined ? {} : { description: baseline.description }),
      rules: baseline,
      createdAt: baseline.createdAt,
      modifiedAt: baseline.modifiedAt,
      patchGroup,
      product: platform.product,
    });
    await this.store.putSnapshot(
      ctx.tx,
      scope,
      { snapshotId: request.snapshotId, baselineId: resolved.baselineId, document },
      ctx.now,
    );
    return {
      instanceId: request.instanceId,
      snapshotId: request.snapshotId,
      product: platform.product,
      document,
    };
  }
}

/** A frozen baseline with this node's own patch group and product (the baseline part stays frozen). */
function withNodeFacts(document: string, patchGroup: string, product: string): string {
  const parsed = JSON.parse(document) as Record<string, unknown>;
  return JSON.stringify({ ...parsed, patchGroup, product });
}
