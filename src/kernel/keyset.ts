/**
 * Keyset paging: a page ends at a row's sort key, and the next page starts strictly after it, pushed into SQL as
 * a row-value comparison. The token carries the key and a fingerprint of the request that made it, so a token is
 * refused with another request's filters.
 */
import { createHash } from 'node:crypto';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ApiError } from './api-error.js';

/** One sort key: the values of the ORDER BY columns of a row, in order. */
export type SortKey = readonly (string | number)[];

/** How a list's tokens are bound and refused. */
export interface KeysetPaging {
  /** The request's parameters other than the token and page size; a token only works with the same key. */
  requestKey: unknown;
  /** Tokens that mean "first page" besides an absent one. */
  firstPageTokens?: readonly string[];
  invalidToken: () => ApiError;
}

function fingerprintOf(requestKey: unknown): string {
  return createHash('sha256').update(JSON.stringify(requestKey)).digest('base64url').slice(0, 12);
}

/** The token that resumes after `key`. */
export function encodeKeysetToken(key: SortKey, requestKey: unknown): string {
  return Buffer.from(JSON.stringify({ k: key, f: fingerprintOf(requestKey) })).toString('base64url');
}

/** The key a token resumes after; undefined for the first page; the paging's invalidToken error otherwise. */
export function decodeKeysetToken(token: string | undefined, paging: KeysetPaging): SortKey | undefined {
  if (token === undefined || (paging.firstPageTokens ?? ['']).includes(token)) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      k?: unknown;
      f?: unknown;
    };
    if (
      decoded.f === fingerprintOf(paging.requestKey) &&
      Array.isArray(decoded.k) &&
      decoded.k.length > 0 &&
      decoded.k.every((value) => typeof value === 'string' || typeof value === 'number')
    ) {
      return decoded.k;
    }
  } catch {
    // falls through to the error below
  }
  throw paging.invalidToken();
}

/**
 * `(c1, c2, …) > (v1, v2, …)` (or `<` for a descending list): the rows after `key` in the order of `columns`.
 * Both engines compare row values lexicographically, so this uses the ORDER BY index.
 */
export function afterKey(
  columns: readonly string[],
  key: SortKey,
  direction: 'asc' | 'desc' = 'asc',
): Expression<SqlBool> {
  if (columns.length !== key.length)
    throw new Error(`A sort key of ${columns.length} columns has ${key.length} values`);
  const left = sql.join(columns.map((column) => sql.ref(column)));
  const right = sql.join(key.map((value) => sql`${value}`));
  return direction === 'asc' ? sql<SqlBool>`(${left}) > (${right})` : sql<SqlBool>`(${left}) < (${right})`;
}

/** One ORDER BY column and its direction. */
export interface OrderedColumn {
  column: string;
  direction: 'asc' | 'desc';
}

/**
 * The rows strictly after `key` for an ORDER BY whose columns run in different directions (newest first, then by
 * id): `c1 ≷ v1 or (c1 = v1 and (c2 ≷ v2 or …))`, since a row-value comparison has one direction. The first
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

/** A page read with one row more than asked for: the rows to answer with and the key to resume after. */
export interface KeysetPage<T> {
  items: T[];
  /** The sort key of the last row, when more rows follow. */
  lastKey: SortKey | undefined;
}

/** Cuts a `limit + 1` read into a page. */
export function keysetPageOf<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => SortKey,
): KeysetPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, lastKey: rows.length > limit && last !== undefined ? keyOf(last) : undefined };
}

/** Keyset paging of a short list already in memory (sorted by `keyOf`), for lists that never grow with the fleet. */
export function keysetSlice<T>(
  rows: readonly T[],
  after: SortKey | undefined,
  limit: number,
  keyOf: (row: T) => SortKey,
): T[] {
  const start = after === undefined ? 0 : rows.findIndex((row) => compareKeys(keyOf(row), after) > 0);
  return start < 0 ? [] : rows.slice(start, start + limit + 1);
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let at = 0; at < a.length; at += 1) {
    const left = a[at] ?? '';
    const right = b[at] ?? '';
    if (left < right) return -1;
    if (left > right) return 1;
  }
  return 0;
}
