/**
 * How the maintenance window Describe* operations page: their Filters become SQL predicates (so they decide
 * what fills a page), and each row read comes with its sort key.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { SortKey } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';

/** A row read for a page, with the sort key the next page starts after. */
export interface Keyed<T> {
  item: T;
  key: SortKey;
}

/** Which rows to read: filtered, after a sort key, at most `limit` (undefined: all). */
export interface PageQuery {
  filters: readonly Expression<SqlBool>[];
  after: SortKey | undefined;
  limit: number | undefined;
}

/** One request filter: a key and the values it accepts (alternatives). */
export interface WindowFilter {
  key: string;
  values: string[];
}

/** `column in (values)`; no values match nothing. */
export function oneOf(column: string, values: readonly (string | number)[]): Expression<SqlBool> {
  if (values.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values.map((value) => sql`${value}`))})`;
}

/**
 * Each filter as `column in (values)` on the column `columns[key]` names; a key `columns` does not name is a
 * ValidationException.
 */
export function columnFilters(
  filters: readonly WindowFilter[],
  columns: Readonly<Record<string, string>>,
): Expression<SqlBool>[] {
  const unknown = filters.find((f) => !Object.hasOwn(columns, f.key));
  if (unknown !== undefined)
    throw ssmError(
      'ValidationException',
      `Filter key ${unknown.key} is not one of ${Object.keys(columns).join(', ')}.`,
    );
  return filters.map((filter) => oneOf(columns[filter.key] ?? '', filter.values));
}
