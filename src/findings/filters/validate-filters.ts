/** The semantic checks on a parsed filter set that a schema cannot express (spec §4.1, §10). */

import { invalidInput } from '../../kernel/index.js';
import { parseAsffTimestamp } from './asff-timestamp.js';
import { filterKeys, filterKeysOfType, type FilterKey } from './filter-keys.js';
import type { DateFilter, FindingFilters, MapFilter, StringFilter } from './filter-value-schemas.js';
import { parseCidr } from './ip-cidr.js';

/** How many attributes and values a filter set may hold. */
export interface FilterLimits {
  /** Most keys with at least one value; absent means no limit. */
  readonly maxKeys?: number;
  readonly minValuesPerKey: number;
  readonly maxValuesPerKey: number;
  /** Keys whose value limit differs from maxValuesPerKey. */
  readonly maxValuesByKey?: Readonly<Partial<Record<FilterKey, number>>>;
}

/** GetFindings and insights: up to 10 attributes, up to 20 values each (spec §4). */
export const findingFilterLimits: FilterLimits = { maxKeys: 10, minValuesPerKey: 0, maxValuesPerKey: 20 };

/** Automation rule criteria: 1..20 values per key, 1..100 for four keys (spec §10). */
export const automationRuleCriteriaLimits: FilterLimits = {
  minValuesPerKey: 1,
  maxValuesPerKey: 20,
  maxValuesByKey: { AwsAccountId: 100, GeneratorId: 100, Title: 100, ResourceId: 100 },
};

/** Throws InvalidInput naming the key and the problem if the filter set breaks a rule of §4.1 or its limits. */
export function validateFilters(filters: FindingFilters, limits: FilterLimits): void {
  const problem = findFilterProblem(filters, limits);
  if (problem !== undefined) throw invalidInput(problem);
}

/** The first rule the filter set breaks, as a message, or undefined if it is valid. */
export function findFilterProblem(filters: FindingFilters, limits: FilterLimits): string | undefined {
  return (
    checkCounts(filters, limits) ??
    firstProblem(filterKeysOfType('string'), (key) => checkStringFilters(key, filters[key])) ??
    firstProblem(filterKeysOfType('map'), (key) => checkMapFilters(key, filters[key])) ??
    firstProblem(filterKeysOfType('date'), (key) => checkDateFilters(key, filters[key])) ??
    firstProblem(filterKeysOfType('ip'), (key) => checkIpFilters(key, filters[key]))
  );
}

function firstProblem<K>(keys: readonly K[], check: (key: K) => string | undefined): string | undefined {
  for (const key of keys) {
    const problem = check(key);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkCounts(filters: FindingFilters, limits: FilterLimits): string | undefined {
  const used: FilterKey[] = [];
  for (const key of filterKeys) {
    const list = filters[key];
    if (list === undefined) continue;
    if (list.length < limits.minValuesPerKey) {
      return `Filter ${key} needs at least ${limits.minValuesPerKey} value${limits.minValuesPerKey === 1 ? '' : 's'}`;
    }
    const max = limits.maxValuesByKey?.[key] ?? limits.maxValuesPerKey;
    if (list.length > max) return `Filter ${key} has ${list.length} values; at most ${max} are allowed`;
    if (list.length > 0) used.push(key);
  }
  if (limits.maxKeys !== undefined && used.length > limits.maxKeys) {
    return `Filters use ${used.length} attributes (${used.join(', ')}); at most ${limits.maxKeys} are allowed`;
  }
  return undefined;
}

function checkStringFilters(key: FilterKey, list: readonly StringFilter[] | undefined): string | undefined {
  if (list === undefined) return undefined;
  const used = new Set(list.map((filter) => filter.Comparison));
  if (used.has('CONTAINS') && used.has('NOT_CONTAINS')) {
    return `Filter ${key} cannot combine CONTAINS with NOT_CONTAINS`;
  }
  if (used.has('EQUALS') && used.has('NOT_EQUALS')) {
    return `Filter ${key} cannot combine EQUALS with NOT_EQUALS`;
  }
  if (used.has('EQUALS') && used.has('PREFIX_NOT_EQUALS')) {
    return `Filter ${key} cannot combine EQUALS with PREFIX_NOT_EQUALS`;
  }
  for (const only of ['CONTAINS', 'NOT_CONTAINS'] as const) {
    if (used.has(only) && used.size > 1) {
      const others = [...used].filter((comparison) => comparison !== only).join(', ');
      return `Filter ${key} cannot combine ${only} with other comparisons (${others})`;
    }
  }
  return undefined;
}

function checkMapFilters(key: FilterKey, list: readonly MapFilter[] | undefined): string | undefined {
  if (list === undefined) return undefined;
  const used = new Set(list.map((filter) => filter.Comparison));
  if (used.has('CONTAINS') && used.has('NOT_CONTAINS')) {
    return `Filter ${key} cannot combine CONTAINS with NOT_CONTAINS`;
  }
  if (used.has('EQUALS') && used.has('NOT_EQUALS')) {
    return `Filter ${key} cannot combine EQUALS with NOT_EQUALS`;
  }
  return undefined;
}

function checkDateFilters(key: FilterKey, list: readonly DateFilter[] | undefined): string | undefined {
  for (const filter of list ?? []) {
    const absolute = filter.Start !== undefined || filter.End !== undefined;
    if (!absolute && filter.DateRange === undefined) {
      return `Filter ${key} needs either Start/End or DateRange`;
    }
    if (absolute && filter.DateRange !== undefined) {
      return `Filter ${key} takes either Start/End or DateRange, not both`;
    }
    for (const bound of ['Start', 'End'] as const) {
      const text = filter[bound];
      if (text !== undefined && parseAsffTimestamp(text) === undefined) {
        return `Filter ${key} has an invalid ${bound} date: ${text}`;
      }
    }
  }
  return undefined;
}

function checkIpFilters(key: FilterKey, list: readonly { Cidr: string }[] | undefined): string | undefined {
  for (const filter of list ?? []) {
    if (parseCidr(filter.Cidr) === undefined) return `Filter ${key} has an invalid CIDR: ${filter.Cidr}`;
  }
  return undefined;
}
