/**
 * Targets of Run Command (ssm-api.md §10.1): `InstanceIds` (or `instanceids`), `tag:<key>` and `tag-key`.
 * A node must satisfy every target (AND across keys); one target's values are alternatives (OR).
 */

/** One target as a request gives it. */
export interface Target {
  key: string;
  values: string[];
}

export const targetLimits = { maxTargets: 5, maxValues: 50 };

const keyPattern = /^(InstanceIds|instanceids|tag:.{1,128}|tag-key)$/;

/** Why `targets` cannot be resolved, or undefined when they can. */
export function targetsProblem(targets: readonly Target[]): string | undefined {
  if (targets.length === 0) return 'Targets must hold at least one target.';
  if (targets.length > targetLimits.maxTargets)
    return `Targets holds at most ${targetLimits.maxTargets} targets.`;
  for (const target of targets) {
    if (target.key.startsWith('resource-groups:'))
      return `Target ${target.key}: resource groups are not supported; target nodes by tag or id.`;
    if (!keyPattern.test(target.key))
      return `Target key ${target.key} is not InstanceIds, tag:<key> or tag-key.`;
    if (target.values.length === 0 || target.values.length > targetLimits.maxValues)
      return `Target ${target.key} needs 1 to ${targetLimits.maxValues} values.`;
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
    const value = tags[target.key.slice('tag:'.length)];
    return value !== undefined && target.values.includes(value);
  });
}
