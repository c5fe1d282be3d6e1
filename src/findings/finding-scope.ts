/** The scope of a findings caller, composed from who administers whom and which Regions are aggregated. */
import type { AccountScope } from './findings-service.js';

/** Accounts from the membership rules, Regions from the finding aggregator. */
export function findingScope(
  accounts: Pick<AccountScope, 'visibleAccountIds'>,
  regions: Pick<AccountScope, 'visibleRegions'>,
): AccountScope {
  return {
    visibleAccountIds: (db, accountId, region) => accounts.visibleAccountIds(db, accountId, region),
    visibleRegions: (db, accountId, region) => regions.visibleRegions(db, accountId, region),
  };
}
