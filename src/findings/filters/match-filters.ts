/** Evaluates AwsSecurityFindingFilters against ASFF documents with the semantics of spec §4.1. */

import { parseAsffTimestamp } from './asff-timestamp.js';
import { filterKeySpecs, filterKeysOfType, type AsffDocument, type FilterKey } from './filter-keys.js';
import type {
  BooleanFilter,
  DateFilter,
  FindingFilters,
  IpFilter,
  KeywordFilter,
  MapFilter,
  NumberFilter,
  StringFilter,
} from './filter-value-schemas.js';
import { cidrContains, parseCidr, parseIpAddress, type Cidr } from './ip-cidr.js';

/** A compiled filter set: true when the finding matches. */
export type FindingPredicate = (doc: AsffDocument) => boolean;

type Values = (doc: AsffDocument) => unknown[];

const dayMs = 86_400_000;

/** Whether one finding matches the filters at time `now` (for many findings, use compileFilters once). */
export function matchesFilters(doc: AsffDocument, filters: FindingFilters, now: Date): boolean {
  return compileFilters(filters, now)(doc);
}

/** Compiles the filters once (dates, CIDRs, relative ranges resolved against `now`) into a predicate. */
export function compileFilters(filters: FindingFilters, now: Date): FindingPredicate {
  const nowMs = now.getTime();
  const predicates: FindingPredicate[] = [];
  const add = <F>(
    key: FilterKey,
    list: readonly F[] | undefined,
    compile: (values: Values, list: readonly F[]) => FindingPredicate,
  ) => {
    if (list !== undefined && list.length > 0) predicates.push(compile(filterKeySpecs[key].values, list));
  };
  for (const key of filterKeysOfType('string')) add(key, filters[key], compileStringFilters);
  for (const key of filterKeysOfType('number')) add(key, filters[key], compileNumberFilters);
  for (const key of filterKeysOfType('date'))
    add(key, filters[key], (values, list) => compileDateFilters(values, list, nowMs));
  for (const key of filterKeysOfType('map')) add(key, filters[key], compileMapFilters);
  for (const key of filterKeysOfType('ip')) add(key, filters[key], compileIpFilters);
  for (const key of filterKeysOfType('boolean')) add(key, filters[key], compileBooleanFilters);
  for (const key of filterKeysOfType('keyword')) add(key, filters[key], compileKeywordFilters);
  if (predicates.length === 1 && predicates[0] !== undefined) return predicates[0];
  return (doc) => predicates.every((predicate) => predicate(doc));
}

type StringTest = (value: string) => boolean;

// Positive tests say "this value is wanted"; negative tests say "this value is excluded".
function stringTest(
  comparison: StringFilter['Comparison'] | MapFilter['Comparison'],
  wanted: string,
): StringTest {
  switch (comparison) {
    case 'EQUALS':
    case 'NOT_EQUALS':
      return (value) => value === wanted;
    case 'PREFIX':
    case 'PREFIX_NOT_EQUALS':
      return (value) => value.startsWith(wanted);
    case 'CONTAINS':
    case 'NOT_CONTAINS':
      return (value) => value.includes(wanted);
  }
}

function isNegative(comparison: StringFilter['Comparison'] | MapFilter['Comparison']): boolean {
  return comparison === 'NOT_EQUALS' || comparison === 'PREFIX_NOT_EQUALS' || comparison === 'NOT_CONTAINS';
}

// Positives ORed, negatives ANDed; on lists a negative fails if any element is excluded; missing fails positives only.
function compileStringFilters(values: Values, list: readonly StringFilter[]): FindingPredicate {
  const positives = list.filter((filter) => !isNegative(filter.Comparison));
  const negatives = list
    .filter((filter) => isNegative(filter.Comparison))
    .map((f) => stringTest(f.Comparison, f.Value));
  const wanted = positives.every((filter) => filter.Comparison === 'EQUALS')
    ? equalsTest(positives.map((filter) => filter.Value))
    : anyOf(positives.map((filter) => stringTest(filter.Comparison, filter.Value)));
  return (doc) => {
    const strings = values(doc).filter((value): value is string => typeof value === 'string');
    if (positives.length > 0 && !strings.some(wanted)) return false;
    return negatives.every((excluded) => !strings.some(excluded));
  };
}

function equalsTest(wanted: readonly string[]): StringTest {
  if (wanted.length === 1) {
    const only = wanted[0];
    return (value) => value === only;
  }
  const set = new Set(wanted);
  return (value) => set.has(value);
}

function anyOf(tests: readonly StringTest[]): StringTest {
  return (value) => tests.some((test) => test(value));
}

// Bounds inside one NumberFilter are ANDed on the same value; several NumberFilters are ORed.
function compileNumberFilters(values: Values, list: readonly NumberFilter[]): FindingPredicate {
  const tests = list.map(
    (filter) => (value: number) =>
      (filter.Eq === undefined || value === filter.Eq) &&
      (filter.Gte === undefined || value >= filter.Gte) &&
      (filter.Gt === undefined || value > filter.Gt) &&
      (filter.Lte === undefined || value <= filter.Lte) &&
      (filter.Lt === undefined || value < filter.Lt),
  );
  return (doc) => values(doc).some((value) => typeof value === 'number' && tests.some((test) => test(value)));
}

type InstantTest = (instant: number) => boolean;

// Start/End are inclusive; WITHIN keeps instants at or after now−N days (future ones too); OLDER_THAN is strictly before.
function dateTest(filter: DateFilter, nowMs: number): InstantTest {
  if (filter.DateRange !== undefined) {
    const boundary = nowMs - filter.DateRange.Value * dayMs;
    return filter.DateRange.Comparison === 'OLDER_THAN'
      ? (instant) => instant < boundary
      : (instant) => instant >= boundary;
  }
  const start = filter.Start === undefined ? -Infinity : parseAsffTimestamp(filter.Start);
  const end = filter.End === undefined ? Infinity : parseAsffTimestamp(filter.End);
  if (start === undefined || end === undefined) return () => false;
  return (instant) => instant >= start && instant <= end;
}

function compileDateFilters(values: Values, list: readonly DateFilter[], nowMs: number): FindingPredicate {
  const tests = list.map((filter) => dateTest(filter, nowMs));
  return (doc) =>
    values(doc).some((value) => {
      if (typeof value !== 'string') return false;
      const instant = parseAsffTimestamp(value);
      return instant !== undefined && tests.some((test) => test(instant));
    });
}

// Each MapFilter looks at the value under its Key in every map at the path (e.g. every resource's Tags).
function compileMapFilters(values: Values, list: readonly MapFilter[]): FindingPredicate {
  const compiled = list.map((filter) => ({
    key: filter.Key,
    negative: isNegative(filter.Comparison),
    test: stringTest(filter.Comparison, filter.Value),
  }));
  const positives = compiled.filter((filter) => !filter.negative);
  const negatives = compiled.filter((filter) => filter.negative);
  return (doc) => {
    const maps = values(doc);
    const hit = (filter: (typeof compiled)[number]) =>
      maps.some((map) => {
        const value = mapValue(map, filter.key);
        return value !== undefined && filter.test(value);
      });
    if (positives.length > 0 && !positives.some(hit)) return false;
    return !negatives.some(hit);
  };
}

function mapValue(map: unknown, key: string): string | undefined {
  if (typeof map !== 'object' || map === null || !Object.hasOwn(map, key)) return undefined;
  const value: unknown = (map as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

function compileIpFilters(values: Values, list: readonly IpFilter[]): FindingPredicate {
  const cidrs = list
    .map((filter) => parseCidr(filter.Cidr))
    .filter((cidr): cidr is Cidr => cidr !== undefined);
  return (doc) =>
    values(doc).some((value) => {
      if (typeof value !== 'string') return false;
      const address = parseIpAddress(value);
      return address !== undefined && cidrs.some((cidr) => cidrContains(cidr, address));
    });
}

// A finding without Sample counts as Sample=false.
function compileBooleanFilters(values: Values, list: readonly BooleanFilter[]): FindingPredicate {
  return (doc) => {
    const sample = values(doc).includes(true);
    return list.some((filter) => filter.Value === sample);
  };
}

// Keyword (undocumented by AWS): a substring of Title, Description or any ProductFields value, case-sensitive.
function compileKeywordFilters(values: Values, list: readonly KeywordFilter[]): FindingPredicate {
  return (doc) =>
    values(doc).some(
      (value) => typeof value === 'string' && list.some((filter) => value.includes(filter.Value)),
    );
}
