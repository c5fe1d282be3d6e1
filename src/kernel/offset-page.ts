/** Paging of short, fully loaded lists: an opaque offset token bound to the request that produced it. */
import { createHash } from 'node:crypto';
import type { ApiError } from './api-error.js';

/** One page of a list and the token of the next one (undefined on the last page). */
export interface OffsetPage<T> {
  items: T[];
  nextToken: string | undefined;
}

/** A service's paging rules: what binds a token, the default size, first-page tokens, and its invalid-token error. */
export interface OffsetPaging {
  /** The request's parameters; a token only works with the same key. */
  requestKey: unknown;
  defaultSize: number;
  /** Tokens that mean "first page" besides an absent one (Security Hub documents `NULL`). */
  firstPageTokens: readonly string[];
  invalidToken: () => ApiError;
}

/** The page of `items` that `request.nextToken` points at. */
export function offsetPage<T>(
  items: readonly T[],
  request: { nextToken?: string | undefined; maxResults?: number | undefined },
  paging: OffsetPaging,
): OffsetPage<T> {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(paging.requestKey))
    .digest('base64url')
    .slice(0, 12);
  const offset = decodeOffset(request.nextToken, fingerprint, paging);
  const end = offset + (request.maxResults ?? paging.defaultSize);
  return {
    items: items.slice(offset, end),
    nextToken:
      end < items.length ? Buffer.from(JSON.stringify([end, fingerprint])).toString('base64url') : undefined,
  };
}

function decodeOffset(token: string | undefined, fingerprint: string, paging: OffsetPaging): number {
  if (token === undefined || paging.firstPageTokens.includes(token)) return 0;
  try {
    const [offset, tokenFingerprint] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (
      typeof offset === 'number' &&
      Number.isSafeInteger(offset) &&
      offset >= 0 &&
      tokenFingerprint === fingerprint
    ) {
      return offset;
    }
  } catch {
    // falls through to the error below
  }
  throw paging.invalidToken();
}

/** Puts `NextToken` on a response only when there is a next page, as AWS does. */
export function withNextToken<R extends object>(
  response: R,
  nextToken: string | undefined,
): R & { NextToken?: string } {
  return nextToken === undefined ? response : { ...response, NextToken: nextToken };
}
