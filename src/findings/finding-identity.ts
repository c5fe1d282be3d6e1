/** Which stored finding a (ProductArn, Id) pair names for a caller whose scope spans several accounts. */
import { identityKey } from './findings-store.js';
import type { StoredFinding } from './findings-model.js';

/**
 * The finding each (ProductArn, Id) names for a caller, keyed by identityKey. A FindingIdentifier carries no
 * account, so when several accounts in the caller's scope hold that ProductArn and Id (an administrator and its
 * members), the caller's own finding comes first, then the member with the lowest account id.
 */
export function byIdentity(
  found: readonly StoredFinding[],
  ownAccountId: string,
): Map<string, StoredFinding> {
  const rank = (finding: StoredFinding): string =>
    finding.document.AwsAccountId === ownAccountId ? '' : finding.document.AwsAccountId;
  const chosen = new Map<string, StoredFinding>();
  for (const finding of found) {
    const key = identityKey(finding.document.ProductArn, finding.document.Id);
    const current = chosen.get(key);
    if (current === undefined || rank(finding) < rank(current)) chosen.set(key, finding);
  }
  return chosen;
}
