/**
 * Keyset paging over an ORDER BY whose columns run in different directions (newest first, then by id): the
 * rows after a sort key, spelled out column by column since a row-value comparison has one direction.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { SortKey } from '../kernel/index.js';

/** One ORDER BY column and its direction. */
export interface OrderedColumn {
  column: string;
  direction: 'asc' | 'desc';
}

/**
 * `c1 ≷ v1 or (c1 = v1 and (c2 ≷ v2 or (c2 = v2 and …)))`: the rows strictly after `key` in `order`. The first
 * column's range still narrows an index on it.
 */
export function afterOrderedKey(order: readonly OrderedColumn[], key: SortKey): Expression<SqlBool> {
  if (order.length !== key.length || order.length === 0)
    throw new Error(`A sort key of ${order.length} columns has ${key.length} values`);
  let predicate: Expression<SqlBool> | undefined;
  for (let at = order.length - 1; at >= 0; at -= 1) {
    const { column, direction } = order[at] as OrderedColumn;
    const value = key[at] as string | number;
    const ref = sql.ref(column);
    const beyond = direction === 'asc' ? sql<SqlBool>`${ref} > ${value}` : sql<SqlBool>`${ref} < ${value}`;
    predicate =
      predicate === undefined ? beyond : sql<SqlBool>`(${beyond} or (${ref} = ${value} and ${predicate}))`;
  }
  return predicate as Expression<SqlBool>;
}
