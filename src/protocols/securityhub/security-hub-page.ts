/** Security Hub's paging of short lists (insights, rules, products, members): absent, '' and 'NULL' start over. */
import { invalidInput, offsetPage, type OffsetPage } from '../../kernel/index.js';

export { withNextToken } from '../../kernel/index.js';

/** One page of a Security Hub list. */
export type SecurityHubPage<T> = OffsetPage<T>;

/** The page of `items` that `nextToken` points at; a token only works with the request (`requestKey`) that made it. */
export function securityHubPageOf<T>(
  items: readonly T[],
  request: { nextToken?: string | undefined; maxResults?: number | undefined },
  requestKey: unknown = null,
  defaultSize = 100,
): SecurityHubPage<T> {
  return offsetPage(items, request, {
    requestKey,
    defaultSize,
    firstPageTokens: ['', 'NULL'],
    invalidToken: () => invalidInput('NextToken: is invalid or does not belong to this request'),
  });
}
