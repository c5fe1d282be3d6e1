/**
 * The one way an SSM Describe/List operation is built: the protocol owns MaxResults, NextToken and the response's
 * list key; the capability says how to load one page after a sort key (in SQL) and how a row looks on the wire.
 */
import type { z } from 'zod';
import {
  ApiError,
  decodeKeysetToken,
  encodeKeysetToken,
  keysetPageOf,
  type Ctx,
  type SortKey,
} from '../../kernel/index.js';
import { awsJsonRoute, type AwsJsonRoute } from '../index.js';
import { ssmError, ssmService } from './ssm-service.js';

/** What `load` is asked for: the validated input, its filters, where the page starts and how many rows to read. */
export interface ListQuery<I, F> {
  input: I;
  filters: F;
  /** Rows strictly after this sort key (undefined: from the start). */
  after: SortKey | undefined;
  /** How many rows to read: one more than the page, so the protocol knows whether another page follows. */
  limit: number;
}

/** One SSM list operation. The schema should accept `MaxResults` and `NextToken`. */
export interface SsmListSpec<S extends z.ZodType, F, Row> {
  name: string;
  schema: S;
  /** The response member holding the page, e.g. `InstanceInformationList`. */
  resultKey: string;
  /** The page size when the request names none. */
  defaultMaxResults: number;
  /** Checks and translates the request's filters (throwing the operation's filter errors); default none. */
  filters?: (input: z.output<S>) => F;
  /** Reads up to `query.limit` rows in sort-key order, after `query.after`, in the caller's account and Region. */
  load: (ctx: Ctx, query: ListQuery<z.output<S>, F>) => Promise<Row[]>;
  /** The sort key of a row: the values of the columns `load` orders by. */
  keyOf: (row: Row) => SortKey;
  toWire: (row: Row, input: z.output<S>, ctx: Ctx) => unknown;
  /** Tokens that mean "first page" besides an absent one; default the empty string. */
  firstPageTokens?: readonly string[];
  /** Response members besides the list and NextToken. */
  extra?: (input: z.output<S>) => Record<string, unknown>;
  resource?: (scope: { accountId: string; region: string }, input: z.output<S>) => string;
}

interface PagedInput {
  MaxResults?: number | undefined;
  NextToken?: string | undefined;
}

/** The awsJson route of a keyset-paged SSM list operation. */
export function ssmListOperation<S extends z.ZodType, F = undefined, Row = unknown>(
  spec: SsmListSpec<S, F, Row>,
): AwsJsonRoute {
  return awsJsonRoute(ssmService, {
    name: spec.name,
    schema: spec.schema,
    ...(spec.resource === undefined ? {} : { resource: spec.resource }),
    handle: async (ctx, input) => {
      const { MaxResults, NextToken, ...requestKey } = input as PagedInput & Record<string, unknown>;
      const after = decodeKeysetToken(NextToken, {
        requestKey,
        ...(spec.firstPageTokens === undefined ? {} : { firstPageTokens: spec.firstPageTokens }),
        invalidToken: () => ssmError('InvalidNextToken', 'The specified token is not valid.'),
      });
      const filters = (spec.filters?.(input) ?? undefined) as F;
      const pageSize = MaxResults ?? spec.defaultMaxResults;
      const rows = await loadPage(spec, ctx, { input, filters, after, limit: pageSize + 1 });
      const page = keysetPageOf(rows, pageSize, spec.keyOf);
      return {
        ...spec.extra?.(input),
        [spec.resultKey]: page.items.map((row) => spec.toWire(row, input, ctx)),
        ...(page.lastKey === undefined ? {} : { NextToken: encodeKeysetToken(page.lastKey, requestKey) }),
      };
    },
  });
}

/**
 * Runs `load`. A token is only bound to its request by a fingerprint a client can compute, so a hand-made token
 * can carry a sort key of the wrong length or types; the query it produces then fails in the database. Such a
 * failure, on a page read after a token, is the token's fault: InvalidNextToken, not an internal error.
 */
async function loadPage<S extends z.ZodType, F, Row>(
  spec: SsmListSpec<S, F, Row>,
  ctx: Ctx,
  query: ListQuery<z.output<S>, F>,
): Promise<Row[]> {
  if (query.after === undefined) return spec.load(ctx, query);
  try {
    return await spec.load(ctx, query);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw ssmError('InvalidNextToken', 'The specified token is not valid.');
  }
}

/**
 * A page for a list whose filters SQL cannot express: reads chunks in sort-key order after `query.after` with
 * `read`, keeps the rows `keep` passes, and stops once `query.limit` rows are kept or the rows run out. The
 * filter is applied before the page is cut, so paging stays exact.
 */
export async function loadFiltered<Row>(
  query: { after: SortKey | undefined; limit: number },
  read: (after: SortKey | undefined, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => SortKey,
  keep: (rows: Row[]) => Promise<Row[]> | Row[],
): Promise<Row[]> {
  const chunkSize = Math.max(query.limit, 100);
  const kept: Row[] = [];
  let after = query.after;
  for (;;) {
    const chunk = await read(after, chunkSize);
    kept.push(...(await keep(chunk)));
    const last = chunk[chunk.length - 1];
    if (kept.length >= query.limit || chunk.length < chunkSize || last === undefined) break;
    after = keyOf(last);
  }
  return kept.slice(0, query.limit);
}
