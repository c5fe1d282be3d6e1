/** SSM's paging of in-memory lists: an absent or empty token starts over, anything else unknown is InvalidNextToken. */
import { offsetPage, type OffsetPage } from '../../kernel/index.js';
import { ssmError } from './ssm-service.js';

export { withNextToken } from '../../kernel/index.js';

/** One page of an SSM list. */
export type SsmPage<T> = OffsetPage<T>;

/** The page of `items` that `nextToken` points at; a token only works with the request (`requestKey`) that made it. */
export function ssmPageOf<T>(
  items: readonly T[],
  request: { nextToken?: string | undefined; maxResults?: number | undefined },
  requestKey: unknown,
  defaultSize: number,
  firstPageTokens: readonly string[] = [''],
): SsmPage<T> {
  return offsetPage(items, request, {
    requestKey,
    defaultSize,
    firstPageTokens,
    invalidToken: () => ssmError('InvalidNextToken', 'The specified token is not valid.'),
  });
}
