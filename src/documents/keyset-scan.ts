/**
 * Keyset reads with a filter SQL cannot express: rows are read in sort-key order a batch at a time, and only the
 * rows the filter keeps count toward the page, so a page is never cut short by rows dropped after the LIMIT.
 */
import type { SortKey } from '../kernel/index.js';

/** Where one page starts and how many rows it reads (the protocol's page size plus one). */
export interface PageWindow {
  after: SortKey | undefined;
  limit: number;
}

/**
 * The first `window.limit` rows after `window.after` that `keep` maps to a value, in order. `read` returns up to
 * `limit` rows strictly after a key in sort-key order; `keyOf` is the sort key of a read row.
 */
export async function scanKeyset<Row, Kept>(
  window: PageWindow,
  read: (after: SortKey | undefined, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => SortKey,
  keep: (row: Row) => Promise<Kept | undefined>,
): Promise<Kept[]> {
  const kept: Kept[] = [];
  let after = window.after;
  for (;;) {
    const rows = await read(after, window.limit);
    for (const row of rows) {
      const value = await keep(row);
      if (value === undefined) continue;
      kept.push(value);
      if (kept.length === window.limit) return kept;
    }
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < window.limit) return kept;
    after = keyOf(last);
  }
}

/** Orders sort keys as the SQL lists they merge with (C collation: code-unit order for text). */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  for (let at = 0; at < Math.max(a.length, b.length); at += 1) {
    const left = a[at] ?? '';
    const right = b[at] ?? '';
    if (left < right) return -1;
    if (left > right) return 1;
  }
  return 0;
}
