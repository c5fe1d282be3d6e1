/** The reads other capabilities make of compliance: managed nodes' compliance sets and their items. */
import { inScope, type SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { ComplianceItem, ComplianceSet } from './compliance-model.js';
import { toItem } from './compliance-rows.js';
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
  /** How many managed nodes' sets of `complianceType` are COMPLIANT and NON_COMPLIANT (an index-only count). */
  nodeStatusCounts(
    db: DbExecutor,
    scope: Scope,
    complianceType: string,
  ): Promise<{ compliant: number; nonCompliant: number }>;
  /** The items of one resource's sets of the given types, whatever the resource type. */
  resourceItems(
    db: DbExecutor,
    scope: Scope,
    resourceId: string,
    complianceTypes: readonly string[],
  ): Promise<ComplianceItem[]>;
  /**
   * The distinct titles of managed nodes' items of the given types, in order: after `query.from`, or from it
   * when `inclusive`; at most `query.limit`.
   */
  nodeItemTitles(
    db: DbExecutor,
    scope: Scope,
    query: {
      complianceTypes: readonly string[];
      from: string | undefined;
      inclusive: boolean;
      limit: number;
    },
  ): Promise<string[]>;
  /** Managed nodes' items of the given types whose title is one of `query.titles`. */
  nodeItemsTitled(
    db: DbExecutor,
    scope: Scope,
    query: { complianceTypes: readonly string[]; titles: readonly string[] },
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
    async nodeStatusCounts(db, scope, complianceType) {
      const rows = await db
        .selectFrom('compliance_sets')
        .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where(inScope(scope))
        .where('compliance_type', '=', complianceType)
        .where('resource_type', '=', 'ManagedInstance')
        .groupBy('status')
        .execute();
      const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
      return { compliant: count('COMPLIANT'), nonCompliant: count('NON_COMPLIANT') };
    },
    resourceItems: (db, scope, resourceId, complianceTypes) =>
      store.listItems(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceIds: [resourceId],
        complianceTypes,
      }),
    async nodeItemTitles(db, scope, query) {
      let select = db
        .selectFrom('compliance_items')
        .select('title')
        .distinct()
        .where(inScope(scope))
        .where('resource_type', '=', 'ManagedInstance')
        .where('compliance_type', 'in', [...query.complianceTypes])
        .where('title', '<>', '');
      if (query.from !== undefined) select = select.where('title', query.inclusive ? '>=' : '>', query.from);
      const rows = await select.orderBy('title').limit(query.limit).execute();
      return rows.map((row) => row.title);
    },
    async nodeItemsTitled(db, scope, query) {
      if (query.titles.length === 0) return [];
      const rows = await db
        .selectFrom('compliance_items')
        .selectAll()
        .where(inScope(scope))
        .where('resource_type', '=', 'ManagedInstance')
        .where('compliance_type', 'in', [...query.complianceTypes])
        .where('title', 'in', [...query.titles])
        .orderBy('resource_id')
        .orderBy('compliance_type')
        .orderBy('item_key')
        .execute();
      return rows.map(toItem);
    },
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
