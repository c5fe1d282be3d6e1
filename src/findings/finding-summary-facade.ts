/** The reads other capabilities make of the findings summary: whose findings a caller sees, and their counts. */
import type { DbExecutor } from '../storage/database.js';
import type { SeverityCounts } from './finding-summary.js';
import type { AccountScope, VisibleScope } from './finding-scope.js';
import {
  activeCountTrend,
  activeCountsOf,
  topResourcesOf,
  type ResourceCounts,
  type SummaryScope,
} from './finding-summary-store.js';

/** Read-only queries over the findings summary (never over the findings themselves). */
export interface FindingSummaryFacts {
  /** The accounts and Regions whose findings a caller of `accountId` in `region` sees (as GetFindings does). */
  visibleScope(db: DbExecutor, accountId: string, region: string): Promise<VisibleScope>;
  /** ACTIVE findings (RecordState ACTIVE, Workflow.Status NEW or NOTIFIED) per severity. */
  activeBySeverity(db: DbExecutor, scope: SummaryScope): Promise<SeverityCounts>;
  /** The `days` UTC days ending with the day of `today`, oldest first, with the ACTIVE findings of each. */
  activeTrend(
    db: DbExecutor,
    scope: SummaryScope,
    today: Date,
    days: number,
  ): Promise<{ day: string; counts: SeverityCounts }[]>;
  /** The resources named by the most ACTIVE CRITICAL findings (then HIGH ones), at most `limit`. */
  topResources(db: DbExecutor, scope: SummaryScope, limit: number): Promise<ResourceCounts[]>;
}

/** The summary's queries, scoped as GetFindings scopes (`scope`: members and finding aggregator). */
export function findingSummaryFacts(scope: AccountScope): FindingSummaryFacts {
  return {
    async visibleScope(db, accountId, region) {
      return {
        accountIds: await scope.visibleAccountIds(db, accountId, region),
        regions: await scope.visibleRegions(db, accountId, region),
      };
    },
    activeBySeverity: activeCountsOf,
    activeTrend: activeCountTrend,
    topResources: topResourcesOf,
  };
}
