/**
 * Targets of Run Command and maintenance windows (ssm-api.md §10.1): `InstanceIds` (or `instanceids`),
 * `tag:<key>` and `tag-key`, plus Bulwark's staged-rollout key `bulwark:rollout-percent`. A node must satisfy
 * every target (AND across keys); one target's values are alternatives (OR).
 */
import { createHash } from 'node:crypto';

/** One target as a request gives it. */
export interface Target {
  key: string;
  values: string[];
}

export const targetLimits = { maxTargets: 5, maxValues: 50 };

/**
 * `bulwark:rollout-percent` = P (1–100) keeps the nodes whose stable ring position (a hash of the instance id,
 * 0–99) is below P: the nodes of a 10 % ring are also in the 50 % ring, so a rollout widens ring by ring.
 */
export const rolloutPercentKey = 'bulwark:rollout-percent';

const keyPattern = /^(InstanceIds|instanceids|tag:.{1,128}|tag-key|bulwark:rollout-percent)$/;

/** A node's place in the rollout ring: 0–99, the same for an instance id everywhere and always. */
export function rolloutPosition(instanceId: string): number {
  return createHash('sha256').update(instanceId).digest().readUInt32BE(0) % 100;
}

/** Why `targets` cannot be resolved, or undefined when they can. */
export function targetsProblem(targets: readonly Target[]): string | undefined {
  if (targets.length === 0) return 'Targets must hold at least one target.';
  if (targets.length > targetLimits.maxTargets)
    return `Targets holds at most ${targetLimits.maxTargets} targets.`;
  for (const target of targets) {
    if (target.key.startsWith('resource-groups:'))
      return `Target ${target.key}: resource groups are not supported; target nodes by tag or id.`;
    if (!keyPattern.test(target.key))
      return `Target key ${target.key} is not InstanceIds, tag:<key>, tag-key or ${rolloutPercentKey}.`;
    if (target.values.length === 0 || target.values.length > targetLimits.maxValues)
      return `Target ${target.key} needs 1 to ${targetLimits.maxValues} values.`;
    if (
      target.key === rolloutPercentKey &&
      (target.values.length !== 1 || !/^([1-9][0-9]?|100)$/.test(target.values[0] ?? ''))
    )
      return `Target ${rolloutPercentKey} takes one value, a percentage from 1 to 100.`;
  }
  return undefined;
}

/** Whether a node with `tags` is one of `targets`. */
export function matchesTargets(
  targets: readonly Target[],
  instanceId: string,
  tags: Readonly<Record<string, string>>,
): boolean {
  return targets.every((target) => {
    if (target.key === 'InstanceIds' || target.key === 'instanceids')
      return target.values.includes(instanceId);
    if (target.key === 'tag-key') return target.values.some((key) => key in tags);
    if (target.key === rolloutPercentKey) return rolloutPosition(instanceId) < Number(target.values[0]);
    const value = tags[target.key.slice('tag:'.length)];
    return value !== undefined && target.values.includes(value);
  });
}
