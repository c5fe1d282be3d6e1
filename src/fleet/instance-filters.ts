/**
 * DescribeInstanceInformation filters (spec §2.3): `Filters` (`InstanceIds`, `PingStatus`, …, `tag-key`,
 * `tag:<key>`) or the legacy `InstanceInformationFilterList`. Keys AND, values OR; tag filters can't be combined
 * with other kinds.
 */
import { ssmError } from '../protocols/ssm/index.js';
import { pingStatuses, platformTypes, type ManagedInstance, type PingStatus, type Tag } from './fleet-model.js';

/** One filter after validation. */
export interface InstanceFilter {
  key: string;
  values: string[];
}

/** The keys both filter lists accept; `Filters` adds `tag-key`, `tag:<key>`, `SourceIds` and `SourceTypes`. */
export const legacyFilterKeys = [
  'InstanceIds',
  'AgentVersion',
  'PingStatus',
  'PlatformTypes',
  'ActivationIds',
  'IamRole',
  'ResourceType',
  'AssociationStatus',
] as const;

const filterKeys = new Set<string>([...legacyFilterKeys, 'SourceIds', 'SourceTypes', 'tag-key']);

const allowedValues = new Map<string, readonly string[]>(
  Object.entries({
    PingStatus: pingStatuses,
    PlatformTypes: platformTypes,
    ResourceType: ['EC2Instance', 'ManagedInstance'],
    AssociationStatus: ['Success', 'Pending', 'Failed'],
    SourceTypes: ['AWS::EC2::Instance', 'AWS::IoT::Thing', 'AWS::SSM::ManagedInstance'],
  }),
);

const isTagFilter = (key: string): boolean => key === 'tag-key' || key.startsWith('tag:');

/** Validates filters: unknown key → InvalidFilterKey, bad value → InvalidInstanceInformationFilterValue. */
export function checkInstanceFilters(filters: readonly InstanceFilter[]): InstanceFilter[] {
  for (const filter of filters) {
    if (!filterKeys.has(filter.key) && !(filter.key.startsWith('tag:') && filter.key.length > 4)) {
      throw ssmError('InvalidFilterKey', `The filter key ${filter.key} is not valid.`);
    }
    const allowed = allowedValues.get(filter.key);
    const wrong = allowed === undefined ? undefined : filter.values.find((value) => !allowed.includes(value));
    if (wrong !== undefined) {
      throw ssmError(
        'InvalidInstanceInformationFilterValue',
        `The filter value ${wrong} is not valid for ${filter.key}; valid values: ${allowed?.join(', ') ?? ''}.`,
      );
    }
  }
  const tagFilters = filters.filter((filter) => isTagFilter(filter.key)).length;
  if (tagFilters > 0 && tagFilters < filters.length) {
    throw ssmError('InvalidFilterKey', 'Tag filters cannot be combined with other filter types.');
  }
  return [...filters];
}

/** Whether the filters ask for deregistered (Inactive) instances, which are otherwise hidden. */
export function wantsInactive(filters: readonly InstanceFilter[]): boolean {
  return filters.some((filter) => filter.key === 'PingStatus' && filter.values.includes('Inactive'));
}

/** Whether `instance` (with its derived PingStatus and tags) passes every filter. */
export function matchesInstanceFilters(
  instance: ManagedInstance,
  pingStatus: PingStatus,
  tags: readonly Tag[],
  filters: readonly InstanceFilter[],
): boolean {
  return filters.every((filter) => {
    const any = (value: string | undefined): boolean => value !== undefined && filter.values.includes(value);
    switch (filter.key) {
      case 'InstanceIds':
      case 'SourceIds':
        return any(instance.instanceId);
      case 'AgentVersion':
        return any(instance.agentVersion);
      case 'PingStatus':
        return any(pingStatus);
      case 'PlatformTypes':
        return any(instance.platformType);
      case 'ActivationIds':
        return any(instance.activationId);
      case 'IamRole':
        return any(instance.iamRole);
      case 'ResourceType':
        return any('ManagedInstance');
      case 'SourceTypes':
        return any('AWS::SSM::ManagedInstance');
      case 'AssociationStatus':
        return any(instance.associationStatus);
      case 'tag-key':
        return tags.some((tag) => filter.values.includes(tag.key));
      default: {
        const key = filter.key.slice('tag:'.length);
        return tags.some((tag) => tag.key === key && filter.values.includes(tag.value));
      }
    }
  });
}
