/** Whose findings a caller may see and update: accounts from the membership rules, Regions from the finding aggregator. */
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';

/**
 * Whose findings a caller may see and update: its own account plus its Enabled members, in its own Region plus the
 * Regions its finding aggregator links (when the caller's Region is the aggregation Region).
 */
export interface AccountScope {
  visibleAccountIds(db: DbExecutor, accountId: string, region: string): Promise<string[]>;
  visibleRegions(db: DbExecutor, accountId: string, region: string): Promise<string[]>;
}

/** The accounts and Regions whose findings one caller sees. */
export interface VisibleScope {
  accountIds: string[];
  regions: string[];
}

/** The scope of a standalone account without aggregation: its own findings in the Region it calls. */
export const ownAccountOnly: AccountScope = {
  visibleAccountIds: (_db, accountId) => Promise.resolve([accountId]),
  visibleRegions: (_db, _accountId, region) => Promise.resolve([region]),
};

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

/** The accounts, then the Regions, the caller of `ctx` sees. */
export async function visibleScopeOf(scope: AccountScope, ctx: Ctx): Promise<VisibleScope> {
  const accountIds = await scope.visibleAccountIds(ctx.tx, ctx.accountId, ctx.region);
  const regions = await scope.visibleRegions(ctx.tx, ctx.accountId, ctx.region);
  return { accountIds, regions };
}
