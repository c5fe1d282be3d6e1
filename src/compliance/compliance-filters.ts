/** ComplianceStringFilter (spec §4.6): the key spellings callers use, resolved once, and in-memory matching. */
import { complianceDetailKeys, ssmError } from '../protocols/ssm/index.js';
import type { ComplianceItem, ComplianceSet } from './compliance-model.js';

export const complianceFilterTypes = [
  'EQUAL',
  'NOT_EQUAL',
  'BEGIN_WITH',
  'LESS_THAN',
  'GREATER_THAN',
] as const;
/** How a filter compares. */
export type ComplianceFilterType = (typeof complianceFilterTypes)[number];

/** The CamelCase spellings the User Guide uses (`Type=NotEqual`); botocore does not validate enums. */
const filterTypeAliases = new Map<string, ComplianceFilterType>(
  Object.entries({
    EQUAL: 'EQUAL',
    NOT_EQUAL: 'NOT_EQUAL',
    BEGIN_WITH: 'BEGIN_WITH',
    LESS_THAN: 'LESS_THAN',
    GREATER_THAN: 'GREATER_THAN',
    Equal: 'EQUAL',
    NotEqual: 'NOT_EQUAL',
    BeginWith: 'BEGIN_WITH',
    LessThan: 'LESS_THAN',
    GreaterThan: 'GREATER_THAN',
  }),
);

const itemFields = [
  'ComplianceType',
  'ResourceId',
  'ResourceType',
  'Id',
  'Title',
  'Status',
  'Severity',
] as const;
const executionFields = ['ExecutionId', 'ExecutionType', 'ExecutionTime'] as const;
type ItemField = (typeof itemFields)[number] | (typeof executionFields)[number];

/** Attributes of AWS:InstanceInformation a filter may name (spec §3.2). */
export const instanceInformationAttributes = [
  'AgentType',
  'AgentVersion',
  'ComputerName',
  'InstanceId',
  'IpAddress',
  'PlatformName',
  'PlatformType',
  'PlatformVersion',
  'ResourceType',
  'AgentStatus',
  'InstanceStatus',
] as const;

/** What a filter key refers to. */
export type ComplianceFilterKey =
  | { kind: 'field'; field: ItemField }
  | { kind: 'overallSeverity' }
  | { kind: 'detail'; name: string }
  | { kind: 'instance'; attribute: string };

/** A validated filter. */
export interface ComplianceFilter {
  key: ComplianceFilterKey;
  values: string[];
  type: ComplianceFilterType;
}

/** A filter as it arrives on the wire. */
export interface WireComplianceFilter {
  Key: string;
  Values: string[];
  Type?: string | undefined;
}

const invalidFilter = (message: string) => ssmError('InvalidFilter', message);

/** Resolves one key spelling: `Status`, `AWS:ComplianceItem.Status`, `Details.X`, `PatchGroup`, `AWS:InstanceInformation.PlatformType`, … */
export function resolveFilterKey(raw: string): ComplianceFilterKey {
  const key = raw.replace(/^AWS:Compliance(Item|Summary)\./, '');
  if (
    (itemFields as readonly string[]).includes(key) ||
    (executionFields as readonly string[]).includes(key)
  ) {
    return { kind: 'field', field: key as ItemField };
  }
  if (key === 'InstanceId') return { kind: 'field', field: 'ResourceId' };
  if (key === 'OverallSeverity') return { kind: 'overallSeverity' };
  if (key.startsWith('Details.') && key.length > 'Details.'.length) {
    return { kind: 'detail', name: key.slice('Details.'.length) };
  }
  if ((complianceDetailKeys as readonly string[]).includes(key)) return { kind: 'detail', name: key };
  const instancePrefix = 'AWS:InstanceInformation.';
  if (key.startsWith(instancePrefix)) {
    const attribute = key.slice(instancePrefix.length);
    if ((instanceInformationAttributes as readonly string[]).includes(attribute))
      return { kind: 'instance', attribute };
  }
  throw invalidFilter(`The filter key ${raw} is not valid.`);
}

/** Validates wire filters (unknown key or type → `InvalidFilter`). */
export function parseComplianceFilters(
  filters: readonly WireComplianceFilter[] | undefined,
): ComplianceFilter[] {
  return (filters ?? []).map((filter) => {
    const type = filter.Type === undefined ? 'EQUAL' : filterTypeAliases.get(filter.Type);
    if (type === undefined) throw invalidFilter(`The filter type ${filter.Type ?? ''} is not valid.`);
    if (filter.Values.length === 0) throw invalidFilter(`The filter ${filter.Key} has no values.`);
    return { key: resolveFilterKey(filter.Key), values: [...filter.Values], type };
  });
}

/** Whether any filter needs the resource's AWS:InstanceInformation. */
export const needsInstanceInformation = (filters: readonly ComplianceFilter[]): boolean =>
  filters.some((filter) => filter.key.kind === 'instance');

/** Whether any filter looks into items (so a set-level match must load them). */
export const needsItems = (filters: readonly ComplianceFilter[]): boolean =>
  filters.some(
    (filter) =>
      filter.key.kind === 'detail' ||
      (filter.key.kind === 'field' && (filter.key.field === 'Id' || filter.key.field === 'Title')),
  );

const numeric = /^-?\d+(\.\d+)?$/;

function timeOf(value: string): number | undefined {
  if (numeric.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(actual: string, wanted: string, asTime: boolean): number | undefined {
  if (asTime) {
    const a = timeOf(actual);
    const b = timeOf(wanted);
    return a === undefined || b === undefined ? undefined : a - b;
  }
  if (numeric.test(actual) && numeric.test(wanted)) return Number(actual) - Number(wanted);
  return actual < wanted ? -1 : actual > wanted ? 1 : 0;
}

/** Whether `actual` (undefined = the attribute is absent) satisfies `filter`. */
export function matchesValue(filter: ComplianceFilter, actual: string | undefined, asTime = false): boolean {
  if (actual === undefined) return filter.type === 'NOT_EQUAL';
  switch (filter.type) {
    case 'EQUAL':
      return filter.values.includes(actual);
    case 'NOT_EQUAL':
      return !filter.values.includes(actual);
    case 'BEGIN_WITH':
      return filter.values.some((value) => actual.startsWith(value));
    case 'LESS_THAN':
      return filter.values.some((value) => (compare(actual, value, asTime) ?? 0) < 0);
    case 'GREATER_THAN':
      return filter.values.some((value) => (compare(actual, value, asTime) ?? 0) > 0);
  }
}

/** The resource's AWS:InstanceInformation attributes, by resource id. */
export type InstanceInformationByResource = ReadonlyMap<string, Readonly<Record<string, string>>>;

function executionValue(
  field: 'ExecutionId' | 'ExecutionType' | 'ExecutionTime',
  execution: ComplianceItem['execution'],
): string | undefined {
  switch (field) {
    case 'ExecutionId':
      return execution.executionId;
    case 'ExecutionType':
      return execution.executionType;
    case 'ExecutionTime':
      return String(execution.executionTime.getTime() / 1000);
  }
}

function itemValue(item: ComplianceItem, field: ItemField): string | undefined {
  switch (field) {
    case 'ComplianceType':
      return item.complianceType;
    case 'ResourceId':
      return item.resourceId;
    case 'ResourceType':
      return item.resourceType;
    case 'Id':
      return item.id;
    case 'Title':
      return item.title;
    case 'Status':
      return item.status;
    case 'Severity':
      return item.severity;
    case 'ExecutionId':
    case 'ExecutionType':
    case 'ExecutionTime':
      return executionValue(field, item.execution);
  }
}

function instanceValue(
  resourceId: string,
  attribute: string,
  instances: InstanceInformationByResource | undefined,
): string | undefined {
  return instances?.get(resourceId)?.[attribute];
}

/** Whether one item passes one filter (OverallSeverity is read as the item's Severity). */
export function itemMatches(
  item: ComplianceItem,
  filter: ComplianceFilter,
  instances?: InstanceInformationByResource,
): boolean {
  const key = filter.key;
  switch (key.kind) {
    case 'field':
      return matchesValue(filter, itemValue(item, key.field), key.field === 'ExecutionTime');
    case 'overallSeverity':
      return matchesValue(filter, item.severity);
    case 'detail':
      return matchesValue(filter, item.details[key.name]);
    case 'instance':
      return matchesValue(filter, instanceValue(item.resourceId, key.attribute, instances));
  }
}

/**
 * Whether a set passes one filter: set-level keys compare with the set (Severity means its OverallSeverity);
 * item-level keys (Id, Title, details) pass when any of `items` passes.
 */
export function setMatches(
  set: ComplianceSet,
  filter: ComplianceFilter,
  items: readonly ComplianceItem[] | undefined,
  instances?: InstanceInformationByResource,
): boolean {
  const key = filter.key;
  switch (key.kind) {
    case 'overallSeverity':
      return matchesValue(filter, set.overallSeverity);
    case 'instance':
      return matchesValue(filter, instanceValue(set.resourceId, key.attribute, instances));
    case 'detail':
      return (items ?? []).some((item) => itemMatches(item, filter));
    case 'field':
      switch (key.field) {
        case 'ComplianceType':
          return matchesValue(filter, set.complianceType);
        case 'ResourceId':
          return matchesValue(filter, set.resourceId);
        case 'ResourceType':
          return matchesValue(filter, set.resourceType);
        case 'Status':
          return matchesValue(filter, set.status);
        case 'Severity':
          return matchesValue(filter, set.overallSeverity);
        case 'ExecutionId':
        case 'ExecutionType':
        case 'ExecutionTime':
          return matchesValue(
            filter,
            executionValue(key.field, set.execution),
            key.field === 'ExecutionTime',
          );
        case 'Id':
        case 'Title':
          return (items ?? []).some((item) => itemMatches(item, filter));
      }
  }
}
