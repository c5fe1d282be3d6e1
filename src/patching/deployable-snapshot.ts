/** GetDeployablePatchSnapshotForInstance (§5.7): a node's baseline (or an override) frozen for a SnapshotId. */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import {
  snapshotRetentionMs,
  type DeployableSnapshot,
  type PatchInstanceSource,
} from './baseline-contracts.js';
import { validateBaselineRules, withNodeFacts } from './baseline-rules.js';
import type { BaselineRules, PatchBaseline } from './patching-model.js';
import type { PatchingStore } from './patching-store.js';
import { resolveBaselineForInstance, type BaselineRegistrations } from './resolve-baseline.js';
import { snapshotDocumentOf } from './snapshot-document.js';

/** Which node and snapshot, and the baseline override the caller sent, if any. */
export interface SnapshotRequest {
  instanceId: string;
  snapshotId: string;
  override?: BaselineRules;
}

/** What a snapshot is made from: stored snapshots, the node, the registrations and the baselines. */
export interface SnapshotSources {
  store: PatchingStore;
  instances: PatchInstanceSource;
  registrations(ctx: Ctx): Promise<BaselineRegistrations>;
  findBaseline(ctx: Ctx, baselineId: string): Promise<PatchBaseline>;
}

/**
 * The node's snapshot: with an override, the override's document; otherwise the resolved baseline frozen for
 * the SnapshotId (reused while younger than the retention), with this node's patch group and product.
 */
export async function deployableSnapshotFor(
  deps: SnapshotSources,
  ctx: Ctx,
  request: SnapshotRequest,
): Promise<DeployableSnapshot> {
  const scope = { accountId: ctx.accountId, region: ctx.region };
  const instance = await deps.instances.findInstance(ctx.tx, scope, request.instanceId);
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
    registrations: await deps.registrations(ctx),
  });
  const frozen = await deps.store.findSnapshot(ctx.tx, scope, request.snapshotId, resolved.baselineId);
  if (frozen !== undefined && ctx.now.getTime() - frozen.createdAt.getTime() < snapshotRetentionMs) {
    return {
      instanceId: request.instanceId,
      snapshotId: request.snapshotId,
      product: platform.product,
      document: withNodeFacts(frozen.document, patchGroup, platform.product),
    };
  }
  const baseline = await deps.findBaseline(ctx, resolved.baselineId);
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
  await deps.store.putSnapshot(
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
