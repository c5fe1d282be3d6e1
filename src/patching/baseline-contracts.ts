/** The limits of Patch Manager's configuration and the shapes PatchBaselineService reads and returns. */
import type { DbExecutor } from '../storage/database.js';
import type { BaselineDefinition, NodePlatform, PatchBaseline } from './patching-model.js';
import type { PatchScope } from './patching-store.js';

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
