/** Persistence of compliance sets, their items and their execution history. */
import { sql, type Expression, type SqlBool } from 'kysely';
import { afterKey, inScope, type SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { chunk } from '../storage/index.js';
import {
  fromSnapshot,
  itemSortColumns,
  setSortColumns,
  toItem,
  toKeyedItem,
  toSet,
  toSnapshot,
  optional,
  type KeyedComplianceItem,
  type SetKey,
  type StoredItemInput,
  type SnapshotItem,
} from './compliance-rows.js';
import {
  complianceLimits,
  type ComplianceItem,
  type ComplianceSet,
  type ComplianceSeverity,
  type ComplianceStatus,
  type ExecutionSummary,
  type SetCounts,
  type SetSummary,
} from './compliance-model.js';

export type { SetKey, StoredItemInput } from './compliance-rows.js';

/** Which sets of an account to read. */
export interface SetQuery {
  accountId: string;
  region: string;
  resourceIds?: readonly string[] | undefined;
  resourceTypes?: readonly string[] | undefined;
  complianceTypes?: readonly string[] | undefined;
  /** Only rows after this sort key. */
  after?: SortKey | undefined;
  limit?: number | undefined;
}

/**
 * The rows of `query`'s scope with the resources, resource types and compliance types it names: the one predicate
 * for both compliance tables, which share these columns.
 */
function matching(query: SetQuery): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [inScope(query)];
  const among = (column: string, values: readonly string[] | undefined): void => {
    if (values === undefined) return;
    conditions.push(sql<SqlBool>`${sql.ref(column)} in (${sql.join([...values])})`);
  };
  among('resource_id', query.resourceIds);
  among('resource_type', query.resourceTypes);
  among('compliance_type', query.complianceTypes);
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/** One recorded upload of a set. */
export interface ComplianceExecution {
  seq: number;
  execution: ExecutionSummary;
  uploadType: string;
  summary: SetSummary;
  /** The resulting items; undefined once older than the retained window. */
  items: ComplianceItem[] | undefined;
  recordedAt: Date;
}

/** Reads and writes compliance sets; every write is in the caller's transaction. */
export class ComplianceStore {
  /** The set, if stored (also when it holds no items). */
  async findSet(db: DbExecutor, key: SetKey): Promise<ComplianceSet | undefined> {
    const row = await db
      .selectFrom('compliance_sets')
      .selectAll()
      .where(inScope(key))
      .where('resource_type', '=', key.resourceType)
      .where('resource_id', '=', key.resourceId)
      .where('compliance_type', '=', key.complianceType)
      .executeTakeFirst();
    return row === undefined ? undefined : toSet(row);
  }

  /** The sets matching `query` that hold items, ordered by resource then compliance type. */
  async listSets(db: DbExecutor, query: SetQuery): Promise<ComplianceSet[]> {
    let select = db
      .selectFrom('compliance_sets')
      .selectAll()
      .where(matching(query))
      .where('item_count', '>', 0);
    if (query.after !== undefined) select = select.where(afterKey(setSortColumns, query.after));
    if (query.limit !== undefined) select = select.limit(query.limit);
    const rows = await select
      .orderBy('resource_id')
      .orderBy('resource_type')
      .orderBy('compliance_type')
      .execute();
    return rows.map(toSet);
  }

  /** The Custom: compliance types stored for a resource. */
  async customTypesOf(db: DbExecutor, key: Omit<SetKey, 'complianceType'>): Promise<string[]> {
    const rows = await db
      .selectFrom('compliance_sets')
      .select('compliance_type')
      .where(inScope(key))
      .where('resource_type', '=', key.resourceType)
      .where('resource_id', '=', key.resourceId)
      .where('compliance_type', 'like', 'Custom:%')
      .where('item_count', '>', 0)
      .execute();
    return rows.map((row) => row.compliance_type);
  }

  /** The scope's items by (resource, type, compliance type, item key), with their sort keys. */
  async pageItems(db: DbExecutor, query: SetQuery): Promise<KeyedComplianceItem[]> {
    let select = db.selectFrom('compliance_items').selectAll().where(matching(query));
    if (query.after !== undefined) select = select.where(afterKey(itemSortColumns, query.after));
    if (query.limit !== undefined) select = select.limit(query.limit);
    const rows = await select
      .orderBy('resource_id')
      .orderBy('resource_type')
      .orderBy('compliance_type')
      .orderBy('item_key')
      .execute();
    return rows.map(toKeyedItem);
  }

  /** The scope's items in sort-key order (see `pageItems`). */
  async listItems(db: DbExecutor, query: SetQuery): Promise<ComplianceItem[]> {
    return (await this.pageItems(db, query)).map((keyed) => keyed.item);
  }

  /** The compliance types with items in the scope, in order, after `query.after`. */
  async pageComplianceTypes(
    db: DbExecutor,
    query: SetQuery & { complianceTypes?: readonly string[] | undefined },
  ): Promise<string[]> {
    let select = db
      .selectFrom('compliance_sets')
      .select('compliance_type')
      .distinct()
      .where(inScope(query))
      .where('item_count', '>', 0);
    if (query.complianceTypes !== undefined)
      select = select.where('compliance_type', 'in', [...query.complianceTypes]);
    if (query.after !== undefined) select = select.where(afterKey(['compliance_type'], query.after));
    if (query.limit !== undefined) select = select.limit(query.limit);
    const rows = await select.orderBy('compliance_type').execute();
    return rows.map((row) => row.compliance_type);
  }

  /** The items of one set keyed by item key. */
  async itemsOfSet(db: DbExecutor, key: SetKey): Promise<StoredItemInput[]> {
    const rows = await db
      .selectFrom('compliance_items')
      .selectAll()
      .where(inScope(key))
      .where('resource_type', '=', key.resourceType)
      .where('resource_id', '=', key.resourceId)
      .where('compliance_type', '=', key.complianceType)
      .orderBy('item_key')
      .execute();
    return rows.map((row) => ({ key: row.item_key, item: toItem(row) }));
  }

  /** Deletes the items of the set whose keys are listed (all of them when `keys` is undefined). */
  async deleteItems(db: DbExecutor, key: SetKey, keys?: readonly string[]): Promise<void> {
    if (keys !== undefined && keys.length === 0) return;
    const chunks = keys === undefined ? [undefined] : chunk(keys, 500);
    for (const part of chunks) {
      let query = db
        .deleteFrom('compliance_items')
        .where(inScope(key))
        .where('resource_type', '=', key.resourceType)
        .where('resource_id', '=', key.resourceId)
        .where('compliance_type', '=', key.complianceType);
      if (part !== undefined) query = query.where('item_key', 'in', part);
      await query.execute();
    }
  }

  /** Inserts items (their keys must not be stored yet). */
  async insertItems(db: DbExecutor, key: SetKey, items: readonly StoredItemInput[]): Promise<void> {
    // 14 parameters per row; stay well under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters.
    for (const part of chunk(items, 1000)) {
      await db
        .insertInto('compliance_items')
        .values(
          part.map(({ key: itemKey, item }) => ({
            account_id: key.accountId,
            region: key.region,
            resource_type: key.resourceType,
            resource_id: key.resourceId,
            compliance_type: key.complianceType,
            item_key: itemKey,
            item_id: item.id ?? null,
            title: item.title,
            severity: item.severity,
            status: item.status,
            details: JSON.stringify(item.details),
            execution_time: item.execution.executionTime.getTime(),
            execution_id: item.execution.executionId ?? null,
            execution_type: item.execution.executionType ?? null,
          })),
        )
        .execute();
    }
  }

  /** Writes the set row (insert or replace). */
  async saveSet(
    db: DbExecutor,
    key: SetKey,
    summary: SetSummary,
    execution: ExecutionSummary,
    itemContentHash: string | undefined,
    now: Date,
  ): Promise<void> {
    const values = {
      status: summary.status,
      overall_severity: summary.overallSeverity,
      item_count: summary.itemCount,
      severity_counts: JSON.stringify(summary.counts),
      execution_time: execution.executionTime.getTime(),
      execution_id: execution.executionId ?? null,
      execution_type: execution.executionType ?? null,
      item_content_hash: itemContentHash ?? null,
      updated_at: now.getTime(),
    };
    await db
      .insertInto('compliance_sets')
      .values({
        account_id: key.accountId,
        region: key.region,
        resource_type: key.resourceType,
        resource_id: key.resourceId,
        compliance_type: key.complianceType,
        ...values,
      })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region', 'resource_type', 'resource_id', 'compliance_type'])
          .doUpdateSet(values),
      )
      .execute();
  }

  /**
   * Records an accepted upload with the resulting items, then applies the retention: the last
   * `executionsKept` executions per set, the items of only the last `executionsWithItemsKept`.
   */
  async recordExecution(
    db: DbExecutor,
    key: SetKey,
    record: {
      execution: ExecutionSummary;
      uploadType: string;
      summary: SetSummary;
      items: readonly StoredItemInput[];
    },
    now: Date,
  ): Promise<void> {
    await db
      .insertInto('compliance_executions')
      .values({
        account_id: key.accountId,
        region: key.region,
        resource_type: key.resourceType,
        resource_id: key.resourceId,
        compliance_type: key.complianceType,
        execution_time: record.execution.executionTime.getTime(),
        execution_id: record.execution.executionId ?? null,
        execution_type: record.execution.executionType ?? null,
        upload_type: record.uploadType,
        status: record.summary.status,
        overall_severity: record.summary.overallSeverity,
        item_count: record.summary.itemCount,
        severity_counts: JSON.stringify(record.summary.counts),
        items: JSON.stringify(record.items.map(toSnapshot)),
        recorded_at: now.getTime(),
      })
      .execute();
    const recent = await this.executionRows(db, key)
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(complianceLimits.executionsKept + 1)
      .execute();
    const itemsFloor = recent[complianceLimits.executionsWithItemsKept - 1]?.seq;
    if (itemsFloor !== undefined) {
      await db
        .updateTable('compliance_executions')
        .set({ items: null })
        .where(inScope(key))
        .where('resource_type', '=', key.resourceType)
        .where('resource_id', '=', key.resourceId)
        .where('compliance_type', '=', key.complianceType)
        .where('seq', '<', itemsFloor)
        .where('items', 'is not', null)
        .execute();
    }
    const keptFloor = recent[complianceLimits.executionsKept - 1]?.seq;
    if (keptFloor !== undefined && recent.length > complianceLimits.executionsKept) {
      await db
        .deleteFrom('compliance_executions')
        .where(inScope(key))
        .where('resource_type', '=', key.resourceType)
        .where('resource_id', '=', key.resourceId)
        .where('compliance_type', '=', key.complianceType)
        .where('seq', '<', keptFloor)
        .execute();
    }
  }

  /** The recorded executions of a set, newest first. */
  async listExecutions(db: DbExecutor, key: SetKey): Promise<ComplianceExecution[]> {
    const rows = await this.executionRows(db, key).selectAll().orderBy('seq', 'desc').execute();
    return rows.map((row) => ({
      seq: Number(row.seq),
      execution: {
        executionTime: new Date(Number(row.execution_time)),
        executionId: optional(row.execution_id),
        executionType: optional(row.execution_type),
      },
      uploadType: row.upload_type,
      summary: {
        status: row.status as ComplianceStatus,
        overallSeverity: row.overall_severity as ComplianceSeverity,
        itemCount: row.item_count,
        counts: JSON.parse(row.severity_counts) as SetCounts,
      },
      items:
        row.items === null
          ? undefined
          : (JSON.parse(row.items) as SnapshotItem[]).map((entry) => fromSnapshot(key, entry)),
      recordedAt: new Date(Number(row.recorded_at)),
    }));
  }

  /** Removes every set, item and execution of a resource (deregistration). */
  async purgeResource(db: DbExecutor, key: Omit<SetKey, 'complianceType'>): Promise<void> {
    for (const table of ['compliance_items', 'compliance_sets', 'compliance_executions'] as const) {
      await db
        .deleteFrom(table)
        .where(inScope(key))
        .where('resource_type', '=', key.resourceType)
        .where('resource_id', '=', key.resourceId)
        .execute();
    }
  }

  private executionRows(db: DbExecutor, key: SetKey) {
    return db
      .selectFrom('compliance_executions')
      .where(inScope(key))
      .where('resource_type', '=', key.resourceType)
      .where('resource_id', '=', key.resourceId)
      .where('compliance_type', '=', key.complianceType);
  }
}
