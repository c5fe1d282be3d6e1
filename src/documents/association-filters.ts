/**
 * The filters of ListAssociations, DescribeAssociationExecutions and DescribeAssociationExecutionTargets as
 * conditions the stores apply in SQL. ResourceGroupName matches inside an association's targets (kept as JSON),
 * so it is the one filter decided on the loaded association, while scanning (see keyset-scan.ts).
 */
import type { Scope } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { ExecutionCondition, TargetCondition } from './association-executions-store.js';
import type { AssociationCondition } from './associations-store.js';
import { parseDocumentReference } from './document-reference.js';
import type { Association } from './documents-model.js';

/** One ListAssociations filter (AssociationFilterList). */
export interface AssociationFilter {
  key: string;
  value: string;
}

/** ListAssociations filters: the SQL conditions and the test of what SQL can't decide. */
export interface AssociationQuery {
  conditions: AssociationCondition[];
  matches: (association: Association) => boolean;
}

/** Epoch seconds or a date-time text, in milliseconds; undefined when neither. */
function parseTime(value: string): number | undefined {
  const number = Number(value);
  if (value !== '' && Number.isFinite(number)) return number * 1000;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function associationCondition(filter: AssociationFilter, scope: Scope): AssociationCondition | undefined {
  switch (filter.key) {
    case 'InstanceId':
      return { column: 'instance_id', value: filter.value };
    case 'Name': {
      const key = parseDocumentReference(filter.value, scope);
      return { document: { owner: key.owner, name: key.name } };
    }
    case 'AssociationId':
      return { column: 'association_id', value: filter.value };
    case 'AssociationStatusName':
      return { overview: filter.value };
    case 'AssociationName':
      return { column: 'association_name', value: filter.value };
    case 'LastExecutedBefore':
    case 'LastExecutedAfter': {
      const at = parseTime(filter.value);
      if (at === undefined) throw ssmError('ValidationException', `${filter.key} must be a date and time.`);
      return { lastExecuted: filter.key === 'LastExecutedBefore' ? '<' : '>', at };
    }
    case 'ResourceGroupName':
      return undefined;
    default:
      throw ssmError('ValidationException', `Unknown association filter key ${filter.key}.`);
  }
}

/** ListAssociations' filters, AND-ed; ValidationException for an unknown key or a date that isn't one. */
export function associationQuery(filters: readonly AssociationFilter[], scope: Scope): AssociationQuery {
  const conditions = filters.flatMap((filter) => associationCondition(filter, scope) ?? []);
  const groups = filters.filter((filter) => filter.key === 'ResourceGroupName').map((f) => f.value);
  return {
    conditions,
    matches: (association) =>
      groups.every((group) =>
        (association.spec.targets ?? []).some(
          (t) => t.key === 'resource-groups:Name' && t.values.includes(group),
        ),
      ),
  };
}

/** DescribeAssociationExecutions' filters; ValidationException for an unknown key or a CreatedTime that isn't one. */
export function executionConditions(
  filters: readonly {
    Key: string;
    Value: string;
    Type?: 'EQUAL' | 'LESS_THAN' | 'GREATER_THAN' | undefined;
  }[],
): ExecutionCondition[] {
  return filters.map((filter): ExecutionCondition => {
    if (filter.Key === 'ExecutionId') return { column: 'execution_id', value: filter.Value };
    if (filter.Key === 'Status') return { column: 'status', value: filter.Value };
    if (filter.Key === 'CreatedTime') {
      const at = Number.isFinite(Number(filter.Value))
        ? Number(filter.Value) * 1000
        : Date.parse(filter.Value);
      if (Number.isNaN(at)) throw ssmError('ValidationException', 'CreatedTime must be a date and time.');
      const op = filter.Type === 'LESS_THAN' ? '<' : filter.Type === 'GREATER_THAN' ? '>' : '=';
      return { column: 'created_at', op, value: at };
    }
    throw ssmError('ValidationException', `Unknown filter key ${filter.Key}.`);
  });
}

/**
 * DescribeAssociationExecutionTargets' filters; undefined when one can match nothing (every target is a
 * ManagedInstance, so a ResourceType filter either matches all or none).
 */
export function targetConditions(
  filters: readonly { Key: 'Status' | 'ResourceId' | 'ResourceType'; Value: string }[],
): TargetCondition[] | undefined {
  if (filters.some((f) => f.Key === 'ResourceType' && f.Value !== 'ManagedInstance')) return undefined;
  return filters.flatMap((filter): TargetCondition[] =>
    filter.Key === 'Status'
      ? [{ column: 'status', value: filter.Value }]
      : filter.Key === 'ResourceId'
        ? [{ column: 'instance_id', value: filter.Value }]
        : [],
  );
}
