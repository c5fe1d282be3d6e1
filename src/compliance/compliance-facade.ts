/** The reads other capabilities make of compliance: managed nodes' compliance sets and their items. */
import type { SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { ComplianceItem, ComplianceSet } from './compliance-model.js';
import type { ComplianceStore } from './compliance-store.js';

type Scope = { accountId: string; region: string };

/** Which managed nodes' compliance to read: all of the scope's when `instanceIds` is undefined. */
export interface NodeComplianceQuery {
  instanceIds?: readonly string[] | undefined;
  complianceTypes: readonly string[];
}

/** Read-only queries over the compliance of managed nodes (resource type ManagedInstance). */
export interface ComplianceFacts {
  nodeSets(db: DbExecutor, scope: Scope, query: NodeComplianceQuery): Promise<ComplianceSet[]>;
  nodeItems(db: DbExecutor, scope: Scope, query: NodeComplianceQuery): Promise<ComplianceItem[]>;
  /** The items of one resource's sets of the given types, whatever the resource type. */
  resourceItems(
    db: DbExecutor,
    scope: Scope,
    resourceId: string,
    complianceTypes: readonly string[],
  ): Promise<ComplianceItem[]>;
  /** A page of `resourceItems` in item order, after `page.after`, each with its sort key. */
  resourceItemPage(
    db: DbExecutor,
    scope: Scope,
    resourceId: string,
    complianceTypes: readonly string[],
    page: { after: SortKey | undefined; limit: number },
  ): Promise<{ key: SortKey; item: ComplianceItem }[]>;
}

/** Compliance's queries over its store. */
export function complianceFacts(store: ComplianceStore): ComplianceFacts {
  const nodeQuery = (scope: Scope, query: NodeComplianceQuery) => ({
    accountId: scope.accountId,
    region: scope.region,
    resourceIds: query.instanceIds,
    resourceTypes: ['ManagedInstance'],
    complianceTypes: query.complianceTypes,
  });
  return {
    nodeSets: (db, scope, query) => store.listSets(db, nodeQuery(scope, query)),
    nodeItems: (db, scope, query) => store.listItems(db, nodeQuery(scope, query)),
    resourceItems: (db, scope, resourceId, complianceTypes) =>
      store.listItems(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceIds: [resourceId],
        complianceTypes,
      }),
    resourceItemPage: (db, scope, resourceId, complianceTypes, page) =>
      store.pageItems(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceIds: [resourceId],
        complianceTypes,
        after: page.after,
        limit: page.limit,
      }),
  };
}
