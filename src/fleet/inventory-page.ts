/** Paging of SSM lists (inventory, compliance): an opaque offset bound to the request that produced it. */
import { createHash } from 'node:crypto';
import { ssmError } from './ssm-service.js';

/** One page of a list and the token of the next one (undefined on the last page). */
export interface SsmPage<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * The page of `items` that `nextToken` points at; a token only works with the request (`requestKey`) that made it,
 * otherwise `InvalidNextToken`.
 */
export function ssmPageOf<T>(
  items: readonly T[],
  request: { nextToken?: string | undefined; maxResults?: number | undefined },
  requestKey: unknown,
  defaultSize: number,
): SsmPage<T> {
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
  if (token === undefined || token === '') return 0;
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
  throw ssmError('InvalidNextToken', 'The specified token is not valid.');
}

/** Adds `NextToken` to a response only when there is a next page (AWS omits it on the last one). */
export function withSsmNextToken<R extends object>(
  response: R,
  nextToken: string | undefined,
): R & { NextToken?: string } {
  return nextToken === undefined ? response : { ...response, NextToken: nextToken };
}
