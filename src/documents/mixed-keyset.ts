/**
 * Keyset predicates for sort orders that mix directions (e.g. newest first, then by id): the rows after a key are
 * `c1 ⋛ v1 OR (c1 = v1 AND c2 ⋛ v2) …`, since a single row-value comparison only serves one direction.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { SortKey } from '../kernel/index.js';

/** One ORDER BY term. */
export interface SortTerm {
  column: string;
  direction: 'asc' | 'desc';
}

/** The rows strictly after `key` in the order `terms`. */
export function afterMixedKey(terms: readonly SortTerm[], key: SortKey): Expression<SqlBool> {
  if (terms.length !== key.length)
    throw new Error(`A sort key of ${terms.length} columns has ${key.length} values`);
  const alternatives = terms.map((term, at) => {
    const equal = terms
      .slice(0, at)
      .map((previous, before) => sql`${sql.ref(previous.column)} = ${key[before]}`);
    const beyond =
      term.direction === 'asc'
        ? sql`${sql.ref(term.column)} > ${key[at]}`
        : sql`${sql.ref(term.column)} < ${key[at]}`;
    return sql`(${sql.join([...equal, beyond], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}
