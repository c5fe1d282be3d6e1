/**
 * DescribeInstanceInformation filters (spec §2.3): `Filters` (`InstanceIds`, `PingStatus`, …, `tag-key`,
 * `tag:<key>`) or the legacy `InstanceInformationFilterList`. Keys AND, values OR; tag filters can't be combined
 * with other kinds.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ssmError } from '../protocols/ssm/index.js';
import type { Database } from '../storage/database.js';
import { pingStatuses, platformTypes } from './fleet-model.js';

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

/** Rows of `ssm_managed_instances` that pass every filter; PingStatus Online means a ping at or after `onlineSince`. */
export function instanceFiltersWhere(
  eb: ExpressionBuilder<Database, 'ssm_managed_instances'>,
  filters: readonly InstanceFilter[],
  onlineSince: number,
): Expression<SqlBool> {
  const tagged = (key: string | undefined, values: readonly string[]) =>
    eb.exists(
      eb
        .selectFrom('ssm_resource_tags as tag')
        .select('tag.tag_key')
        .whereRef('tag.account_id', '=', 'ssm_managed_instances.account_id')
        .whereRef('tag.region', '=', 'ssm_managed_instances.region')
        .where('tag.resource_type', '=', 'ManagedInstance')
        .whereRef('tag.resource_id', '=', 'ssm_managed_instances.instance_id')
        .where((tag) =>
          key === undefined
            ? tag('tag.tag_key', 'in', values)
            : tag.and([tag('tag.tag_key', '=', key), tag('tag.tag_value', 'in', values)]),
        ),
    );
  const live = eb('deregistered_at', 'is', null);
  const pingIs = (status: string): Expression<SqlBool> =>
    status === 'Inactive'
      ? eb('deregistered_at', 'is not', null)
      : eb.and([live, eb('last_ping_at', status === 'Online' ? '>=' : '<', onlineSince)]);
  const constant = (value: boolean) => sql<SqlBool>`${sql.lit(value ? 1 : 0)} = 1`;
  return eb.and(
    filters.map((filter): Expression<SqlBool> => {
      const values = filter.values;
      switch (filter.key) {
        case 'InstanceIds':
        case 'SourceIds':
          return eb('instance_id', 'in', values);
        case 'AgentVersion':
          return eb('agent_version', 'in', values);
        case 'PingStatus':
          return eb.or(values.map(pingIs));
        case 'PlatformTypes':
          return eb('platform_type', 'in', values);
        case 'ActivationIds':
          return eb('activation_id', 'in', values);
        case 'IamRole':
          return eb('iam_role', 'in', values);
        case 'ResourceType':
          return constant(values.includes('ManagedInstance'));
        case 'SourceTypes':
          return constant(values.includes('AWS::SSM::ManagedInstance'));
        case 'AssociationStatus':
          return eb('association_status', 'in', values);
        case 'tag-key':
          return tagged(undefined, values);
        default:
          return tagged(filter.key.slice('tag:'.length), values);
      }
    }),
  );
}
