/** Which managed nodes an association targets (ssm-api.md §10.1). */
import { matchesTargets, rolloutPercentKey } from '../protocols/ssm/index.js';
import type { AssociationSpec } from './documents-model.js';

/** Whether `spec` targets `instanceId`, given the node's tags (undefined: unknown, tag targets can't match). */
export function targetsInstance(
  spec: AssociationSpec,
  instanceId: string,
  tags: Record<string, string> | undefined,
): boolean {
  if (spec.instanceId !== undefined) return spec.instanceId === instanceId;
  const targets = spec.targets ?? [];
  // Several targets: the node must match every one (ssm-api.md §10.1); one target's values are alternatives.
  return (
    targets.length > 0 &&
    targets.every((target) => {
      if (target.key === rolloutPercentKey) return matchesTargets([target], instanceId, tags ?? {});
      if (target.key === 'InstanceIds')
        return target.values.includes('*') || target.values.includes(instanceId);
      if (target.key === 'tag-key') return tags !== undefined && target.values.some((k) => k in tags);
      if (target.key.startsWith('tag:')) {
        const value = tags?.[target.key.slice(4)];
        return value !== undefined && target.values.includes(value);
      }
      // Resource groups are not modeled yet: accept what the agent says runs.
      return target.key.startsWith('resource-groups:');
    })
  );
}
