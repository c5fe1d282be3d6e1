/** SortCriteria for GetFindings as a pure comparator over ASFF documents (spec §4.3). */

import { invalidInput } from '../../http/errors.js';
import { parseAsffTimestamp } from './asff-timestamp.js';
import {
  filterKeySpecs,
  filterKeysOfType,
  isFilterKey,
  type AsffDocument,
  type FilterKeyOfType,
} from './filter-keys.js';

/** A key findings can be sorted by: any string, number or date filter key. */
export type SortField = FilterKeyOfType<'string' | 'number' | 'date'>;

/** Sort direction as the API spells it. */
export type SortOrder = 'asc' | 'desc';

/** One validated SortCriteria entry. */
export interface SortCriterion {
  readonly Field: SortField;
  readonly SortOrder: SortOrder;
}

/** The order used when a request gives no SortCriteria. */
export const defaultSortCriteria: readonly SortCriterion[] = [{ Field: 'UpdatedAt', SortOrder: 'desc' }];

const sortFields: ReadonlySet<string> = new Set<SortField>([
  ...filterKeysOfType('string'),
  ...filterKeysOfType('number'),
  ...filterKeysOfType('date'),
]);

const severityRank: Readonly<Record<string, number>> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 2,
  HIGH: 3,
  CRITICAL: 4,
};
const rankedFields: ReadonlySet<string> = new Set(['SeverityLabel', 'FindingProviderFieldsSeverityLabel']);

/** Checks wire SortCriteria (unknown Field, SortOrder other than asc|desc); a missing SortOrder means asc. */
export function validateSortCriteria(
  criteria: readonly { readonly Field?: string | undefined; readonly SortOrder?: string | undefined }[],
): SortCriterion[] {
  return criteria.map(({ Field, SortOrder }) => {
    if (Field === undefined || !isSortField(Field)) {
      throw invalidInput(`SortCriteria Field ${Field ?? '(missing)'} is not a sortable finding attribute`);
    }
    if (SortOrder !== undefined && SortOrder !== 'asc' && SortOrder !== 'desc') {
      throw invalidInput(`SortCriteria SortOrder for ${Field} must be asc or desc, not ${SortOrder}`);
    }
    return { Field, SortOrder: SortOrder ?? 'asc' };
  });
}

/** Whether a string is a field findings can be sorted by. */
export function isSortField(name: string): name is SortField {
  return isFilterKey(name) && sortFields.has(name);
}

type SortValue = number | string | undefined;

/**
 * Orders findings by the criteria (first one primary; defaultSortCriteria if empty), then by Id and ProductArn.
 * Missing values sort last in either direction; a multi-valued field sorts by its smallest value ascending and
 * its largest descending.
 */
export function compareBySortCriteria(
  criteria: readonly SortCriterion[],
): (a: AsffDocument, b: AsffDocument) => number {
  const effective = criteria.length > 0 ? criteria : defaultSortCriteria;
  const keyed = [
    ...effective.map((criterion) => ({
      extract: sortValueOf(criterion),
      descending: criterion.SortOrder === 'desc',
    })),
    { extract: sortValueOf({ Field: 'Id', SortOrder: 'asc' }), descending: false },
    { extract: sortValueOf({ Field: 'ProductArn', SortOrder: 'asc' }), descending: false },
  ];
  // Sorting compares each document O(log n) times; extract its sort values once.
  const cache = new WeakMap<AsffDocument, SortValue[]>();
  const valuesOf = (doc: AsffDocument): SortValue[] => {
    let values = cache.get(doc);
    if (values === undefined) {
      values = keyed.map(({ extract }) => extract(doc));
      cache.set(doc, values);
    }
    return values;
  };
  return (a, b) => {
    const left = valuesOf(a);
    const right = valuesOf(b);
    for (const [index, { descending }] of keyed.entries()) {
      const x = left[index];
      const y = right[index];
      if (x === undefined || y === undefined) {
        if (x === y) continue;
        return x === undefined ? 1 : -1;
      }
      const order = compareSortValues(x, y);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}

function sortValueOf(criterion: SortCriterion): (doc: AsffDocument) => SortValue {
  const spec = filterKeySpecs[criterion.Field];
  const descending = criterion.SortOrder === 'desc';
  const toSortValue = (value: unknown): SortValue => {
    if (spec.type === 'number')
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    if (typeof value !== 'string') return undefined;
    if (spec.type === 'date') return parseAsffTimestamp(value);
    return rankedFields.has(spec.key) ? severityRank[value] : value;
  };
  return (doc) => {
    let best: SortValue;
    for (const raw of spec.values(doc)) {
      const value = toSortValue(raw);
      if (value === undefined) continue;
      if (best === undefined || compareSortValues(value, best) * (descending ? -1 : 1) < 0) best = value;
    }
    return best;
  };
}

function compareSortValues(x: number | string, y: number | string): number {
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  return compareCodePoints(String(x), String(y));
}

/** Compares strings by Unicode code point (JavaScript's `<` compares UTF-16 code units). */
export function compareCodePoints(x: string, y: string): number {
  const length = Math.min(x.length, y.length);
  for (let index = 0; index < length; index++) {
    const a = x.charCodeAt(index);
    const b = y.charCodeAt(index);
    if (a !== b) return codePointWeight(a) - codePointWeight(b);
  }
  return x.length - y.length;
}

// Surrogates (U+D800–DFFF) encode code points above U+FFFF, so they must sort after U+E000–FFFF.
function codePointWeight(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
