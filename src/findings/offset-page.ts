/** Pagination of short, fully loaded lists (insights, rules, products): an opaque offset bound to the request. */
import { createHash } from 'node:crypto';
import { invalidInput } from '../http/errors.js';

/** One page of a list and the token of the next one (undefined on the last page). */
export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/** The page of `items` that `nextToken` points at; absent, '' and 'NULL' mean the first page. */
export function pageOf<T>(
  items: readonly T[],
  request: { nextToken?: string | undefined; maxResults?: number | undefined },
  requestKey: unknown = null,
  defaultSize = 100,
): Page<T> {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(requestKey))
    .digest('base64url')
    .slice(0, 12);
  const offset = decodeOffset(request.nextToken, fingerprint);
  const end = offset + (request.maxResults ?? defaultSize);
  return {
    items: items.slice(offset, end),
    nextToken:
      end < items.length ? Buffer.from(JSON.stringify([end, fingerprint])).toString('base64url') : undefined,
  };
}

function decodeOffset(token: string | undefined, fingerprint: string): number {
  if (token === undefined || token === '' || token === 'NULL') return 0;
  try {
    const [offset, tokenFingerprint] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (Number.isSafeInteger(offset) && (offset as number) >= 0 && tokenFingerprint === fingerprint) {
      return offset as number;
    }
  } catch {
    // falls through to the error below
  }
  throw invalidInput('NextToken: is invalid or does not belong to this request');
}

/** Puts `nextToken` on a response only when there is a next page, as AWS does. */
export function withNextToken<R extends object>(
  response: R,
  nextToken: string | undefined,
): R & { NextToken?: string } {
  return nextToken === undefined ? response : { ...response, NextToken: nextToken };
}
