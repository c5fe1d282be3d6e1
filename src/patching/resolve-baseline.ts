/** Which baseline patches a node (§5.6): its patch group's baseline for its OS, else the OS default. Pure. */
import type {
  DefaultBaselineRegistration,
  OperatingSystem,
  PatchGroupRegistration,
} from './patching-model.js';
import { predefinedBaselineId } from './predefined-baselines.js';

/** The registrations of one account in one Region that resolution reads. */
export interface BaselineRegistrations {
  patchGroups: readonly PatchGroupRegistration[];
  defaults: readonly DefaultBaselineRegistration[];
}

/** Where a resolved baseline came from. */
export type BaselineSource = 'PATCH_GROUP' | 'CUSTOM_DEFAULT' | 'PREDEFINED_DEFAULT';

/** The baseline a node runs with. */
export interface ResolvedBaseline {
  /** As the APIs show it: `pb-…` for custom baselines, the full ARN for predefined ones. */
  baselineId: string;
  /** Always the full ARN. */
  baselineArn: string;
  source: BaselineSource;
}

/** What resolution needs to know about the node. */
export interface BaselineResolutionInput {
  accountId: string;
  region: string;
  operatingSystem: OperatingSystem;
  /** The node's patch group (its `Patch Group` / `PatchGroup` tag); undefined or empty when it has none. */
  patchGroup: string | undefined;
  registrations: BaselineRegistrations;
}

/** The ARN of a baseline id (custom `pb-…` ids are owned by `accountId`). */
export function baselineArnOf(accountId: string, region: string, baselineId: string): string {
  return baselineId.startsWith('arn:')
    ? baselineId
    : `arn:aws:ssm:${region}:${accountId}:patchbaseline/${baselineId}`;
}

/**
 * Resolves the baseline of a node: the baseline registered to its patch group for its OS, else the account's
 * custom default for the OS, else the predefined AWS baseline of the OS. (A document's BaselineOverride, when
 * given, is applied by the caller before this.)
 */
export function resolveBaselineForInstance(input: BaselineResolutionInput): ResolvedBaseline {
  const { accountId, region, operatingSystem, patchGroup, registrations } = input;
  const resolved = (baselineId: string, source: BaselineSource): ResolvedBaseline => ({
    baselineId,
    baselineArn: baselineArnOf(accountId, region, baselineId),
    source,
  });
  if (patchGroup !== undefined && patchGroup !== '') {
    const registered = registrations.patchGroups.find(
      (entry) => entry.patchGroup === patchGroup && entry.operatingSystem === operatingSystem,
    );
    if (registered !== undefined) return resolved(registered.baselineId, 'PATCH_GROUP');
  }
  const custom = registrations.defaults.find((entry) => entry.operatingSystem === operatingSystem);
  if (custom !== undefined) return resolved(custom.baselineId, 'CUSTOM_DEFAULT');
  return resolved(predefinedBaselineId(region, operatingSystem), 'PREDEFINED_DEFAULT');
}
